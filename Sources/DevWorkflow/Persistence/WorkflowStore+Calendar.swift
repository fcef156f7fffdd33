import Foundation

extension WorkflowStore {
    /// A person's or a vendor's calendar feed as of `today`; the database refuses a feed this
    /// login may not read as if it did not exist.
    public func calendarFeed(person: String?, vendor: String?, today: LocalDate) throws -> CalendarFeed {
        CalendarFeed(document: try document("SELECT workflow.calendar_feed(\(person), \(vendor), \(today))::text"))
    }
}
