import Foundation

/// How values and labels look to people in one language: the one place for number, money, date
/// and time formats, used by Markdown and HTML reports, notification mails and workflowctl's text
/// output, and the fixed words of a report.
///
/// CSV and JSON never format values with it: they write canonical values (`1234.50`,
/// `2026-11-25`); they only take its `language` for titles. English (`.standard`) writes money as
/// `12 345.60 €` (a narrow no-break space groups thousands, a no-break space before the euro
/// sign), dates as ISO `2026-11-25` and times in Europe/Tallinn as `2026-11-25 11:18`. Estonian
/// (`.estonian`) writes `12 345,60 €` (a no-break space groups thousands, a decimal comma) and
/// dates as `25.11.2026`, as Estonian readers expect them in prose and tables.
public struct ReportFormatting: Sendable {
    /// The fixed words of a report, from the message catalogue.
    public struct Labels: Sendable {
        /// Before the as-of time: `As of`.
        public var asOf: String
        /// Before the report id in the footer: `Report`.
        public var report: String
        /// Before the fingerprint: `SHA-256`.
        public var fingerprint: String
        /// A row count of one: `row`.
        public var row: String
        /// A row count of any other number: `rows`.
        public var rows: String
        /// Under a section with no rows.
        public var noRows: String
        /// Inside a chart with nothing to draw.
        public var noData: String
        /// A true boolean.
        public var yes: String
        /// A false boolean.
        public var no: String
        /// A null cell.
        public var null = "\u{2013}"
        /// The hint on sortable column headings.
        public var sortHint: String

        /// The labels of a language (English by default).
        public init(_ language: Language = .en) {
            func text(_ key: String) -> String { Message(key).text(language) }
            asOf = text("report.label.as_of")
            report = text("report.label.report")
            fingerprint = text("report.label.fingerprint")
            row = text("report.label.row")
            rows = text("report.label.rows")
            noRows = text("report.label.no_rows")
            noData = text("report.label.no_data")
            yes = text("report.label.yes")
            no = text("report.label.no")
            sortHint = text("report.label.sort_hint")
        }
    }

    /// How a calendar date is written.
    public enum DateStyle: Sendable {
        /// `2026-11-25`.
        case iso
        /// `25.11.2026`.
        case dayMonthYear
    }

    /// The language of the words and titles.
    public var language: Language
    /// The zone times are shown in.
    public var timeZone: TimeZone
    /// Between groups of three digits.
    public var groupSeparator: String
    /// Between whole and fraction digits.
    public var decimalMark: String
    /// After an amount of money.
    public var currencySuffix: String
    /// How dates are written.
    public var dateStyle: DateStyle
    /// The fixed words.
    public var labels: Labels

    /// The document language (`lang` of the HTML).
    public var languageCode: String { language.rawValue }

    /// A formatting; the defaults are `.standard`'s (English).
    public init(language: Language = .en, timeZone: TimeZone = .tallinn, groupSeparator: String = "\u{202F}",
                decimalMark: String = ".", currencySuffix: String = "\u{A0}€", dateStyle: DateStyle = .iso, labels: Labels? = nil) {
        self.language = language
        self.timeZone = timeZone
        self.groupSeparator = groupSeparator
        self.decimalMark = decimalMark
        self.currencySuffix = currencySuffix
        self.dateStyle = dateStyle
        self.labels = labels ?? Labels(language)
    }

    /// English labels, Tallinn time, `12 345.60 €`, ISO dates.
    public static let standard = ReportFormatting()

    /// Estonian labels, Tallinn time, `12 345,60 €`, dates `25.11.2026`.
    public static let estonian = ReportFormatting(language: .et, groupSeparator: "\u{A0}", decimalMark: ",", dateStyle: .dayMonthYear)

    /// The formatting people of a language expect.
    public static func `for`(_ language: Language) -> ReportFormatting {
        switch language {
        case .en: return .standard
        case .et: return .estonian
        }
    }

    /// A column's heading: its title is a catalogue key (`report.column.deadline`) in the
    /// product's reports; any other title is shown as it is.
    public func title(of column: ReportColumn) -> String { ReportFormatting.text(column.title, in: language) }

    /// A parameter's name for people (`report.parameter.vendor`), else the name itself.
    public func parameterName(_ name: String) -> String { ReportFormatting.text("report.parameter.\(name)", in: language, fallback: name) }

    /// The text of a catalogue key in a language; a string that is no key is its own text.
    static func text(_ key: String, in language: Language, fallback: String? = nil) -> String {
        Catalogue.entries[key] == nil ? (fallback ?? key) : Message(key).text(language)
    }

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

    /// An amount in a currency (ISO 4217, as an e-invoice's BT-5 gives it): euros as `money(_:)`
    /// writes them (`12 345.60 €`), any other with its code and no euro sign (`12.40 USD`).
    public func money(_ amount: Money, currency: String) -> String {
        currency == "EUR" ? money(amount) : decimal(amount.description) + "\u{A0}" + currency
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

    /// `2026-11-25` or `25.11.2026`.
    public func date(_ day: LocalDate) -> String {
        switch dateStyle {
        case .iso: return day.description
        case .dayMonthYear: return "\(twoDigits(day.day)).\(twoDigits(day.month)).\(day.year)"
        }
    }

    /// A cell of a column for people: a value of a column whose values are catalogue names
    /// (`state`) is shown by its name in this language, a worded column's canonical line (a
    /// penalty's working) in this language's words and numbers, every other value as `value(_:)` does.
    public func value(_ value: ReportValue, in column: ReportColumn) -> String {
        if case let .text(key) = value, let names = column.valueNames {
            return ReportFormatting.text("\(names).\(key)", in: language)
        }
        if case let .text(line) = value, let wording = column.wording {
            switch wording {
            case .penaltyWorking:
                if let working = PenaltyWorking(canonical: line) { return working.text(self) }
            case .dayPeriods:
                if let periods = dayPeriods(line) { return periods }
            }
        }
        return self.value(value)
    }

    /// `2026-10-16/2026-10-17, 2026-11-02/2026-11-02` as `16.10.2026–17.10.2026, 02.11.2026`;
    /// nil when the text is not such a list.
    func dayPeriods(_ text: String) -> String? {
        var shown: [String] = []
        for period in text.components(separatedBy: ", ") {
            let ends = period.split(separator: "/", omittingEmptySubsequences: false).map { try? LocalDate(parsing: String($0)) }
            guard ends.count == 2, let first = ends[0], let last = ends[1], first <= last else { return nil }
            shown.append(first == last ? date(first) : "\(date(first))\u{2013}\(date(last))")
        }
        return shown.joined(separator: ", ")
    }

    /// `2026-11-25 11:18` (or `25.11.2026 11:18`) in `timeZone`.
    public func timestamp(_ instant: Date) -> String {
        let local = TallinnTime.parts(of: instant, in: timeZone)
        return "\(date(local.date)) \(twoDigits(local.hour)):\(twoDigits(local.minute))"
    }

    /// The as-of time with its offset from UTC: `2026-11-25 11:18 (UTC+02:00)`.
    public func asOf(_ instant: Date) -> String {
        let offset = TallinnTime.parts(of: instant, in: timeZone).offset / 60
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

    private func twoDigits(_ number: Int) -> String { TallinnTime.two(number) }
}
