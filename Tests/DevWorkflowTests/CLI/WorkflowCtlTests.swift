import Foundation
import Testing
@testable import DevWorkflow

@Suite struct WorkflowCtlTests {
    /// Runs workflowctl in-process and captures its output.
    static func run(_ arguments: [String], environment: [String: String] = ["LANG": "en_US.UTF-8"]) -> (Int32, String, String) {
        let out = TextOutput(), err = TextOutput()
        let status = WorkflowCtl.run(arguments, environment: environment, out: out, err: err)
        return (status, out.capturedText, err.capturedText)
    }

    @Test func unknownFlagIsAUsageError() {
        let (status, out, err) = Self.run(["--no-such-flag"])
        #expect(status == 64)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("workflowctl: error: "))
        #expect(err.filter { $0 == "\n" }.count == 1)
    }

    @Test func aConnectionStringLibpqCannotParseIsAUsageError() {
        // Not 69 (nothing is down) and not 70: the caller typed it wrong, and libpq says how.
        let (status, _, err) = Self.run(["request", "list", "--database", "nonsense"])
        #expect(status == 64, "\(err)")
        #expect(err == "workflowctl: error: invalid database connection string (--database, WORKFLOW_DATABASE_URL): missing \"=\" after \"nonsense\" in connection info string\n")
        #expect(Self.run(["db", "status", "--database", "postgresql://[bad"]).0 == 64)
    }

    @Test func usageErrorsNameWhatWouldBeRight() {
        #expect(Self.run(["nosuch"]).0 == 64)
        let (status, _, err) = Self.run(["db"])
        #expect(status == 64)
        #expect(err.contains("migrate") && err.contains("status"))
        #expect(Self.run(["db", "migrate", "--bogus"]).2.contains("unknown option --bogus"))
        #expect(Self.run(["db", "status", "extra"]).0 == 64)
        #expect(Self.run(["db", "status", "--database"]).0 == 64)
    }

    /// `help` and `version` as words, as other tools take them; a short option none of ours is
    /// an unknown option, not an argument; libpq's lines joined as sentences.
    @Test func helpAndVersionAsWordsAndShortOptionsAreKnownForWhatTheyAre() {
        #expect(Self.run(["help"]).1 == Self.run(["--help"]).1)
        #expect(Self.run(["help", "request", "move"]).1 == Self.run(["request", "move", "--help"]).1)
        #expect(Self.run(["version"]).1 == Self.run(["--version"]).1)
        let (status, _, err) = Self.run(["request", "list", "-x", "--database", "host=/nonexistent"])
        #expect(status == 64 && err.contains("unknown option -x") && err.contains("--state"), "\(err)")
        #expect(Connection.oneLine("could not connect: Connection refused\n\tIs the server running?\n") == "could not connect: Connection refused. Is the server running?")
        #expect(Connection.oneLine("FATAL: one:\nthe rest") == "FATAL: one: the rest")
    }

