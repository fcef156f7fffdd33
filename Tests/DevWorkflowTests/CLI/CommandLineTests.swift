import Foundation
import Testing
@testable import DevWorkflow

/// The command line as a new user meets it (issue 12): one JSON document on stdout whatever
/// happens, exit codes that tell a typo from "nothing", errors that name what is missing, files
/// that cannot be read, and nothing on the terminal that the terminal would obey.
@Suite struct CommandLineTests {
    static func ctl(_ arguments: [String], _ conninfo: String, language: String = "en_US.UTF-8") throws -> Binary.Result {
        try Binary.run("workflowctl", arguments + ["--database", conninfo], environment: ["LANG": language])
    }

    /// A request with this title that ACME was asked to quote for: in ACME's report.
    static func invited(_ title: String, _ f: Fixture) throws -> String {
        let store = try f.store()
        let id = try store.propose(system: "VOLIS", title: title).id
        _ = try store.move(id, "prioritise", inputs: TransitionInputs(priority: 2))
        _ = try store.move(id, "request_quote", inputs: TransitionInputs(vendors: ["ACME"]))
        return id
    }

    // MARK: Item 2: with --json, stdout is one valid JSON document

    @Test func jsonStdoutIsOneDocumentEvenWhenTheCommandFails() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let conninfo = try f.db.conninfo(user: f.owner)
        for arguments in [["request", "list", "--state", "bogus", "--json"], ["request", "list", "--system", "NOPE", "--json"],
                          ["report", "status", "--format", "csv", "--json"], ["report", "vendor", "NOPE", "--json"],
                          ["request", "show", "VOLIS-999", "--json"]] {
            let run = try Self.ctl(arguments, conninfo)
            #expect(run.status != 0, "\(arguments)")
            let document = try JSONValue.parse(run.stdout)
            #expect(document["error"]?["exit_code"] == .number(String(run.status)), "\(arguments): \(run.stdout)")
            #expect(run.stderr.hasPrefix("workflowctl: error: ") && run.stderr.filter { $0 == "\n" }.count == 1)
        }
        // --json with a report format that is not JSON is a usage error, not CSV on stdout.
        #expect(try Self.ctl(["report", "status", "--format", "csv", "--json"], conninfo).status == 64)
        // Success is one document too, with or without rows.
        let list = try Self.ctl(["request", "list", "--json"], conninfo)
        #expect(try JSONValue.parse(list.stdout)["count"] == .number("1"))
        let none = try Self.ctl(["request", "list", "--state", "released", "--json"], conninfo)
        #expect(try JSONValue.parse(none.stdout)["count"] == .number("0"))
    }

    @Test func demoRunWithJSONPrintsOnlyItsDocument() throws {
        let db = try TestDatabase.migrated()
        let run = try Self.ctl(["demo", "run", "--json"], try db.conninfo())
        #expect(run.status == 0, "\(run.stderr)")
        let document = try JSONValue.parse(run.stdout)
        #expect(document["walked"] != nil, "\(run.stdout.prefix(200))")
        // The walked request keeps its documents (issue 17): the specification the owner attached
        // before the vendors were asked, the vendor's delivery notes; its act lists both.
        let walked = try #require(document["walked"]?.plain)
        let files = try JSONValue.parse(try Self.ctl(["request", "files", walked, "--json"], try db.conninfo()).stdout)
        let listed = try #require(files["files"]?.arrayValue)
        #expect(listed.map { $0["kind"]?.plain ?? "" } == ["spec", "delivery"], "\(files.text)")
        let list = try JSONValue.parse(try Self.ctl(["request", "list", "--state", "released", "--json"], try db.conninfo()).stdout)
        let order = try #require(list["requests"]?.arrayValue?.first { $0["id"]?.plain == walked }?["order"]?.plain, "\(list.text.prefix(400))")
        let act = try Self.ctl(["order", "act", order, "--format", "md"], try db.conninfo())
        #expect(act.status == 0 && listed.allSatisfy { act.stdout.contains($0["sha256"]?.plain ?? "-") }, "\(act.stdout)")
    }

    /// A JSON report cut short mid-stream still ends as one document, with the error in it.
    @Test func aJSONReportCutShortEndsWithItsError() throws {
        let sink = StringSink()
        let renderer = JSONRenderer(sink: sink)
        #expect(renderer.ending(withError: "{}") == nil, "nothing written: the error document stands alone")
        try renderer.begin(ReportHeader(id: "vendor", title: "V", asOf: Date(timeIntervalSince1970: 0)))
        let opened = sink.text + (renderer.ending(withError: "{\"code\": \"x\"}") ?? "")
        #expect(try JSONValue.parse(opened)["error"]?["code"] == "x")
        try renderer.beginSection(id: "requests", title: "R", columns: [ReportColumn("a", "A", .text)])
        try renderer.row([.text("one")])
        let cut = try JSONValue.parse(sink.text + (renderer.ending(withError: "{\"code\": \"y\"}") ?? ""))
        #expect(cut["error"]?["code"] == "y")
        #expect(cut["sections"]?.arrayValue?.first?["rows"]?.arrayValue?.count == 1)
        try renderer.endSection()
        try renderer.end()
        #expect(renderer.ending(withError: "{}") == "", "a complete document gets nothing more")
    }

    // MARK: Also: request list filters

    @Test func requestListTellsATypoFromNothingAndTakesSeveralStates() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        let proposed = try f.request(in: "proposed")
        _ = try f.request(in: "delivered")
        let conninfo = try f.db.conninfo(user: f.owner)
        let system = try Self.ctl(["request", "list", "--system", "NOPE"], conninfo)
        #expect(system.status == 66 && system.stderr == "workflowctl: error: no system NOPE\n", "\(system)")
        let vendor = try Self.ctl(["request", "list", "--vendor", "NOPE"], conninfo)
        #expect(vendor.status == 66 && vendor.stderr == "workflowctl: error: no vendor NOPE\n", "\(vendor)")
        let two = try Self.ctl(["request", "list", "--state", "ordered", "--state", "proposed", "--json"], conninfo)
        #expect(two.status == 0, "\(two.stderr)")
        let ids = try JSONValue.parse(two.stdout)["requests"]?.arrayValue?.compactMap { $0["id"]?.plain }
        #expect(ids == [ordered, proposed], "by system and number")
        #expect(try Self.ctl(["request", "list", "--system", "VOLIS"], conninfo).status == 0)
    }

    // MARK: Item 10: a file that cannot be read

    @Test func aFileThatCannotBeReadIs74WithTheSystemsReason() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        let missing = workPath("missing.csv")
        let absent = try Self.ctl(["request", "import", "--system", "VOLIS", missing], conninfo)
        #expect(absent.status == 74 && absent.stderr == "workflowctl: error: cannot read \(missing): No such file or directory\n", "\(absent)")
        let folder = workPath("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let directory = try Self.ctl(["request", "import", "--system", "VOLIS", folder], conninfo)
        #expect(directory.status == 74 && directory.stderr == "workflowctl: error: cannot read \(folder): Is a directory\n", "\(directory)")
        // Written files too: --out a folder, --out into a folder that does not exist.
        let intoFolder = try Self.ctl(["report", "status", "--out", folder], conninfo)
        #expect(intoFolder.status == 74 && intoFolder.stderr == "workflowctl: error: cannot write \(folder): Is a directory\n", "\(intoFolder)")
        let nowhere = workPath("no-such-folder") + "/status.csv"
        let lost = try Self.ctl(["report", "status", "--out", nowhere], conninfo)
        #expect(lost.status == 74 && lost.stderr == "workflowctl: error: cannot write \(nowhere): No such file or directory\n", "\(lost)")
        #expect(!absent.stderr.contains("NSCocoaErrorDomain") && !directory.stderr.contains("NSCocoaErrorDomain"))
        // In Estonian, the system's usual reasons are Estonian too; in English they are the system's own words.
        let estonian = try Self.ctl(["request", "import", "--system", "VOLIS", folder], conninfo, language: "et_EE.UTF-8")
        #expect(estonian.stderr == "workflowctl: error: faili \(folder) ei õnnestu lugeda: see on kaust, mitte fail\n", "\(estonian.stderr)")
        for (code, key) in [(ENOENT, "enoent"), (EISDIR, "eisdir"), (ENOTDIR, "enotdir"), (EACCES, "eacces"), (EPERM, "eperm"), (ENOSPC, "enospc"),
                            (EROFS, "erofs"), (EEXIST, "eexist"), (ENAMETOOLONG, "enametoolong"), (EMFILE, "emfile")] {
            #expect(systemReason(code) == .message(Message("os.\(key)")))
            #expect(Message("os.\(key)").text(.en) == String(cString: strerror(code)), "\(key)")
        }
        #expect(systemReason(EIO) == .text(String(cString: strerror(EIO))))
        // A name whose ending names no format is not written as CSV behind its back; one that
        // does, in any case, is that format.
        let sheet = workPath("status.xlsx")
        let unknown = try Self.ctl(["report", "status", "--out", sheet], conninfo)
        #expect(unknown.status == 64 && unknown.stderr.contains("give --format") && !FileManager.default.fileExists(atPath: sheet), "\(unknown)")
        let page = workPath("status.HTM")
        #expect(try Self.ctl(["report", "status", "--out", page], conninfo).status == 0)
        #expect(try String(contentsOfFile: page, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    }

    // MARK: Item 11: Estonian everywhere a person reads

    @Test func estonianReadersGetEstonianNamesAndAmounts() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo()
        let holidays = try Self.ctl(["calendar", "holidays", "--year", "2026"], conninfo, language: "et_EE.UTF-8")
        #expect(holidays.stdout.hasPrefix("01.01.2026  uusaasta\n"), "\(holidays.stdout)")
        #expect(!holidays.stdout.contains("New Year"))
        let english = try Self.ctl(["calendar", "holidays", "--year", "2026"], conninfo)
        #expect(english.stdout.hasPrefix("2026-01-01  New Year's Day (uusaasta)\n"), "\(english.stdout)")
        let budget = try Self.ctl(["budget", "set", "--system", "VOLIS", "--year", "2031", "--amount", "12000"], conninfo, language: "et_EE.UTF-8")
        #expect(budget.status == 0, "\(budget.stderr)")
        #expect(budget.stdout == "süsteemi VOLIS 2031. aasta eelarve: 12\u{A0}000,00\u{A0}€\n", "\(budget.stdout)")
        let show = try Self.ctl(["workflow", "show"], conninfo, language: "et_EE.UTF-8")
        for raw in ["system_owner", "invited_vendor", "ordered_vendor", "invited_vendors", "system_owners", "kes: admin"] {
            #expect(!show.stdout.contains(raw), "\(raw) in: \(show.stdout)")
        }
        #expect(show.stdout.contains("kes: süsteemi tooteomanik, administraator"), "\(show.stdout)")
        #expect(show.stdout.contains("teavitab: kutsutud tarnijad"), "\(show.stdout)")
        #expect(try Self.ctl(["workflow", "show"], conninfo).stdout.contains("who: a product owner of the system, an admin"))
    }

    @Test func amountsInErrorsAreWrittenTheReadersWay() throws {
        let over = Message("error.over_budget_gross", ["gross": "1488.00", "price": "1200.00", "system": "VOLIS", "year": "2026", "left": "1000.00", "amount": "3000.00"])
        #expect(over.text(.et) == "hind käibemaksuga 1\u{A0}488,00\u{A0}€ (1\u{A0}200,00\u{A0}€ käibemaksuta) ületab süsteemi VOLIS 2026. aasta järelejäänud eelarve (1\u{A0}000,00\u{A0}€ eelarvest 3\u{A0}000,00\u{A0}€)")
        #expect(over.text(.en) == "price 1\u{202F}488.00\u{A0}€ with VAT (1\u{202F}200.00\u{A0}€ net) exceeds the budget left for VOLIS in 2026 (1\u{202F}000.00\u{A0}€ of 3\u{202F}000.00\u{A0}€)")
        // Amounts come through {name:money} (mail keeps its own, `mail.money`).
        for (key, entry) in Catalogue.entries where key != "mail.money" {
            #expect(!entry.et.contains("eurot") && !entry.en.contains("} EUR"), "\(key) writes an amount by hand")
        }
    }

    // MARK: Item 12: control characters never reach a terminal or a spreadsheet raw

    @Test func controlCharactersAreShownNotObeyed() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo()
        let title = "Pealkiri \u{1B}[31mpunane\u{1B}[0m \u{9B}2J \u{202E}tagurpidi"
        let id = try Self.invited(title, f)
        #expect(try f.store().request(id).title == title, "stored as given")
        func clean(_ text: String) -> Bool { !text.unicodeScalars.contains { TerminalText.needsShowing($0) && $0 != "\n" && $0 != "\r" && $0 != "\t" } }
        let list = try Self.ctl(["request", "list"], conninfo)
        #expect(clean(list.stdout) && list.stdout.contains("␛[31mpunane␛[0m"), "\(list.stdout)")
        let show = try Self.ctl(["request", "show", id], conninfo)
        #expect(clean(show.stdout), "\(show.stdout)")
        let json = try Self.ctl(["request", "show", id, "--json"], conninfo)
        let document = try JSONValue.parse(json.stdout)
        #expect(clean(json.stdout) && document["title"] == .string(title), "JSON keeps the text, escaped")
        let bad = try Self.ctl(["request", "show", "X\u{1B}]0;owned\u{7}"], conninfo)
        #expect(clean(bad.stderr) && bad.stderr.contains("␛]0;owned␇"), "\(bad.stderr)")
        for format in [["md"], ["csv"], ["csv", "--excel"], ["html"]] {
            let report = try Self.ctl(["report", "vendor", "ACME", "--format"] + format, conninfo)
            #expect(report.status == 0 && clean(report.stdout) && report.stdout.contains("punane"), "\(format): \(report.stdout)")
        }
    }

    @Test func csvDefusesFormulasInEveryDialect() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo()
        for title in ["=HYPERLINK(\"http://x\",\"y\")", "+1", "@SUM(A1)", "-2+3", "tavaline"] { _ = try Self.invited(title, f) }
        for extra in [[], ["--excel"]] {
            let csv = try Self.ctl(["report", "vendor", "ACME", "--format", "csv"] + extra, conninfo).stdout
            let separator: Character = extra.isEmpty ? "," : ";"
            let cells = csv.split(whereSeparator: \.isNewline).flatMap { $0.split(separator: separator) }.map { $0.trimmingCharacters(in: ["\""]) }
            for cell in cells where cell.contains("HYPERLINK") || cell.contains("SUM") || cell.hasSuffix("+3") || cell == "+1" {
                #expect(cell.hasPrefix("'"), "\(extra): \(cell)")
            }
            #expect(cells.contains("tavaline"))
        }
    }

    @Test func terminalTextShowsEveryControl() {
        #expect(TerminalText.line("a\u{1B}[2Jb\r\nc\u{7F}\u{85}\u{2066}") == "a␛[2Jb c␡ \u{FFFD}", "NEL is a line break")
        #expect(TerminalText.line("Tab\there") == "Tab here", "a tab in a title does not push a row's columns apart")
        #expect(TerminalText.lines("a\nb\tc\u{0}") == "a\nb\tc␀")
        #expect(Markup.markdown("x\u{1B}y") == "x␛y" && Markup.html("x\u{1B}y\u{9B}") == "x␛y\u{FFFD}")
        #expect(Log.quote("a\u{1B}b") == "\"a\\u001bb\"")
        var line = ""
        JSONValue.writeString("\u{1B}\u{9B}\u{202E}", to: &line)
        #expect(line == "\"\\u001b\\u009b\\u202e\"")
    }

    // MARK: Item 14: errors name exactly what is wrong

    @Test func missingOptionsAreNamedAndOnlyThose() throws {
        let db = try TestDatabase.migrated()
        let conninfo = try db.conninfo()
        let rateOnly = try Self.ctl(["contract", "add", "--vendor", "ACME", "--number", "RL-1", "--from", "2026-01-01", "--to", "2026-12-31",
                                     "--rate", "80"], conninfo)
        #expect(rateOnly.status == 64)
        #expect(rateOnly.stderr == "workflowctl: error: 'contract add' needs --cap EUR; see `workflowctl contract add --help`\n", "\(rateOnly.stderr)")
        let two = try Self.ctl(["contract", "add", "--vendor", "ACME", "--number", "RL-1", "--rate", "80", "--cap", "100"], conninfo)
        #expect(two.stderr.contains("needs --from DATE, --to DATE;"), "\(two.stderr)")
        let vendor = try Self.ctl(["vendor", "add", "ACME"], conninfo)
        #expect(vendor.stderr.contains("needs --name NAME, --email EMAIL;"), "\(vendor.stderr)")
        // Arguments too many or none, quoted the way the language quotes.
        let two_ids = try Self.ctl(["request", "show", "A-1", "B-2"], conninfo, language: "et_EE.UTF-8")
        #expect(two_ids.stderr == "workflowctl: error: käsk „request show” võtab ID, anti aga „A-1”, „B-2”; kasutus: workflowctl request show ID\n", "\(two_ids.stderr)")
        let none = try Self.ctl(["request", "show"], conninfo)
        #expect(none.status == 64 && none.stderr == "workflowctl: error: 'request show' takes ID, got none; usage: workflowctl request show ID\n", "\(none.stderr)")
    }

    @Test func tooLargeNumbersSaySoAndWhatTheLargestIs() throws {
        do {
            _ = try Money(parsing: "999999999999999")
            Issue.record("a 15-digit amount was taken")
        } catch let error as WorkflowError {
            #expect(error.code == .invalidData)
            #expect(error.message == "amount '999999999999999' is too large: the largest is 999999999999.99")
        }
        #expect(try Money(parsing: "999999999999.99") == Money.maximum)
        #expect(try Money(parsing: "000000000001.50") == Money(cents: 150))
        #expect(throws: WorkflowError.self, "13 digits, mostly zeros: malformed, not too large") { try Money(parsing: "0000000000001") }
        #expect(throws: WorkflowError.self) { try Money(parsing: "1.234") }
        // A move's values are move()'s to check, after the request and the permission: on a request
        // that takes a quote, each says it is too large, and what the largest is.
        let f = try Fixture()
        let quoting = try f.request(in: "quote_requested"), proposed = try f.request(in: "proposed")
        let move = try Self.ctl(["request", "move", quoting, "quote", "--vendor", "ACME", "--hours", "1", "--price", "999999999999999",
                                 "--delivery", "2030-01-01"], try f.db.conninfo())
        #expect(move.status == 65 && move.stderr.contains("is too large: the largest is 999\u{202F}999\u{202F}999\u{202F}999.99\u{A0}€"), "\(move.stderr)")
        let hours = try Self.ctl(["request", "move", quoting, "quote", "--vendor", "ACME", "--hours", "1000000000000", "--price", "1",
                                  "--delivery", "2030-01-01"], try f.db.conninfo())
        #expect(hours.status == 65 && hours.stderr.contains("hours 1000000000000 must be more than 0 and at most 100000"), "\(hours.stderr)")
        let priority = try Self.ctl(["request", "move", proposed, "prioritise", "--priority", "99999999999999999999"], try f.db.conninfo())
        #expect(priority.status == 65 && priority.stderr.contains("is out of range: expected 1 (highest) to 5"), "\(priority.stderr)")
    }
}
