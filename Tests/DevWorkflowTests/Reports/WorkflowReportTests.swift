import Foundation
import Testing
@testable import DevWorkflow

@Suite struct WorkflowReportTests {
    static let asOf = PostgresTimestamp.parse("2026-11-25 10:00:00+00")!
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden-data.sql")
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schemas/report.schema.json")

    /// A database holding the fixed data set.
    static func goldenDatabase() throws -> Connection {
        let db = try TestDatabase.migrated()
        let connection = try db.product()
        try connection.executeScript(try String(contentsOf: fixture, encoding: .utf8))
        return connection
    }

    static let reports: [(String, any WorkflowReport)] = [
        ("vendor-ACME", VendorReport(vendor: "ACME")), ("vendor-BETA", VendorReport(vendor: "BETA")), ("status", StatusReport()),
        ("budget-2026", BudgetReport(year: 2026)), ("penalties-2026", PenaltyReport(year: 2026)), ("flow", FlowReport()), ("flow-since-2026-09-01", FlowReport(since: LocalDate(year: 2026, month: 9, day: 1))),
    ]

    static func render(_ report: any WorkflowReport, _ format: ReportFormat, excel: Bool = false, language: Language = .en,
                       on connection: Connection) throws -> (String, any ReportRenderer) {
        let sink = StringSink()
        let renderer = format.renderer(writingTo: sink, excel: excel, formatting: .for(language))
        try ReportRun.render(report, from: connection, into: renderer, asOf: asOf) { Issue.record("unreadable row: \($0)") }
        return (sink.text, renderer)
    }

    @Test func everyReportInEveryFormatAndLanguageMatchesItsGoldenFile() throws {
        let connection = try Self.goldenDatabase()
        for (name, report) in Self.reports {
            var fingerprints: Set<String> = []
            for language in Language.allCases {
                // English files keep their plain names; Estonian ones are `name.et.md`.
                let suffix = language == .en ? "" : ".\(language.rawValue)"
                for format in ReportFormat.allCases {
                    let (text, renderer) = try Self.render(report, format, language: language, on: connection)
                    if format == .csv {
                        // CSV holds keys and canonical values only: the same bytes in every language.
                        try Golden.check(text, named: "\(name).csv")
                    } else {
                        try Golden.check(text, named: "\(name)\(suffix).\(format.fileExtension)")
                    }
                    fingerprints.insert(renderer.fingerprint ?? "")
                }
                let (excel, _) = try Self.render(report, .csv, excel: true, language: language, on: connection)
                try Golden.check(excel, named: "\(name)-excel.csv")
            }
            #expect(fingerprints.count == 1, "\(name): one snapshot, one fingerprint in every format and language")
        }
    }

    @Test func theDatabasesCanonicalLinesAreTheLibrarysOwn() throws {
        // Plain CSV takes streamed rows as canonical lines PostgreSQL's COPY writes; they must be
        // byte for byte what the library makes from the values, or fingerprints would differ.
        let connection = try Self.goldenDatabase()
        let titles = [" leading space", "trailing tab\t", "a \"quoted\" word", "comma, here", "line\nbreak", "cr\rhere", "\tboth ",
                      "plain", "õäöüšž ; semi", "'; DROP TABLE request; --", "\"", "x\u{301}\"y", "=1+2", "ends with space ",
                      "\\.", "\r\n", "\\.\n\\.", "a,\"b\"\r\nc ", "\\N", "NULL", "€ \u{1F600}", " \t "]
        // Every streamed section can take COPY's lines; else the comparison below would compare
        // the library with itself.
        for columns in [VendorReport.columns, StatusReport.countColumns, StatusReport.backlogColumns, StatusReport.overdueColumns,
                        BudgetReport.contractColumns, FlowReport.returnColumns, FlowReport.vendorColumns] {
            #expect(CanonicalCopy.statement("SELECT 1", columns: columns) != nil, "\(columns.map(\.key))")
        }
        let ids = try connection.query("SELECT id FROM request ORDER BY system, number").map { try $0.decode(0, as: String.self) }
        #expect(ids.count >= 8)
        // More titles than requests: each round gives every request the next title, so that
        // every title passes through every report.
        var vendor = ""
        for round in 0..<(titles.count + ids.count - 1) / ids.count {
            for (index, id) in ids.enumerated() {
                let title = titles[(round * ids.count + index) % titles.count]
                try connection.execute("UPDATE request SET title = \(title) WHERE id = \(id)")
            }
            try compareLines(on: connection)
            vendor += try Self.render(VendorReport(vendor: "ACME"), .csv, on: connection).0
        }
        #expect(vendor.contains("\"trailing tab\t\"") && vendor.contains("\"line\nbreak\""), "the quoting rules were exercised: \(vendor)")
    }

