import Foundation

/// Every request a vendor was invited to or ordered for, with only that vendor's own quote and
/// order: nothing of other vendors, not even their names or quotes.
public struct VendorReport: WorkflowReport {
    public let vendor: String

    public init(vendor: String) { self.vendor = vendor }

    static let columns = [
        ReportColumn("request", "report.column.request", .text), ReportColumn("system", "report.column.system", .text), ReportColumn("title", "report.column.title", .text),
        ReportColumn("state", "report.column.state", .text, names: "state"), ReportColumn("quote_due", "report.column.quote_due", .date),
        ReportColumn("quoted_hours", "report.column.quoted_hours", .decimal), ReportColumn("quoted_price", "report.column.quoted_price", .money),
        ReportColumn("promised_delivery", "report.column.promised_delivery", .date), ReportColumn("order_number", "report.column.order_number", .text),
        ReportColumn("order_date", "report.column.order_date", .date), ReportColumn("deadline", "report.column.deadline", .date),
        ReportColumn("days_late", "report.column.days_late", .integer), ReportColumn("delivered_on", "report.column.delivered_on", .date),
        ReportColumn("accepted_on", "report.column.accepted_on", .date), ReportColumn("returns", "report.column.returns", .integer),
    ]

    public func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
        // The database decides who may read a vendor's report (staff, the daemon, the vendor's own
        // users) and refuses anyone else as if the vendor did not exist.
        let name: String
        do {
            name = try connection.query("SELECT workflow.vendor_report_name(\(vendor))").first!.decode(0, as: String.self)
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        let today = LocalDate.today(at: asOf)
        try renderer.begin(ReportHeader(id: "vendor", title: renderer.text("report.vendor.title", ["vendor": "\(name)"]),
                                        subtitle: renderer.text("report.vendor.subtitle", ["vendor": "\(vendor)"]), asOf: asOf,
                                        parameters: [(name: "vendor", value: vendor)]))
        try connection.setReportParameters(["vendor": vendor, "today": today.description])
        try renderer.beginSection(id: "requests", title: renderer.text("report.vendor.requests"), columns: Self.columns)
        try connection.streamRows("""
            SELECT * FROM workflow.vendor_report_rows((SELECT current_setting('devworkflow.report_vendor')),
                                                      (SELECT current_setting('devworkflow.report_today')::date))
            """, into: renderer, columns: Self.columns)
        try renderer.endSection()
        try renderer.end()
    }
}
