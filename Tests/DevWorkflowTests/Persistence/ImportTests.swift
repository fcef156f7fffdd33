import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ImportTests {
    static func file(_ rows: Int, bad: Int? = nil) throws -> String {
        let path = (ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? NSTemporaryDirectory()) + "/import-\(UUID().uuidString).csv"
        var text = "title,description,requester\r\n"
        text.reserveCapacity(rows * 60)
        for i in 1...rows {
            if i == bad {
                text += "\"\",\"no title on this line\",rein\r\n"
            } else if i % 1000 == 0 {
                text += "\"Rida \(i): \"\"jutumärgid\"\", koma; ja\nreavahetus õäöü\",\"kirjeldus\",tiina@vald.example\r\n"
            } else {
                text += "Muudatus \(i),Kirjeldus \(i),\r\n"
            }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func oneHundredThousandRowsImportInOneGo() throws {
        let f = try Fixture()
        _ = try f.request(in: "proposed")  // VOLIS-1 exists: the import continues the numbering
        let path = try Self.file(100_000)
        let started = Date()
        let result = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", path, "--json", "--database", try f.db.conninfo(user: f.owner)])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue.parse(result.stdout)
        #expect(json["imported"] == .number("100000"))
        #expect(json["first"] == .string("VOLIS-2"))
        #expect(json["last"] == .string("VOLIS-100001"))
        let c = try f.sql()
        #expect(try c.query("SELECT count(*) FROM request WHERE system = 'VOLIS'").first!.decode(0, as: Int.self) == 100_001)
        #expect(try c.query("SELECT count(*) FROM event WHERE transition = 'propose'").first!.decode(0, as: Int.self) == 100_001)
        #expect(try c.query("SELECT title FROM request WHERE id = 'VOLIS-1001'").first!.decode(0, as: String.self)
            == "Rida 1000: \"jutumärgid\", koma; ja\nreavahetus õäöü")
        #expect(try c.query("SELECT requester_login IS NULL, requester FROM request WHERE id = 'VOLIS-3'").first!.decode(1, as: String.self) == f.owner)
        // Backlogs are not news: nobody was notified of the imported rows.
        #expect(try c.query("SELECT count(*) FROM outbox WHERE request_id <> 'VOLIS-1'").first!.decode(0, as: Int.self) == 0)
        print("import of 100000 rows through workflowctl: \(String(format: "%.1f", seconds)) s")
    }

    @Test func oneBadLineImportsNothingAndNamesTheLine() throws {
        let f = try Fixture()
        let before = try f.fingerprint()
        // Row 5000 starts on line 5005: after the header and four earlier rows that span two lines.
        let path = try Self.file(10_000, bad: 5000)
        let result = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", path, "--database", try f.db.conninfo(user: f.owner)])
        #expect(result.status == 65)
        #expect(result.stderr == "workflowctl: error: line 5005: the title is empty: a request needs a title\n")
        #expect(try f.fingerprint() == before)
    }

    /// Excel in Estonian locale ends a sheet with rows of separators only (`;;`): skipped as blank
    /// lines are, and still counted in the line numbers of the rows after them.
    @Test func rowsOfSeparatorsOnlyAreSkippedAsBlankLines() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        let saved = "\u{FEFF}pealkiri;kirjeldus;taotleja\r\nEsimene;kirjeldus;Mari\r\nTeine;;\r\n;;\r\n;;\r\n ; ;\t\r\n"
        let done = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "-", "--database", conninfo], input: saved,
                                  environment: ["LANG": "et_EE.UTF-8"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout == "imporditud 2 arendustellimust süsteemi VOLIS: VOLIS-1 kuni VOLIS-2\n", "\(done.stdout)")
        #expect(done.stderr.isEmpty, "no warning of repeated empty titles: \(done.stderr)")
        // A bad row after them is named by its own line.
        let before = try f.fingerprint()
        let bad = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "-", "--database", conninfo],
                                 input: "pealkiri;kirjeldus;taotleja\nKolmas;;\n;;\n;ilma pealkirjata;\n;;\n")
        #expect(bad.status == 65)
        #expect(bad.stderr == "workflowctl: error: line 4: the title is empty: a request needs a title\n", "\(bad.stderr)")
        #expect(try f.fingerprint() == before)
    }

    /// Excel's plain "CSV" is Windows-1257 or ISO-8859-15, not UTF-8: refused, saying how to save it.
    @Test func aFileNotInUTF8IsRefusedSayingToSaveItAsCSVUTF8() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        let before = try f.fingerprint()
        let latin = Array("title\nP".utf8) + [0xF5] + Array("ld\n".utf8)  // "Põld" in Windows-1257 and ISO-8859-15
        for (language, expected) in [("en_US.UTF-8", "workflowctl: error: line 2: text is not valid UTF-8: save the file as UTF-8 (in Excel, the file type 'CSV UTF-8')\n"),
                                     ("et_EE.UTF-8", "workflowctl: error: rida 2: tekst ei ole korrektne UTF-8: salvestage fail UTF-8 kodeeringus (Excelis failitüüp „CSV UTF-8”)\n")] {
            let run = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "-", "--database", conninfo], bytes: latin,
                                     environment: ["LANG": language])
            #expect(run.status == 65)
            #expect(run.stderr == expected, "\(run.stderr)")
        }
        #expect(try f.fingerprint() == before)
    }

    @Test func badFilesAreRefusedClearly() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        let cases: [(String, Int32, String)] = [
            ("", 65, "the file is empty"),
            ("name,description\nx,y\n", 65, "line 1: unknown column 'name'"),
            ("description\nx\n", 65, "line 1: no title column"),
            ("title,description\nok,fine\nonly one field\n", 65, "line 3: expected 2 fields"),
            ("title\n\"unterminated\n", 65, "line 2"),
            // Named as the file wrote them: a first row that is data, not a header, and an
            // Estonian header's columns.
            ("Just A Title\nSecond\n", 65, "line 1: unknown column 'Just A Title'"),
            ("Pealkiri;Kirjeldus\nok;fine\nonly one field\n", 65, "line 3: expected 2 fields (Pealkiri,Kirjeldus)"),
        ]
        for (text, status, message) in cases {
            let result = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "-", "--database", conninfo], input: text)
            #expect(result.status == status, "\(text.debugDescription): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(text.debugDescription): \(result.stderr)")
        }
        #expect(try Binary.run("workflowctl", ["request", "import", "--system", "NOPE", "-", "--database", conninfo], input: "title\nx\n").status == 66)
        // A file that cannot be read is an I/O error with the system's reason (item 10 of issue 12).
        let missing = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "/nonexistent.csv", "--database", conninfo])
        #expect(missing.status == 74 && missing.stderr == "workflowctl: error: cannot read /nonexistent.csv: No such file or directory\n", "\(missing.stderr)")
        let vendor = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "-", "--database", try f.db.conninfo(user: f.vendorA)], input: "title\nx\n")
        #expect(vendor.status == 77)
        #expect(try f.sql().query("SELECT count(*) FROM request").first!.decode(0, as: Int.self) == 0)
        // One row names its request once; more name the first and the last.
        let one = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "-", "--database", conninfo], input: "title\nÜks\n",
                                 environment: ["LANG": "en_US.UTF-8"])
        #expect(one.stdout == "imported 1 request into VOLIS: VOLIS-1\n", "\(one.stdout)")
        let two = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", "-", "--database", conninfo], input: "title\nKaks\nKolm\n",
                                 environment: ["LANG": "et_EE.UTF-8"])
        #expect(two.stdout == "imporditud 2 arendustellimust süsteemi VOLIS: VOLIS-2 kuni VOLIS-3\n", "\(two.stdout)")
    }
}
