import Foundation
import Testing
@testable import DevWorkflow

@Suite struct RequestMachineTests {
    static let today = LocalDate(year: 2026, month: 12, day: 21)!
    static let calendar = BusinessCalendar()
    static let admin = Actor(login: "admin", role: .admin)
    static let owner = Actor(login: "piret", role: .productOwner, systems: ["VOLIS"])
    static let strangerOwner = Actor(login: "olev", role: .productOwner, systems: ["KOVTP"])
    static let acme = Actor(login: "anna", role: .vendor, vendor: "ACME")
    static let beta = Actor(login: "bert", role: .vendor, vendor: "BETA")
    static let requester = Actor(login: "rein", role: .requester)

    static func contract(_ vendor: String, cap: Int64 = 5_000_000, used: Int64 = 0, to: LocalDate = LocalDate(year: 2027, month: 12, day: 31)!) -> ContractFacts {
        ContractFacts(vendor: vendor, number: "RL-\(vendor)", validFrom: LocalDate(year: 2025, month: 1, day: 1)!, validTo: to,
                      cap: Money(cents: cap), used: Money(cents: used))
    }

    static func facts(_ state: String, version: Int = 1, quoted: Bool = false, ordered: Bool = false,
                      budgetLeft: Int64 = 10_000_000, contracts: [ContractFacts]? = nil) -> RequestFacts {
        let quote = QuoteFacts(hours: 10, price: Money(cents: 120_000), delivery: LocalDate(year: 2027, month: 1, day: 29)!)
        return RequestFacts(id: "VOLIS-7", system: "VOLIS", state: state, version: version,
                            invitations: [InvitationFacts(vendor: "ACME", due: today, quote: quoted ? quote : nil),
                                          InvitationFacts(vendor: "BETA", due: today)],
                            orderedVendor: ordered ? "ACME" : nil,
                            contracts: contracts ?? [contract("ACME"), contract("BETA"), contract("GAMMA", to: LocalDate(year: 2026, month: 6, day: 30)!)],
                            budget: BudgetFacts(year: 2026, amount: Money(cents: 10_000_000), used: Money(cents: 10_000_000 - budgetLeft)),
                            knownVendors: ["ACME", "BETA", "GAMMA"])
    }

    func refusal(_ machine: inout RequestMachine, _ name: String, by actor: Actor?, _ inputs: TransitionInputs = .init()) -> WorkflowError? {
        do {
            _ = try machine.move(name, by: actor, inputs: inputs, today: Self.today, calendar: Self.calendar)
            return nil
        } catch let error as WorkflowError {
            return error
        } catch {
            return WorkflowError(.internalError, Message("error.internal", ["reason": "\(error)"]))
        }
    }

    @Test func aRequestWalksTheWholeRoadWithAReturn() throws {
        var m = RequestMachine(facts: Self.facts("proposed"))
        let t = Self.today, c = Self.calendar
        #expect(try m.move("prioritise", by: Self.owner, inputs: .init(priority: 1), today: t, calendar: c).to == "prioritised")
        let invite = try m.move("request_quote", by: Self.owner, inputs: .init(vendors: ["ACME", "BETA"]), today: t, calendar: c)
        #expect(invite.to == "quote_requested")
        // Five business days after Monday 21 Dec 2026, skipping 24, 25 Dec and the weekend: 30 Dec.
        #expect(invite.inputs.due == LocalDate(year: 2026, month: 12, day: 30))
        m = RequestMachine(facts: Self.facts("quote_requested", version: 3))
        let quote = try m.move("quote", by: Self.acme, inputs: .init(hours: 10, price: Money(cents: 120_000), delivery: LocalDate(year: 2027, month: 1, day: 29)),
                               today: t, calendar: c)
        #expect(quote.inputs.vendor == "ACME")
        #expect(quote.expectedVersion == 3)
        m = RequestMachine(facts: Self.facts("quoted", version: 4, quoted: true))
        let order = try m.move("order", by: Self.owner, inputs: .init(vendor: "ACME"), today: t, calendar: c)
        #expect(order.inputs.deadline == LocalDate(year: 2027, month: 1, day: 29))
        #expect(m.state == "ordered" && m.version == 5)
        m = RequestMachine(facts: Self.facts("ordered", version: 5, quoted: true, ordered: true))
        #expect(try m.move("deliver", by: Self.acme, inputs: .init(note: "valmis"), today: t, calendar: c).to == "delivered")
        #expect(try m.move("return", by: Self.owner, inputs: .init(reason: "viga"), today: t, calendar: c).to == "ordered")
        #expect(try m.move("deliver", by: Self.owner, inputs: .init(note: "parandatud"), today: t, calendar: c).inputs.vendor == "ACME")
        #expect(try m.move("accept", by: Self.admin, inputs: .init(), today: t, calendar: c).to == "accepted")
        #expect(try m.move("release", by: Self.owner, inputs: .init(versionName: "2.1"), today: t, calendar: c).to == "released")
        #expect(m.version == 10)
        #expect(m.options(for: Self.admin).isEmpty)
    }

    @Test func aWrongStateNamesTheTransitionsAllowedNow() {
        var m = RequestMachine(facts: Self.facts("quoted", quoted: true))
        let error = refusal(&m, "accept", by: Self.owner)
        #expect(error?.code == .invalidData)
        #expect(error?.message == "VOLIS-7 is quoted: 'accept' is not possible now; allowed now: quote, order, cancel")
        #expect(refusal(&m, "fly", by: Self.owner)?.message.hasPrefix("unknown transition 'fly'") == true)
        #expect(m.state == "quoted" && m.version == 1)
    }