    private func compareLines(on connection: Connection) throws {
        for (name, report) in Self.reports {
            let fromDatabase = StringSink(), fromLibrary = StringSink()
            let fast = CSVRenderer(sink: fromDatabase), slow = CSVRenderer(sink: fromLibrary, databaseLines: false)
            #expect(fast.takesCanonicalLines && !slow.takesCanonicalLines)
            try ReportRun.render(report, from: connection, into: fast, asOf: Self.asOf) { Issue.record("unreadable row: \($0)") }
            try ReportRun.render(report, from: connection, into: slow, asOf: Self.asOf) { Issue.record("unreadable row: \($0)") }
            #expect(fromDatabase.text == fromLibrary.text, "\(name)")
            #expect(fast.fingerprint == slow.fingerprint, "\(name)")
            #expect(fast.rowCount == slow.rowCount, "\(name)")
            let (json, renderer) = try Self.render(report, .json, on: connection)
            #expect(renderer.fingerprint == fast.fingerprint, "\(name): JSON and CSV hold the same rows")
            #expect(!json.isEmpty)
        }
    }

    /// Text in one-column and three-column sections, for what titles cannot hold (NULL, empty,
    /// blank) and COPY's one-column end-of-data marker.
    struct Samples: WorkflowReport {
        static let one = [ReportColumn("text", "report.column.title", .text)]
        static let three = [ReportColumn("text", "report.column.title", .text), ReportColumn("number", "report.column.rank", .integer),
                            ReportColumn("again", "report.column.title", .text)]

        func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws {
            try renderer.begin(ReportHeader(id: "samples", title: "Samples", asOf: asOf))
            for (id, columns) in [("one", Self.one), ("three", Self.three)] {
                try renderer.beginSection(id: id, title: id, columns: columns)
                try connection.streamRows(columns.count == 1 ? "SELECT t FROM sample ORDER BY n" : "SELECT t, n, t FROM sample ORDER BY n",
                                          into: renderer, columns: columns)
                try renderer.endSection()
            }
            try renderer.end()
        }
    }

    @Test func copysCSVIsTheCanonicalLineForEveryKindOfText() throws {
        let connection = try Self.goldenDatabase()
        let samples: [String?] = [nil, "", " ", "\t", "\\.", "\\.\r\n", ".\\", "\\N", "\"", "\"\"", ",", "\r", "\n", "\r\n", " a", "a ", "\ta",
                                  "a\t", " , ", "plain", "õäöüšž", "€ \u{1F600} x\u{301}", "a\"b,c\nd\re ", "NULL", "=1+2", "'; --"]
        try connection.execute("CREATE TEMP TABLE sample (n int, t text)")
        for (n, t) in samples.enumerated() { try connection.execute("INSERT INTO sample VALUES (\(n), \(t))") }
        let fromDatabase = StringSink(), fromLibrary = StringSink()
        let fast = CSVRenderer(sink: fromDatabase), slow = CSVRenderer(sink: fromLibrary, databaseLines: false)
        try ReportRun.render(Samples(), from: connection, into: fast, asOf: Self.asOf) { Issue.record("unreadable row: \($0)") }
        try ReportRun.render(Samples(), from: connection, into: slow, asOf: Self.asOf) { Issue.record("unreadable row: \($0)") }
        #expect(fromDatabase.text == fromLibrary.text)
        #expect(fast.fingerprint == slow.fingerprint)
        #expect(fast.rowCount == 2 * samples.count && slow.rowCount == fast.rowCount)
        // The cases that differ between COPY's CSV and the canonical one were there.
        #expect(fromDatabase.text.contains("\r\n\\.\r\n") && fromDatabase.text.contains("\r\n\" \",") && fromDatabase.text.contains("\r\n\"\",1,\"\"\r\n"))
    }

    @Test func canonicalCopySplitsRecordsWhereverThePiecesEnd() throws {
        let output = Array("a,\"b\nc\"\" \",3\n x,,\"\"\n\n".utf8)
        for size in 1...output.count {
            var copy = CanonicalCopy(columnCount: 3)
            var lines: [String] = []
            for start in stride(from: 0, to: output.count, by: size) {
                try output[start..<min(start + size, output.count)].withUnsafeBytes { try copy.add($0) { lines.append($0) } }
            }
            #expect(lines == ["a,\"b\nc\"\" \",3", "\" x\",,\"\"", ""], "pieces of \(size)")
            #expect(copy.isAtRecordEnd)
        }
    }

