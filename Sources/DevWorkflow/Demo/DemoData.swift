import Foundation

/// A small believable data set for the README's main job: the four shared systems, three
/// vendors with framework contracts, budgets, people, and a few dozen requests in every state.
///
/// The admin running it acts for the product owners and vendors (`act_as`, recorded in the
/// history as such), so the demo needs no extra PostgreSQL logins.
public struct DemoData {
    let store: WorkflowStore
    let log: (Message) -> Void

    public init(store: WorkflowStore, log: @escaping (Message) -> Void) {
        self.store = store
        self.log = log
    }

    static let systems = [("KOVTP", "Kohaliku omavalitsuse veebiplatvorm"), ("VOLIS", "Volikogu infosüsteem"),
                          ("ANNATEADA", "Anna Teada: kodanike teadete teenus"), ("KOVMEN", "Omavalitsuste portaal")]
    static let vendors = [("KOODIVESKI", "Koodiveski OÜ", "tellimused@koodiveski.example", "14523671"),
                          ("PILV", "Pilvelahendused AS", "myyk@pilvelahendused.example", "10876532"),
                          ("ANDMEAIT", "Andmeait OÜ", "info@andmeait.example", "16001234")]
    /// Each vendor's project manager, the person its mail is addressed to.
    static let vendorContacts = ["KOODIVESKI": "Peeter Põld", "PILV": "Piret Pilvik", "ANDMEAIT": "Anu Aedla"]
    /// The buyer on the demo's e-invoices: the organisation, as its settings name it.
    func buyer() throws -> EInvoiceWriter.Party {
        let settings = try store.list(.settings)
        func value(_ key: String) -> String { settings.first { $0["key"]?.plain == key }?["value"]?.plain ?? "" }
        return EInvoiceWriter.Party(name: value("organisation_name"), code: value("organisation_registry_code"))
    }
    static let owners = [("kadri", "Kadri Kask", ["KOVTP", "KOVMEN"]), ("mart", "Mart Mets", ["VOLIS"]), ("liis", "Liis Lepp", ["ANNATEADA"])]
    static let titles = [
        "Koosolekute päevakorda PDF-eksport", "Otsingule kuupäevafilter", "Teate staatuse e-postiteavitus", "Ligipääsetavuse parandused avalehel",
        "Volikogu liikmete hääletustulemuste avaldamine", "Kaardikihi uuendus", "Mobiilivaate menüü", "Dokumendiregistri liides",
        "Kasutajate rollide ülevaade", "Teadete kategooriate haldus", "Sündmuste kalendri import", "Eesti.ee autentimise uuendus",
        "Statistikavaate diagrammid", "Istungite videolinkide lisamine", "Teate asukoha täpsustamine kaardil", "Uudiskirja tellimise vorm",
        "Arhiivi otsingu kiirendamine", "Õigusaktide versioonide võrdlus", "Teate fotode suuruse piiramine", "Portaali keelevaliku parandus",
        "Otsuste eelnõude kommenteerimine", "Kontaktide plokk omavalitsuse lehel", "Teate lahendamise tagasiside", "Avaandmete eksport CSV-na",
        "Juurdepääsupiirangute märkimine", "Päevakorrapunktide järjestamine", "Veebivormide rämpsposti kaitse", "Haldusüksuste piiride uuendus",
    ]

    /// Loads the data set unless it is there already; returns what it did.
    @discardableResult
    public func load() throws -> Message {
        let systems = try store.list(.systems).compactMap { $0["key"]?.plain }
        if systems.contains("KOVTP") { return Message("out.demo.already") }
        let today = store.today
        for (key, name) in Self.systems {
            try store.addSystem(key: key, name: name)
            try store.setBudget(system: key, year: today.year, amount: Money(cents: 6_000_000))
        }
        for (key, name, email, code) in Self.vendors {
            try store.addVendor(key: key, name: name, email: email, registryCode: code)
            // Two years' warranty, five business days to fix, 0.5 % a day late up to 10 %.
            try store.addContract(vendor: key, number: "RL-\(today.year - 1)-\(key.prefix(4))", from: LocalDate(year: today.year - 1, month: 1, day: 1)!,
                                  to: LocalDate(year: today.year + 1, month: 12, day: 31)!, rate: Money(cents: 7500), cap: Money(cents: 15_000_000),
                                  terms: Self.terms)
            try store.addPerson(login: key.lowercased() + "_kasutaja", name: Self.vendorContacts[key] ?? name, email: "projekt@" + email.split(separator: "@")[1],
                                role: .vendor, vendor: key)
        }
        for (login, name, systems) in Self.owners {
            try store.addPerson(login: login, name: name, email: "\(login)@omavalitsused.example", role: .productOwner, systems: systems)
        }
        try store.addPerson(login: "tiina", name: "Tiina Tamm", email: "tiina@vald.example", role: .requester)
        log(Message("out.demo.loaded_setup", ["year": "\(today.year)"]))

        // A few dozen requests spread over every state.
        let targets = ["proposed", "proposed", "proposed", "proposed", "prioritised", "prioritised", "prioritised", "quote_requested",
                       "quote_requested", "quote_requested", "quoted", "quoted", "quoted", "ordered", "ordered", "ordered", "ordered",
                       "delivered", "delivered", "accepted", "accepted", "released", "released", "released", "rejected", "cancelled",
                       "ordered", "quoted"]
        for (index, target) in targets.enumerated() {
            let system = Self.systems[index % Self.systems.count].0
            let id = try store.propose(system: system, title: Self.titles[index % Self.titles.count], description: "Demo", requester: "tiina").id
            try drive(id, system: system, to: target, seed: index)
        }
        log(Message("out.demo.loaded", ["count": "\(targets.count)"]))
        try warrantyClaim()
        try lateOrders()
        return try invoices()
    }

