import Foundation

/// What a vendor must do, then every request it was invited to or ordered for, with only that
/// vendor's own quote and order: nothing of other vendors, not even their names or quotes.
///
/// The first section, `action`, lists what waits for the vendor, most urgent first: orders past
/// their deadline, orders due within a week, quotes past their due date, quotes asked for, and
/// last the orders the buyer holds (their clock stands: not late, nothing to deliver yet).
/// The second, `requests`, is the whole list. The third, `files`, lists the documents of those
/// requests that the vendor may read (the specification, its own quote files, the delivery …),
/// each with its SHA-256, so that a vendor without a login knows what was recorded. Between them,
/// `penalties` lists the vendor's late orders of every year with their penalties, the rows of
/// `PenaltyReport`. In HTML the
/// requests' twenty-one columns share seven cells (request, title, state, quote, order, delivery,
/// invoices) so that the table fits a wide screen
/// and A4; on a phone every row is a card.
public struct VendorReport: WorkflowReport {
    public let vendor: String

    public init(vendor: String) { self.vendor = vendor }

    /// Days ahead within which an order's deadline counts as due soon.
    package static let dueSoonDays = 7

    /// Both sections start with the request: its id and system share a cell in HTML.
    static let requestColumns = [
        ReportColumn("request", "report.column.request", .text, group: "report.column.request"),
        ReportColumn("system", "report.column.system", .text, group: "report.column.request"),
        ReportColumn("title", "report.column.title", .text),
    ]

    static let actionColumns = requestColumns + [
        ReportColumn("action", "report.column.action", .text, names: "vendor_action"),
        ReportColumn("due", "report.column.due", .date, group: "report.column.due"),
        ReportColumn("days_late", "report.column.days_late", .integer, group: "report.column.due"),
        ReportColumn("order_number", "report.column.order_number", .text),
    ]

    static let columns = requestColumns + [
        ReportColumn("state", "report.column.state", .text, names: "state"),
        ReportColumn("quote_due", "report.column.quote_due", .date, group: "report.group.quote"),
        ReportColumn("quoted_hours", "report.column.quoted_hours", .decimal, group: "report.group.quote"),
        ReportColumn("quoted_price", "report.column.quoted_price", .money, group: "report.group.quote"),
        ReportColumn("promised_delivery", "report.column.promised_delivery", .date, group: "report.group.quote"),
        ReportColumn("order_number", "report.column.order_number", .text, group: "report.column.order_number"),
        ReportColumn("order_date", "report.column.order_date", .date, group: "report.column.order_number"),
        ReportColumn("deadline", "report.column.deadline", .date, group: "report.column.order_number"),
        ReportColumn("days_late", "report.column.days_late", .integer, group: "report.column.order_number"),
        ReportColumn("on_hold_since", "report.column.on_hold_since", .date, group: "report.column.order_number"),
        ReportColumn("delivered_on", "report.column.delivered_on", .date, group: "report.group.delivery"),
        ReportColumn("accepted_on", "report.column.accepted_on", .date, group: "report.group.delivery"),
        ReportColumn("returns", "report.column.returns", .integer, group: "report.group.delivery"),
        ReportColumn("invoices", "report.column.invoices", .text, group: "report.group.invoices"),
        ReportColumn("held", "report.column.held", .integer, group: "report.group.invoices"),
        ReportColumn("invoiced", "report.column.invoiced", .money, group: "report.group.invoices"),
        ReportColumn("to_invoice", "report.column.to_invoice", .money, group: "report.group.invoices"),
        ReportColumn("paid", "report.column.paid", .money, group: "report.group.invoices"),
    ]

    /// The files section: each file of a request the vendor may read, by request and number.
    static let fileColumns = Array(requestColumns.prefix(2)) + [
        ReportColumn("file", "report.column.file", .integer, group: "report.column.file_name"),
        ReportColumn("file_name", "report.column.file_name", .text, group: "report.column.file_name"),
        ReportColumn("kind", "report.column.file_kind", .text, names: "act.file_kind", group: "report.column.file_name"),
        ReportColumn("size", "report.column.size", .integer),
        ReportColumn("sha256", "report.column.sha256", .text),
        ReportColumn("attached_on", "report.column.attached_on", .date),
    ]

