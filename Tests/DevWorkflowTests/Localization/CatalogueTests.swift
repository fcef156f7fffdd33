import Foundation
import Testing
@testable import DevWorkflow

@Suite struct CatalogueTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/DevWorkflow")

    static func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" || $0 == ":" }) { names.insert(String(name)) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    @Test func everyKeyHasBothLanguagesWithTheSamePlaceholders() {
        #expect(Catalogue.entries.count > 300)
        for (key, entry) in Catalogue.entries.sorted(by: { $0.key < $1.key }) {
            #expect(!entry.et.trimmingCharacters(in: .whitespaces).isEmpty, "\(key) has no Estonian")
            #expect(!entry.en.trimmingCharacters(in: .whitespaces).isEmpty, "\(key) has no English")
            #expect(Self.placeholders(entry.et) == Self.placeholders(entry.en), "\(key): placeholders differ")
        }
    }

    /// Swift source files of the library, with their text.
    static func sourceFiles() throws -> [(String, String)] {
        let enumerator = FileManager.default.enumerator(atPath: sources.path)
        var files: [(String, String)] = []
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasPrefix("Localization/") else { continue }
            files.append((path, try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)))
        }
        return files
    }

    @Test func everyKeyTheCodeUsesIsInTheCatalogue() throws {
        let pattern = try NSRegularExpression(pattern: #"(?:Message\(|summary: |failure\(|\.value\("[a-z-]+", "[^"]*", |\.flag\("[a-z-]+", )"((?:error|help|out|guard|draw|word|who|role|state|transition|report|mail)\.[a-z0-9_.-]+)""#)
        var used: Set<String> = []
        for (_, text) in try Self.sourceFiles() {
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        // The keys the schema's functions, as the migrated database has them now, put in their
        // refusals, values and names; and the names of every guard, input and holiday it knows.
        let sqlKey = try NSRegularExpression(pattern: #"'((?:error|word|guard|holiday|actor|state|transition|role)\.[a-z0-9_]+)'"#)
        // checked_text('what', …, true) refuses with 'error.' || what || '_empty', and any
        // checked text with error.too_long naming 'word.' || what.
        let checkedText = try NSRegularExpression(pattern: #"checked_text\('([a-z_]+)',[^;]*?, (true|false)\)"#)
        let db = try TestDatabase.migrated().connect()
        for row in try db.query("SELECT prosrc FROM pg_proc WHERE pronamespace = 'workflow'::regnamespace") {
            let text: String = try row.decode(0)
            for match in sqlKey.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
            for match in checkedText.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let what = String(text[Range(match.range(at: 1), in: text)!])
                used.insert("word.\(what)")
                if text[Range(match.range(at: 2), in: text)!] == "true" { used.insert("error.\(what)_empty") }
            }
        }
        for row in try db.query("""
            SELECT 'guard.' || name FROM workflow.workflow_step WHERE kind = 'guard'
            UNION ALL SELECT 'word.' || name FROM workflow.workflow_input
            UNION ALL SELECT 'holiday.' || key FROM workflow.public_holidays(2026)
            UNION ALL SELECT 'state.' || name FROM workflow.workflow_state
            UNION ALL SELECT DISTINCT 'transition.' || name FROM workflow.workflow_transition
            UNION ALL SELECT 'actor.' || a FROM (SELECT DISTINCT unnest(actors) AS a FROM workflow.workflow_transition) x
            UNION ALL SELECT DISTINCT unnest(refusals) FROM workflow.workflow_step
            """) { used.insert(try row.decode(0)) }
        #expect(used.count > 200)
        for key in used.sorted() { #expect(Catalogue.entries[key] != nil, "\(key) is used but not in the catalogue") }
        // Keys made at run time: the help of every command, every state, transition and role.
        for command in WorkflowCtl.commands {
            #expect(Catalogue.entries[command.summary] != nil, "\(command.summary)")
            for option in command.options { #expect(Catalogue.entries[option.help] != nil, "\(option.help)") }
        }
        for state in (try Definitions.smallDevelopment).states { #expect(Catalogue.entries["state.\(state.name)"] != nil) }
        for transition in (try Definitions.smallDevelopment).transitions { #expect(Catalogue.entries["transition.\(transition.name)"] != nil) }
        for role in PersonRole.allCases { #expect(Catalogue.entries["role.\(role.rawValue)"] != nil) }
    }

    @Test func noTextAPersonReadsBypassesTheCatalogue() throws {
        // Places where a person's text goes; a string literal there (other than a catalogue key)
        // is a text only one language would ever see.
        let forbidden: [(String, String)] = [
            (#"WorkflowError\(\.[a-zA-Z]+, ""#, "an error message"),
            (#"summary: "(?!help\.)"#, "a command summary"),
            (#"\.value\("[a-z-]+", "[^"]*", "(?!help\.)"#, "an option's help"),
            (#"\.flag\("[a-z-]+", "(?!help\.)"#, "an option's help"),
            (#"text: "(?!\\\()"#, "a command's output"),
            (#"call\.out\.line\(""#, "a command's output"),
            (#"ReportChart\(title: ""#, "a chart title"),
            (#"RenderedMessage\(subject: ""#, "a mail subject"),
            (#"ReportHeader\(id: "[a-z_]+", title: ""#, "a report title"),
            (#"beginSection\(id: "[a-z_]+", title: ""#, "a section title"),
            (#"ReportColumn\("[a-z_0-9]+", "(?!report\.)"#, "a column title"),
        ]
        var offences: [String] = []
        for (path, text) in try Self.sourceFiles() {
            for (pattern, what) in forbidden {
                let expression = try NSRegularExpression(pattern: pattern)
                for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    let line = text[..<Range(match.range, in: text)!.lowerBound].filter { $0 == "\n" }.count + 1
                    offences.append("\(path):\(line): \(what) written as a literal")
                }
            }
        }
        #expect(offences.isEmpty, "\(offences.joined(separator: "\n"))")
    }

    /// A day the database or the code passes (ISO) reads as the language writes days, in any
    /// text: the database's refusals name their dates that way.
    @Test func aDayInATextIsWrittenAsTheLanguageWritesDays() {
        let period = Message("error.contract_period", ["from": "2027-01-01", "to": "2026-01-01"])
        #expect(period.text(.et) == "leping lõpeb (01.01.2026) enne, kui algab (01.01.2027)")
        #expect(period.text(.en) == "the contract ends (2026-01-01) before it starts (2027-01-01)")
        // Only a whole value that is a day: an order number, a file name or text around a date stays.
        for kept in ["ORD-2026-0001", "2026-12-05x", "seal-2026-12-05.json", "2026-13-45"] {
            #expect(Message("error.contract_period", ["from": "\(kept)", "to": "x"]).text(.et).contains("(\(kept))"), "\(kept)")
        }
    }

    @Test func languageFollowsTheLocaleEnvironment() {
        #expect(Language.fromEnvironment([:]) == .et)
        #expect(Language.fromEnvironment(["LANG": "en_US.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LANG": "en_US.UTF-8", "LC_ALL": "et_EE.UTF-8"]) == .et)
        #expect(Language.fromEnvironment(["LANG": "et_EE.UTF-8", "LC_MESSAGES": "en_GB"]) == .en)
        #expect(Language.fromEnvironment(["LANG": "C.UTF-8"]) == .et)
        #expect(Language.fromEnvironment(["LANG": "de_DE.UTF-8"]) == .et)
    }

    @Test func statesAndTransitionsAreNamedInTheLanguageAndKeptAsKeys() {
        let message = Message("error.not_possible_now", ["request": "VOLIS-7", "state": .state("proposed"), "transition": .transition("accept"),
                                                         "allowed": .transitions(["prioritise", "reject", "cancel"])])
        #expect(message.text(.en) == "VOLIS-7 is proposed: 'accept' is not possible now; allowed now: prioritise, reject, cancel")
        #expect(message.text(.et) == "VOLIS-7 on olekus esitatud (proposed): samm vastuvõtmine (accept) ei ole praegu võimalik; "
            + "praegu on lubatud: prioriseerimine (prioritise), tagasilükkamine (reject), tühistamine (cancel)")
    }

    @Test func theDatabasesRefusalsReadInTheUsersLanguage() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        do {
            try f.sql().query("SELECT workflow.move(\(id), 'accept', NULL, '{}')")
            Issue.record("accept from proposed was written")
        } catch let error as PostgresError {
            let translated = WorkflowError(postgres: error)
            #expect(translated.code == .invalidData)
            #expect(translated.text.key == "error.not_possible_now")
            #expect(translated.message(in: .et).contains("vastuvõtmine (accept) ei ole praegu võimalik"))
            #expect(translated.message(in: .et).contains("tühistamine (cancel)"))
            #expect(translated.message(in: .en).hasPrefix("\(id) is proposed: 'accept' is not possible now; allowed now: prioritise, reject, cancel"))
            #expect(!translated.message(in: .en).contains("{"), "no JSON detail shown")
        }
    }

    @Test func anEstonianUserGetsTheErrorInEstonianWithTheSameExitCode() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let arguments = ["request", "move", id, "accept", "--database", try f.db.conninfo(user: f.owner)]
        let estonian = try Binary.run("workflowctl", arguments, environment: ["LANG": "et_EE.UTF-8"])
        let english = try Binary.run("workflowctl", arguments, environment: ["LANG": "en_US.UTF-8"])
        #expect(estonian.status == 65 && english.status == 65)
        #expect(estonian.stderr == "workflowctl: error: \(id) on olekus esitatud (proposed): samm vastuvõtmine (accept) ei ole praegu võimalik; "
            + "praegu on lubatud: prioriseerimine (prioritise), tagasilükkamine (reject), tühistamine (cancel)\n")
        #expect(english.stderr == "workflowctl: error: \(id) is proposed: 'accept' is not possible now; allowed now: prioritise, reject, cancel\n")
        // JSON keeps its field names and codes; only the message follows the language.
        let json = try JSONValue.parse(try Binary.run("workflowctl", arguments + ["--json"], environment: ["LANG": "et_EE.UTF-8"]).stdout)
        #expect(json["error"]?["code"] == .string("invalid_data"))
        #expect(json["error"]?["exit_code"] == .number("65"))
        #expect(json["error"]?["message_key"] == .string("error.not_possible_now"))
        // Help follows the language too.
        #expect(try Binary.run("workflowctl", ["request", "move", "--help"], environment: ["LANG": "et_EE.UTF-8"]).stdout
            .contains("vii arendustellimus järgmisse olekusse"))
    }

    @Test func placeholdersAreFilledAsFoundationsLiteralSearchFilledThem() {
        // Every occurrence, left to right, in text of any script; the value asked only when used.
        var asked = 0
        let value = { () -> String in asked += 1; return "€ 1 200,00" }
        #expect("Eelarve {x}; jääk {x}.".replacingPlaceholder("{x}", with: value) == "Eelarve € 1 200,00; jääk € 1 200,00.")
        #expect(asked == 1)
        #expect("ühtegi ei ole: {y}".replacingPlaceholder("{x}", with: value) == "ühtegi ei ole: {y}" && asked == 1)
        #expect("{x}{x}".replacingPlaceholder("{x}") { "{x}" } == "{x}{x}")
        #expect("õ{x:money}ä".replacingPlaceholder("{x}") { "z" } == "õ{x:money}ä")
        #expect("õ{x:money}ä".replacingPlaceholder("{x:money}") { "1" } == "õ1ä")
        for (text, placeholder) in [("a{b}c{b}", "{b}"), ("🎉{n}🎉", "{n}"), ("{n", "{n}"), ("", "{n}")] {
            #expect(text.replacingPlaceholder(placeholder) { "ÕÄ" } == text.replacingOccurrences(of: placeholder, with: "ÕÄ"))
        }
    }

    /// The plural forms' search finds what Foundation's literal search finds, where it finds it.
    @Test func aPlaceholderIsFoundWhereFoundationFindsIt() {
        let cases = [("{n} {n:plural:päev|päeva}", "{n:plural:"), ("n:plural:x", ":plural:"), ("n:plura", ":plural:"), ("", ":plural:"),
                     ("🎉õ{n:plural:a|b}{n:plural:c|d}", "{n:plural:"), ("{{{n:plural:", "{n:plural:"), ("::plural:", ":plural:"), ("x", "")]
        for (text, target) in cases {
            let ours = text.firstUTF8Range(of: target), foundations = text.range(of: target)
            #expect(ours == foundations, "\(text) / \(target)")
            #expect(Substring(text).firstUTF8Range(of: target) == foundations, "\(text) / \(target) in a Substring")
        }
    }
}