    /// What a command says about a request fits 80 columns: `request transitions` wraps its
    /// explanations; an emptied field reads as "–" in the history, and a vendor's user asking
    /// for a staff listing is told what is theirs instead of "permission denied for table".
    @Test func transitionsWrapHistoryShowsEmptiedFieldsAndVendorsAreToldWhatIsTheirs() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered"), quoted = try f.request(in: "quoted")
        for (id, login) in [(ordered, f.vendorA), (ordered, f.owner), (quoted, f.vendorB), (quoted, f.requester)] {
            for language in ["en", "et"] {
                let run = try Binary.run("workflowctl", ["request", "transitions", id, "--lang", language, "--database", try f.db.conninfo(user: login)],
                                         environment: ["COLUMNS": "80"])
                #expect(run.status == 0, "\(run.stderr)")
                let wide = run.stdout.split(separator: "\n").filter { $0.count > 80 }
                #expect(wide.isEmpty, "\(login) \(language): \(wide)")
            }
        }
        // request show breaks its long values under their column, keeping a list's columns.
        for language in ["en", "et"] {
            let run = try Binary.run("workflowctl", ["request", "show", ordered, "--lang", language, "--database", try f.db.conninfo()],
                                     environment: ["COLUMNS": "60"])
            #expect(run.status == 0 && run.stdout.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(language): \(run.stdout)")
            #expect(run.stdout.contains("ACME  "), "the quotes' vendor column keeps its spacing: \(run.stdout)")
        }
        // A description keeps its lines, each under the column.
        let lined = try f.store().propose(system: "VOLIS", title: "Read", description: "Esimene rida.\r\nTeine rida.").id
        let shown = try Binary.run("workflowctl", ["request", "show", lined, "--lang", "en", "--database", try f.db.conninfo()])
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        let first = try #require(lines.firstIndex { $0.hasSuffix("Esimene rida.") }, "\(shown.stdout)")
        let column = lines[first].distance(from: lines[first].startIndex, to: lines[first].range(of: "Esimene")!.lowerBound)
        #expect(lines[first].contains("Description:") && lines[first + 1] == String(repeating: " ", count: column) + "Teine rida.", "\(shown.stdout)")
        #expect(Terminal.breaking("A-1   ordered   a title that goes on", width: 24, first: "> ", rest: "  ")
                == ["> A-1   ordered   a", "  title that goes on"])
        #expect(Terminal.breaking("short  one", width: 24, first: "", rest: "  ") == ["short  one"])
        #expect(Terminal.breaking("1 000,00 € + KM 24 % = 1 240,00 €", width: 20, first: "", rest: "") == ["1 000,00 € + KM 24 %", "= 1 240,00 €"],
                "a number keeps its unit")
        let id = try f.store().propose(system: "VOLIS", title: "Kirjeldusega", description: "Pikk kirjeldus").id
        _ = try f.store().edit(id, description: "")
        let history = try Binary.run("workflowctl", ["request", "history", id, "--lang", "en", "--database", try f.db.conninfo()])
        #expect(history.stdout.contains("description: Pikk kirjeldus → –"), "\(history.stdout)")
        for noun in ["system", "vendor", "contract", "budget", "person"] {
            let run = try Binary.run("workflowctl", [noun, "list", "--lang", "en", "--database", try f.db.conninfo(user: f.vendorA)])
            #expect(run.status == 77 && run.stderr.contains("is a vendor's user: `\(noun) list` is for the buyer's staff"), "\(run.stderr)")
        }
    }

    @Test func helpWorksAtEveryLevel() {
        for arguments in [["--help"], [], ["db", "--help"], ["db", "migrate", "--help"], ["--help", "cluster", "start"]] {
            let (status, out, _) = Self.run(arguments)
            #expect(status == 0, "\(arguments)")
            #expect(out.contains("Usage"), "\(arguments)")
        }
        // Help wraps its paragraphs to the terminal: compare the words, not the line breaks.
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        for command in WorkflowCtl.commands {
            let (status, out, _) = Self.run(command.name.split(separator: " ").map(String.init) + ["-h"])
            #expect(status == 0, "\(command.name)")
            #expect(words(out).contains(words(Message(command.summary).text(.en))), "\(command.name)")
            let (_, estonian, _) = Self.run(command.name.split(separator: " ").map(String.init) + ["-h"], environment: ["LANG": "et_EE.UTF-8"])
            #expect(words(estonian).contains(words(Message(command.summary).text(.et))), "\(command.name)")
            #expect(estonian.contains("Kasutus: "))
        }
    }

    @Test func unreachableDatabaseExits69WithOneLine() {
        let (status, out, err) = Self.run(["--database", "host=/nonexistent", "db", "status"])
        #expect(status == 69)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("workflowctl: error: database unavailable"))
        #expect(err.filter { $0 == "\n" }.count == 1)
    }

    @Test func jsonErrorsAreOneDocument() throws {
        let (status, out, _) = Self.run(["db", "status", "--json", "--database", "host=/nonexistent"])
        #expect(status == 69)
        let document = try JSONValue.parse(out)
        #expect(document["error"]?["exit_code"] == .number("69"))
        #expect(document["error"]?["code"] == .string("unavailable"))
    }

    @Test func noDatabaseConfiguredSaysHowToGetOne() {
        let (status, _, err) = Self.run(["db", "status"], environment: ["WORKFLOW_HOME": "/nonexistent-home", "LANG": "en"])
        #expect(status == 69)
        #expect(err.contains("cluster start"))
    }

    @Test func migrateAndStatusThroughTheBinary() throws {
        let db = try TestDatabase.empty()
        let conninfo = try db.conninfo()
        let first = try Binary.run("workflowctl", ["db", "migrate", "--database", conninfo])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied 0001_foundation.sql"))
        let status = try Binary.run("workflowctl", ["--json", "db", "status", "--database", conninfo])
        #expect(status.status == 0)
        let document = try JSONValue.parse(status.stdout)
        #expect(document["pending"] == .number("0"))
        // A file edited after it was applied: the whole ledger, that file marked, then the refusal
        // `db migrate` gives (65); in JSON one document with an `error` member.
        let owner = try db.connect()
        try owner.execute("UPDATE workflow.schema_migrations SET checksum = repeat('0', 64) WHERE version = 2")
        let edited = try Binary.run("workflowctl", ["db", "status", "--lang", "en", "--database", conninfo])
        #expect(edited.status == 65, "\(edited.stderr)")
        #expect(edited.stdout.split(separator: "\n").count == Migration.all.count + 1, "\(edited.stdout)")
        #expect(edited.stdout.contains("EDITED   \(Migration.all[1].file)") && edited.stdout.contains("applied  \(Migration.all[2].file)"))
        #expect(edited.stderr.contains("was edited after it was applied") && edited.stderr.split(separator: "\n").count == 1)
        let editedJSON = try Binary.run("workflowctl", ["--json", "db", "status", "--database", conninfo])
        #expect(editedJSON.status == 65)
        let flagged = try JSONValue.parse(editedJSON.stdout)
        #expect(flagged["error"]?["message_key"] == .string("error.migration_edited"))
        #expect(flagged["migrations"]?.arrayValue?.compactMap { $0["state"]?.plain }.filter { $0 != "applied" } == ["edited"])
        #expect(try Binary.run("workflowctl", ["db", "migrate", "--database", conninfo]).status == 65)
        let bad = try Binary.run("workflowctl", ["--database", "host=/nonexistent", "db", "status"])
        #expect(bad.status == 69)
        #expect(bad.stderr.split(separator: "\n").count == 1)
        #expect(try Binary.run("workflowctl", ["--no-such-flag"]).status == 64)
    }

    /// A login a DBA made but never let into DevWorkflow (not in devworkflow_user) is told which
    /// grant it lacks (77), not that the database lacks the schema or a bare "permission denied".
    @Test func aLoginNotLetInIsToldWhichGrantItLacks() throws {
        let f = try Fixture()
        let stranger = "stranger_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
        try f.db.connect().execute(SQL(unsafe: "CREATE ROLE \(stranger) LOGIN"))
        for arguments in [["system", "list"], ["request", "list"], ["db", "status"], ["request", "show", "VOLIS-1"]] {
            let run = try Binary.run("workflowctl", arguments + ["--database", try f.db.conninfo(user: stranger), "--lang", "en"])
            #expect(run.status == 77, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("GRANT devworkflow_user TO \(stranger)") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        }
        // A login of the product's group is not told so: its refusals stay its own.
        let vendor = try Binary.run("workflowctl", ["system", "list", "--database", try f.db.conninfo(user: f.vendorA), "--lang", "en"])
        #expect(!vendor.stderr.contains("GRANT"), "\(vendor.stderr)")
    }

    /// Adding a person says what the admin should know next: the login is missing (mail only
    /// until a DBA makes it), or not let in, or another person has the same address.
    @Test func addingAPersonSaysWhatIsLeftToDo() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        func add(_ login: String, _ email: String) throws -> [String] {
            let run = try Binary.run("workflowctl", ["person", "add", login, "--name", "N", "--email", email, "--role", "requester",
                                                     "--json", "--database", admin, "--lang", "en"])
            #expect(run.status == 0, "\(run.stderr)")
            return try JSONValue.parse(run.stdout)["notes"]?.arrayValue?.map(\.plain) ?? ["no notes"]
        }
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
        let mailOnly = try add("mail_\(suffix)", "mail-\(suffix)@example.ee")
        #expect(mailOnly.count == 1 && mailOnly[0].contains("no database login mail_\(suffix)"), "\(mailOnly)")
        try f.db.connect().execute(SQL(unsafe: "CREATE ROLE out_\(suffix) LOGIN"))
        let outside = try add("out_\(suffix)", "piret@example.ee")
        #expect(outside.count == 2 && outside[0].contains("GRANT devworkflow_user TO out_\(suffix)") && outside[1].contains("\(f.owner) has the same address"),
                "\(outside)")
        try f.db.connect().execute(SQL(unsafe: "CREATE ROLE in_\(suffix) LOGIN IN ROLE devworkflow_user"))
        #expect(try add("in_\(suffix)", "in-\(suffix)@example.ee") == [])
    }

    @Test func showHistoryAndListReadForPeopleInTheirLanguage() throws {
        let f = try Fixture()
        let id = try f.request(in: "delivered")
        let conninfo = try f.db.conninfo(user: f.owner)
        let dayFirst = try NSRegularExpression(pattern: #"\b\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}\b"#)
        func hasDayFirstTime(_ text: String) -> Bool { dayFirst.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }

        let show = try Binary.run("workflowctl", ["request", "show", id, "--database", conninfo], environment: ["LANG": "et_EE.UTF-8"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.hasPrefix("\(id): Muudatus "))
        #expect(show.stdout.contains("Olek:") && show.stdout.contains("üle antud alates"))
        #expect(show.stdout.contains("Hinnapakkumised:") && show.stdout.contains("Tellimus:") && show.stdout.contains("raamleping"))
        #expect(hasDayFirstTime(show.stdout), "Estonian dates are day first: \(show.stdout)")
        #expect(!show.stdout.contains("{"), "no JSON in the text: \(show.stdout)")

        let english = try Binary.run("workflowctl", ["request", "show", id, "--database", conninfo], environment: ["LANG": "en_US.UTF-8"])
        #expect(english.stdout.contains("State:") && english.stdout.contains("delivered since"))
        #expect(english.stdout.contains("Order:") && english.stdout.contains(" under "))

        let history = try Binary.run("workflowctl", ["request", "history", id, "--database", conninfo], environment: ["LANG": "et_EE.UTF-8"])
        #expect(history.status == 0)
        #expect(history.stdout.contains("üleandmine: tellitud → üle antud"))
        #expect(history.stdout.contains("prioriteet: "))
        #expect(!history.stdout.contains("{"))

        let list = try Binary.run("workflowctl", ["request", "list", "--database", conninfo], environment: ["LANG": "et_EE.UTF-8"])
        #expect(list.stdout.contains(id) && list.stdout.contains("üle antud"))

        // The JSON keeps its keys: `order` is the order number, `purchase_order` the order itself, no key twice.
        let json = try Binary.run("workflowctl", ["request", "show", id, "--json", "--database", conninfo], environment: ["LANG": "et_EE.UTF-8"])
        let document = try JSONValue.parse(json.stdout)
        guard case let .object(pairs) = document else { Issue.record("not an object"); return }
        #expect(Set(pairs.map(\.0)).count == pairs.count, "a key appears twice")
        #expect(document["purchase_order"]?["number"] == document["order"])
        #expect(document["state"] == .string("delivered"))

        // The order's VAT as the order keeps it: the rate of its order date, VAT and gross, in
        // the JSON and in the text.
        let order = try #require(document["purchase_order"])
        let kept = try f.sql().query("""
            SELECT vat_rate::text, vat::text, gross::text, workflow.vat_rate_on(order_date)::text FROM workflow.purchase_order WHERE request_id = \(id)
            """).first!
        let (keptRate, keptVAT, keptGross, rateOfDay) = (try kept.decode(0, as: String.self), try kept.decode(1, as: String.self),
                                                          try kept.decode(2, as: String.self), try kept.decode(3, as: String.self))
        #expect(order["vat_rate"]?.plain == keptRate && order["vat"]?.plain == keptVAT && order["gross"]?.plain == keptGross, "\(order)")
        #expect(keptRate == rateOfDay)
        let gross = try Money(parsing: keptGross)
        let rate = try #require(Decimal(string: keptRate))
        // Read as one text: a value too long for 80 columns continues on the next line.
        let joined = { (text: String) in text.replacing(/\n +/, with: " ") }
        #expect(joined(show.stdout).contains("+ KM \(ReportFormatting.for(.et).decimal("\(rate)")) % = \(ReportFormatting.for(.et).money(gross))"), "\(show.stdout)")
        #expect(joined(english.stdout).contains("+ VAT \(rate) % = \(ReportFormatting.for(.en).money(gross))"), "\(english.stdout)")
    }

    @Test func budgetListSaysWhatIsOrderedAndLeft() throws {
        // The fixture's VOLIS budget is 1 000 000,00 €; one order of 1 000,00 € net at the day's VAT.
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        let gross = try Money(parsing: try f.sql().query("SELECT gross::text FROM workflow.purchase_order WHERE request_id = \(id)").first!.decode(0, as: String.self))
        let budget = try Money(parsing: try f.sql().query("SELECT amount::text FROM workflow.budget WHERE system = 'VOLIS'").first!.decode(0, as: String.self))
        let list = try Binary.run("workflowctl", ["budget", "list", "--database", try f.db.conninfo()], environment: ["LANG": "et_EE.UTF-8"])
        let et = ReportFormatting.for(.et)
        #expect(list.stdout.contains("(kasutatud \(et.money(gross)) km-ga, alles \(et.money(budget - gross)))"), "\(list.stdout)")
    }

    @Test func everyInputTheDemosHistoryHoldsReadsWithALabel() throws {
        // The demo walks every step of the road: each value its events keep (the inputs and what
        // the steps add, the order's VAT among them) has a label in both languages.
        let db = try TestDatabase.migrated()
        let demo = try Binary.run("workflowctl", ["demo", "run", "--database", try db.conninfo()])
        try #require(demo.status == 0, "\(demo.stderr)")
        let keys = try db.connect().query("SELECT DISTINCT k FROM workflow.event, jsonb_object_keys(inputs) k ORDER BY k").map { try $0.decode(0, as: String.self) }
        #expect(keys.contains("vat_rate") && keys.contains("gross"), "\(keys)")
        #expect(keys.filter { Catalogue.entries["out.input.\($0)"] == nil }.isEmpty, "no label: \(keys.filter { Catalogue.entries["out.input.\($0)"] == nil })")
        let history = try Binary.run("workflowctl", ["request", "history", "VOLIS-9", "--database", try db.conninfo()], environment: ["LANG": "et_EE.UTF-8"])
        #expect(history.stdout.contains("käibemaksumäär: 24 %") || history.stdout.contains("käibemaksumäär: 22 %"), "\(history.stdout)")
        #expect(!history.stdout.contains("vat_rate") && !history.stdout.contains("gross"), "\(history.stdout)")
        #expect(history.stdout.contains("liik: lähteülesanne") && !history.stdout.contains("liik: spec"), "a file's kind in words: \(history.stdout)")
    }

    @Test func reportsFollowLangThenTheLocaleAndKeepTheirRowsInEveryLanguage() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let conninfo = try f.db.conninfo(user: f.owner)
        func report(_ extra: [String], _ environment: [String: String]) throws -> Binary.Result {
            try Binary.run("workflowctl", ["report", "vendor", "ACME", "--format", "md", "--database", conninfo] + extra, environment: environment)
        }
        let byLocale = try report([], ["LANG": "et_EE.UTF-8"])
        #expect(byLocale.status == 0, "\(byLocale.stderr)")
        #expect(byLocale.stdout.contains("- Seisuga: ") && byLocale.stdout.contains("| tellitud |"))
        let byOption = try report(["--lang", "en"], ["LANG": "et_EE.UTF-8"])
        #expect(byOption.stdout.contains("- As of: ") && byOption.stdout.contains("| ordered |"), "--lang wins over the locale")
        let noLocale = try report([], ["LANG": "C"])
        #expect(noLocale.stdout.contains("- Seisuga: "), "no Estonian or English locale: Estonian, the default")
        // The same rows whatever the language: the fingerprint in the footer is one.
        func fingerprint(_ text: String) -> String? { text.split(separator: "`").dropLast().last.map(String.init) }
        #expect(fingerprint(byLocale.stdout) != nil && fingerprint(byLocale.stdout) == fingerprint(byOption.stdout))
        let bad = try report(["--lang", "fi"], ["LANG": "en_US.UTF-8"])
        #expect(bad.status == 64 && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    }
}
