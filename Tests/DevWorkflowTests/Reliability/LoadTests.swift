import Foundation
import Testing
@testable import DevWorkflow

/// The load test's library half in seconds (the minute-long run with CLI processes beside it is
/// scripts/reliability.d/10-load): connections racing on the same requests lose no update.
@Suite struct LoadTests {
    @Test func racingLibraryConnectionsLoseNoUpdateAndEveryRefusalIsAConflictOrAGuard() throws {
        let f = try Fixture()
        let store = try f.store(as: f.owner)
        // Few requests for four connections: they race on the same rows, so refusals must come.
        let ids = try (0..<3).map { n in try store.propose(system: "VOLIS", title: "Koormus \(n)").id }
        let log = workPath("load.tsv")
        let result = try Binary.run("workflow-bench", ["load", "--database", try f.db.conninfo(user: f.owner), "--connections", "4",
                                                       "--seconds", "2", "--seed", "11", "--log", log])
        #expect(result.status == 0, "\(result.stderr)")
        let counts = try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        func count(_ key: String) -> Int { Int(counts[key]?.plain ?? "") ?? -1 }
        #expect(count("unexplained") == 0, "\(counts.text)")
        // The run raced (conflicts came back), and each kind was counted (-1: missing from the output).
        #expect(count("successes") > 0, "\(counts.text)")
        #expect(count("conflicts") > 0, "connections that never collide prove nothing: \(counts.text)")
        #expect(count("guards") >= 0, "\(counts.text)")
        #expect(count("operations") == count("successes") + count("conflicts") + count("guards") + count("unexplained"))

        // Every success is exactly one event, and every event after the proposal one success.
        let c = try f.sql()
        var events: [String: String] = [:]
        for row in try c.query("SELECT request_id, seq, transition FROM event WHERE seq > 1") {
            events["\(try row.decode(0, as: String.self)) \(try row.decode(1, as: Int.self))"] = try row.decode(2, as: String.self)
        }
        let successes = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(successes.count == count("successes"))
        #expect(Set(successes.map { "\($0[0]) \($0[1])" }).count == successes.count, "no move reported twice")
        for success in successes {
            #expect(events["\(success[0]) \(success[1])"] == success[2], "\(success) is in the history")
        }
        #expect(events.count == successes.count, "no event without a success")
        for id in ids {
            let row = try c.query("SELECT version, (SELECT count(*) FROM event WHERE request_id = \(id)) FROM request WHERE id = \(id)").first!
            #expect(try row.decode(0, as: Int.self) == row.decode(1, as: Int.self), "\(id): version = its number of events")
        }
    }
}
