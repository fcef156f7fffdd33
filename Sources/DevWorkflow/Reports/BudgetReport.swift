import Foundation

/// Per system and year, gross (a municipality pays the VAT): budget, committed (ordered, not yet
/// invoiced), invoiced (matched and released invoices less credit notes), paid, left; per
/// contract, net (rates and caps are net): cap, used, left. The system figures come from the
/// schema's `budget_lines()`, the one definition of them; a contract's use is its running total,
/// the figure the cap guard reads (live orders, what invoices charge beyond them, what was
/// invoiced for a cancelled order).
public struct BudgetReport: WorkflowReport {
    public let year: Int

    public init(year: Int) { self.year = year }

    static let systemColumns = [ReportColumn("system", "report.column.system", .text), ReportColumn("year", "report.column.year", .text),
                                ReportColumn("budget", "report.column.budget", .money), ReportColumn("committed", "report.column.committed", .money),
                                ReportColumn("invoiced", "report.column.invoiced", .money), ReportColumn("paid", "report.column.paid", .money),
                                ReportColumn("left", "report.column.left", .money)]
    static let contractColumns = [ReportColumn("vendor", "report.column.vendor", .text), ReportColumn("contract", "report.column.contract", .text),
                                  ReportColumn("valid_from", "report.column.valid_from", .date), ReportColumn("valid_to", "report.column.valid_to", .date),
                                  ReportColumn("cap", "report.column.cap", .money), ReportColumn("used", "report.column.used", .money),
                                  ReportColumn("left", "report.column.left", .money)]

    public func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
        try connection.requireStaffReader()
        try renderer.begin(ReportHeader(id: "budget", title: renderer.text("report.budget.title", ["year": "\(year)"]), asOf: asOf,
                                        parameters: [(name: "year", value: String(year))]))
        // Systems are few: read them, draw the chart, then the table.
        struct Line { let system: String; let budget: Money?; let committed: Money; let invoiced: Money; let paid: Money; let left: Money? }
        var lines: [Line] = []
        do {
            for row in try connection.query("""
                SELECT system, budget, committed, invoiced, paid, left_over FROM workflow.budget_lines(\(Int32(year)))
                """) {
                lines.append(Line(system: try row.decode(0), budget: try row.decode(1), committed: try row.decode(2), invoiced: try row.decode(3),
                                  paid: try row.decode(4), left: try row.decode(5)))
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        func euros(_ money: Money) -> Double { Double(money.cents) / 100 }
        try renderer.chart(ReportChart(title: renderer.text("report.budget.chart", ["year": "\(year)"]), kind: .groupedBars,
                                       categories: lines.map(\.system),
                                       series: [(name: renderer.text("report.column.paid"), values: lines.map { euros($0.paid) }),
                                                (name: renderer.text("report.column.invoiced"), values: lines.map { euros($0.invoiced) }),
                                                (name: renderer.text("report.column.committed"), values: lines.map { euros($0.committed) }),
                                                (name: renderer.text("report.column.left"), values: lines.map { $0.left.map(euros) ?? .nan })],
                                       unit: renderer.text("report.unit.eur")))
        try renderer.beginSection(id: "systems", title: renderer.text("report.budget.systems"), columns: Self.systemColumns)
        for line in lines {
            try renderer.row([.text(line.system), .text(String(year)), line.budget.map(ReportValue.money) ?? .null, .money(line.committed),
                              .money(line.invoiced), .money(line.paid), line.left.map(ReportValue.money) ?? .null])
        }
        try renderer.endSection()
        try connection.setReportParameters(["year": String(year)])
        try renderer.beginSection(id: "contracts", title: renderer.text("report.budget.contracts"), columns: Self.contractColumns)
        try connection.streamRows("""
            SELECT c.vendor, c.number, c.valid_from, c.valid_to, c.cap, c.used, c.cap - c.used
            FROM contract c
            WHERE c.valid_from <= make_date((SELECT current_setting('devworkflow.report_year')::int), 12, 31)
              AND c.valid_to >= make_date((SELECT current_setting('devworkflow.report_year')::int), 1, 1)
            ORDER BY c.vendor, c.valid_from, c.number
            """, into: renderer, columns: Self.contractColumns)
        try renderer.endSection()
        try renderer.end()
    }
}
