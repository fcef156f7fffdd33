import Foundation

/// How values and labels look to people in Markdown and HTML reports: the one place to change
/// (or later localise) number, money, date and time formats and the fixed words of a report.
///
/// CSV and JSON never use it: they write canonical values (`1234.50`, `2026-11-25`).
/// `.standard` writes English labels, money as `12 345.60 €` (a narrow no-break space groups
/// thousands, a no-break space before the euro sign), dates as ISO `2026-11-25`, and times in
/// Europe/Tallinn as `2026-11-25 11:18`.
public struct ReportFormatting: Sendable {
    /// The fixed words of a report.
    public struct Labels: Sendable {
        /// Before the as-of time: `As of`.
        public var asOf = "As of"
        /// Before the report id in the footer: `Report`.
        public var report = "Report"
        /// Before the fingerprint: `SHA-256`.
        public var fingerprint = "SHA-256"
        /// A row count of one: `row`.
        public var row = "row"
        /// A row count of any other number: `rows`.
        public var rows = "rows"
        /// Under a section with no rows.
        public var noRows = "No rows."
        /// Inside a chart with nothing to draw.
        public var noData = "No data to chart."
        /// A true boolean.
        public var yes = "yes"
        /// A false boolean.
        public var no = "no"
        /// A null cell.
        public var null = "–"
        /// The hint on sortable column headings.
        public var sortHint = "Sort by this column"

        /// English labels.
        public init() {}
    }

    /// The zone times are shown in.
    public var timeZone: TimeZone
    /// The document language (`lang` of the HTML).
    public var languageCode: String
    /// Between groups of three digits.
    public var groupSeparator: String
    /// Between whole and fraction digits.
    public var decimalMark: String
    /// After an amount of money.
    public var currencySuffix: String
    /// The fixed words.
    public var labels: Labels

    /// A formatting; the defaults are `.standard`'s.
    public init(timeZone: TimeZone = .tallinn, languageCode: String = "en", groupSeparator: String = "\u{202F}",
                decimalMark: String = ".", currencySuffix: String = "\u{A0}€", labels: Labels = Labels()) {
        self.timeZone = timeZone
        self.languageCode = languageCode
        self.groupSeparator = groupSeparator
        self.decimalMark = decimalMark
        self.currencySuffix = currencySuffix
        self.labels = labels
    }

    /// English labels, Tallinn time, `12 345.60 €`.
    public static let standard = ReportFormatting()

    /// Any cell value as text for people; a null is `labels.null`.
    public func value(_ value: ReportValue) -> String {
        switch value {
        case .null: return labels.null
        case let .text(text): return text
        case let .integer(number): return integer(number)
        case let .money(amount): return money(amount)
        case let .decimal(text): return decimal(text)
        case let .date(day): return date(day)
        case let .timestamp(instant): return timestamp(instant)
        case let .boolean(flag): return boolean(flag)
        }
    }

    /// `-12 345.60 €`: two decimals, grouped.
    public func money(_ amount: Money) -> String {
        decimal(amount.description) + currencySuffix
    }

    /// `12 345`.
    public func integer(_ number: Int) -> String {
        decimal(String(number))
    }

    /// An exact decimal's text (`-1234.5`) grouped and with this decimal mark: `-1 234.5`.
    public func decimal(_ text: String) -> String {
        var whole = Substring(text)
        var sign = ""
        if whole.first == "-" { sign = "-"; whole = whole.dropFirst() }
        var fraction: Substring = ""
        if let dot = whole.firstIndex(of: ".") {
            fraction = whole[whole.index(after: dot)...]
            whole = whole[..<dot]
        }
        var grouped = ""
        for (offset, digit) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { grouped += groupSeparator }
            grouped.append(digit)
        }
        return sign + grouped + (fraction.isEmpty ? "" : decimalMark + fraction)
    }

    /// `2026-11-25`.
    public func date(_ day: LocalDate) -> String { day.description }

    /// `2026-11-25 11:18` in `timeZone`.
    public func timestamp(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let minutes = (seconds - days * 86400) / 60
        return "\(LocalDate(dayNumber: days)) \(twoDigits(minutes / 60)):\(twoDigits(minutes % 60))"
    }

    /// The as-of time with its offset from UTC: `2026-11-25 11:18 (UTC+02:00)`.
    public func asOf(_ instant: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: instant) / 60
        let sign = offset < 0 ? "-" : "+"
        return "\(timestamp(instant)) (UTC\(sign)\(twoDigits(abs(offset) / 60)):\(twoDigits(abs(offset) % 60)))"
    }

    /// `yes` or `no`.
    public func boolean(_ flag: Bool) -> String { flag ? labels.yes : labels.no }

    /// `1 row`, `3 rows`.
    public func rowCount(_ count: Int) -> String {
        "\(integer(count)) \(count == 1 ? labels.row : labels.rows)"
    }

    /// A chart number rounded to `fractionDigits`, grouped: `12 345.5`.
    public func chartNumber(_ number: Double, fractionDigits: Int) -> String {
        guard case let .decimal(text) = ReportValue.decimal(number, fractionDigits: fractionDigits) else { return labels.null }
        return decimal(text)
    }

    private func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
}
