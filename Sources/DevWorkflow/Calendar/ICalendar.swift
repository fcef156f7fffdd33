import Foundation

/// An RFC 5545 calendar of all-day events (deadlines, windows, holidays) that calendar apps
/// subscribe to or import.
///
/// The text is what RFC 5545 asks for and apps expect: CRLF line ends; lines folded at 75 octets
/// (continuations start with a space) without splitting a UTF-8 sequence; TEXT values with `\`,
/// `;`, `,` and line breaks escaped and other control characters dropped; `METHOD:PUBLISH` and
/// `X-WR-CALNAME` for subscriptions. Every event is a whole-day `VALUE=DATE` event, transparent
/// (it does not make its days busy), with a `UID` made from its kind and id only
/// (`quote-due-VOLIS-12@devworkflow`), so the same event keeps its UID in every export and apps
/// update it instead of adding a copy. `DTSTAMP` is passed in, so the same inputs give the same
/// bytes.
public struct ICalendar: Sendable, Equatable {
    /// One all-day event, or a run of whole days.
    public struct Event: Sendable, Equatable {
        /// What the event is (`quote-due`, `order-deadline`, `holiday` …): the UID's first part.
        public var kind: String
        /// What it is about (`VOLIS-12`, `VOLIS-12-ACME`, `2026-12-24` …): the UID's second part.
        public var id: String
        /// The first day.
        public var date: LocalDate
        /// The last day, for a window of several days; nil for one day.
        public var lastDate: LocalDate?
        /// The title apps show.
        public var summary: String
        /// A longer text, line breaks kept.
        public var description: String?
        /// Labels apps can filter by (`Hinnapakkumine`, `VOLIS`).
        public var categories: [String]
        /// A link to the request (a URI, written as it is).
        public var url: String?

        /// An event on `date` (through `lastDate`, when given).
        public init(kind: String, id: String, date: LocalDate, lastDate: LocalDate? = nil, summary: String,
                    description: String? = nil, categories: [String] = [], url: String? = nil) {
            self.kind = kind
            self.id = id
            self.date = date
            self.lastDate = lastDate
            self.summary = summary
            self.description = description
            self.categories = categories
            self.url = url
        }

        /// `<kind>-<id>@devworkflow`: the same for the same kind and id in every export.
        public var uid: String { "\(kind)-\(id)@devworkflow" }
    }

    /// `PRODID`.
    public static let productID = "-//DevWorkflow//DevWorkflow//EN"

    /// The calendar's name (`X-WR-CALNAME`), as apps show it.
    public var name: String
    /// The events, written in this order.
    public var events: [Event]

    /// A calendar named `name` holding `events`.
    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    /// The calendar's text; `stamp` is every event's `DTSTAMP` (when this export was made).
    public func text(stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(Self.productID)", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:\(Self.escaped(name))"]
        let stampText = Self.utc(stamp)
        for event in events {
            let end = (event.lastDate.map { max($0, event.date) } ?? event.date).adding(days: 1)
            lines += ["BEGIN:VEVENT", "UID:\(Self.escaped(event.uid))", "DTSTAMP:\(stampText)",
                      "DTSTART;VALUE=DATE:\(Self.basic(event.date))", "DTEND;VALUE=DATE:\(Self.basic(end))",
                      "SUMMARY:\(Self.escaped(event.summary))"]
            if let description = event.description { lines.append("DESCRIPTION:\(Self.escaped(description))") }
            if !event.categories.isEmpty { lines.append("CATEGORIES:" + event.categories.map(Self.escaped).joined(separator: ",")) }
            if let url = event.url { lines.append("URL:" + url.filter { !$0.isNewline && !($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) }) }
            lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.folded).joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value: `\` `;` `,` escaped, any line break as `\n`, other control characters dropped.
    static func escaped(_ text: String) -> String {
        var output = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": output += "\\\\"
            case ";": output += "\\;"
            case ",": output += "\\,"
            case "\r": output += "\\n"
            case "\n": if !previousCR { output += "\\n" }
            case "\t": output.unicodeScalars.append(scalar)
            default:
                if scalar.value < 32 || scalar.value == 127 { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The line in pieces of at most 75 octets, each continuation starting with a space (which
    /// counts towards its 75), broken only between characters' UTF-8 sequences.
    static func folded(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var output = ""
        var width = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if width + size > 75 {
                output += "\r\n "
                width = 1
            }
            output.unicodeScalars.append(scalar)
            width += size
        }
        return output
    }

    /// `20261220`.
    private static func basic(_ date: LocalDate) -> String { date.description.replacingOccurrences(of: "-", with: "") }

    /// `20261203T081500Z`: the UTC time JSON documents carry, in iCalendar's basic form.
    private static func utc(_ moment: Date) -> String { JSONValue.iso8601(moment).filter { $0 != "-" && $0 != ":" } }
}