    @Test func everyTitleOfEveryReportIsInTheCatalogueInBothLanguages() throws {
        let columns = VendorReport.columns + StatusReport.countColumns + StatusReport.backlogColumns + StatusReport.overdueColumns
            + BudgetReport.systemColumns + BudgetReport.contractColumns + FlowReport.stateColumns + FlowReport.throughputColumns
            + FlowReport.returnColumns + FlowReport.vendorColumns + PenaltyReport.columns + PenaltyReport.totalColumns
        for column in columns {
            #expect(column.title == "report.column.\(column.key)", "\(column.key): one key, one title")
            #expect(Catalogue.entries[column.title] != nil, "\(column.title) is not in the catalogue")
        }
        // Nothing of a catalogue key or an English word is left in an Estonian report.
        let connection = try Self.goldenDatabase()
        for (name, report) in Self.reports {
            for format in [ReportFormat.markdown, .html, .json] {
                let (text, _) = try Self.render(report, format, language: .et, on: connection)
                #expect(!text.contains("report."), "\(name).\(format): a catalogue key is shown")
                for english in ["As of", "Request", "Deadline", " rows", "Budget", "Median", "Vendor", "Overdue", "Throughput"] {
                    #expect(!text.contains(english), "\(name).\(format) in Estonian says '\(english)'")
                }
            }
        }
    }

    @Test func anEstonianReportWritesDatesMoneyAndStatesTheEstonianWay() throws {
        let connection = try Self.goldenDatabase()
        let (markdown, _) = try Self.render(VendorReport(vendor: "ACME"), .markdown, language: .et, on: connection)
        #expect(markdown.contains("| VOLIS-1 | VOLIS |"))
        #expect(markdown.contains("| tootmiskeskkonda paigaldatud | 16.02.2026 | 15,00 | 1\u{A0}200,00\u{A0}€ | 20.03.2026 |"))
        #expect(markdown.contains("- Seisuga: 25.11.2026 12:00 (UTC+02:00)"))
        let (json, _) = try Self.render(VendorReport(vendor: "ACME"), .json, language: .et, on: connection)
        // JSON keeps its keys and canonical values; only titles follow the language.
        #expect(json.contains(#""state":"released","quote_due":"2026-02-16","quoted_hours":15.00,"quoted_price":1200.00"#))
        #expect(json.contains(#"{"key":"deadline","title":"Tähtaeg","kind":"date"}"#))
    }

    /// `report … --section ID` gives one table of a CSV report as a plain RFC 4180 file (what a
    /// spreadsheet import or pandas reads); a table the report has not, or another format, is
    /// refused (64) naming what there is, and no file is written.
    @Test func oneTableOfACSVReportFromTheCommandLine() throws {
        let db = try TestDatabase.migrated()
        try db.product().executeScript(try String(contentsOf: Self.fixture, encoding: .utf8))
        let conninfo = try db.conninfo()
        let run = try Binary.run("workflowctl", ["report", "vendor", "ACME", "--format", "csv", "--section", "requests", "--database", conninfo])
        #expect(run.status == 0, "\(run.stderr)")
        let sink = StringSink()
        try ReportRun.render(VendorReport(vendor: "ACME"), from: try db.product(), into: CSVRenderer(sink: sink, section: "requests"), asOf: Self.asOf)
        #expect(run.stdout == sink.text && !run.stdout.contains("\r\n\r\n"), "one table, no blank line: \(run.stdout.prefix(300))")
        let out = workPath("no-such-table.csv")
        let unknown = try Binary.run("workflowctl", ["report", "vendor", "ACME", "--section", "orders", "--out", out, "--database", conninfo],
                                     environment: ["LANG": "en_US.UTF-8"])
        #expect(unknown.status == 64 && unknown.stderr == "workflowctl: error: the report has no table orders: its tables are action, requests, penalties, files\n",
                "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let html = try Binary.run("workflowctl", ["report", "vendor", "ACME", "--format", "html", "--section", "requests", "--database", conninfo])
        #expect(html.status == 64 && html.stdout.isEmpty, "\(html.stderr)")
    }

