import Foundation
import Testing
@testable import DevWorkflow

/// Issue 7, item 3: text a person types, whatever it holds, is stored verbatim and read back
/// identical — through the built `workflowctl` and its `--json`, in every field that takes text:
/// titles, descriptions, requesters, comments, reasons, delivery notes, version names, system,
/// vendor and person names, contract numbers, closure notes, and CSV import cells. Text over a
/// field's limit is refused with one error line and exit 65, and stores nothing.
///
/// (Titles, names and comments lose surrounding white space and requesters surrounding spaces, on
/// purpose; none of the strings here starts or ends with any.)
@Suite struct InjectionTests {
    static let strings: [String] = [
        "'); DROP TABLE request; --",
        "Robert'); DELETE FROM workflow.event; -- \" ; \\ $1 $$x$$ E'\\x41' /* */ ::text",
        "%s%s%n%x %d %1$s {title} {0} ${HOME} $(id) `id` \\(x)",
        "a\u{01}b\u{07}c\u{08}d\u{0B}e\u{0C}f\u{1B}[31mred\u{1B}[0m\u{7F}g\tmid\r\nline2",
        "Õun, Äri, Öö, Ülle, Šokk, Žürii — õäöüšž ÕÄÖÜŠŽ",
        "\u{200F}שלום עולם\u{200E} مرحبا \u{202E}gpj.exe\u{202C} \u{2066}iso\u{2069}",
        "<script>alert('x')</script><img src=x onerror=alert(1)>&amp;&lt;",
        "👩‍💻 e\u{301} Z̤͔ͧ̑̓ä͖̭̈̇ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{FEFF}bom",
        "\"}, {\"injected\": true} \\u0000 \\n ]]>",
        "a\u{2028}b\u{2029}c\u{85}d",
        // A quote a combining mark joins into one Character: CSV written Character by Character
        // leaves it single, and the cell spills into the next column.
        "x\"\u{301},spilled into,the next column\"\u{0652}",
    ]

    /// A string of exactly `count` Unicode scalars (what PostgreSQL's length() counts), mixing
    /// Estonian letters, quotes, percent signs and markup, with no white space at either end.
    static func long(_ count: Int) -> String {
        let pieces: [Unicode.Scalar] = ["õ", "a", "ä", "<", "'", "%", "š", "\"", "\\", "ž"]
        var text = String.UnicodeScalarView()
        for index in 0..<count { text.append(pieces[index % pieces.count]) }
        return String(text)
    }

    /// Runs workflowctl with --json; the result must be exit 0 and one JSON document.
    static func ok(_ arguments: [String], _ conninfo: String) throws -> JSONValue {
        let result = try Binary.run("workflowctl", ["--json"] + arguments + ["--database", conninfo])
        #expect(result.status == 0, "\(arguments.prefix(3)): \(result.stderr)")
        return (try? JSONValue.parse(result.stdout)) ?? .null
    }

    static func items(_ value: JSONValue?) -> [JSONValue] {
        if case let .array(items)? = value { return items }
        return []
    }

