import Foundation

/// The acceptance act (üleandmise-vastuvõtmise akt) of an accepted order: everything it shows,
/// as facts read from the database, nothing decided here.
///
/// `render(_:language:)` writes it as PDF, HTML or Markdown in Estonian or English; the same act
/// and language always give the same bytes. The signature boxes are left for digital signing
/// (the names and positions may be filled in beforehand).
public struct AcceptanceAct: Sendable, Equatable {
    /// A party to the order: the buyer (the organisation that ordered) or the vendor.
    public struct Party: Sendable, Equatable {
        /// The registered name (`Tallinna Linnakantselei`).
        public var name: String
        /// The business or state registry code.
        public var registryCode: String
        /// The postal address; the act leaves it out when neither party has one.
        public var address: String?

        /// A party as the registry names it.
        public init(name: String, registryCode: String, address: String? = nil) {
            self.name = name
            self.registryCode = registryCode
            self.address = address
        }
    }

    /// The framework contract the order was placed under.
    public struct Contract: Sendable, Equatable {
        /// The contract's number (`RL-2025/014`).
        public var number: String
        /// The first day it is valid.
        public var validFrom: LocalDate
        /// The last day it is valid.
        public var validTo: LocalDate

        /// A contract and its validity.
        public init(number: String, validFrom: LocalDate, validTo: LocalDate) {
            self.number = number
            self.validFrom = validFrom
            self.validTo = validTo
        }
    }

    /// The vendor order.
    public struct Order: Sendable, Equatable {
        /// `ORD-2026-0001`: also the act's number.
        public var number: String
        /// The day it was placed.
        public var date: LocalDate
        /// The day the work was due.
        public var deadline: LocalDate

        /// An order, its date and deadline.
        public init(number: String, date: LocalDate, deadline: LocalDate) {
            self.number = number
            self.date = date
            self.deadline = deadline
        }
    }

    /// The change request the order is for.
    public struct Request: Sendable, Equatable {
        /// `VOLIS-7`.
        public var id: String
        /// The request's title.
        public var title: String
        /// A summary of the description; line breaks are kept.
        public var summary: String?

        /// A request as the act names it.
        public init(id: String, title: String, summary: String? = nil) {
            self.id = id
            self.title = title
            self.summary = summary
        }
    }

    /// Value added tax on the net amount.
    public struct VAT: Sendable, Equatable {
        /// The rate in percent (`24`, `22.5`).
        public var ratePercent: Decimal
        /// The tax, as the database computed it.
        public var amount: Money

        /// VAT at a rate.
        public init(ratePercent: Decimal, amount: Money) {
            self.ratePercent = ratePercent
            self.amount = amount
        }
    }

    /// A time the vendor delivered the work.
    public struct Delivery: Sendable, Equatable {
        /// The day it was delivered.
        public var date: LocalDate
        /// What the vendor said of it (empty when nothing).
        public var note: String

        /// A delivery and its note.
        public init(date: LocalDate, note: String = "") {
            self.date = date
            self.note = note
        }
    }

    /// A time the buyer returned the delivery for correction.
    public struct Return: Sendable, Equatable {
        /// The day it was returned.
        public var date: LocalDate
        /// Why, in the buyer's words.
        public var reason: String

        /// A return and its reason.
        public init(date: LocalDate, reason: String) {
            self.date = date
            self.reason = reason
        }
    }

    /// A file attached to the request, identified by its SHA-256.
    public struct File: Sendable, Equatable {
        /// The name as stored (shown, never used as a path).
        public var name: String
        /// `spec`, `quote`, `delivery`, `test_report`, `acceptance` or `other`; another kind is
        /// shown as it is.
        public var kind: String
        /// In bytes.
        public var size: Int64
        /// Lowercase hex, 64 digits.
        public var sha256: String

        /// A file as the request's list of files shows it.
        public init(name: String, kind: String, size: Int64, sha256: String) {
            self.name = name
            self.kind = kind
            self.size = size
            self.sha256 = sha256
        }
    }

    /// A time the buyer held the order's clock: from the day it was held to the day it went on.
    public struct Hold: Sendable, Equatable {
        /// The first day held.
        public var from: LocalDate
        /// The day it was resumed (or delivered, or the act's day when it never was).
        public var to: LocalDate
        /// Why, in the buyer's words.
        public var reason: String

        /// A hold and its reason.
        public init(from: LocalDate, to: LocalDate, reason: String) {
            self.from = from
            self.to = to
            self.reason = reason
        }
    }

    /// The warranty the order's terms give, from the acceptance.
    public struct Warranty: Sendable, Equatable {
        /// Its length in months.
        public var months: Int
        /// Its last day.
        public var until: LocalDate
        /// Business days to fix a defect, when the terms say.
        public var fixDays: Int?

        /// A warranty of the order's terms.
        public init(months: Int, until: LocalDate, fixDays: Int? = nil) {
            self.months = months
            self.until = until
            self.fixDays = fixDays
        }
    }

    /// Who signs for a party; what is nil is left blank to be filled in by hand or by the
    /// signature itself.
    public struct Signatory: Sendable, Equatable {
        /// The representative's name.
        public var name: String?
        /// The representative's position (`Tooteomanik`).
        public var position: String?

        /// Blank lines by default.
        public init(name: String? = nil, position: String? = nil) {
            self.name = name
            self.position = position
        }
    }

    /// The organisation that ordered and accepts.
    public var buyer: Party
    /// The vendor that delivered.
    public var vendor: Party
    /// Nil when the order was placed under no framework contract.
    public var contract: Contract?
    /// The order; its number is the act's number.
    public var order: Order
    /// The change request the work was for.
    public var request: Request
    /// What the vendor delivered, in its words (the delivery note).
    public var deliveryNote: String
    /// Each day the work was delivered, the first delivery and every one after a return.
    public var deliveries: [Delivery]
    /// Each return for correction, in order.
    public var returns: [Return]
    /// The day the buyer accepted the work: also the act's date.
    public var accepted: LocalDate
    /// The price without VAT.
    public var net: Money
    /// Nil when no VAT applies or is known: the act then shows the net amount only.
    public var vat: VAT?
    /// The request's files, in the order they are listed.
    public var files: [File]
    /// The times the buyer held the order's clock, in order.
    public var holds: [Hold] = []
    /// The warranty that starts with the acceptance; nil when the order's terms give none.
    public var warranty: Warranty?
    /// Who signs for the buyer (blank by default).
    public var buyerSignatory: Signatory
    /// Who signs for the vendor (blank by default).
    public var vendorSignatory: Signatory

    /// The net amount plus VAT.
    public var gross: Money { net + (vat?.amount ?? .zero) }

    /// An act of the facts read for an accepted order.
    public init(buyer: Party, vendor: Party, contract: Contract?, order: Order, request: Request, deliveryNote: String,
                deliveries: [Delivery], returns: [Return] = [], accepted: LocalDate, net: Money, vat: VAT?, files: [File] = [],
                buyerSignatory: Signatory = Signatory(), vendorSignatory: Signatory = Signatory()) {
        self.buyer = buyer
        self.vendor = vendor
        self.contract = contract
        self.order = order
        self.request = request
        self.deliveryNote = deliveryNote
        self.deliveries = deliveries
        self.returns = returns
        self.accepted = accepted
        self.net = net
        self.vat = vat
        self.files = files
        self.buyerSignatory = buyerSignatory
        self.vendorSignatory = vendorSignatory
    }
}