    @Test func missingAndBadInputsAreRefused() {
        var m = RequestMachine(facts: Self.facts("proposed"))
        #expect(refusal(&m, "prioritise", by: Self.owner)?.code == .usage)
        #expect(refusal(&m, "prioritise", by: Self.owner)?.message == "'prioritise' needs --priority N")
        #expect(refusal(&m, "prioritise", by: Self.owner, .init(priority: 9))?.code == .invalidData)
        #expect(refusal(&m, "prioritise", by: Self.owner, .init(priority: 0))?.message.contains("expected 1 (highest) to 5") == true)
        #expect(refusal(&m, "prioritise", by: Self.owner, .init(priority: 2, reason: "x"))?.message == "'prioritise' does not take --reason TEXT")
        #expect(refusal(&m, "reject", by: Self.owner, .init(reason: "   "))?.code == .usage)
        m = RequestMachine(facts: Self.facts("quote_requested"))
        #expect(refusal(&m, "quote", by: Self.acme, .init(hours: 1, price: Money(cents: -100), delivery: Self.today))?.code == .invalidData)
        #expect(refusal(&m, "quote", by: Self.acme, .init(hours: 0, price: Money(cents: 100), delivery: Self.today))?.code == .invalidData)
        #expect(refusal(&m, "quote", by: Self.acme, .init(hours: 1, price: Money(cents: 100), delivery: Self.today.adding(days: -1)))?
            .message.contains("is in the past") == true)
        #expect(refusal(&m, "quote", by: Self.owner, .init(hours: 1, price: Money(cents: 100), delivery: Self.today))?.message.contains("needs --vendor KEY") == true)
        #expect(m.version == 1)
    }

    @Test func whoMayFollowsTheTable() {
        var m = RequestMachine(facts: Self.facts("proposed"))
        #expect(refusal(&m, "prioritise", by: Self.strangerOwner)?.code == .notPermitted)
        #expect(refusal(&m, "prioritise", by: Self.requester)?.code == .notPermitted)
        #expect(refusal(&m, "prioritise", by: Self.acme)?.code == .notPermitted)
        #expect(refusal(&m, "prioritise", by: nil)?.message.contains("no person record") == true)
        m = RequestMachine(facts: Self.facts("quote_requested"))
        let gamma = Actor(login: "g", role: .vendor, vendor: "GAMMA")
        #expect(refusal(&m, "quote", by: gamma, .init(hours: 1, price: Money(cents: 100), delivery: Self.today))?.code == .notPermitted)
        #expect(refusal(&m, "quote", by: Self.acme, .init(vendor: "BETA", hours: 1, price: Money(cents: 100), delivery: Self.today))?.code == .notPermitted)
        m = RequestMachine(facts: Self.facts("ordered", quoted: true, ordered: true))
        let error = refusal(&m, "deliver", by: Self.beta, .init(note: "x"))
        #expect(error?.code == .notPermitted)
        #expect(error?.message == "bert (vendor BETA) may not deliver VOLIS-7: that is for the ordered vendor, a product owner of VOLIS or an admin")
        let options = m.options(for: Self.beta)
        #expect(options.map(\.transition) == ["deliver", "cancel"])
        #expect(options.allSatisfy { !$0.allowed })
        #expect(m.options(for: Self.acme).map(\.allowed) == [true, false])
    }

    @Test func guardsRefuseWhatTheMoneyOrContractsDoNotAllow() {
        var m = RequestMachine(facts: Self.facts("prioritised"))
        let expired = refusal(&m, "request_quote", by: Self.owner, .init(vendors: ["ACME", "GAMMA"]))
        #expect(expired?.code == .invalidData)
        #expect(expired?.message == "vendor GAMMA has no contract valid on 2026-12-21 (contract RL-GAMMA is valid 2025-01-01 to 2026-06-30)")
        #expect(refusal(&m, "request_quote", by: Self.owner, .init(vendors: ["NOPE"]))?.code == .notFound)
        #expect(refusal(&m, "request_quote", by: Self.owner, .init(vendors: ["ACME", "ACME"]))?.code == .invalidData)

        m = RequestMachine(facts: Self.facts("quoted", quoted: true, budgetLeft: 119_999))
        #expect(refusal(&m, "order", by: Self.owner, .init(vendor: "ACME"))?.message
            == "price 1\u{202F}200.00\u{A0}€ exceeds the budget left for VOLIS in 2026 (1\u{202F}199.99\u{A0}€ of 100\u{202F}000.00\u{A0}€)")
        m = RequestMachine(facts: Self.facts("quoted", quoted: true, budgetLeft: 120_000))
        #expect(refusal(&m, "order", by: Self.owner, .init(vendor: "ACME")) == nil)

        m = RequestMachine(facts: Self.facts("quoted", quoted: true, contracts: [Self.contract("ACME", cap: 500_000, used: 400_000)]))
        #expect(refusal(&m, "order", by: Self.owner, .init(vendor: "ACME"))?.message
            == "price 1\u{202F}200.00\u{A0}€ exceeds the cap left on contract RL-ACME (1\u{202F}000.00\u{A0}€ of 5\u{202F}000.00\u{A0}€)")
        m = RequestMachine(facts: Self.facts("quoted", quoted: true))
        #expect(refusal(&m, "order", by: Self.owner, .init(vendor: "BETA"))?.message == "vendor BETA has not quoted for VOLIS-7; quoted: ACME")
        m = RequestMachine(facts: Self.facts("quote_requested"))
        #expect(refusal(&m, "quote", by: Self.owner, .init(vendor: "GAMMA", hours: 1, price: Money(cents: 1), delivery: Self.today))?.message
            == "vendor GAMMA was not invited to quote for VOLIS-7")
    }
}