    @Test func everyTextFieldKeepsWhatWasTypedThroughTheCLI() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo(), owner = try f.db.conninfo(user: f.owner), vendorA = try f.db.conninfo(user: f.vendorA)
        var checks = 0
        for (index, text) in Self.strings.enumerated() {
            // Title, description and requester as proposed, read back with `request show`.
            let proposed = try Self.ok(["request", "new", "--system", "VOLIS", "--title", text, "--description", text, "--requester", text], owner)
            guard case let .string(id)? = proposed["id"] else { Issue.record("no id for string \(index)"); continue }
            let shown = try Self.ok(["request", "show", id], owner)
            #expect(shown["title"] == .string(text), "title \(index)")
            #expect(shown["description"] == .string(text), "description \(index)")
            #expect(shown["requester"] == .string(text), "requester \(index)")

            // A comment and a rejection's reason, read back with `request history`.
            _ = try Self.ok(["request", "comment", id, text], owner)
            _ = try Self.ok(["request", "move", id, "reject", "--reason", text], owner)
            var history = try Self.ok(["request", "history", id], owner)
            #expect(Self.items(history["comments"]).map { $0["body"] } == [.string(text)], "comment \(index)")
            #expect(Self.items(history["events"]).last?["inputs"]?["reason"] == .string(text), "reject reason \(index)")
            #expect(Self.items(history["events"]).first?["inputs"]?["title"] == .string(text), "proposal title in the history \(index)")

            // A delivery note (by the vendor's own login), a return's reason, a version name.
            let ordered = try f.request(in: "ordered")
            _ = try Self.ok(["request", "move", ordered, "deliver", "--note", text], vendorA)
            _ = try Self.ok(["request", "move", ordered, "return", "--reason", text], owner)
            _ = try Self.ok(["request", "move", ordered, "deliver", "--note", "uuesti"], owner)
            _ = try Self.ok(["request", "move", ordered, "accept"], owner)
            _ = try Self.ok(["request", "move", ordered, "release", "--version-name", text], owner)
            history = try Self.ok(["request", "history", ordered], owner)
            let inputs = Self.items(history["events"]).map { ($0["transition"], $0["inputs"]) }
            #expect(inputs.first { $0.0 == .string("deliver") }?.1?["note"] == .string(text), "delivery note \(index)")
            #expect(inputs.first { $0.0 == .string("return") }?.1?["reason"] == .string(text), "return reason \(index)")
            #expect(inputs.first { $0.0 == .string("release") }?.1?["version_name"] == .string(text), "version name \(index)")
            // `request show --json`: `order` is the order's number, `purchase_order` the order itself.
            let shownOrder = try Self.ok(["request", "show", ordered], owner)
            #expect(shownOrder["purchase_order"]?["release_version"] == .string(text), "release version \(index)")

            // A cancellation's reason.
            let cancelled = try f.request(in: "quoted")
            _ = try Self.ok(["request", "move", cancelled, "cancel", "--reason", text], owner)
            #expect(Self.items(try Self.ok(["request", "history", cancelled], owner)["events"]).last?["inputs"]?["reason"] == .string(text), "cancel reason \(index)")

            // What admins name: systems, vendors, people, contracts, closure days.
            _ = try Self.ok(["system", "add", "INJ\(index)", "--name", text], admin)
            _ = try Self.ok(["vendor", "add", "INJ\(index)", "--name", text, "--email", "inj\(index)@example.ee"], admin)
            _ = try Self.ok(["person", "add", "inj_\(index)_\(f.db.name.suffix(6))", "--name", text, "--email", "inj@example.ee", "--role", "requester"], admin)
            // A vendor's contracts may not overlap: each its own year, long after the fixture's.
            _ = try Self.ok(["contract", "add", "--vendor", "ACME", "--number", text, "--from", "20\(60 + index)-01-01", "--to", "20\(60 + index)-12-31",
                             "--rate", "10", "--cap", "1000"], admin)
            _ = try Self.ok(["calendar", "closure", "add", "2095-03-\(String(format: "%02d", index + 1))", "--note", text], admin)
            checks += 15
        }
        let systems = Self.items(try Self.ok(["system", "list"], owner)["systems"])
        let vendors = Self.items(try Self.ok(["vendor", "list"], owner)["vendors"])
        let people = Self.items(try Self.ok(["person", "list"], owner)["people"])
        let contracts = Self.items(try Self.ok(["contract", "list"], owner)["contracts"])
        let closures = Self.items(try Self.ok(["calendar", "list"], owner)["closures"])
        for (index, text) in Self.strings.enumerated() {
            #expect(systems.first { $0["key"] == .string("INJ\(index)") }?["name"] == .string(text), "system name \(index)")
            #expect(vendors.first { $0["key"] == .string("INJ\(index)") }?["name"] == .string(text), "vendor name \(index)")
            #expect(people.first { $0["login"] == .string("inj_\(index)_\(f.db.name.suffix(6))") }?["name"] == .string(text), "person name \(index)")
            #expect(contracts.contains { $0["number"] == .string(text) }, "contract number \(index)")
            #expect(closures.first { $0["date"] == .string("2095-03-\(String(format: "%02d", index + 1))") }?["note"] == .string(text), "closure note \(index)")
        }
        #expect(checks == Self.strings.count * 15)
    }

    @Test func csvImportCellsKeepWhatTheFileHeld() throws {
        let f = try Fixture()
        let owner = try f.db.conninfo(user: f.owner)
        let rows = Self.strings + [Self.long(300)]
        let file = "title,description,requester\r\n" + rows.map { text in
            CSVFormat.rfc4180.record([text, text + "\n" + text, String(text.unicodeScalars.prefix(200))]) + "\r\n"
        }.joined()
        let path = workPath("injection.csv")
        try file.write(toFile: path, atomically: true, encoding: .utf8)
        let imported = try Self.ok(["request", "import", "--system", "VOLIS", path], owner)
        #expect(imported["imported"] == .int(rows.count))
        guard case let .string(first)? = imported["first"], let number = Int(first.split(separator: "-").last ?? "") else {
            Issue.record("no first id: \(imported)")
            return
        }
        for (offset, text) in rows.enumerated() {
            let shown = try Self.ok(["request", "show", "VOLIS-\(number + offset)"], owner)
            #expect(shown["title"] == .string(text), "row \(offset) title")
            // A description's line breaks are stored as LF (a Windows CR LF, a lone CR); every other
            // character as the file held it.
            let lines = (text + "\n" + text).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            #expect(shown["description"] == .string(lines), "row \(offset) description")
            #expect(shown["requester"] == .string(String(text.unicodeScalars.prefix(200))), "row \(offset) requester")
        }
    }

    @Test func textAtItsLimitIsKeptAndOneOverIsRefusedCleanly() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo(), owner = try f.db.conninfo(user: f.owner)
        let proposed = try f.request(in: "proposed")
        // (field, limit, the command line with the text in it)
        let fields: [(String, Int, (String) -> [String])] = [
            ("title", 300, { ["request", "new", "--system", "VOLIS", "--title", $0] }),
            ("description", 20_000, { ["request", "new", "--system", "VOLIS", "--title", "t", "--description", $0] }),
            ("requester", 200, { ["request", "new", "--system", "VOLIS", "--title", "t", "--requester", $0] }),
            ("comment", 10_000, { ["request", "comment", proposed, $0] }),
            ("system name", 200, { ["system", "add", "LIM\(($0.unicodeScalars.count) % 1000)", "--name", $0] }),
            ("contract number", 100, { ["contract", "add", "--vendor", "ACME", "--number", $0, "--from", "2090-01-01", "--to", "2090-12-31", "--rate", "1", "--cap", "1"] }),
        ]
        for (name, limit, command) in fields {
            let conninfo = name.hasPrefix("system") || name.hasPrefix("contract") ? admin : owner
            let atLimit = try Binary.run("workflowctl", ["--json"] + command(Self.long(limit)) + ["--database", conninfo])
            #expect(atLimit.status == 0, "\(name) of \(limit): \(atLimit.stderr)")
            let before = try f.fingerprint()
            let over = try Binary.run("workflowctl", command(Self.long(limit + 1)) + ["--database", conninfo])
            #expect(over.status == 65, "\(name) of \(limit + 1): exit \(over.status) \(over.stderr)")
            #expect(over.stderr.hasPrefix("workflowctl: error: ") && over.stderr.filter { $0 == "\n" }.count == 1, "\(name): \(over.stderr)")
            #expect(try f.fingerprint() == before, "\(name): a refused text changed the database")
        }
        // 300 letters with combining accents are 600 scalars: refused before the database's CHECK.
        let combining = String(repeating: "e\u{301}", count: 300)
        let refused = try Binary.run("workflowctl", ["request", "new", "--system", "VOLIS", "--title", combining, "--database", owner])
        #expect(refused.status == 65 && refused.stderr.contains("300"), "\(refused.stderr)")
        // Reading one back: the at-limit title is stored whole.
        let titles = try f.sql().query("SELECT title FROM request WHERE length(title) = 300").map { try $0.decode(0, as: String.self) }
        #expect(titles == [Self.long(300)])
    }
}
