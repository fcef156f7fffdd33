import Foundation

extension AcceptanceAct {
    /// The act of the facts `order_act()` returns (one JSON document): nothing is decided here,
    /// only read. A registry code the database does not hold yet is shown as a dash.
    init(facts json: JSONValue) throws {
        func value(_ path: String...) -> JSONValue? {
            path.reduce(Optional(json)) { $0?[$1] }.flatMap { $0 == .null ? nil : $0 }
        }
        func date(_ value: JSONValue?) throws -> LocalDate {
            guard let value else { throw AcceptanceAct.unreadable("date") }
            return try LocalDate(parsing: value.plain)
        }
        func money(_ value: JSONValue?) throws -> Money {
            guard let value else { throw AcceptanceAct.unreadable("amount") }
            return try Money(parsing: value.plain)
        }
        func items(_ key: String) -> [JSONValue] {
            if case let .array(items)? = json[key] { return items }
            return []
        }
        func party(_ key: String) -> Party {
            Party(name: json[key]?["name"]?.plain ?? "", registryCode: value(key, "registry_code")?.plain ?? "—",
                  address: value(key, "address")?.plain)
        }
        let contract = try value("contract").map { c in
            Contract(number: c["number"]?.plain ?? "", validFrom: try date(c["valid_from"]), validTo: try date(c["valid_to"]))
        }
        let vat = try value("vat").map { v -> VAT in
            guard let rate = Decimal(string: v["rate"]?.plain ?? "", locale: Locale(identifier: "en_US_POSIX")) else { throw AcceptanceAct.unreadable("vat") }
            return VAT(ratePercent: rate, amount: try money(v["amount"]))
        }
        self.init(buyer: party("buyer"), vendor: party("vendor"), contract: contract,
                  order: Order(number: value("order", "number")?.plain ?? "", date: try date(value("order", "date")),
                               deadline: try date(value("order", "deadline"))),
                  request: Request(id: value("request", "id")?.plain ?? "", title: value("request", "title")?.plain ?? "",
                                   summary: value("request", "summary")?.plain),
                  deliveryNote: json["delivery_note"]?.plain ?? "",
                  deliveries: try items("deliveries").map { Delivery(date: try date($0["date"]), note: $0["note"]?.plain ?? "") },
                  returns: try items("returns").map { Return(date: try date($0["date"]), reason: $0["reason"]?.plain ?? "") },
                  accepted: try date(value("accepted")), net: try money(value("net")), vat: vat,
                  files: items("files").map { File(name: $0["name"]?.plain ?? "", kind: $0["kind"]?.plain ?? "",
                                                   size: Int64($0["size"]?.plain ?? "") ?? 0, sha256: $0["sha256"]?.plain ?? "") },
                  // The people the history names: who accepted for the buyer, who delivered for the vendor.
                  buyerSignatory: Signatory(name: value("accepted_by")?.plain), vendorSignatory: Signatory(name: value("delivered_by")?.plain))
        holds = try items("holds").map { Hold(from: try date($0["from"]), to: try date($0["to"]), reason: $0["reason"]?.plain ?? "") }
        warranty = try value("warranty").map { w in
            Warranty(months: Int(w["months"]?.plain ?? "") ?? 0, until: try date(w["until"]), fixDays: w["fix_days"].flatMap { Int($0.plain) })
        }
    }

    /// The database answered something the act cannot be made of: a bug, not a user's mistake.
    private static func unreadable(_ what: String) -> WorkflowError {
        WorkflowError(.internalError, Message("error.database", ["state": "-", "reason": "order_act() gave no \(what)"]))
    }
}
