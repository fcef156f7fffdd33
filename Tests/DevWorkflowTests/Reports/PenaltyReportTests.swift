import Foundation
import Testing
@testable import DevWorkflow

/// Late-delivery penalties (issue 19) on worked examples: orders of 1 000.00 € from ACME under
/// 0.5 % a day with a 10 % cap, their deadlines, holds and deliveries written into the history as
/// if they had happened in 2025. Every figure is the database's (`penalties()`); the report adds
/// the working, the total, and the words.
@Suite struct PenaltyReportTests {
    /// The report's moment: 2025-09-20 at noon in Tallinn (a running order counts to this day).
    static let asOf = LocalDate(year: 2025, month: 9, day: 20)!.start(in: .tallinn).addingTimeInterval(12 * 3600)

    /// A day at noon in Tallinn, as PostgreSQL reads it.
    static func noon(_ day: String) -> String { "\(day) 12:00:00 Europe/Tallinn" }

    /// An ordered request whose order is backdated: its deadline, each hold (from, and to when it
    /// was resumed) and its delivery (nil: not delivered).
    static func order(_ f: Fixture, deadline: String, holds: [(String, String?)] = [], delivered: String?) throws -> String {
        let id = try f.request(in: "ordered")
        let store = try f.store()
        for (index, hold) in holds.enumerated() {
            _ = try store.move(id, "hold", inputs: TransitionInputs(reason: "testkeskkond on maas (\(index + 1))"))
            if hold.1 != nil { _ = try store.move(id, "resume", inputs: TransitionInputs()) }
        }
        if delivered != nil { _ = try store.move(id, "deliver", inputs: TransitionInputs(note: "valmis")) }
        let c = try f.db.connect()
        try c.execute("SET session_replication_role = replica")
        func event(_ transition: String, _ index: Int, at day: String) throws {
            try c.execute("""
                UPDATE workflow.event SET at = \(noon(day))::timestamptz
                WHERE request_id = \(id) AND seq = (SELECT seq FROM workflow.event WHERE request_id = \(id) AND transition = \(transition)
                                                     ORDER BY seq OFFSET \(Int32(index)) LIMIT 1)
                """)
        }
        for (index, hold) in holds.enumerated() {
            try event("hold", index, at: hold.0)
            if let to = hold.1 { try event("resume", index, at: to) }
        }
        if let delivered {
            try event("deliver", 0, at: delivered)
            try c.execute("UPDATE workflow.purchase_order SET delivered_at = \(noon(delivered))::timestamptz WHERE request_id = \(id)")
        }
        // The deadline in the order's row and its order event alike, and the request's hash chain
        // over its rewritten history, so the record still verifies (workflowd checks it before it
        // exports).
        try f.backdate(orders: [id], deadline: try LocalDate(parsing: deadline))
        return id
    }

    /// The worked examples, by name: which request each is.
    static func examples(_ f: Fixture) throws -> [String: String] {
        _ = try f.sql().query("SELECT workflow.set_contract_terms('RL-ACME', 24, 5, 0.5, 10)")
        return [
            // A hold over the deadline: only its day after the deadline counts as held.
            "straddling": try order(f, deadline: "2025-02-10", holds: [("2025-02-08", "2025-02-12")], delivered: "2025-02-11"),
            "late": try order(f, deadline: "2025-03-10", delivered: "2025-03-22"),
            "held": try order(f, deadline: "2025-04-10", holds: [("2025-04-12", "2025-04-15")], delivered: "2025-04-22"),
            "held_before": try order(f, deadline: "2025-05-10", holds: [("2025-05-01", "2025-05-05")], delivered: "2025-05-14"),
            "capped": try order(f, deadline: "2025-06-10", delivered: "2025-07-10"),
            "on_time": try order(f, deadline: "2025-08-10", delivered: "2025-08-10"),
            "running": try order(f, deadline: "2025-09-10", delivered: nil),
        ]
    }

