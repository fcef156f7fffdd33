import Foundation

/// A contract's warranty and penalty terms, warranty claims, and holding an order's clock. The
/// database decides every rule (`set_contract_terms`, `open_warranty_claim`, the hold and resume
/// transitions); this passes the values as typed.
extension WorkflowStore {
    /// The terms a contract carries (or an order kept): nil leaves a term as it is.
    public struct ContractTerms: Sendable, Equatable {
        public var warrantyMonths: Int?
        public var fixDays: Int?
        /// Percent of the order's net price per calendar day late.
        public var penaltyPerDay: Decimal?
        /// Percent of the order's net price a penalty may reach at most.
        public var penaltyCap: Decimal?

        public init(warrantyMonths: Int? = nil, fixDays: Int? = nil, penaltyPerDay: Decimal? = nil, penaltyCap: Decimal? = nil) {
            self.warrantyMonths = warrantyMonths
            self.fixDays = fixDays
            self.penaltyPerDay = penaltyPerDay
            self.penaltyCap = penaltyCap
        }

        public var isEmpty: Bool { warrantyMonths == nil && fixDays == nil && penaltyPerDay == nil && penaltyCap == nil }

        var call: SQL { "\(warrantyMonths.map(Int32.init))::integer, \(fixDays.map(Int32.init))::integer, \(penaltyPerDay)::numeric, \(penaltyCap)::numeric" }

        /// The terms as the schema gives them (a contract listing, an order's card).
        public init(_ json: JSONValue?) {
            func number(_ key: String) -> Decimal? { json?[key]?.nonNull.flatMap { Decimal(string: $0.plain) } }
            self.init(warrantyMonths: json?["warranty_months"]?.nonNull.flatMap { Int($0.plain) },
                      fixDays: json?["fix_days"]?.nonNull.flatMap { Int($0.plain) },
                      penaltyPerDay: number("penalty_per_day"), penaltyCap: number("penalty_cap"))
        }
    }

    /// Sets a contract's terms (admins; audited) and returns all its terms now. Orders already
    /// placed keep theirs.
    @discardableResult
    public func setContractTerms(_ number: String, _ terms: ContractTerms) throws -> ContractTerms {
        let text: String = try run("SELECT workflow.set_contract_terms(\(number), \(terms.call))::text", denied: Message("error.admins_only"))
            .first!.decode(0)
        return ContractTerms(try JSONValue.parse(text))
    }

    /// Adds a contract with its terms, both or neither.
    public func addContract(vendor: String, number: String, from: LocalDate, to: LocalDate, rate: Money, cap: Money,
                            terms: ContractTerms) throws {
        guard !terms.isEmpty else { return try addContract(vendor: vendor, number: number, from: from, to: to, rate: rate, cap: cap) }
        do {
            _ = try connection.transaction {
                try addContract(vendor: vendor, number: number, from: from, to: to, rate: rate, cap: cap)
                try setContractTerms(number, terms)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// A warranty claim opened: the request, and the order and warranty it is under.
    public struct Claim: Sendable, Equatable {
        public let id: String
        public let version: Int
        public let order: String
        public let warrantyEnd: LocalDate
    }

    /// Opens a warranty claim on an accepted order while its warranty runs; the system's product
    /// owners hear of it.
    public func openWarrantyClaim(on order: String, title: String, description: String? = nil, requester: String? = nil) throws -> Claim {
        let call: SQL = "SELECT id, version, warranty_of, warranty_end FROM workflow.open_warranty_claim(\(order), \(title), \(description ?? ""), \(requester))"
        let row = try run(denied: Message("error.propose_denied")) { try writeThenWake(call) }.first!
        return Claim(id: try row.decode(0), version: try row.decode(1), order: try row.decode(2), warrantyEnd: try row.decode(3))
    }
}