    /// The money trail of the year so far: each accepted or released order invoiced by its vendor
    /// and most of them paid, one credit note, and an invoice sent before its order was accepted
    /// (held). Imported as each system's product owner would.
    func invoices() throws -> Message {
        defer { try? act(as: nil) }
        let today = store.today
        var imported = 0, held = 0, paid = 0, credited = false
        let orders = try store.run("""
            SELECT o.number, o.vendor, c.number, o.price::text, r.system, r.state, r.title, o.vat_rate::text
            FROM purchase_order o JOIN request r ON r.id = o.request_id JOIN contract c ON c.id = o.contract_id
            WHERE o.cancelled_at IS NULL AND r.state IN ('accepted', 'released', 'delivered') ORDER BY o.number
            """).map { row in
            (order: try row.decode(0, as: String.self), vendor: try row.decode(1, as: String.self), contract: try row.decode(2, as: String.self),
             price: try Money(parsing: try row.decode(3, as: String.self)), system: try row.decode(4, as: String.self),
             state: try row.decode(5, as: String.self), title: try row.decode(6, as: String.self),
             vatRate: Decimal(string: try row.decode(7, as: String.self)) ?? 24)
        }
        let buyer = try buyer()
        for (index, order) in orders.enumerated() {
            guard let vendor = Self.vendors.first(where: { $0.0 == order.vendor }) else { continue }
            let seller = EInvoiceWriter.Party(name: vendor.1, code: vendor.3)
            let number = "\(vendor.0.prefix(3))-\(today.year)-\(String(format: "%03d", index + 1))"
            let invoice = EInvoiceWriter(number: number, issueDate: today, seller: seller, buyer: buyer, order: order.order,
                                         contract: order.contract, vatRate: order.vatRate,
                                         lines: [EInvoiceWriter.Line(item: order.title, hours: 1, price: order.price)])
            try act(as: owner(of: order.system))
            let result = try store.importInvoice(try EInvoiceReader().readDigesting(data: invoice.data()))
            imported += 1
            if result.status == "held" { held += 1; continue }
            if !credited {
                // A credit note for a tenth of the first one matched: the vendor corrected its hours.
                credited = true
                let credit = EInvoiceWriter(kind: .creditNote, number: "\(number)-K", issueDate: today, seller: seller, buyer: buyer,
                                            order: order.order, corrects: number, vatRate: order.vatRate,
                                            lines: [EInvoiceWriter.Line(item: order.title, hours: 1, price: Money(cents: order.price.cents / 10))])
                _ = try store.importInvoice(try EInvoiceReader().readDigesting(data: credit.data()))
                imported += 1
            }
            if index % 3 != 2 {
                try store.payInvoice(result.id, on: today)
                paid += 1
            }
        }
        return Message("out.demo.invoices", ["count": "\(imported)", "held": "\(held)", "paid": "\(paid)"])
    }