    /// The `action` section's rows, read from `rows` (the query for a reader of the tables, the
    /// function for a vendor's login), the vendor and the dates from the report's settings
    /// (`devworkflow.report_vendor`, `_today`, `_soon`). `workflow-bench` gives psql the same text.
    package static func actionQuery(rows: SQL) -> SQL {
        """
            SELECT v.request, v.system, v.title, a.action, a.due, CASE WHEN a.due < d.today AND a.action <> 'on_hold' THEN d.today - a.due END,
                   v.order_number
            FROM \(rows)((SELECT current_setting('devworkflow.report_vendor')),
                         (SELECT current_setting('devworkflow.report_today')::date)) WITH ORDINALITY v
            CROSS JOIN LATERAL (SELECT current_setting('devworkflow.report_today')::date AS today,
                                       current_setting('devworkflow.report_soon')::date AS soon) d
            CROSS JOIN LATERAL (
                SELECT CASE WHEN v.state = 'ordered' AND v.order_number IS NOT NULL THEN v.deadline ELSE v.quote_due END AS due,
                       CASE WHEN v.state = 'ordered' AND v.order_number IS NOT NULL AND v.on_hold_since IS NOT NULL THEN 'on_hold'
                            WHEN v.state = 'ordered' AND v.order_number IS NOT NULL AND v.deadline < d.today THEN 'overdue'
                            WHEN v.state = 'ordered' AND v.order_number IS NOT NULL AND v.deadline <= d.soon THEN 'due_soon'
                            WHEN v.state IN ('quote_requested', 'quoted') AND v.hours IS NULL AND v.quote_due < d.today THEN 'quote_overdue'
                            WHEN v.state IN ('quote_requested', 'quoted') AND v.hours IS NULL THEN 'quote_requested'
                       END AS action) a
            WHERE a.action IS NOT NULL
            ORDER BY CASE a.action WHEN 'overdue' THEN 1 WHEN 'quote_overdue' THEN 2 WHEN 'due_soon' THEN 3 WHEN 'quote_requested' THEN 4 ELSE 5 END,
                     a.due, v.ordinality
            """
    }

    /// The `requests` section's rows: every row of `rows`, in its order.
    package static func requestsQuery(rows: SQL) -> SQL {
        """
            SELECT * FROM \(rows)((SELECT current_setting('devworkflow.report_vendor')),
                                   (SELECT current_setting('devworkflow.report_today')::date))
            """
    }

    public func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
        // The database decides who may read a vendor's report (staff, the daemon, the vendor's own
        // users) and refuses anyone else as if the vendor did not exist.
        let name: String, readsTables: Bool
        do {
            let row = try connection.query("""
                SELECT workflow.vendor_report_name(\(vendor)), has_table_privilege('workflow.invitation', 'SELECT')
                """).first!
            (name, readsTables) = (try row.decode(0), try row.decode(1))
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        // Who reads the tables streams the one query straight through COPY; a vendor's login
        // reads the same rows through the function made for it.
        let rows: SQL = readsTables ? "workflow.vendor_report_query" : "workflow.vendor_report_rows"
        let today = LocalDate.today(at: asOf)
        try renderer.begin(ReportHeader(id: "vendor", title: renderer.text("report.vendor.title", ["vendor": "\(name)"]),
                                        subtitle: renderer.text("report.vendor.subtitle", ["vendor": "\(vendor)"]), asOf: asOf,
                                        parameters: [(name: "vendor", value: vendor)]))
        try connection.setReportParameters(["vendor": vendor, "today": today.description, "soon": today.adding(days: Self.dueSoonDays).description])
        try renderer.beginSection(id: "action", title: renderer.text("report.vendor.action"), columns: Self.actionColumns)
        try connection.streamRows(Self.actionQuery(rows: rows), into: renderer, columns: Self.actionColumns)
        try renderer.endSection()
        try renderer.beginSection(id: "requests", title: renderer.text("report.vendor.requests"), columns: Self.columns)
        try connection.streamRows(Self.requestsQuery(rows: rows), into: renderer, columns: Self.columns)
        try renderer.endSection()
        // Its late orders of every year, with the same figures and working as `report penalties`.
        _ = try PenaltyReport.section(id: "penalties", title: renderer.text("report.vendor.penalties"), year: nil, vendor: vendor,
                                      today: today, from: connection, into: renderer)
        let files: SQL = readsTables ? "workflow.vendor_report_files_query" : "workflow.vendor_report_files"
        try renderer.beginSection(id: "files", title: renderer.text("report.vendor.files"), columns: Self.fileColumns)
        try connection.streamRows("SELECT * FROM \(files)((SELECT current_setting('devworkflow.report_vendor')))",
                                  into: renderer, columns: Self.fileColumns)
        try renderer.endSection()
        try renderer.end()
    }
}
