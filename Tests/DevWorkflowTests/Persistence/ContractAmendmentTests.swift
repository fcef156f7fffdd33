import Foundation
import Testing
@testable import DevWorkflow

/// A framework contract amended (sql/0039): a new last day, a new cap, each recorded in the audit
/// log, and refused where it would break what the contract already carries — a cap below what its
/// orders use, an end before the start or before an order placed under it, an end that runs into
/// the vendor's next contract (the rule `contract add` asks too). A refusal changes nothing.
@Suite struct ContractAmendmentTests {
    static func contract(_ f: Fixture, _ number: String) throws -> (to: LocalDate, cap: String, used: String) {
        let row = try f.sql().query("SELECT valid_to, cap::text, used::text FROM workflow.contract WHERE number = \(number)").first!
        return (try row.decode(0), try row.decode(1), try row.decode(2))
    }

    @Test func aContractIsAmendedWithinWhatItCarries() throws {
        let f = try Fixture()
        let admin = try f.store()
        _ = try f.request(in: "ordered")   // an order under RL-ACME, placed today
        let before = try Self.contract(f, "RL-ACME")
        #expect(before.used != "0.00")

        // Later and larger: both at once, recorded old → new.
        let later = before.to.adding(days: 180)
        let now = try admin.amendContract("RL-ACME", to: later, cap: Money(cents: 900_000_000))
        #expect(now["valid_to"] == .string("\(later)") && now["cap"] == .number("9000000.00"), "\(now)")
        let record = try f.sql().query("""
            SELECT new::text FROM workflow.audit WHERE kind = 'contract' AND object = 'RL-ACME' AND action = 'update' ORDER BY seq DESC LIMIT 1
            """).first!.decode(0, as: String.self)
        #expect(record.contains("\"cap\": 9000000.00") && record.contains("\"valid_to\": \"\(later)\""), "\(record)")

        // What it may not become; each refusal leaves the contract as it was.
        let amended = try Self.contract(f, "RL-ACME")
        let below = refusal { _ = try admin.amendContract("RL-ACME", to: nil, cap: Money(cents: 100)) }
        #expect(below?.text.key == "error.cap_below_used" && below?.code == .invalidData)
        let early = refusal { _ = try admin.amendContract("RL-ACME", to: Fixture.today.adding(days: -1), cap: nil) }
        #expect(early?.text.key == "error.contract_end_before_order", "\(String(describing: early))")
        let backwards = refusal { _ = try admin.amendContract("RL-ACME", to: Fixture.today.adding(days: -400), cap: nil) }
        #expect(backwards?.text.key == "error.contract_period")
        let missing = refusal { _ = try admin.amendContract("RL-NOPE", to: nil, cap: Money(cents: 100)) }
        #expect(missing?.text.key == "error.no_such_contract" && missing?.code == .notFound)
        let vendor = refusal { _ = try f.store(as: f.vendorA).amendContract("RL-ACME", to: nil, cap: Money(cents: 900_000_100)) }
        #expect(vendor?.code == .notPermitted)
        #expect(try Self.contract(f, "RL-ACME") == amended)

        // The vendor's next contract: adding one into the amended period is refused, and so is
        // amending the first into one added after it.
        let into = refusal {
            try admin.addContract(vendor: "ACME", number: "RL-ACME-2", from: later, to: later.adding(days: 365), rate: Money(cents: 8000),
                                  cap: Money(cents: 1_000_000))
        }
        #expect(into?.text.key == "error.contract_overlap")
        try admin.addContract(vendor: "ACME", number: "RL-ACME-2", from: later.adding(days: 1), to: later.adding(days: 365),
                              rate: Money(cents: 8000), cap: Money(cents: 1_000_000))
        let overlap = refusal { _ = try admin.amendContract("RL-ACME", to: later.adding(days: 30), cap: nil) }
        #expect(overlap?.text.key == "error.contract_overlap" && overlap?.text.text(.en).contains("RL-ACME-2") == true,
                "\(String(describing: overlap?.text.text(.en)))")
        // Ending it early, after its last order, is what lets a successor start sooner.
        _ = try admin.amendContract("RL-ACME", to: Fixture.today, cap: nil)
        #expect(try Self.contract(f, "RL-ACME").to == Fixture.today)

        // The command line: nothing to change is a usage error; the amendment is told in words.
        let nothing = try Binary.run("workflowctl", ["contract", "amend", "--number", "RL-ACME", "--database", try f.db.conninfo()])
        #expect(nothing.status == 64, "\(nothing.stderr)")
        let told = try Binary.run("workflowctl", ["contract", "amend", "--number", "RL-ACME", "--cap", "9 500 000", "--lang", "en",
                                                  "--database", try f.db.conninfo()])
        #expect(told.status == 0 && told.stdout.contains("contract RL-ACME is valid") && told.stdout.contains("cap \(ReportFormatting.for(.en).money(Money(cents: 950_000_000)))"), "\(told.stdout)\(told.stderr)")
    }
}
