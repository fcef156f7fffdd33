import Foundation

/// Late-delivery penalties of a year: per late order (its deadline in that year) the deadline,
/// the delivery (or "not delivered, to" today while it runs), the calendar days late, the days of
/// that late period on which the buyer held the clock, the days counted, the terms (price, rate,
/// cap), the amount, the penalty and the working as one line of arithmetic; then the total.
///
/// Every figure comes from the schema's `penalties()`, one function of the order's history and
/// the terms it kept, which also decides who sees what (staff every order, a vendor's login its
/// own): the vendor's report (`VendorReport`, its `penalties` section) shows the same figures, so
/// the vendor's copy and the buyer's agree to the cent and, in CSV and JSON, to the byte.
public struct PenaltyReport: WorkflowReport {
    public let year: Int

    public init(year: Int) { self.year = year }

    /// The columns of a penalties section (this report's and the vendor report's). In HTML they
    /// share seven cells: order, title, deadline, days, terms, penalty, working.
    static let columns = [
        ReportColumn("order_number", "report.column.order_number", .text, group: "report.column.order_number"),
        ReportColumn("request", "report.column.request", .text, group: "report.column.order_number"),
        ReportColumn("state", "report.column.state", .text, names: "state", group: "report.column.order_number"),
        ReportColumn("vendor", "report.column.vendor", .text, group: "report.column.order_number"),
        ReportColumn("contract", "report.column.contract", .text, group: "report.column.order_number"),
        ReportColumn("warranty_of", "report.column.warranty_of", .text, group: "report.column.order_number"),
        ReportColumn("title", "report.column.title", .text),
        ReportColumn("deadline", "report.column.deadline", .date, group: "report.column.deadline"),
        ReportColumn("delivered_on", "report.column.delivered_on", .date, group: "report.column.deadline"),
        ReportColumn("running_to", "report.column.running_to", .date, group: "report.column.deadline"),
        ReportColumn("days_late", "report.column.days_late", .integer, group: "report.group.days"),
        ReportColumn("held_days", "report.column.held_days", .integer, group: "report.group.days"),
        ReportColumn("holds", "report.column.holds", .text, group: "report.group.days", wording: .dayPeriods),
        ReportColumn("days_counted", "report.column.days_counted", .integer, group: "report.group.days"),
        ReportColumn("price", "report.column.price", .money, group: "report.group.terms"),
        ReportColumn("rate_percent", "report.column.rate_percent", .decimal, group: "report.group.terms"),
        ReportColumn("cap_percent", "report.column.cap_percent", .decimal, group: "report.group.terms"),
        ReportColumn("penalty", "report.column.penalty", .money, group: "report.column.penalty"),
        ReportColumn("amount", "report.column.amount", .money, group: "report.column.penalty"),
        ReportColumn("cap_amount", "report.column.cap_amount", .money, group: "report.column.penalty"),
        ReportColumn("capped", "report.column.capped", .boolean, group: "report.column.penalty"),
        ReportColumn("working", "report.column.working", .text, wording: .penaltyWorking),
    ]

    /// The last section: how many late orders, their days and the sum of their penalties.
    static let totalColumns = [
        ReportColumn("orders", "report.column.orders", .integer), ReportColumn("days_late", "report.column.days_late", .integer),
        ReportColumn("held_days", "report.column.held_days", .integer), ReportColumn("days_counted", "report.column.days_counted", .integer),
        ReportColumn("amount", "report.column.amount", .money), ReportColumn("penalty", "report.column.penalty", .money),
    ]

    /// What a penalties section adds up to.
    struct Total {
        var orders = 0, daysLate = 0, heldDays = 0, daysCounted = 0
        var amount = Money.zero, penalty = Money.zero
    }

    public func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
        try renderer.begin(ReportHeader(id: "penalties", title: renderer.text("report.penalties.title", ["year": "\(year)"]),
                                        subtitle: renderer.text("report.penalties.subtitle"), asOf: asOf,
                                        parameters: [(name: "year", value: String(year))]))
        let total = try Self.section(id: "penalties", title: renderer.text("report.penalties.orders"), year: year, vendor: nil,
                                     today: LocalDate.today(at: asOf), from: connection, into: renderer)
        try renderer.beginSection(id: "total", title: renderer.text("report.penalties.total"), columns: Self.totalColumns)
        try renderer.row([.integer(total.orders), .integer(total.daysLate), .integer(total.heldDays), .integer(total.daysCounted),
                          .money(total.amount), .money(total.penalty)])
        try renderer.endSection()
        try renderer.end()
    }

    /// Writes one penalties section: the late orders `penalties()` gives this reader (of a year's
    /// deadlines, of a vendor, when given), streamed; returns what they add up to.
    static func section(id: String, title: String, year: Int?, vendor: String?, today: LocalDate,
                        from connection: Connection, into renderer: any ReportRenderer) throws -> Total {
        try renderer.beginSection(id: id, title: title, columns: columns)
        let read = Array(columns.dropLast())
        var total = Total()
        try connection.streamValues("""
            SELECT p.order_number, p.request, p.state, p.vendor, p.contract, p.warranty_of, p.title, p.deadline, p.delivered,
                   CASE WHEN p.running THEN \(today)::date END, p.days_late, p.held_days,
                   (SELECT string_agg((h ->> 'from') || '/' || (h ->> 'to'), ', ' ORDER BY h ->> 'from') FROM jsonb_array_elements(p.holds) h),
                   p.days_counted, p.base_price, trim_scale(p.rate)::text, trim_scale(p.cap)::text, p.penalty, p.amount, p.cap_amount,
                   p.capped
            FROM workflow.penalties(\(year.map(Int32.init))::integer, \(vendor)::text, \(today)::date) p
            ORDER BY p.deadline, p.order_number
            """, columns: read, renderer: renderer) { row in
            var values = row
            let working = PenaltyWorking(values)
            values.append(working.map { .text($0.canonical) } ?? .null)
            try renderer.row(values)
            total.orders += 1
            total.daysLate += working?.daysLate ?? 0
            total.heldDays += working?.heldDays ?? 0
            total.daysCounted += working?.daysCounted ?? 0
            if case let .money(amount) = values[18] { total.amount += amount }
            if case let .money(penalty) = values[17] { total.penalty += penalty }
        }
        try renderer.endSection()
        return total
    }
}

extension PenaltyWorking {
    /// The working of a penalties row, in `PenaltyReport.columns`' order.
    init?(_ values: [ReportValue]) {
        guard case let .integer(late) = values[10], case let .integer(held) = values[11], case let .integer(counted) = values[13],
              case let .money(price) = values[14], case let .money(amount) = values[18] else { return nil }
        var rate: String?
        if case let .decimal(text) = values[15] { rate = text }
        var cap: String?, capAmount: Money?
        if case .boolean(true) = values[20], case let .decimal(text) = values[16], case let .money(money) = values[19] {
            (cap, capAmount) = (text, money)
        }
        self.init(daysLate: late, heldDays: held, daysCounted: counted, rate: rate, price: price, amount: amount, cap: cap, capAmount: capAmount)
    }
}