    static func render(_ report: any WorkflowReport, _ format: ReportFormat, language: Language = .en,
                       on connection: Connection) throws -> (String, any ReportRenderer) {
        let sink = StringSink()
        let renderer = format.renderer(writingTo: sink, formatting: .for(language))
        try ReportRun.render(report, from: connection, into: renderer, asOf: asOf) { Issue.record("unreadable row: \($0)") }
        return (sink.text, renderer)
    }

    /// A section's rows of a JSON report, each as field → plain text.
    static func rows(_ json: String, section: String) throws -> [[String: String]] {
        let document = try JSONValue.parse(json)
        let sections = try #require(document["sections"]?.arrayValue)
        let rows = try #require(sections.first { $0["id"]?.plain == section }?["rows"]?.arrayValue)
        return rows.map { row in
            guard case let .object(pairs) = row else { return [:] }
            return Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, $0.1 == .null ? "–" : ($0.1.plain)) })
        }
    }

    @Test func theWorkedExamplesAddUpAsTheContractSays() throws {
        let f = try Fixture()
        let ids = try Self.examples(f)
        let (json, _) = try Self.render(PenaltyReport(year: 2025), .json, on: try f.sql())
        let rows = try Self.rows(json, section: "penalties")
        let byRequest = Dictionary(uniqueKeysWithValues: rows.map { ($0["request"] ?? "", $0) })
        func row(_ name: String) throws -> [String: String] { try #require(byRequest[ids[name]!], "\(name)") }
        // Delivery on the deadline is on time: not a late order at all.
        #expect(byRequest[ids["on_time"]!] == nil)
        #expect(rows.map { $0["deadline"] } == ["2025-02-10", "2025-03-10", "2025-04-10", "2025-05-10", "2025-06-10", "2025-09-10"])

        let figures = ["days_late", "held_days", "days_counted", "amount", "penalty", "capped"]
        func check(_ name: String, _ expected: [String], working: String) throws {
            let r = try row(name)
            #expect(figures.map { r[$0] ?? "?" } == expected, "\(name)")
            #expect(r["working"] == working, "\(name)")
        }
        try check("straddling", ["1", "1", "0", "0.00", "0.00", "false"], working: "1 day late − 1 held = 0 days × 0.5 % × 1000.00 EUR = 0.00 EUR")
        try check("late", ["12", "0", "12", "60.00", "60.00", "false"], working: "12 days late × 0.5 % × 1000.00 EUR = 60.00 EUR")
        try check("held", ["12", "3", "9", "45.00", "45.00", "false"], working: "12 days late − 3 held = 9 days × 0.5 % × 1000.00 EUR = 45.00 EUR")
        // A hold before the deadline does not move it: the four days late all count.
        try check("held_before", ["4", "0", "4", "20.00", "20.00", "false"], working: "4 days late × 0.5 % × 1000.00 EUR = 20.00 EUR")
        try check("capped", ["30", "0", "30", "150.00", "100.00", "true"],
                  working: "30 days late × 0.5 % × 1000.00 EUR = 150.00 EUR, capped at 10 % = 100.00 EUR")
        try check("running", ["10", "0", "10", "50.00", "50.00", "false"], working: "10 days late × 0.5 % × 1000.00 EUR = 50.00 EUR")

        #expect(try row("held")["holds"] == "2025-04-12/2025-04-14")
        #expect(try row("held_before")["holds"] == "2025-05-01/2025-05-04", "the hold is listed though none of its days count")
        #expect(try row("held")["delivered_on"] == "2025-04-22" && row("held")["running_to"] == "–")
        #expect(try row("running")["delivered_on"] == "–" && row("running")["running_to"] == "2025-09-20")
        #expect(try row("late")["rate_percent"] == "0.5" && row("late")["cap_percent"] == "10" && row("late")["cap_amount"] == "100.00")
        #expect(try row("late")["price"] == "1000.00" && row("late")["vendor"] == "ACME" && row("late")["contract"] == "RL-ACME")

        let total = try Self.rows(json, section: "total")
        #expect(total.count == 1)
        #expect(total.first.map { r in ["orders", "days_late", "held_days", "days_counted", "amount", "penalty"].map { r[$0] ?? "?" } }
                == ["6", "69", "4", "65", "325.00", "275.00"])

        // Another year's deadlines: nothing late, a total of nothing.
        let (other, _) = try Self.render(PenaltyReport(year: 2024), .json, on: try f.sql())
        #expect(try Self.rows(other, section: "penalties").isEmpty)
        #expect(try Self.rows(other, section: "total").first?["penalty"] == "0.00")
    }

    @Test func peopleReadTheWorkingInTheirLanguageWhileTheDataIsTheSameBytes() throws {
        let f = try Fixture()
        _ = try Self.examples(f)
        let c = try f.sql()
        var fingerprints: Set<String> = []
        var csv: Set<String> = []
        for language in Language.allCases {
            for format in ReportFormat.allCases {
                let (text, renderer) = try Self.render(PenaltyReport(year: 2025), format, language: language, on: c)
                fingerprints.insert(renderer.fingerprint ?? "")
                if format == .csv { csv.insert(text) }
                if format == .json {
                    #expect(text.contains("\"working\":\"12 days late − 3 held = 9 days × 0.5 % × 1000.00 EUR = 45.00 EUR\""), "\(language)")
                }
            }
        }
        #expect(fingerprints.count == 1, "one set of rows in every format and language")
        #expect(csv.count == 1, "CSV holds the canonical working in every language")

        let nbsp = "\u{A0}", narrow = "\u{202F}", pct = "\u{A0}%"
        let (estonian, _) = try Self.render(PenaltyReport(year: 2025), .markdown, language: .et, on: c)
        #expect(estonian.contains("12 päeva hilinemist − 3 peatatud = 9 päeva × 0,5\(pct) × 1\(nbsp)000,00\(nbsp)€ = 45,00\(nbsp)€"))
        #expect(estonian.contains("1 päev hilinemist − 1 peatatud = 0 päeva × 0,5\(pct) × 1\(nbsp)000,00\(nbsp)€ = 0,00\(nbsp)€"))
        #expect(estonian.contains("30 päeva hilinemist × 0,5\(pct) × 1\(nbsp)000,00\(nbsp)€ = 150,00\(nbsp)€, ülempiir 10\(pct) = 100,00\(nbsp)€"))
        #expect(estonian.contains("# Hilinemise leppetrahvid 2025") && estonian.contains("| Üle andmata, seisuga |"))
        #expect(estonian.contains("| 12.04.2025–14.04.2025 |") && estonian.contains("| 01.05.2025–04.05.2025 |"), "holds in Estonian dates")
        #expect(!estonian.contains("EUR"), "no canonical working shown to people")
        let (english, _) = try Self.render(PenaltyReport(year: 2025), .html, language: .en, on: c)
        #expect(english.contains("30 days late × 0.5\(pct) × 1\(narrow)000.00\(nbsp)€ = 150.00\(nbsp)€, capped at 10\(pct) = 100.00\(nbsp)€"))
        #expect(english.contains("<span class=\"k\">Not delivered, to</span> <span class=\"v\">2025-09-20</span>"))
        #expect(english.contains("<section id=\"section-total\">"))
    }

    @Test func theVendorsCopyAndTheBuyersAgreeAndEachVendorSeesItsOwn() throws {
        let f = try Fixture()
        _ = try Self.examples(f)
        let (buyers, _) = try Self.render(PenaltyReport(year: 2025), .json, on: try f.sql(as: f.owner))
        let (vendors, _) = try Self.render(VendorReport(vendor: "ACME"), .json, on: try f.sql(as: f.vendorA))
        let (daemons, _) = try Self.render(VendorReport(vendor: "ACME"), .json, on: try f.sql())
        let buyerRows = try Self.rows(buyers, section: "penalties")
        #expect(buyerRows.count == 6)
        #expect(try Self.rows(vendors, section: "penalties") == buyerRows, "the vendor's report holds the same rows, figures and working")
        #expect(try Self.rows(daemons, section: "penalties") == buyerRows)
        let (own, _) = try Self.render(PenaltyReport(year: 2025), .json, on: try f.sql(as: f.vendorA))
        #expect(try Self.rows(own, section: "penalties") == buyerRows)
        // BETA's login sees none of ACME's late orders, in either report.
        let (beta, _) = try Self.render(PenaltyReport(year: 2025), .json, on: try f.sql(as: f.vendorB))
        #expect(try Self.rows(beta, section: "penalties").isEmpty)
        #expect(try Self.rows(beta, section: "total").first?["orders"] == "0")
        let (betaReport, _) = try Self.render(VendorReport(vendor: "BETA"), .json, on: try f.sql(as: f.vendorB))
        #expect(try Self.rows(betaReport, section: "penalties").isEmpty)
    }

    /// The copy workflowd writes for the vendor (under the daemon's own login) holds the rows the
    /// buyer's `report penalties` holds, byte for byte.
    @Test func theDaemonsExportedVendorCopyHoldsTheBuyersRows() throws {
        let f = try Fixture()
        _ = try Self.examples(f)
        let daemon = "wfd_\(f.db.name.suffix(8))"
        try f.sql().execute(SQL(unsafe: "CREATE ROLE \(daemon) LOGIN IN ROLE devworkflow_daemon"))
        let dir = workPath("penalty-exports-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let run = try Binary.run("workflowd", ["--once", "--file", workPath("penalty-exports.jsonl"), "--exports", dir,
                                               "--database", try f.db.conninfo(user: daemon)])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("export_failed") && !run.stderr.contains("row_unreadable"), "\(run.stderr)")
        let exported = try String(contentsOfFile: dir + "/vendor-ACME.csv", encoding: .utf8)
        let buyers = try Binary.run("workflowctl", ["report", "penalties", "--year", "2025", "--database", try f.db.conninfo(user: f.owner)])
        #expect(buyers.status == 0, "\(buyers.stderr)")
        // The buyer's first section is the vendor copy's penalties section.
        let rows = try #require(buyers.stdout.components(separatedBy: "\r\n\r\n").first)
        #expect(rows.components(separatedBy: "\r\n").count == 7, "a header and the six late orders")
        #expect(exported.contains("\r\n\r\n" + rows + "\r\n\r\n"), "\(exported)")
        let html = try String(contentsOfFile: dir + "/vendor-ACME.html", encoding: .utf8)
        #expect(html.contains("<section id=\"section-penalties\">") && html.contains("12 päeva hilinemist − 3 peatatud = 9 päeva"), "in ACME's language")
    }

    @Test func workflowctlWritesTheReportAndRefusesAYearOutOfRange() throws {
        let f = try Fixture()
        let ids = try Self.examples(f)
        let run = try Binary.run("workflowctl", ["report", "penalties", "--year", "2025", "--format", "json", "--database", try f.db.conninfo(user: f.owner)])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.rows(run.stdout, section: "penalties")
        #expect(rows.count == 6)
        #expect(rows.first { $0["request"] == ids["held"] }?["penalty"] == "45.00")
        let csv = try Binary.run("workflowctl", ["report", "penalties", "--year", "2025", "--database", try f.db.conninfo(user: f.vendorB)])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("order_number,request,state,vendor,contract,warranty_of,title,deadline,delivered_on,running_to,days_late,"))
        #expect(!csv.stdout.contains("ACME"), "BETA's login reads none of ACME's orders")
        let wrong = try Binary.run("workflowctl", ["report", "penalties", "--year", "1999", "--database", try f.db.conninfo()])
        #expect(wrong.status != 0 && wrong.stdout.isEmpty)
    }
}