    @Test func theCSVParsesBackToTheSameValues() throws {
        let connection = try Self.goldenDatabase()
        // The requests section alone, as `section:` gives one plain table.
        let sink = StringSink()
        try ReportRun.render(VendorReport(vendor: "ACME"), from: connection, into: CSVRenderer(sink: sink, section: "requests"), asOf: Self.asOf)
        let csv = sink.text
        let (json, _) = try Self.render(VendorReport(vendor: "ACME"), .json, on: connection)
        let reader = CSVReader(string: csv)
        let header = try #require(try reader.next()).fields
        #expect(header == VendorReport.columns.map(\.key))
        var rows: [[String]] = []
        while let record = try reader.next() { if !record.fields.isEmpty { rows.append(record.fields) } }
        let sections = try #require(try JSONValue.parse(json)["sections"]?.arrayValue)
        let jsonRows = try #require(sections.first { $0["id"] == "requests" }?["rows"]?.arrayValue, "no rows in the JSON")
        #expect(rows.count == jsonRows.count)
        #expect(rows.count == 5)
        for (csvRow, jsonRow) in zip(rows, jsonRows) {
            for (key, value) in zip(header, csvRow) {
                #expect((jsonRow[key]?.plain ?? "") == value, "\(key)")
            }
        }
        let volis1 = try #require(rows.firstIndex { $0[0] == "VOLIS-1" })
        #expect(rows[volis1][2] == "Eksport \"CSV\" ; koma, ja\nreavahetus — õäöüšž ÕÄÖÜŠŽ")
        // The spreadsheet dialect reads back with ; and keeps the decimal comma.
        let excelSink = StringSink()
        try ReportRun.render(VendorReport(vendor: "ACME"), from: connection, into: CSVRenderer(sink: excelSink, excel: true, section: "requests"),
                             asOf: Self.asOf)
        let excel = excelSink.text
        #expect(excel.hasPrefix("\u{FEFF}"))
        let excelReader = CSVReader(string: String(excel.dropFirst()), separator: ";")
        var excelRows: [[String]] = []
        while let record = try excelReader.next() { if !record.fields.isEmpty { excelRows.append(record.fields) } }
        #expect(excelRows.count == rows.count + 1)
        #expect(excelRows[volis1 + 1][6] == "1200,00")
        #expect(excelRows[volis1 + 1][2] == rows[volis1][2])
    }

    @Test func theJSONOfEveryReportValidatesAgainstTheSchema() throws {
        let connection = try Self.goldenDatabase()
        let validator = JSONSchemaValidator(schema: try JSONValue.parse(try String(contentsOf: Self.schema, encoding: .utf8)))
        for (name, report) in Self.reports {
            let (json, _) = try Self.render(report, .json, on: connection)
            #expect(validator.validate(try JSONValue.parse(json)) == [], "\(name)")
        }
    }