    /// Walks one new request through the whole road, return and re-delivery included, saying each step.
    /// Done once: a second run finds the request it walked and says so.
    public func walk() throws -> String {
        let title = "Istungi protokolli allkirjastamine ID-kaardiga"
        var walked = WorkflowStore.Filter(system: "VOLIS")
        walked.search = title
        var existing: String?
        try store.requests(walked) { if $0.title == title, existing == nil { existing = $0.id } }
        if let existing {
            log(Message("out.demo.already_walked", ["request": "\(existing)"]))
            return existing
        }
        let id = try store.propose(system: "VOLIS", title: title,
                                   description: "Protokoll allkirjastatakse digitaalselt enne avaldamist.", requester: "tiina").id
        log(Message("out.proposed", ["request": "\(id)"]))
        // Its documents: the specification before the vendors are asked (their mail carries it),
        // the vendor's delivery notes with the first delivery; the act at the end lists both.
        var delivered = false
        try drive(id, system: "VOLIS", to: "released", seed: 1, withReturn: true, say: true) { login, transition in
            switch transition {
            case "prioritise":
                try attach(id, as: login, name: "Lähteülesanne \(id).md", kind: "spec", content: """
                    # Istungi protokolli allkirjastamine ID-kaardiga

                    Volikogu istungi protokoll allkirjastatakse enne avaldamist digitaalselt (ID-kaart, Mobiil-ID).
                    Allkirjastatud protokoll (ASiC-E) avaldatakse dokumendiregistris; allkirjastaja näeb, mida ta allkirjastab.

                    """)
            case "deliver" where !delivered:
                delivered = true
                try attach(id, as: login, name: "muudatuste logi.txt", kind: "delivery", content: """
                    VOLIS \(store.today.year).2: protokolli allkirjastamine ID-kaardi ja Mobiil-ID-ga; testkeskkonnas paigaldatud.

                    """)
            default: break
            }
        }
        if let order = try store.request(id).orderNumber { log(Message("out.demo.act", ["order": "\(order)"])) }
        return id
    }

    /// Attaches a short document of the demo data (Estonian, like its titles) as `login` would.
    private func attach(_ id: String, as login: String, name: String, kind: String, content: String) throws {
        try act(as: login)
        defer { try? act(as: nil) }
        var rest = Optional(Array(content.utf8))
        let file = try store.attach(id, name: name, kind: kind) { buffer in
            guard let bytes = rest else { return false }
            buffer = bytes
            rest = nil
            return true
        }
        log(Message("out.attached", ["request": "\(file.request)", "file": "\(file.number)", "name": "\(file.name)", "size": "\(file.size)",
                                     "sha256": "\(file.sha256)"]))
    }

    func owner(of system: String) -> String { Self.owners.first { $0.2.contains(system) }!.0 }

    func act(as login: String?) throws {
        try store.run("SELECT set_config('devworkflow.act_as', \(login ?? ""), false)")
    }

    func drive(_ id: String, system: String, to target: String, seed: Int, withReturn: Bool = false, say: Bool = false,
                       after: (_ login: String, _ transition: String) throws -> Void = { _, _ in }) throws {
        defer { try? act(as: nil) }
        let today = store.today
        let owner = owner(of: system)
        let vendors = [Self.vendors[seed % 3].0, Self.vendors[(seed + 1) % 3].0]
        let chosen = vendors[0]
        let vendorUser = chosen.lowercased() + "_kasutaja"
        var steps: [(String, String, TransitionInputs)] = [
            (owner, "prioritise", TransitionInputs(priority: seed % 5 + 1)),
            (owner, "request_quote", TransitionInputs(vendors: vendors)),
            (vendorUser, "quote", TransitionInputs(hours: Decimal(8 + seed * 3), price: Money(cents: Int64(60_000 + seed * 22_500)),
                                                   delivery: today.adding(days: 20 + seed))),
            (vendors[1].lowercased() + "_kasutaja", "quote", TransitionInputs(hours: Decimal(10 + seed * 3), price: Money(cents: Int64(75_000 + seed * 22_500)),
                                                                              delivery: today.adding(days: 25 + seed))),
            (owner, "order", TransitionInputs(vendor: chosen)),
            (vendorUser, "deliver", TransitionInputs(note: "Paigaldatud testkeskkonda, vaata muudatuste logi.")),
        ]
        if withReturn {
            steps += [(owner, "return", TransitionInputs(reason: "Testimisel leiti viga: allkiri puudub PDF-ist.")),
                      (vendorUser, "deliver", TransitionInputs(note: "Viga parandatud."))]
        }
        steps += [(owner, "accept", TransitionInputs()), (owner, "release", TransitionInputs(versionName: "\(system) \(today.year).\(seed % 12 + 1)"))]
        switch target {
        case "rejected": steps = [(owner, "reject", TransitionInputs(reason: "Ei kuulu arendusplaani."))]
        case "cancelled": steps = Array(steps.prefix(2)) + [(owner, "cancel", TransitionInputs(reason: "Vajadus kadus."))]
        default: break
        }
        for (login, transition, inputs) in steps {
            let state = try store.request(id).state
            if state == target { break }
            try act(as: login)
            let outcome = try store.move(id, transition, inputs: inputs)
            if say {
                log(Message("out.demo.step", ["login": "\(login.padding(toLength: 20, withPad: " ", startingAt: 0))", "transition": .transition(transition),
                                              "from": .state(outcome.from), "to": .state(outcome.to), "order": "\(outcome.orderNumber ?? "")"]))
            }
            try after(login, transition)
        }
    }
}
