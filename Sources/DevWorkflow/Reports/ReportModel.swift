import Foundation

// The row model every report is written in: the values a query hands to a `ReportRenderer`.
// These four small types are read together (a column says which value kind its cells hold), so
// they share one file.

/// One column of a report section: its machine key, its heading for people and its value kind.
///
/// The key is snake_case (`order_date`); it is the JSON field name and the CSV header, the same
/// in every language. The title is a catalogue key (`report.column.order_date`) that renderers
/// show in the report's language; a title that is not a key is shown as it is.
public struct ReportColumn: Hashable, Sendable {
    /// What the cells of a column hold; decides formatting, alignment and sorting.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Free text.
        case text
        /// A whole number (`Int`).
        case integer
        /// Euros, exact to the cent (`Money`).
        case money
        /// An exact decimal number kept as its text (`12.5`).
        case decimal
        /// A calendar date (`LocalDate`).
        case date
        /// An instant (`Date`), written in UTC.
        case timestamp
        /// Yes or no.
        case boolean
    }

    /// The snake_case key: JSON field name and CSV header.
    public let key: String
    /// The heading people read: a catalogue key, or the heading itself.
    public let title: String
    /// The kind of value every non-null cell of this column holds.
    public let kind: Kind
    /// For a text column whose values are keys with names in the catalogue (`state`: the value
    /// `ordered` is `state.ordered`): Markdown and HTML show the name in the report's language,
    /// CSV and JSON the key.
    public let valueNames: String?
    /// For HTML, which shows columns side by side: the heading (a catalogue key) of the group of
    /// neighbouring columns this one shares a cell with, each value on its own labelled line, so
    /// that a wide section fits a page (`report.group.order`: order number, date, deadline).
    /// A column whose own title is the group's heading is its cell's lead, shown without label.
    /// CSV, JSON and Markdown keep every column apart.
    public let group: String?
    /// For a text column whose values are a canonical line that people read worded in their
    /// language (a penalty's working, `PenaltyWorking`): Markdown and HTML show the wording in the
    /// report's language and number format, CSV and JSON (and the fingerprint) the canonical line,
    /// the same in every language.
    public let wording: Wording?

    /// The canonical lines a text column may hold that renderers word for people.
    public enum Wording: String, Hashable, Sendable {
        /// `PenaltyWorking.canonical`: a late order's penalty as one line of arithmetic.
        case penaltyWorking = "penalty_working"
        /// Periods of days as ISO 8601 intervals, `2026-10-16/2026-10-17, …` (the first and the
        /// last day): shown `16.10.2026–17.10.2026` in the language's date format.
        case dayPeriods = "day_periods"
    }

    /// A column; traps unless `key` is snake_case (`[a-z][a-z0-9_]*`), which is a programming error.
    public init(_ key: String, _ title: String, _ kind: Kind, names valueNames: String? = nil, group: String? = nil, wording: Wording? = nil) {
        precondition(ReportColumn.isSnakeCase(key), "report column key '\(key)' is not snake_case")
        precondition(valueNames == nil || kind == .text, "report column '\(key)': only text values can be names")
        precondition(wording == nil || kind == .text && valueNames == nil, "report column '\(key)': only text values can be worded")
        self.key = key
        self.title = title
        self.kind = kind
        self.valueNames = valueNames
        self.group = group
        self.wording = wording
    }

    /// Whether a key or id is snake_case: a lowercase ASCII letter, then lowercase letters, digits, `_`.
    static func isSnakeCase(_ text: String) -> Bool {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return text.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }
}

/// One cell of a report row.
///
/// A non-null value must match its column's kind (a `money` column holds `.money` or `.null`);
/// renderers trap on a mismatch, which is a bug in the query that built the row.
public enum ReportValue: Hashable, Sendable {
    /// No value (an empty CSV field, JSON `null`, a dash in MD and HTML).
    case null
    /// Free text; may hold newlines, quotes, separators and any Unicode.
    case text(String)
    /// A whole number.
    case integer(Int)
    /// Euros, exact to the cent.
    case money(Money)
    /// An exact decimal number as text: `-?digits[.digits]` (PostgreSQL's `numeric` output).
    ///
    /// Anything else (`NaN`, `1e5`, `007`) makes `row(_:)` throw an `invalidData` error.
    case decimal(String)
    /// A calendar date.
    case date(LocalDate)
    /// An instant, written as ISO 8601 UTC with whole seconds.
    case timestamp(Date)
    /// Yes or no.
    case boolean(Bool)

    /// A decimal with a fixed number of fraction digits from a `Double` (a median, a percentile);
    /// `.null` when the value is not finite.
    public static func decimal(_ value: Double, fractionDigits: Int) -> ReportValue {
        guard value.isFinite else { return .null }
        var text = String(format: "%.\(max(0, min(fractionDigits, 12)))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return .decimal(text)
    }

    /// The kind this value belongs to; nil for `.null`, which fits every column.
    var kind: ReportColumn.Kind? {
        switch self {
        case .null: return nil
        case .text: return .text
        case .integer: return .integer
        case .money: return .money
        case .decimal: return .decimal
        case .date: return .date
        case .timestamp: return .timestamp
        case .boolean: return .boolean
        }
    }
}

/// What a report is and when it was taken: shown at the top of every format but CSV.
public struct ReportHeader: Sendable {
    /// The report's id (`vendor`, `status`, `budget`, `flow`): snake_case.
    public var id: String
    /// The title people read (`Vendor report: ACME OÜ`).
    public var title: String
    /// An optional line under the title.
    public var subtitle: String?
    /// The instant the data was read (one transaction's snapshot).
    public var asOf: Date
    /// The parameters the report was asked with, in order (`("vendor", "ACME")`); names unique.
    public var parameters: [(name: String, value: String)]

    /// A header; `id` must be snake_case and parameter names unique (renderers trap otherwise).
    public init(id: String, title: String, subtitle: String? = nil, asOf: Date, parameters: [(name: String, value: String)] = []) {
        self.id = id
        self.title = title
        self.subtitle = subtitle
        self.asOf = asOf
        self.parameters = parameters
    }
}

/// A bar chart that illustrates the section that follows it.
///
/// Values are `Double`s because a chart only draws them; the exact numbers belong in the section's
/// rows. A value that is not finite (use `.nan`) means "no value": no bar, a dash as its label.
public struct ReportChart: Sendable {
    /// How the series are drawn.
    public enum Kind: String, Hashable, Sendable {
        /// One bar per category, from exactly one series.
        case bars
        /// One group of bars per category, one bar per series, with a legend.
        case groupedBars = "grouped_bars"
    }

    /// The chart's title.
    public let title: String
    /// Bars or grouped bars.
    public let kind: Kind
    /// The category labels, one per bar or group; long names are wrapped and shortened.
    public let categories: [String]
    /// The series: a name for the legend and one value per category.
    public let series: [(name: String, values: [Double])]
    /// What the values count (`days`, `€`, `requests`), shown on the value axis.
    public let unit: String

    /// A chart; traps when a series does not have one value per category, or `.bars` does not have
    /// exactly one series (programming errors). No categories draws an empty-state note.
    public init(title: String, kind: Kind, categories: [String], series: [(name: String, values: [Double])], unit: String) {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "chart '\(title)': every series needs one value per category")
        precondition(kind == .groupedBars || series.count == 1, "chart '\(title)': .bars takes exactly one series")
        self.title = title
        self.kind = kind
        self.categories = categories
        self.series = series
        self.unit = unit
    }
}
