import Foundation

/// The money trail (sql/0007): VAT rates as dated data, e-invoices matched to their orders or
/// held with every reason, payments. The match is decided in the database, once; the client
/// reads the UBL document and hands over its facts and the problems of its own sums.
extension WorkflowStore {
    // MARK: VAT

    /// One VAT rate and the days it applies (`to` is nil for the one in force from `from` on).
    public struct VATRate: Sendable, Equatable {
        public var from: LocalDate
        public var to: LocalDate?
        public var rate: Decimal
    }

    /// Every rate, oldest first.
    public func vatRates() throws -> [VATRate] {
        try run("SELECT valid_from, valid_to, rate::text FROM workflow.vat_rates()").map { row in
            VATRate(from: try row.decode(0), to: try row.decode(1), rate: Decimal(string: try row.decode(2, as: String.self)) ?? 0)
        }
    }

    /// Sets the rate from a day on (admins); a rate already set from that day is replaced.
    public func setVATRate(from: LocalDate, rate: Decimal) throws {
        try run("SELECT workflow.set_vat_rate(\(from), \("\(rate)")::numeric)", denied: Message("error.admins_only"))
    }

    // MARK: Invoices

    /// What importing an invoice did.
    public struct InvoiceImport: Sendable {
        public var id: Int64
        /// `matched` or `held`.
        public var status: String
        /// Why it is held, in the catalogue's words; empty when matched.
        public var reasons: [Message]
        public var order: String?
        public var vendor: String?
        /// The same document had been imported before: this is what happened to it then.
        public var again: Bool
    }

    /// Stores an invoice or credit note as matched or held. A document the database refuses (the
    /// same seller's number twice) leaves no row, and its seller, when a vendor here, is told.
    public func importInvoice(_ read: EInvoiceReader.Read) throws -> InvoiceImport {
        let document = InvoiceDocument(read)
        let answer: JSONValue
        do {
            answer = try self.document(Self.importCall(document))
        } catch let refusal as WorkflowError where refusal.code == .invalidData {
            if let tell = Self.tellCall(document, refusal) { _ = try? run(tell) }
            throw refusal
        }
        return Self.imported(answer)
    }

    /// Stores many invoices as `importInvoice(_:)` stores each, every one in a transaction of its
    /// own, sent pipelined and group-committed: one refused document (the same number twice, even
    /// within this batch: the documents are imported in order) is that document's failure and
    /// leaves the others alone. Every import reported, and every refusal's message to its seller,
    /// is on disk when this returns.
    ///
    /// Throws only when the batch as a whole is in doubt (a lost connection, a disk that would not
    /// flush): some documents may then have been stored, and importing them again answers what
    /// happened to them (`again`).
    public func importInvoices(_ reads: [EInvoiceReader.Read]) throws -> [Result<InvoiceImport, WorkflowError>] {
        guard !reads.isEmpty else { return [] }
        let documents = reads.map(InvoiceDocument.init)
        let results = try groupCommitted(documents.map(Self.importCall))
        var answers: [Result<InvoiceImport, WorkflowError>] = []
        var tells: [SQL] = []
        for (document, result) in zip(documents, results) {
            switch result {
            case let .success(rows):
                guard let text = try rows.first?.decode(0, as: String?.self) else {
                    answers.append(.failure(WorkflowError(.internalError, Message("error.database", ["state": "-", "reason": "no answer"]))))
                    continue
                }
                answers.append(.success(Self.imported(try JSONValue.parse(text))))
            case let .failure(error):
                let refusal = WorkflowError(postgres: error)
                if refusal.code == .invalidData, let tell = Self.tellCall(document, refusal) { tells.append(tell) }
                answers.append(.failure(refusal))
            }
        }
        // The sellers of refused documents are told before any file is moved, as one by one.
        if !tells.isEmpty { _ = try groupCommitted(tells) }
        return answers
    }

    static func importCall(_ document: InvoiceDocument) -> SQL {
        "SELECT workflow.import_invoice(\(JSONDocument(text: document.json.text)))::text"
    }

    /// The call that tells a refused document's seller why, when the refusal's DETAIL is a
    /// catalogue reason (the seller reads it in its language).
    static func tellCall(_ document: InvoiceDocument, _ refusal: WorkflowError) -> SQL? {
        guard let detail = (refusal.underlying as? PostgresError)?.detail, WorkflowError.catalogueText(in: detail) != nil else { return nil }
        return "SELECT workflow.tell_invoice_refused(\(JSONDocument(text: document.json.text)), \(JSONDocument(text: detail)))"
    }

