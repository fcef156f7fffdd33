import Foundation
import Testing
@testable import DevWorkflow

/// Issue 7, item 3 in CI: every input the fuzzers saved (`fuzz/corpus/TARGET/`, crashes they
/// found included) replayed through the same probes the fuzzers run, and the saved CSV inputs
/// through the real `workflowctl request import` against a database: accepted inputs read back as
/// they were written, rejected ones end in one clean error line and change nothing.
@Suite struct BadInputCorpusTests {
    /// The repository's fuzz/corpus folder, found from this file.
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fuzz/corpus")

    static func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = corpus.appendingPathComponent(target)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
            (name, Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }

    @Test(arguments: BadInputProbe.targets)
    func everySavedInputIsHandledCleanly(target: String) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 15, "fuzz/corpus/\(target) holds \(inputs.count) inputs")
        var accepted = 0
        for (name, bytes) in inputs {
            let result = BadInputProbe.run(target, bytes)
            if result.accepted { accepted += 1 }
            for violation in result.violations { Issue.record("fuzz/corpus/\(target)/\(name): \(violation)") }
        }
        // Both sides are exercised: some inputs are taken, some refused.
        #expect(accepted > 0 && accepted < inputs.count, "\(target): \(accepted) of \(inputs.count) accepted")
    }

    /// The properties hold on inputs written by hand too (so the probes can fail at all).
    @Test func theProbesCatchWhatTheyLookFor() {
        #expect(BadInputProbe.run("money", Array("12.50".utf8)).accepted)
        #expect(!BadInputProbe.run("money", Array("1-2".utf8)).accepted, "1-2 is neither money nor hours")
        #expect(BadInputProbe.run("date", Array("2026-02-30".utf8)).violations.isEmpty)
        #expect(BadInputProbe.run("cli", Array("calendar\0add\02026-01-01\0-9223372036854775808".utf8)).violations.isEmpty)
        var result = BadInputProbe.Result()
        BadInputProbe.checkRejection(CocoaError(.fileNoSuchFile), ["usage"], "x", &result)
        BadInputProbe.checkRejection(WorkflowError(.internalError, Message("error.option_value", ["option": "--x"])), ["usage"], "y", &result)
        #expect(result.violations.count == 3, "\(result.violations)")  // not a WorkflowError; wrong code; {problem} unfilled
        #expect(TransitionInputs.parseHours("7,25") == Decimal(string: "7.25"))
        // A flag given a value is refused, not taken as the flag.
        for line in [["--json=false", "workflow", "show"], ["workflow", "show", "--help=no"]] {
            var global = GlobalOptions()
            #expect(throws: WorkflowError.self, "\(line)") { try WorkflowCtl.parse(line, global: &global) }
        }
        for bad in ["1-2", "-", ".", "1.", "1.999", "1e3", "--1", String(repeating: "9", count: 40)] {
            #expect(TransitionInputs.parseHours(bad) == nil, "\(bad)")
        }
    }

    /// Every saved CSV input through the binary's import, against a real database: all rows or
    /// none, each stored row as the file had it, each refusal one line with exit 65.
    @Test func savedCSVInputsThroughTheRealImport() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        let store = try f.store()
        var imported = 0, refused = 0
        for (name, bytes) in try Self.inputs("csv") {
            let path = workPath("corpus.csv")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let before = try f.fingerprint()
            let result = try Binary.run("workflowctl", ["--json", "request", "import", "--system", "VOLIS", path, "--database", conninfo])
            // What the file holds, as the reader and the import's checks see it.
            var expected: [(title: String, description: String, requester: String)] = []
            var readable = true
            do {
                let reader = CSVReader(bytes: bytes)
                if let (_, header) = try reader.next() {
                    let layout = try WorkflowStore.ImportLayout(header: header)
                    while let (line, fields) = try reader.next() {
                        if let row = try layout.row(line: line, fields: fields) { expected.append(row) }
                    }
                    // The database's rules for a request's text (propose_many), as a model here.
                    readable = expected.allSatisfy { row in
                        !row.title.isEmpty && row.title.unicodeScalars.count <= 300 && row.description.unicodeScalars.count <= 20_000
                            && row.requester.unicodeScalars.count <= 200
                    }
                } else {
                    readable = false
                }
            } catch {
                readable = false
            }
            if result.status == 0 {
                imported += 1
                #expect(readable, "\(name): imported, but the checks refuse it")
                let document = try JSONValue.parse(result.stdout)
                #expect(document["imported"] == .int(expected.count), "\(name): \(result.stdout)")
                if case let .string(first)? = document["first"], let number = Int(first.split(separator: "-").last ?? "") {
                    for (offset, row) in expected.enumerated() {
                        let id = "VOLIS-\(number + offset)"
                        let details = try store.details(id)
                        #expect(details["title"] == .string(row.title), "\(name) \(id)")
                        #expect(details["description"] == .string(row.description), "\(name) \(id)")
                        // The database keeps the requester without surrounding spaces (btrim), else the proposer.
                        let requester = String(row.requester.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
                        #expect(details["requester"] == .string(requester.isEmpty ? f.owner : requester), "\(name) \(id)")
                    }
                }
            } else {
                refused += 1
                #expect(result.status == 65, "\(name): exit \(result.status): \(result.stderr)")
                #expect(result.stderr.hasPrefix("workflowctl: error: ") && result.stderr.filter { $0 == "\n" }.count == 1, "\(name): \(result.stderr)")
                #expect(try JSONValue.parse(result.stdout)["error"]?["code"] == .string("invalid_data"), "\(name)")
                #expect(!readable, "\(name): the import refused what its own checks take: \(result.stderr)")
                #expect(try f.fingerprint() == before, "\(name): a refused import changed the database")
            }
        }
        #expect(imported > 0 && refused > 0, "imported \(imported), refused \(refused)")
    }
}
