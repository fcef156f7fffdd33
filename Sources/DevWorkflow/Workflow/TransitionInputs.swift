import Foundation

/// The values a caller gives with a move; which ones a transition needs is in its definition.
public struct TransitionInputs: Sendable, Equatable {
    public var priority: Int?
    /// Vendors to invite (`request_quote`).
    public var vendors: [String] = []
    /// The vendor quoting, delivering or ordered from.
    public var vendor: String?
    public var due: LocalDate?
    public var hours: Decimal?
    public var price: Money?
    public var delivery: LocalDate?
    public var deadline: LocalDate?
    public var reason: String?
    public var note: String?
    public var versionName: String?

    public init(priority: Int? = nil, vendors: [String] = [], vendor: String? = nil, due: LocalDate? = nil, hours: Decimal? = nil,
                price: Money? = nil, delivery: LocalDate? = nil, deadline: LocalDate? = nil, reason: String? = nil,
                note: String? = nil, versionName: String? = nil) {
        self.priority = priority
        self.vendors = vendors
        self.vendor = vendor
        self.due = due
        self.hours = hours
        self.price = price
        self.delivery = delivery
        self.deadline = deadline
        self.reason = reason
        self.note = note
        self.versionName = versionName
    }

    /// Parses hours as people type them: `12`, `12.5`, `7,25`, an optional sign, digits, at most
    /// one decimal mark and two decimals (the database keeps hours to the cent of an hour).
    ///
    /// Nil for anything else: `1-2`, `.`, `1e3`, `1.999` or a 40-digit number are not hours, and
    /// must not quietly become 1, 0 or a rounded value. Whether the amount is in range is the
    /// workflow's rule, not the parser's.
    public static func parseHours(_ text: String) -> Decimal? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" { negative = sign == "-"; digits = digits.dropFirst() }
        let pieces = digits.split(separator: digits.contains(",") ? "," : ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), (1...12).contains(pieces[0].count), pieces.count == 1 || (1...2).contains(pieces[1].count),
              pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let value = Decimal(string: (negative ? "-" : "") + pieces.joined(separator: "."), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        return value
    }

    /// Whether a field has a value.
    public func has(_ field: WorkflowDefinition.InputField) -> Bool {
        switch field {
        case .priority: return priority != nil
        case .vendors: return !vendors.isEmpty
        case .vendor: return vendor != nil
        case .due: return due != nil
        case .hours: return hours != nil
        case .price: return price != nil
        case .delivery: return delivery != nil
        case .deadline: return deadline != nil
        case .reason: return reason.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
        case .note: return note.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
        case .versionName: return versionName.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
        }
    }

    /// The given fields as JSON, as the history records them and the database function reads them.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let priority { pairs.append(("priority", .int(priority))) }
        if !vendors.isEmpty { pairs.append(("vendors", .array(vendors.map(JSONValue.string)))) }
        if let vendor { pairs.append(("vendor", .string(vendor))) }
        if let due { pairs.append(("due", .string(due.description))) }
        if let hours { pairs.append(("hours", .number("\(hours)"))) }
        if let price { pairs.append(("price", .money(price))) }
        if let delivery { pairs.append(("delivery", .string(delivery.description))) }
        if let deadline { pairs.append(("deadline", .string(deadline.description))) }
        if let reason { pairs.append(("reason", .string(reason))) }
        if let note { pairs.append(("note", .string(note))) }
        if let versionName { pairs.append(("version_name", .string(versionName))) }
        return .object(pairs)
    }
}