    static func imported(_ answer: JSONValue) -> InvoiceImport {
        InvoiceImport(id: Int64(answer["id"]?.plain ?? "") ?? 0, status: answer["status"]?.plain ?? "",
                      reasons: reasons(answer["reasons"]), order: answer["order"]?.nonNull?.plain,
                      vendor: answer["vendor"]?.nonNull?.plain, again: answer["again"] == .bool(true))
    }

    /// The invoices this person may see, newest first: all, the held ones, or one order's.
    public func invoices(held: Bool = false, order: String? = nil) throws -> [JSONValue] {
        try run("SELECT workflow.invoices(\(held), \(order), NULL::bigint)::text").map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
    }

    /// One invoice, or not found (the same for one this person may not see).
    public func invoice(_ id: Int64) throws -> JSONValue {
        guard let row = try run("SELECT workflow.invoices(false, NULL, \(id))::text").first else {
            throw WorkflowError(.notFound, Message("error.no_invoice", ["id": "\(id)"]))
        }
        return try JSONValue.parse(try row.decode(0, as: String.self))
    }

    /// An admin accepts a held invoice; the reason is kept.
    public func releaseInvoice(_ id: Int64, reason: String) throws {
        try run("SELECT workflow.release_invoice(\(id), \(reason))", denied: Message("error.admins_only"))
    }

    /// Records an invoice's payment.
    public func payInvoice(_ id: Int64, on date: LocalDate) throws {
        try run("SELECT workflow.pay_invoice(\(id), \(date))", denied: Message("error.invoice_importers"))
    }

    /// The reasons an invoice is held, as the database keeps them (`[{"key": …, …}]`).
    public static func reasons(_ json: JSONValue?) -> [Message] {
        guard case let .array(items)? = json else { return [] }
        return items.map { item in
            WorkflowError.catalogueText(in: item.text) ?? Message("error.database_refused", ["reason": "\(item.text)"])
        }
    }
}

/// An e-invoice's facts as `import_invoice()` takes them.
struct InvoiceDocument {
    let json: JSONValue

    init(_ read: EInvoiceReader.Read) {
        let invoice = read.invoice
        let seller = invoice.seller
        json = .object([
            ("kind", .string(invoice.kind.rawValue)),
            ("number", .string(invoice.number)),
            ("seller_code", .string(seller.estonianRegistryCode ?? seller.legalID?.value ?? seller.vatID ?? seller.endpoint?.value ?? "")),
            ("seller_name", .string(seller.name)),
            // To whom it is addressed (BT-47): held when not the organisation.
            ("buyer_code", .optional(invoice.buyer.estonianRegistryCode ?? invoice.buyer.legalID?.value)),
            ("buyer_name", .string(invoice.buyer.name)),
            ("order_number", .optional(invoice.orderReference)),
            ("contract_ref", .optional(invoice.contractReference)),
            ("preceding", .array(invoice.precedingInvoices.map(JSONValue.string))),
            ("issue_date", .date(invoice.issueDate)),
            ("due_date", .date(invoice.dueDate)),
            ("currency", .string(invoice.currency)),
            ("net", .money(invoice.totals.withoutVAT)),
            ("vat", .money(invoice.totals.vat ?? Money(cents: 0))),
            ("gross", .money(invoice.totals.withVAT)),
            ("lines", .int(invoice.lineTotals.count)),
            // The rates of its VAT breakdowns (BT-119), for the reason when its VAT is not the order's rate.
            ("vat_rates", .array(invoice.vatBreakdown.map { "\($0.vat.rate)" }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                .map(JSONValue.string))),
            ("sha256", .string(read.sha256)),
            ("arithmetic", .array(invoice.arithmeticProblems().map(\.detailJSON).compactMap { $0 })),
        ])
    }
}

extension Message {
    /// The message as a schema function writes a refusal's DETAIL (`{"key": …, "name": "value"}`),
    /// its arguments as the English text shows them; nil when an argument is not plain text.
    var detailJSON: JSONValue? {
        var pairs: [(String, JSONValue)] = [("key", .string(key))]
        for (name, argument) in arguments.sorted(by: { $0.key < $1.key }) {
            guard case let .text(text) = argument else { return nil }
            pairs.append((name, .string(text)))
        }
        return .object(pairs)
    }
}

extension JSONValue {
    /// The value, or nil for JSON null.
    var nonNull: JSONValue? {
        // Not a ternary: `nil` there would be JSONValue's own nil literal (.null), never Optional.none.
        if self == .null { return Optional.none }
        return self
    }
}