    @Test func theFixedDataSetGivesTheNumbersWorkedOutByHand() throws {
        let connection = try Self.goldenDatabase()
        let (budget, _) = try Self.render(BudgetReport(year: 2026), .csv, on: connection)
        // Gross (24 % VAT). VOLIS: ORD-1 1488.00 invoiced 1488.00 less a 124.00 credit note (both
        // paid), so 124.00 of it is still committed; ORD-4 3720.00 committed; the cancelled
        // ORD-2 counts nowhere. KOVTP: ORD-3's invoice is held, so its 3100.00 is committed.
        #expect(budget.contains("VOLIS,2026,30000.00,3844.00,1364.00,1364.00,24792.00\r\n"), "\(budget)")
        #expect(budget.contains("KOVTP,2026,20000.00,3100.00,0.00,0.00,16900.00\r\n"))
        #expect(budget.contains("ACME,RL-ACME,2025-01-01,2027-12-31,50000.00,3700.00,46300.00\r\n"))
        let (status, _) = try Self.render(StatusReport(), .csv, on: connection)
        #expect(status.contains("VOLIS-2,VOLIS,ordered,Otsingu filter,BETA,2026-11-20,5\r\n"))
        #expect(status.contains("KOVTP-2,KOVTP,quote_requested,Kaardikiht,,2026-11-20,5\r\n"))
        #expect(status.contains("1,VOLIS-3,VOLIS,1,Päevakorra PDF,2026-11-10\r\n2,KOVTP-1,KOVTP,2,Mobiilimenüü,2026-11-01\r\n"))
        let (vendor, _) = try Self.render(VendorReport(vendor: "ACME"), .csv, on: connection)
        #expect(vendor.contains("KOVTP-3,KOVTP,Ligipääsetavus,delivered,2026-08-24,30.00,2500.00,2026-10-15,ORD-2026-0003,2026-09-15,2026-10-15,5,,2026-10-20,,0,A-2026-031,1,,2500.00,\r\n"), "\(vendor)")
        #expect(vendor.contains(",ORD-2026-0001,2026-03-02,2026-03-20,0,,2026-03-18,2026-03-25,1,\"A-2026-001, A-2026-007\",0,1100.00,100.00,1100.00\r\n"), "\(vendor)")
        #expect(!vendor.contains("BETA") && !vendor.contains("1500.00") && !vendor.contains("3000.00") && !vendor.contains("ORD-2026-0004"))
        // BETA quoted VOLIS-1, which ACME won and released: BETA reads that it was ordered
        // elsewhere, not how ACME's work went on.
        let (beta, _) = try Self.render(VendorReport(vendor: "BETA"), .csv, on: connection)
        #expect(beta.contains("ÕÄÖÜŠŽ\",ordered_elsewhere,2026-02-16,16.50,1500.00,"), "\(beta)")
        #expect(!beta.contains(",released,") && !beta.contains("ACME"))
        let (flow, _) = try Self.render(FlowReport(), .csv, on: connection)
        // Ordered stays: VOLIS-1 2026-03-02..03-10 (6 business days), 03-12..03-18 (4), VOLIS-4 06-10..06-15 (3), KOVTP-3 09-15..10-20 (25).
        #expect(flow.contains("ordered,4,4,25\r\n"))
        // ACME's cancelled order does not count; VOLIS-1 came early (on time), KOVTP-3 five days late.
        #expect(flow.contains("ACME,2,2,1,1,5.0,1\r\n"))
    }

    @Test func noVendorsReportEverHoldsAnotherVendorsKeyNameOrPrice() throws {
        let f = try Fixture(budget: Money(cents: 1_000_000_000_00), cap: Money(cents: 1_000_000_000_00))
        let admin = try f.store()
        let today = Fixture.today
        let vendors = ["ALFA", "BRAVO", "CHARLIE", "DELTA"]
        let names = ["ALFA": "Alfa Arendus OÜ", "BRAVO": "Bravo Tarkvara AS", "CHARLIE": "Charlie Lahendused OÜ", "DELTA": "Delta Süsteemid AS"]
        for (index, key) in vendors.enumerated() {
            try admin.addVendor(key: key, name: names[key]!, email: "\(key.lowercased())@example.ee")
            try admin.addContract(vendor: key, number: "RL-\(key)", from: today.adding(days: -10), to: today.adding(days: 400),
                                  rate: Money(cents: 5000 + Int64(index)), cap: Money(cents: 1_000_000_000_00))
        }
        var generator = SplitMix64(seed: 4242)
        var prices: [String: Set<String>] = [:]
        var expected: [String: Money] = [:]
        for round in 0..<40 {
            let system = round % 3 == 0 ? "KOVTP" : "VOLIS"
            let id = try admin.propose(system: system, title: "Juhuslik \(round)").id
            _ = try admin.move(id, "prioritise", inputs: .init(priority: 3))
            let invited = vendors.filter { _ in generator.next() % 2 == 0 }
            guard !invited.isEmpty else { continue }
            _ = try admin.move(id, "request_quote", inputs: .init(vendors: invited))
            var quoted: [String: Money] = [:]
            for vendor in invited where generator.next() % 10 < 7 {
                let index = vendors.firstIndex(of: vendor)!
                let price = Money(cents: Int64(10_000 + generator.next() % 89_999) * 100 + Int64(11 * (index + 1)))
                _ = try admin.move(id, "quote", inputs: .init(vendor: vendor, hours: Fixture.hours(for: price, rate: 5000), price: price, delivery: today.adding(days: 20)))
                quoted[vendor] = price
                prices[vendor, default: []].insert(price.description)
            }
            guard let winner = quoted.keys.sorted().first, generator.next() % 3 != 0 else { continue }
            _ = try admin.move(id, "order", inputs: .init(vendor: winner))
            let price = quoted[winner]!
            let depth = generator.next() % 4
            if depth >= 1 { _ = try admin.move(id, "deliver", inputs: .init(note: "n")) }
            if depth >= 2 { _ = try admin.move(id, "accept", inputs: .init()) }
            if depth >= 3 { _ = try admin.move(id, "release", inputs: .init(versionName: "1")) }
            // Nothing is invoiced: every order's gross (24 % VAT, to the cent) is committed.
            expected[system, default: .zero] += price + Money(cents: (price.cents * 24 + 50) / 100)
        }
        let connection = admin.connection
        for vendor in vendors {
            for format in ReportFormat.allCases {
                for excel in format == .csv ? [false, true] : [false] {
                    var (text, _) = try Self.render(VendorReport(vendor: vendor), format, excel: excel, on: connection)
                    text = text.replacingOccurrences(of: "\u{202F}", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
                    for other in vendors where other != vendor {
                        #expect(!text.contains(other), "\(vendor) \(format): names \(other)")
                        #expect(!text.contains(names[other]!), "\(vendor) \(format): names \(names[other]!)")
                        for price in prices[other] ?? [] {
                            #expect(!text.contains(price) && !text.contains(price.replacingOccurrences(of: ".", with: ",")),
                                    "\(vendor) \(format): holds \(other)'s price \(price)")
                        }
                    }
                    for price in prices[vendor] ?? [] where format == .csv && !excel {
                        #expect(text.contains(price), "\(vendor)'s own price \(price) is missing")
                    }
                }
            }
        }
        // The budget report agrees with sums kept independently here.
        let (budget, _) = try Self.render(BudgetReport(year: today.year), .json, on: connection)
        guard case let .array(sections)? = try JSONValue.parse(budget)["sections"], case let .array(rows)? = sections.first?["rows"] else {
            Issue.record("no budget rows")
            return
        }
        for row in rows {
            let system = row["system"]?.plain ?? ""
            let committed = expected[system] ?? .zero
            let budgetAmount = try Money(parsing: row["budget"]?.plain ?? "")
            #expect(try Money(parsing: row["committed"]?.plain ?? "") == committed, "\(system) committed")
            #expect(try Money(parsing: row["invoiced"]?.plain ?? "") == .zero, "\(system) invoiced")
            #expect(try Money(parsing: row["left"]?.plain ?? "") == budgetAmount - committed, "\(system) left")
        }
    }

