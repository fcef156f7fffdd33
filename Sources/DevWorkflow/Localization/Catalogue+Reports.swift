extension Catalogue {
    /// Report titles, sections, columns and labels.
    static let reports: [String: (String, String)] = [:]
}
