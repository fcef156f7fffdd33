import Foundation

/// Requests per system and state, the prioritised backlog in order, and everything overdue.
public struct StatusReport: WorkflowReport {
    /// Where request `r`'s state stands on the main road: a state once in a count, whichever
    /// road (definition) its requests are on, in the small development road's order.
    static let statePosition: SQL = "(SELECT min(s.position) FROM workflow_state s WHERE s.name = r.state AND s.definition = 'small_development')"

    public init() {}

    static let countColumns = [ReportColumn("system", "report.column.system", .text), ReportColumn("state", "report.column.state", .text, names: "state"),
                               ReportColumn("requests", "report.column.requests", .integer)]
    static let backlogColumns = [ReportColumn("rank", "report.column.rank", .integer), ReportColumn("request", "report.column.request", .text),
                                 ReportColumn("system", "report.column.system", .text), ReportColumn("priority", "report.column.priority", .integer),
                                 ReportColumn("title", "report.column.title", .text), ReportColumn("prioritised_on", "report.column.prioritised_on", .date)]
    static let overdueColumns = [ReportColumn("request", "report.column.request", .text), ReportColumn("system", "report.column.system", .text),
                                 ReportColumn("state", "report.column.state", .text, names: "state"), ReportColumn("title", "report.column.title", .text),
                                 ReportColumn("vendor", "report.column.vendor", .text), ReportColumn("due", "report.column.due", .date),
                                 ReportColumn("days_overdue", "report.column.days_overdue", .integer)]

    public func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
        try connection.requireStaffReader()
        let today = LocalDate.today(at: asOf)
        try connection.setReportParameters(["today": today.description])
        try renderer.begin(ReportHeader(id: "status", title: renderer.text("report.status.title"), asOf: asOf))
        try renderer.beginSection(id: "by_state", title: renderer.text("report.status.by_state"), columns: Self.countColumns)
        try connection.streamRows("""
            SELECT r.system, r.state, count(*) FROM request r GROUP BY r.system, r.state ORDER BY r.system, \(Self.statePosition), r.state
            """, into: renderer, columns: Self.countColumns)
        try renderer.endSection()
        try renderer.beginSection(id: "backlog", title: renderer.text("report.status.backlog"), columns: Self.backlogColumns)
        try connection.streamRows("""
            SELECT row_number() OVER (ORDER BY r.priority, r.state_since, r.system, r.number), r.id, r.system, r.priority, r.title,
                   (r.state_since AT TIME ZONE 'Europe/Tallinn')::date
            FROM request r WHERE r.state = 'prioritised'
            ORDER BY r.priority, r.state_since, r.system, r.number
            """, into: renderer, columns: Self.backlogColumns)
        try renderer.endSection()
        try renderer.beginSection(id: "overdue", title: renderer.text("report.status.overdue"), columns: Self.overdueColumns)
        try connection.streamRows("""
            SELECT id, system, state, title, vendor, due, today - due
            FROM (SELECT current_setting('devworkflow.report_today')::date AS today) parameters CROSS JOIN LATERAL (
                SELECT r.id, r.system, r.number, r.state, r.title, o.vendor, o.deadline AS due
                FROM request r JOIN purchase_order o ON o.request_id = r.id
                WHERE r.state = 'ordered' AND order_late(o, today)
                UNION ALL
                SELECT r.id, r.system, r.number, r.state, r.title, NULL, r.quote_due
                FROM request r WHERE r.state = 'quote_requested' AND r.quote_due < today
            ) overdue
            ORDER BY due, system, number
            """, into: renderer, columns: Self.overdueColumns)
        try renderer.endSection()
        try renderer.end()
    }
}
