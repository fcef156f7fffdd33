import Foundation

/// Per system and year: budget, committed (ordered, not yet accepted), spent (accepted or
/// released), left; per contract: cap, used, left.
public struct BudgetReport: WorkflowReport {
    public let year: Int

    public init(year: Int) { self.year = year }

    static let systemColumns = [ReportColumn("system", "report.column.system", .text), ReportColumn("year", "report.column.year", .text),
                                ReportColumn("budget", "report.column.budget", .money), ReportColumn("committed", "report.column.committed", .money),
                                ReportColumn("spent", "report.column.spent", .money), ReportColumn("left", "report.column.left", .money)]
    static let contractColumns = [ReportColumn("vendor", "report.column.vendor", .text), ReportColumn("contract", "report.column.contract", .text),
                                  ReportColumn("valid_from", "report.column.valid_from", .date), ReportColumn("valid_to", "report.column.valid_to", .date),
                                  ReportColumn("cap", "report.column.cap", .money), ReportColumn("used", "report.column.used", .money),
                                  ReportColumn("left", "report.column.left", .money)]

    public func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
        try renderer.begin(ReportHeader(id: "budget", title: renderer.text("report.budget.title", ["year": "\(year)"]), asOf: asOf,
                                        parameters: [(name: "year", value: String(year))]))
        // Systems are few: read them, draw the chart, then the table.
        struct Line { let system: String; let budget: Money?; let committed: Money; let spent: Money }
        var lines: [Line] = []
        for row in try connection.query("""
            SELECT s.key, b.amount, coalesce(u.committed, 0), coalesce(u.spent, 0)
            FROM system s
            LEFT JOIN budget b ON b.system = s.key AND b.year = \(year)
            LEFT JOIN LATERAL (
                SELECT sum(o.price) FILTER (WHERE r.state IN ('ordered', 'delivered')) AS committed,
                       sum(o.price) FILTER (WHERE r.state IN ('accepted', 'released')) AS spent
                FROM purchase_order o JOIN request r ON r.id = o.request_id
                WHERE r.system = s.key AND o.cancelled_at IS NULL AND extract(year FROM o.order_date) = \(year)
            ) u ON true
            ORDER BY s.key
            """) {
            lines.append(Line(system: try row.decode(0), budget: try row.decode(1), committed: try row.decode(2), spent: try row.decode(3)))
        }
        try renderer.chart(ReportChart(title: renderer.text("report.budget.chart", ["year": "\(year)"]), kind: .groupedBars,
                                       categories: lines.map(\.system),
                                       series: [(name: renderer.text("report.column.spent"), values: lines.map { Double($0.spent.cents) / 100 }),
                                                (name: renderer.text("report.column.committed"), values: lines.map { Double($0.committed.cents) / 100 }),
                                                (name: renderer.text("report.column.left"), values: lines.map { line in line.budget.map { Double(($0 - line.committed - line.spent).cents) / 100 } ?? .nan })],
                                       unit: renderer.text("report.unit.eur")))
        try renderer.beginSection(id: "systems", title: renderer.text("report.budget.systems"), columns: Self.systemColumns)
        for line in lines {
            try renderer.row([.text(line.system), .text(String(year)), line.budget.map(ReportValue.money) ?? .null, .money(line.committed),
                              .money(line.spent), line.budget.map { .money($0 - line.committed - line.spent) } ?? .null])
        }
        try renderer.endSection()
        try connection.setReportParameters(["year": String(year)])
        try renderer.beginSection(id: "contracts", title: renderer.text("report.budget.contracts"), columns: Self.contractColumns)
        try connection.streamRows("""
            SELECT c.vendor, c.number, c.valid_from, c.valid_to, c.cap, u.used, c.cap - u.used
            FROM contract c
            CROSS JOIN LATERAL (SELECT coalesce(sum(o.price), 0) AS used FROM purchase_order o
                                WHERE o.contract_id = c.id AND o.cancelled_at IS NULL) u
            WHERE c.valid_from <= make_date((SELECT current_setting('devworkflow.report_year')::int), 12, 31)
              AND c.valid_to >= make_date((SELECT current_setting('devworkflow.report_year')::int), 1, 1)
            ORDER BY c.vendor, c.valid_from, c.number
            """, into: renderer, columns: Self.contractColumns)
        try renderer.endSection()
        try renderer.end()
    }
}
