import Foundation

/// How requests flow: time spent in each state (median and 85th percentile, in business days),
/// throughput per month, returns per order, and each vendor's promised-versus-actual delivery.
public struct FlowReport: WorkflowReport {
    public let since: LocalDate?

    public init(since: LocalDate? = nil) {
        self.since = since
    }

    static let stateColumns = [ReportColumn("state", "report.column.state", .text, names: "state"), ReportColumn("stays", "report.column.stays", .integer),
                               ReportColumn("median_business_days", "report.column.median_business_days", .integer),
                               ReportColumn("p85_business_days", "report.column.p85_business_days", .integer)]
    static let throughputColumns = [ReportColumn("month", "report.column.month", .text), ReportColumn("proposed", "report.column.proposed", .integer),
                                    ReportColumn("ordered", "report.column.ordered", .integer), ReportColumn("released", "report.column.released", .integer),
                                    ReportColumn("closed_unreleased", "report.column.closed_unreleased", .integer)]
    static let returnColumns = [ReportColumn("returns", "report.column.returns", .integer), ReportColumn("orders", "report.column.orders", .integer)]
    static let vendorColumns = [ReportColumn("vendor", "report.column.vendor", .text), ReportColumn("orders", "report.column.orders", .integer),
                                ReportColumn("delivered", "report.column.delivered", .integer), ReportColumn("on_time", "report.column.on_time", .integer),
                                ReportColumn("late", "report.column.late", .integer), ReportColumn("average_days_late", "report.column.average_days_late", .decimal),
                                ReportColumn("returns", "report.column.returns", .integer)]

    public func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
        try connection.requireStaffReader()
        let from = since ?? LocalDate(year: 2000, month: 1, day: 1)!
        try renderer.begin(ReportHeader(id: "flow", title: renderer.text("report.flow.title"),
                                        subtitle: since.map { renderer.text("report.flow.since", ["date": "\(ReportFormatting.for(renderer.language).date($0))"]) }, asOf: asOf,
                                        parameters: since.map { [(name: "since", value: $0.description)] } ?? []))

        let calendar = try BusinessCalendar.load(from: connection)
        // Time in state: every completed stay, streamed from the history into per-state histograms.
        var histograms: [String: DayHistogram] = [:]
        try connection.stream("""
            SELECT state, entered, left_on FROM (
                SELECT to_state AS state, (at AT TIME ZONE 'Europe/Tallinn')::date AS entered,
                       (lead(at) OVER (PARTITION BY request_id ORDER BY seq) AT TIME ZONE 'Europe/Tallinn')::date AS left_on
                FROM event WHERE transition NOT IN ('edit', 'hold', 'resume')  -- a correction or a hold is no stay of its own
            ) stays
            WHERE left_on IS NOT NULL AND entered >= \(from)
            """) { row in
            let entered: LocalDate = try row.decode(1), left: LocalDate = try row.decode(2)
            histograms[try row.decode(0), default: DayHistogram()].add(calendar.businessDays(after: entered, through: left))
        }
        // The states in the small development road's order, then those only other roads have
        // (the warranty road shares its states, at other positions).
        var states: [String] = []
        for row in try connection.query("""
            SELECT name FROM workflow_state WHERE NOT is_final GROUP BY name
            ORDER BY min(position) FILTER (WHERE definition = 'small_development') NULLS LAST, min(definition), min(position)
            """) { states.append(try row.decode(0)) }
        try renderer.chart(ReportChart(title: renderer.text("report.flow.state_chart"), kind: .groupedBars,
                                       categories: states.map { renderer.text("state.\($0)") },
                                       series: [(name: renderer.text("report.flow.median"), values: states.map { histograms[$0]?.percentile(0.5).map(Double.init) ?? .nan }),
                                                (name: renderer.text("report.flow.p85"), values: states.map { histograms[$0]?.percentile(0.85).map(Double.init) ?? .nan })],
                                       unit: renderer.text("report.unit.business_days")))
        try renderer.beginSection(id: "time_in_state", title: renderer.text("report.flow.time_in_state"), columns: Self.stateColumns)
        for state in states {
            let histogram = histograms[state] ?? DayHistogram()
            try renderer.row([.text(state), .integer(histogram.count), histogram.percentile(0.5).map(ReportValue.integer) ?? .null,
                              histogram.percentile(0.85).map(ReportValue.integer) ?? .null])
        }
        try renderer.endSection()

        // Throughput per month: months are few, so read them, chart them, list them.
        var months: [[ReportValue]] = []
        for row in try connection.query("""
            SELECT to_char(at AT TIME ZONE 'Europe/Tallinn', 'YYYY-MM') AS month,
                   count(*) FILTER (WHERE transition = 'propose'), count(*) FILTER (WHERE transition = 'order'),
                   count(*) FILTER (WHERE to_state = 'released'), count(*) FILTER (WHERE to_state IN ('rejected', 'cancelled'))
            FROM event WHERE at >= \(from.start(in: .tallinn))
            GROUP BY month ORDER BY month
            """) { months.append(try row.values(Self.throughputColumns)) }
        try renderer.chart(ReportChart(title: renderer.text("report.flow.released_chart"), kind: .bars,
                                       categories: months.map { if case let .text(m) = $0[0] { return m } else { return "" } },
                                       series: [(name: renderer.text("report.column.released"), values: months.map { if case let .integer(n) = $0[3] { return Double(n) } else { return 0 } })],
                                       unit: renderer.text("report.unit.requests")))
        try renderer.beginSection(id: "throughput", title: renderer.text("report.flow.throughput"), columns: Self.throughputColumns)
        for month in months { try renderer.row(month) }
        try renderer.endSection()

        try connection.setReportParameters(["from": from.description])
        try renderer.beginSection(id: "returns", title: renderer.text("report.flow.returns"), columns: Self.returnColumns)
        try connection.streamRows("""
            SELECT returns, count(*) FROM purchase_order
            WHERE order_date >= (SELECT current_setting('devworkflow.report_from')::date) AND cancelled_at IS NULL
            GROUP BY returns ORDER BY returns
            """, into: renderer, columns: Self.returnColumns)
        try renderer.endSection()

        try renderer.beginSection(id: "vendor_delivery", title: renderer.text("report.flow.vendor_delivery"), columns: Self.vendorColumns)
        try connection.streamRows("""
            SELECT o.vendor, count(*), count(d.first_delivery),
                   count(*) FILTER (WHERE d.first_delivery <= q.delivery), count(*) FILTER (WHERE d.first_delivery > q.delivery),
                   round(avg(d.first_delivery - q.delivery) FILTER (WHERE d.first_delivery > q.delivery), 1)::text,
                   sum(o.returns)
            FROM purchase_order o
            JOIN quote q ON q.request_id = o.request_id AND q.vendor = o.vendor
            LEFT JOIN LATERAL (SELECT min((e.at AT TIME ZONE 'Europe/Tallinn')::date) AS first_delivery
                               FROM event e WHERE e.request_id = o.request_id AND e.transition = 'deliver') d ON true
            WHERE o.order_date >= (SELECT current_setting('devworkflow.report_from')::date) AND o.cancelled_at IS NULL
            GROUP BY o.vendor ORDER BY o.vendor
            """, into: renderer, columns: Self.vendorColumns)
        try renderer.endSection()
        try renderer.end()
    }
}