extension PenaltyWorking {
    static let example = PenaltyWorking(daysLate: 30, heldDays: 3, daysCounted: 27, rate: "0.5", price: Money(cents: 1_000_000),
                                        amount: Money(cents: 135_000), cap: "10", capAmount: Money(cents: 100_000))
}

@Suite struct PenaltyWorkingTests {
    @Test func theCanonicalLineReadsBackToTheSameFigures() {
        let lines = [
            PenaltyWorking(daysLate: 12, heldDays: 3, daysCounted: 9, rate: "0.5", price: Money(cents: 1_000_000), amount: Money(cents: 45_000)),
            PenaltyWorking(daysLate: 1, heldDays: 0, daysCounted: 1, rate: "2.125", price: Money(cents: 99), amount: Money(cents: 2)),
            PenaltyWorking(daysLate: 40, heldDays: 0, daysCounted: 40, rate: "5", price: Money(cents: 300_000), amount: Money(cents: 600_000),
                           cap: "10", capAmount: Money(cents: 30_000)),
            PenaltyWorking(daysLate: 7, heldDays: 2, daysCounted: 5, rate: nil, price: Money(cents: 300_000), amount: .zero),
            PenaltyWorking(daysLate: 7, heldDays: 0, daysCounted: 7, rate: nil, price: Money(cents: 300_000), amount: .zero),
        ]
        for working in lines {
            let read = PenaltyWorking(canonical: working.canonical)
            // Without a rate the line names no price: the figures it shows read back.
            #expect(working.rate == nil ? read?.canonical == working.canonical && read?.daysCounted == working.daysCounted : read == working,
                    "\(working.canonical)")
        }
        #expect(lines[0].canonical == "12 days late − 3 held = 9 days × 0.5 % × 10000.00 EUR = 450.00 EUR")
        #expect(lines[2].canonical == "40 days late × 5 % × 3000.00 EUR = 6000.00 EUR, capped at 10 % = 300.00 EUR")
        #expect(lines[3].canonical == "7 days late − 2 held = 5 days; no penalty in the terms")
    }

    @Test func aLineThatIsNotAWorkingIsShownAsItIs() {
        for text in ["", "12 days late", "12 days late × 0.5 % × 10000.00 EUR = 451.00", "see the contract",
                     "12 days late − 3 held = 9 days × 0.5 % × 10000.00 EUR = 450.00 EUR, capped at"] {
            #expect(PenaltyWorking(canonical: text) == nil || PenaltyWorking(canonical: text)?.canonical == text, "\(text)")
        }
        #expect(PenaltyWorking(canonical: "12 days late × 0.5 % × 10000.00 EUR = 450.00") == nil)
        let column = ReportColumn("working", "report.column.working", .text, wording: .penaltyWorking)
        #expect(ReportFormatting.estonian.value(.text("vt lepingut"), in: column) == "vt lepingut")
        #expect(ReportFormatting.estonian.value(.text(PenaltyWorking.example.canonical), in: column)
                == "30 päeva hilinemist − 3 peatatud = 27 päeva × 0,5\u{A0}% × 10\u{A0}000,00\u{A0}€ = 1\u{A0}350,00\u{A0}€, ülempiir 10\u{A0}% = 1\u{A0}000,00\u{A0}€")
        let holds = ReportColumn("holds", "report.column.holds", .text, wording: .dayPeriods)
        #expect(ReportFormatting.estonian.value(.text("2025-04-12/2025-04-14, 2025-05-01/2025-05-01"), in: holds) == "12.04.2025–14.04.2025, 01.05.2025")
        #expect(ReportFormatting.standard.value(.text("2025-04-12/2025-04-14"), in: holds) == "2025-04-12–2025-04-14")
        #expect(ReportFormatting.estonian.value(.text("2025-04-14/2025-04-12"), in: holds) == "2025-04-14/2025-04-12", "not a period: as it is")
    }
}
