import Foundation

/// A person's or a vendor's dates as the database's `calendar_feed()` gives them (sql/0011), put
/// into words and into an RFC 5545 calendar.
///
/// The database decides which dates a feed holds and who may read it (quote due dates, order
/// deadlines, acceptance and release windows, contract ends, holidays and closures); this type
/// only names them. Each event's UID comes from its kind and id (`order-deadline-VOLIS-12@devworkflow`),
/// so it is the same in every export; `DTSTAMP` is the newest change among the feed's data, so
/// the same data gives the same bytes.
public struct CalendarFeed: Sendable {
    /// The document `calendar_feed()` returned.
    public let document: JSONValue

    public init(document: JSONValue) { self.document = document }

    /// The feed owner's language (the person's or the vendor's).
    public var language: Language { document["lang"].flatMap { Language(rawValue: $0.plain) } ?? .et }

    /// When the feed's data last changed (every event's `DTSTAMP`); 2000-01-01 when nothing did.
    public var stamp: Date {
        document["stamp"].flatMap { $0 == .null ? nil : TallinnTime.parse($0.plain) } ?? Date(timeIntervalSince1970: 946_684_800)
    }

    /// The feed as a calendar, its texts in `language`.
    public func calendar(in language: Language) -> ICalendar {
        var events: [ICalendar.Event] = []
        if case let .array(items)? = document["events"] {
            for item in items {
                guard let kind = item["kind"]?.plain, let id = item["id"]?.plain, let date = item["date"].flatMap({ try? LocalDate(parsing: $0.plain) })
                else { continue }
                let last = item["last_date"].flatMap { $0 == .null ? nil : try? LocalDate(parsing: $0.plain) }
                let facts = Self.facts(item, language)
                let summary = Message(Self.summaryKey(kind, facts), facts).text(language)
                var description: String? = nil
                if facts["request"] != nil { description = Message(facts["order"] == nil ? "calendar.about" : "calendar.about.order", facts).text(language) }
                events.append(ICalendar.Event(kind: kind, id: id, date: date, lastDate: last, summary: summary, description: description,
                                              categories: [Message("calendar.kind.\(kind)").text(language)] + (item["system"].flatMap { $0 == .null ? nil : $0.plain }.map { [$0] } ?? [])))
            }
        }
        return ICalendar(name: Message("calendar.name", ["name": "\(document["name"]?.plain ?? "")"]).text(language), events: events)
    }

    /// The feed's text (CRLF lines), in `language`.
    public func text(in language: Language) -> String { calendar(in: language).text(stamp: stamp) }

    /// The catalogue key of an event's title.
    private static func summaryKey(_ kind: String, _ facts: [String: MessageArgument]) -> String {
        switch kind {
        case "closure" where facts["detail"] == nil: return "calendar.closure.plain"
        // A held order's deadline does not run (sql/0060).
        case "order-deadline" where facts["detail"] != nil: return "calendar.order_deadline.held"
        default: return "calendar." + kind.replacingOccurrences(of: "-", with: "_")
        }
    }

    /// An event's values as message arguments; a holiday's key becomes its name.
    private static func facts(_ item: JSONValue, _ language: Language) -> [String: MessageArgument] {
        var facts: [String: MessageArgument] = [:]
        for key in ["request", "system", "title", "vendor", "order", "detail"] {
            if let value = item[key], value != .null, !value.plain.isEmpty { facts[key] = .text(value.plain) }
        }
        if item["kind"]?.plain == "holiday", let key = item["detail"]?.plain, Catalogue.entries["holiday.\(key)"] != nil {
            facts["detail"] = .message(Message("holiday.\(key)"))
        }
        return facts
    }
}
