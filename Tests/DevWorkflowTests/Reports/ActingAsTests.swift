import Foundation
import Testing
@testable import DevWorkflow

/// An admin acting for someone (`--as`) gets that person's answer from the reports and calendar
/// feeds, as from `request show`: the admin of the test cluster is a superuser, which those
/// functions took for workflowd's login and let through (sql/0027). And a vendor's user asking
/// for a staff report is refused with words, not the tables' "permission denied".
@Suite struct ActingAsTests {
    func run(_ f: Fixture, _ arguments: [String], as login: String? = nil, user: String? = nil) throws -> (status: Int32, key: String?, stdout: String) {
        let result = try Binary.run("workflowctl", ["--json"] + arguments + (login.map { ["--as", $0] } ?? [])
                                        + ["--database", try f.db.conninfo(user: user)], environment: ["LANG": "en_US.UTF-8"])
        return (result.status, (try? JSONValue.parse(result.stdout))?["error"]?["message_key"]?.plain, result.stdout)
    }

    /// `--as ""` (an unset shell variable) ran as the admin; it is a usage error, before anything runs.
    @Test func anEmptyAsIsAUsageErrorNotTheAdmin() throws {
        let f = try Fixture()
        let before = try f.fingerprint()
        for arguments in [["--as", "", "request", "list"], ["request", "list", "--as", "  "], ["--as=", "request", "list"],
                          ["request", "new", "--system", "VOLIS", "--title", "Tühja --as-iga", "--as", ""]] {
            let result = try Binary.run("workflowctl", arguments + ["--database", try f.db.conninfo()], environment: ["LANG": "en_US.UTF-8"])
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
            #expect(result.stderr == "workflowctl: error: --as needs a person's login, not an empty text (without --as you act as yourself)\n",
                    "\(arguments): \(result.stderr)")
        }
        #expect(try f.fingerprint() == before)
    }

    @Test func reportsAndFeedsAnswerThePersonActedFor() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")                                  // from ACME
        // Another vendor's report and calendar: as if it did not exist, acted for or logged in.
        for (login, user) in [(f.vendorA, nil), (nil, f.vendorA)] as [(String?, String?)] {
            #expect(try run(f, ["report", "vendor", "BETA"], as: login, user: user).status == 66)
            #expect(try run(f, ["report", "vendor", "ACME"], as: login, user: user).status == 0)
            #expect(try run(f, ["calendar", "feed", "--vendor", "BETA"], as: login, user: user).status == 66)
            #expect(try run(f, ["calendar", "feed", "--vendor", "ACME"], as: login, user: user).status == 0)
            #expect(try run(f, ["report", "penalties"], as: login, user: user).status == 0)
            // The portfolio's reports are staff's: the same refusal, with its key, either way.
            for report in [["report", "status"], ["report", "budget"], ["report", "flow"]] {
                let refused = try run(f, report, as: login, user: user)
                #expect(refused.status == 77 && refused.key == "error.staff_reports", "\(report) \(String(describing: login)): \(refused.stdout)")
            }
        }
        // A requester reads their own calendar, not a product owner's.
        #expect(try run(f, ["calendar", "feed", "--person", f.owner], as: f.requester).status == 66)
        #expect(try run(f, ["calendar", "feed", "--person", f.requester], as: f.requester).status == 0)
        // The admin acting for no one reads everything.
        #expect(try run(f, ["report", "vendor", "BETA"]).status == 0)
        #expect(try run(f, ["report", "status"]).status == 0)
        #expect(try run(f, ["calendar", "feed", "--person", f.owner]).status == 0)
    }
}