    @Test func reportsOverOneHundredThousandRequestsStayUnderOneHundredMiB() throws {
        let db = try TestDatabase.migrated()
        let c = try db.product()
        try c.executeScript("""
            SET session_replication_role = replica;
            INSERT INTO system (key, name) VALUES ('VOLIS', 'Volikogu');
            INSERT INTO vendor (key, name, email) VALUES ('ACME', 'Acme OÜ', 'info@acme.ee');
            INSERT INTO request (id, system, number, title, created_by, state, version, priority, created_at, state_since)
                SELECT 'VOLIS-' || g, 'VOLIS', g, 'Muudatus number ' || g || ' mõõdukalt pika pealkirjaga', 'root',
                       (ARRAY['proposed', 'prioritised', 'quote_requested', 'quoted', 'released'])[1 + g % 5], 1, 1 + g % 5, now(), now()
                FROM generate_series(1, 100000) g;
            INSERT INTO invitation (request_id, vendor, due) SELECT id, 'ACME', current_date FROM request;
            INSERT INTO quote (request_id, vendor, hours, price, delivery, quoted_by)
                SELECT id, 'ACME', 10, 1000 + number, current_date + 30, 'root' FROM request WHERE number % 2 = 0;
            SET session_replication_role = DEFAULT;
            ANALYZE;
            """)
        let conninfo = try db.conninfo()
        let work = ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? NSTemporaryDirectory()
        for arguments in [["report", "status", "--format", "csv"], ["report", "vendor", "ACME", "--format", "csv"],
                          ["report", "vendor", "ACME", "--format", "html"]] {
            let out = "\(work)/big-\(UUID().uuidString).\(arguments.last!)"
            let result = try Binary.runMeasuringMemory("workflowctl", arguments + ["--out", out, "--database", conninfo])
            #expect(result.status == 0, "\(result.stderr)")
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            #expect(size > 1_000_000, "\(arguments): \(size) bytes")
            #expect(result.maxResidentKilobytes < 100 * 1024 * sanitizerMemoryFactor, "\(arguments): peak \(result.maxResidentKilobytes) KiB")
            print("\(arguments.joined(separator: " ")) over 100000 requests: peak RSS \(result.maxResidentKilobytes / 1024) MiB, \(size / 1024) KiB written")
        }
    }
}
