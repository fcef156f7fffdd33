import Foundation

/// A framework contract as the guards see it: validity, cap and what is already ordered under it.
public struct ContractFacts: Sendable, Equatable, Codable {
    public let vendor: String
    public let number: String
    public let validFrom: LocalDate
    public let validTo: LocalDate
    public let cap: Money
    /// The sum of orders under this contract that were not cancelled.
    public let used: Money

    public init(vendor: String, number: String, validFrom: LocalDate, validTo: LocalDate, cap: Money, used: Money) {
        self.vendor = vendor
        self.number = number
        self.validFrom = validFrom
        self.validTo = validTo
        self.cap = cap
        self.used = used
    }

    public func isValid(on date: LocalDate) -> Bool { validFrom <= date && date <= validTo }
    public var left: Money { cap - used }

    enum CodingKeys: String, CodingKey {
        case vendor, number, cap, used
        case validFrom = "valid_from"
        case validTo = "valid_to"
    }
}

/// A system's budget for one year and what orders have committed or spent of it.
public struct BudgetFacts: Sendable, Equatable, Codable {
    public let year: Int
    public let amount: Money
    /// Ordered and delivered but not yet accepted, plus accepted or released, in that year.
    public let used: Money

    public init(year: Int, amount: Money, used: Money) {
        self.year = year
        self.amount = amount
        self.used = used
    }

    public var left: Money { amount - used }
}

/// A vendor's invitation to quote, with its quote once it has one.
public struct InvitationFacts: Sendable, Equatable, Codable {
    public let vendor: String
    public let due: LocalDate
    public let quote: QuoteFacts?

    public init(vendor: String, due: LocalDate, quote: QuoteFacts? = nil) {
        self.vendor = vendor
        self.due = due
        self.quote = quote
    }
}

/// A vendor's quote: hours, price, promised delivery.
public struct QuoteFacts: Sendable, Equatable, Codable {
    public let hours: Decimal
    public let price: Money
    public let delivery: LocalDate

    public init(hours: Decimal, price: Money, delivery: LocalDate) {
        self.hours = hours
        self.price = price
        self.delivery = delivery
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let hoursText = try container.decode(String.self, forKey: .hours)
        guard let hours = Decimal(string: hoursText, locale: Locale(identifier: "en_US_POSIX")) else {
            throw DecodingError.dataCorruptedError(forKey: .hours, in: container, debugDescription: "hours '\(hoursText)'")
        }
        self.hours = hours
        self.price = try container.decode(Money.self, forKey: .price)
        self.delivery = try container.decode(LocalDate.self, forKey: .delivery)
    }
}

/// What the guards need to know about a request and its procurement, read in one query.
public struct RequestFacts: Sendable, Equatable, Codable {
    public let id: String
    public let system: String
    public let state: String
    public let version: Int
    public let invitations: [InvitationFacts]
    /// The vendor the request was ordered from.
    public let orderedVendor: String?
    /// Contracts of the vendors the move names.
    public let contracts: [ContractFacts]
    /// The system's budget for the year of today, if one is set and visible.
    public let budget: BudgetFacts?
    /// Which of the vendors the move names exist.
    public let knownVendors: [String]

    public init(id: String, system: String, state: String, version: Int, invitations: [InvitationFacts] = [],
                orderedVendor: String? = nil, contracts: [ContractFacts] = [], budget: BudgetFacts? = nil, knownVendors: [String] = []) {
        self.id = id
        self.system = system
        self.state = state
        self.version = version
        self.invitations = invitations
        self.orderedVendor = orderedVendor
        self.contracts = contracts
        self.budget = budget
        self.knownVendors = knownVendors
    }

    public func invitation(_ vendor: String) -> InvitationFacts? { invitations.first { $0.vendor == vendor } }

    /// The facts after a decision was written: new state and version, and what its effect changed
    /// (invitations, the vendor's quote, the order with the budget and cap it used). A caller
    /// that keeps facts between moves stays in step; the database's version check catches any
    /// change made by someone else.
    public func applying(_ decision: RequestMachine.Decision, today: LocalDate) -> RequestFacts {
        var invitations = self.invitations
        var orderedVendor = self.orderedVendor
        var contracts = self.contracts
        var budget = self.budget
        let inputs = decision.inputs
        switch decision.effect {
        case .none, .prioritise, .deliver, .accept, .returnToVendor, .release:
            break
        case .close:
            orderedVendor = decision.to == "cancelled" ? nil : orderedVendor
        case .invite:
            for vendor in inputs.vendors {
                invitations.removeAll { $0.vendor == vendor }
                invitations.append(InvitationFacts(vendor: vendor, due: inputs.due ?? today))
            }
            invitations.sort { $0.vendor < $1.vendor }
        case .quote:
            if let vendor = inputs.vendor, let hours = inputs.hours, let price = inputs.price, let delivery = inputs.delivery,
               let index = invitations.firstIndex(where: { $0.vendor == vendor }) {
                invitations[index] = InvitationFacts(vendor: vendor, due: invitations[index].due,
                                                     quote: QuoteFacts(hours: hours, price: price, delivery: delivery))
            }
        case .order:
            orderedVendor = inputs.vendor
            if let vendor = inputs.vendor, let price = invitation(vendor)?.quote?.price {
                if let index = contracts.firstIndex(where: { $0.vendor == vendor && $0.isValid(on: today) && price <= $0.left }) {
                    let c = contracts[index]
                    contracts[index] = ContractFacts(vendor: c.vendor, number: c.number, validFrom: c.validFrom, validTo: c.validTo,
                                                     cap: c.cap, used: c.used + price)
                }
                if let b = budget { budget = BudgetFacts(year: b.year, amount: b.amount, used: b.used + price) }
            }
        }
        return RequestFacts(id: id, system: system, state: decision.to, version: decision.expectedVersion + 1, invitations: invitations,
                            orderedVendor: orderedVendor, contracts: contracts, budget: budget, knownVendors: knownVendors)
    }

    enum CodingKeys: String, CodingKey {
        case id, system, state, version, invitations, contracts, budget
        case orderedVendor = "ordered_vendor"
        case knownVendors = "known_vendors"
    }
}
