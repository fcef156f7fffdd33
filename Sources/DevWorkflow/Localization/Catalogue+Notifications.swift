extension Catalogue {
    /// Notification and reminder e-mails.
    static let notifications: [String: (String, String)] = [:]
}
