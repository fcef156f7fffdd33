import Foundation
import Testing
@testable import DevWorkflow

/// Notifications and reminders in the recipient's language: Estonian (the default) and English.
@Suite struct MessageLanguageTests {
    let renderer = MessageRenderer()
    static let title = "Volikogu protokollide eksport PDF-vormingus"

    static func notification(_ transition: String, from: String? = "prioritised", to: String? = "quote_requested",
                             inputs: JSONValue = [:], lang: String = "et", audience: String? = nil) -> OutboxMessage {
        OutboxSamples.notification(transition, from: from, to: to, inputs: inputs, title: title, lang: lang, audience: audience)
    }

    static func reminder(_ rule: String, state: String = "ordered", occurrence: Int = 1, deadline: String? = nil, quoteDue: String? = nil,
                         businessDays: Int = 3, escalation: Bool = false, vendor: String? = nil, lang: String = "et") -> OutboxMessage {
        OutboxSamples.reminder(rule, state: state, occurrence: occurrence, deadline: deadline, quoteDue: quoteDue, businessDays: businessDays,
                               escalation: escalation, vendor: vendor, title: title, lang: lang)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var key: String
        var message: OutboxMessage
        var headline: String
        var facts: [String]
        var testDescription: String { key }
    }

    /// Every transition of the workflow with Estonian inputs, and what its Estonian text must say.
    static let transitions: [Case] = [
        Case(key: "propose", message: notification("propose", from: nil, to: "proposed"), headline: "Uus arendustellimus",
             facts: ["Jaan Tamm esitas 25.11.2026 11:18 arendustellimuse VOLIS-12 „\(title)”.", "Süsteem: VOLIS",
                     "Palun määrake arendustellimusele prioriteet või lükake see tagasi:", "  workflowctl request move VOLIS-12 prioritise --priority N"]),
        Case(key: "prioritise", message: notification("prioritise", from: "proposed", to: "prioritised", inputs: ["priority": 2]),
             headline: "Prioriseeritud", facts: ["Prioriteet: 2", "süsteemi VOLIS tooteomanik küsib tarnijatelt hinnapakkumisi"]),
        Case(key: "reject", message: notification("reject", from: "proposed", to: "rejected", inputs: ["reason": "Sama mis VOLIS-9"]),
             headline: "Tagasi lükatud", facts: ["Jaan Tamm lükkas 25.11.2026 11:18 arendustellimuse VOLIS-12", "Põhjus: Sama mis VOLIS-9"]),
        Case(key: "request_quote", message: notification("request_quote", inputs: ["due": "2026-12-02"]), headline: "Hinnapakkumise küsimine",
             facts: ["Hinnapakkumise tähtaeg: 02.12.2026", "Palun esitage hinnapakkumine hiljemalt 02.12.2026:",
                     "  workflowctl request move VOLIS-12 quote --hours H --price EUR --delivery DATE"]),
        Case(key: "quote", message: notification("quote", from: "quote_requested", to: "quoted", inputs: [
            "hours": .number("12.5"), "price": .number("1200.00"), "delivery": "2027-01-15", "vendor": "ACME",
        ]),
             headline: "Hinnapakkumine tarnijalt ACME",
             facts: ["tarnija ACME hinnapakkumise", "Töötunnid: 12,5", "Hind: 1\u{A0}200,00\u{A0}€", "Üleandmise kuupäev: 15.01.2027",
                     "  workflowctl request move VOLIS-12 order --vendor ACME [--deadline DATE]"]),
        Case(key: "order", message: notification("order", from: "quoted", to: "ordered", inputs: [
            "vendor": "ACME", "order": "ORD-2026-0007", "price": .number("12345.6"), "contract": "RH-2025/14", "deadline": "2027-01-15",
        ]),
             headline: "Tellimus ORD-2026-0007",
             facts: ["tarnijalt ACME", "Tellimuse number: ORD-2026-0007", "Raamleping: RH-2025/14", "Hind: 12\u{A0}345,60\u{A0}€",
                     "Tähtaeg: 15.01.2027", "Palun andke töö üle hiljemalt 15.01.2027.", "  workflowctl request move VOLIS-12 deliver --note TEXT"]),
        Case(key: "deliver", message: notification("deliver", from: "ordered", to: "delivered", inputs: ["note": "Paigaldatud testserverisse"]),
             headline: "Üle antud",
             facts: ["Jaan Tamm teatas 25.11.2026 11:18 arendustellimuse VOLIS-12", "töö üleandmisest.", "Märkus: Paigaldatud testserverisse", "vastuvõtutestimine", "  workflowctl request move VOLIS-12 accept",
                     "  workflowctl request move VOLIS-12 return --reason TEXT [--deadline DATE]"]),
        Case(key: "accept", message: notification("accept", from: "delivered", to: "accepted"), headline: "Vastu võetud",
             facts: ["Jaan Tamm võttis 25.11.2026 11:18 vastu", "paigaldab töö tootmiskeskkonda"]),
        Case(key: "return", message: notification("return", from: "delivered", to: "ordered",
                                                   inputs: ["reason": "Lehekülgedel puuduvad numbrid", "deadline": "2027-01-29"]),
             headline: "Tagasi saadetud",
             facts: ["Põhjus: Lehekülgedel puuduvad numbrid", "Uus tähtaeg: 29.01.2027", "andke töö uuesti üle hiljemalt 29.01.2027:"]),
        Case(key: "release", message: notification("release", from: "accepted", to: "released", inputs: ["version_name": "2.14.0"]),
             headline: "Tootmiskeskkonda paigaldatud versioonis 2.14.0", facts: ["Versioon: 2.14.0", "arendustellimus on täidetud"]),
        Case(key: "cancel", message: notification("cancel", from: "ordered", to: "cancelled", inputs: ["reason": "Seadus muutus"]),
             headline: "Tühistatud", facts: ["Kui olete tööga juba alustanud", "Jaan Tamm tühistas 25.11.2026 11:18 arendustellimuse VOLIS-12", "Põhjus: Seadus muutus"]),
        Case(key: "invite", message: notification("invite", from: "quoted", to: "quoted", inputs: ["due": "2026-12-09"]),
             headline: "Hinnapakkumise küsimine", facts: ["Hinnapakkumise tähtaeg: 09.12.2026", "Palun esitage hinnapakkumine hiljemalt 09.12.2026"]),
        Case(key: "cancel@requester", message: notification("cancel", from: "quoted", to: "cancelled", inputs: ["reason": "Seadus muutus"],
                                                             audience: "requester"),
             headline: "Tühistatud", facts: ["Teie esitatud arendustellimust ei tehta", "Põhjus: Seadus muutus"]),
        Case(key: "cancel@quoting_vendor", message: notification("cancel", from: "quoted", to: "cancelled", inputs: ["reason": "Seadus muutus"],
                                                                  audience: "quoting_vendor"),
             headline: "Tühistatud", facts: ["Hinnapakkumist sellele arendustellimusele enam ei oodata", "Põhjus: Seadus muutus"]),
        Case(key: "order@quoting_vendor", message: notification("order", from: "quoted", to: "ordered", audience: "quoting_vendor"),
             headline: "Hinnapakkumiste küsimine lõppes", facts: ["telliti 25.11.2026 11:18 teiselt tarnijalt", "Täname hinnapakkumise eest"]),
        Case(key: "import", message: notification("import", from: nil, to: nil, inputs: ["count": 40, "first": "VOLIS-3", "last": "VOLIS-42"]),
             headline: "Imporditud 40 arendustellimust", facts: ["importis 25.11.2026 11:18 süsteemi VOLIS 40 arendustellimust (VOLIS-3 kuni VOLIS-42)"]),
        // Issue 19: the buyer holds and resumes the clock; a warranty claim's order is a fix at no cost.
        Case(key: "hold", message: notification("hold", from: "ordered", to: "ordered", inputs: ["reason": "Testkeskkond on maas"], audience: "ordered_vendor"),
             headline: "Tellimus on peatatud",
             facts: ["Jaan Tamm peatas 25.11.2026 11:18 arendustellimuse VOLIS-12", "töö seisab tellija tõttu", "Põhjus: Testkeskkond on maas",
                     "Peatatud päevi hilinemisena ei arvestata"]),
        Case(key: "resume", message: notification("resume", from: "ordered", to: "ordered", audience: "ordered_vendor"),
             headline: "Tellimus jätkub",
             facts: ["Jaan Tamm käivitas 25.11.2026 11:18 arendustellimuse VOLIS-12", "tööga saab jätkata", "  workflowctl request move VOLIS-12 deliver --note TEXT"]),
        Case(key: "warranty.order@ordered_vendor",
             message: notification("order", from: "proposed", to: "ordered",
                                   inputs: ["vendor": "ACME", "order": "ORD-2026-0031", "warranty_of": "ORD-2026-0007", "contract": "RL-ACME",
                                            "price": "0.00", "deadline": "2026-12-02"], audience: "ordered_vendor"),
             headline: "Garantiiparandus ORD-2026-0031",
             facts: ["tellis 25.11.2026 11:18 garantiiparanduse VOLIS-12", "Teie tellimusele ORD-2026-0007: viga tuleb parandada tasuta",
                     "Garantii tellimusele: ORD-2026-0007", "Tähtaeg: 02.12.2026", "Palun parandage viga hiljemalt 02.12.2026"]),
    ]

    /// A reminder of a released order's warranty ending: its payload names the order and the end.
    static func warrantyEnding(lang: String = "et", title: String = MessageLanguageTests.title) -> OutboxMessage {
        var message = OutboxSamples.reminder("warranty_ending", state: "released", businessDays: 21, title: title, lang: lang)
        if case var .object(pairs) = message.payload {
            pairs += [("order", "ORD-2026-0007"), ("warranty_end", "2027-01-14")]
            message.payload = .object(pairs)
        }
        return message
    }

    /// Every reminder rule, and what its Estonian text must say.
    static let reminders: [Case] = [
        Case(key: "proposed_waiting", message: reminder("proposed_waiting", state: "proposed", businessDays: 11),
             headline: "Meeldetuletus: ootab prioriseerimist",
             facts: ["on oodanud prioriseerimist 11 tööpäeva", "  workflowctl request move VOLIS-12 reject --reason TEXT"]),
        Case(key: "quote_overdue", message: reminder("quote_overdue", state: "quote_requested", quoteDue: "2026-12-02", businessDays: 2, vendor: "ACME"),
             headline: "Meeldetuletus: Teie hinnapakkumise tähtaeg on möödunud",
             facts: ["hinnapakkumise tähtaeg oli 02.12.2026", "Tähtaeg ületatud: 2 tööpäeva võrra", "lisab ta --vendor ACME"]),
        Case(key: "quoted_waiting", message: reminder("quoted_waiting", state: "quoted", businessDays: 6),
             headline: "Meeldetuletus: hinnapakkumised ootavad otsust",
             facts: ["on oodanud otsust 6 tööpäeva", "kutsuge pakkumist tegema veel tarnijaid", "  workflowctl request move VOLIS-12 order --vendor KEY [--deadline DATE]",
                     "  workflowctl request move VOLIS-12 invite --vendor KEY [--due DATE]"]),
        Case(key: "deadline_near", message: reminder("deadline_near", deadline: "2026-12-10", businessDays: 3, vendor: "ACME"),
             headline: "Meeldetuletus: üleandmise tähtaeg 10.12.2026",
             facts: ["üleandmise tähtaeg on 10.12.2026 ehk 3 tööpäeva pärast.", "süsteemi VOLIS tooteomanikule"]),
        Case(key: "deadline_passed", message: reminder("deadline_passed", occurrence: 2, deadline: "2026-12-10", businessDays: 2, vendor: "ACME"),
             headline: "Tähtaeg 10.12.2026 on möödunud",
             facts: ["tähtaeg oli 10.12.2026; üleandmine hilineb 2 tööpäeva.", "See on 2. meeldetuletus", "Tarnija: ACME",
                     "  workflowctl request move VOLIS-12 cancel --reason TEXT"]),
        Case(key: "warranty_fix_near", message: reminder("warranty_fix_near", deadline: "2026-12-10", businessDays: 2, vendor: "ACME"),
             headline: "Meeldetuletus: garantiiparanduse tähtaeg 10.12.2026",
             facts: ["Garantiiparanduse VOLIS-12", "tähtaeg on 10.12.2026 ehk 2 tööpäeva pärast.", "Palun parandage viga tähtaegselt (tasuta)"]),
        Case(key: "warranty_fix_passed", message: reminder("warranty_fix_passed", occurrence: 2, deadline: "2026-12-10", businessDays: 3, vendor: "ACME"),
             headline: "Garantiiparanduse tähtaeg 10.12.2026 on möödunud",
             facts: ["tähtaeg oli 10.12.2026; parandus hilineb 3 tööpäeva.", "See on 2. meeldetuletus", "Tarnija: ACME",
                     "garantiiparandus on tarnijale tasuta"]),
        Case(key: "warranty_ending", message: warrantyEnding(), headline: "Garantii lõpeb 14.01.2027",
             facts: ["tellimuse ORD-2026-0007 garantii lõpeb 14.01.2027.", "esitage garantiinõue enne garantii lõppu",
                     "  workflowctl request new --warranty-of ORD-2026-0007 --title TEXT"]),
        Case(key: "acceptance_pending", message: reminder("acceptance_pending", state: "delivered", businessDays: 11),
             headline: "Meeldetuletus: vastuvõtmine on ootel", facts: ["on oodanud vastuvõtmist 11 tööpäeva"]),
        Case(key: "release_pending", message: reminder("release_pending", state: "accepted", businessDays: 21),
             headline: "Meeldetuletus: tootmiskeskkonda paigaldamine on ootel",
             facts: ["võeti vastu 21 tööpäeva tagasi", "  workflowctl request move VOLIS-12 release --version-name V"]),
    ]

    /// Pieces of the English texts (what lies between placeholders) that no Estonian message may
    /// contain outside its command lines: derived from the catalogue, so a new English text is
    /// checked too.
    static let englishPieces: [String] = {
        var estonian = ""
        var pieces: Set<String> = []
        for (key, entry) in Catalogue.entries where key.hasPrefix("mail.") {
            estonian += entry.et + "\n"
            var rest = Substring(entry.en)
            while !rest.isEmpty {
                let open = rest.firstIndex(of: "{") ?? rest.endIndex
                let piece = rest[..<open].trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
                if piece.filter(\.isLetter).count >= 3 { pieces.insert(piece) }
                guard open < rest.endIndex, let close = rest[open...].firstIndex(of: "}") else { break }
                rest = rest[rest.index(after: close)...]
            }
        }
        // Words both languages share (`DevWorkflow`, the commands in running text) are not English.
        return pieces.filter { !estonian.contains($0) }.sorted()
    }()

    /// The lines a person reads as prose: command lines left out, the commands quoted in the
    /// footer and in the "what next" line too.
    static func prose(_ rendered: RenderedMessage) -> String {
        (rendered.subject + "\n" + rendered.body).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  workflowctl ") }
            .map { line in line.range(of: "workflowctl ").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
    }

    static func leakedEnglish(_ rendered: RenderedMessage) -> [String] {
        let text = prose(rendered)
        return englishPieces.filter { piece in
            let pattern = #"(?<!\p{L})"# + NSRegularExpression.escapedPattern(for: piece) + #"(?!\p{L})"#
            return text.range(of: pattern, options: .regularExpression) != nil
        }
    }

    @Test(arguments: transitions + reminders)
    func everyTransitionAndRuleReadsInEstonian(_ c: Case) {
        let rendered = renderer.render(c.message)
        #expect(rendered.language == .et)
        #expect(rendered.subject == "[VOLIS-12] \(c.headline): \(Self.title)")
        let name = c.message.kind == .notification ? "Mari Maasikas" : "Jaan Tamm"
        #expect(rendered.body.hasPrefix("Tere, \(name)!\n\n"))
        for fact in c.facts {
            #expect(rendered.body.contains(fact), "\(c.key): \(fact)\n\(rendered.body)")
        }
        #expect(!rendered.body.contains("{") && !rendered.body.contains("}"), "no placeholder left: \(rendered.body)")
        #expect(Self.leakedEnglish(rendered).isEmpty, "\(c.key): English in the Estonian text: \(Self.leakedEnglish(rendered))\n\(rendered.body)")
        #expect(!rendered.body.contains("2026-11-25"), "no ISO date in Estonian prose")
        #expect(rendered.body.hasSuffix("Arendustellimuse vaatamiseks: workflowctl request show VOLIS-12\n"))
    }

    @Test func everyTransitionAndRuleOfTheProductIsCovered() throws {
        let names = ["propose", "import"] + (try Definitions.smallDevelopment).transitions.map(\.name)
        #expect(Set(names) == Set(Self.transitions.map(\.key).filter { !$0.contains("@") }))
        #expect(Set(ReminderRule.Kind.allCases.map(\.rawValue)) == Set(Self.reminders.map(\.key)))
        for name in names {
            #expect(!renderer.render(Self.notification(name)).subject.hasPrefix("[VOLIS-12] Muudatus"), "\(name) falls back to the generic text")
        }
    }

    /// The check for English must be able to fail: the English rendering of the same messages trips it.
    @Test(arguments: transitions + reminders)
    func theEnglishRenderingIsCaughtByTheLeakCheck(_ c: Case) {
        var message = c.message
        message.lang = "en"
        let rendered = renderer.render(message)
        #expect(rendered.language == .en)
        #expect(!Self.leakedEnglish(rendered).isEmpty, "\(c.key)\n\(rendered.body)")
        #expect(!rendered.body.contains("{") && !rendered.body.contains("}"))
    }

    @Test func theRecipientsLanguageChoosesTheText() {
        let english = renderer.render(Self.notification("request_quote", inputs: ["due": "2026-12-02"], lang: "en"))
        #expect(english.language == .en)
        #expect(english.subject == "[VOLIS-12] Quote requested: \(Self.title)")
        #expect(english.body.hasPrefix("Hello Mari Maasikas,\n\n"))
        #expect(english.body.contains("Quote due: 2026-12-02"), "English keeps ISO dates")
        #expect(english.body.contains("on 2026-11-25 11:18."))

        for lang in ["et", "ET", "et-EE", "fr", "", "xx_YY"] {
            let rendered = renderer.render(Self.notification("accept", lang: lang))
            #expect(rendered.language == .et, "\(lang)")
            #expect(rendered.subject == "[VOLIS-12] Vastu võetud: \(Self.title)", "\(lang)")
        }
        #expect(renderer.render(Self.notification("accept", lang: "en-GB")).language == .en)
        #expect(renderer.render(Self.notification("accept", lang: "EN")).language == .en)
    }

    @Test func estonianNumbersDatesAndTimes() {
        // Mails use the formatting reports and workflowctl use: one place for these conventions.
        let et = ReportFormatting.estonian
        #expect(et.decimal(Money(cents: 1_234_560).description) == "12\u{A0}345,60")
        #expect(et.decimal(Money(cents: 123_456_789_012).description) == "1\u{A0}234\u{A0}567\u{A0}890,12")
        #expect(et.decimal(Money(cents: 99_990).description) == "999,90")
        #expect(et.decimal(Money(cents: 5).description) == "0,05")
        #expect(et.decimal(Money(cents: -100_000).description) == "-1\u{A0}000,00")
        #expect(et.date(LocalDate(year: 2027, month: 1, day: 5)!) == "05.01.2027")
        // Summer time starts at 01:00 UTC on 2026-03-29: 00:59 UTC is 02:59 in Tallinn, 01:00 UTC is 04:00.
        #expect(et.timestamp(TallinnTime.parse("2026-03-29T00:59:59Z")!) == "29.03.2026 02:59")
        #expect(et.timestamp(TallinnTime.parse("2026-03-29T01:00:00Z")!) == "29.03.2026 04:00")
        #expect(renderer.render(Self.notification("order", inputs: ["price": .number("12345.6"), "vendor": "ACME"])).body.contains("12\u{A0}345,60\u{A0}€"))

        // What the renderer cannot read it shows as it came, in either language.
        let odd = renderer.render(Self.notification("quote", inputs: ["price": "palju", "delivery": "varsti", "vendor": "ACME"]))
        #expect(odd.body.contains("Hind: palju\u{A0}€"))
        #expect(odd.body.contains("Üleandmise kuupäev: varsti"))
        var late = Self.notification("accept")
        late.payload = ["title": "T", "actor_name": "Jaan", "at": "eile"]
        #expect(renderer.render(late).body.contains("Jaan võttis eile vastu arendustellimuse VOLIS-12 „T” üleantud töö."))
    }

    @Test func statesAreNamedInEstonianWhileCommandsKeepTheKeys() {
        let moved = renderer.render(Self.notification("teleport", from: "prioritised", to: "quote_requested", inputs: ["vendor": "ACME"]))
        #expect(moved.subject == "[VOLIS-12] Muudatus (teleport): \(Self.title)")
        #expect(moved.body.contains("Jaan Tamm viis 25.11.2026 11:18 arendustellimuse VOLIS-12 „\(Self.title)” "
            + "olekust prioriseeritud olekusse hinnapakkumine küsitud (samm teleport)."))
        #expect(moved.body.contains("Tarnija: ACME"))
        #expect(moved.body.contains("Võimalikud järgmised sammud näete käsuga: workflowctl request transitions VOLIS-12"))

        let unknown = renderer.render(Self.reminder("mystery", state: "delivered", businessDays: 4))
        #expect(unknown.subject == "[VOLIS-12] Meeldetuletus (mystery): \(Self.title)")
        #expect(unknown.body.contains("Olek: üle antud"))
        #expect(unknown.body.contains("vajab Teie tähelepanu (4 tööpäeva)."))

        // A known transition's commands name transitions and options by key, in Estonian too.
        let delivered = renderer.render(Self.notification("deliver", from: "ordered", to: "delivered"))
        #expect(delivered.body.contains("\n  workflowctl request move VOLIS-12 accept\n"))
    }

    @Test func estonianAlternativesAndLeftOutLines() {
        // No due date: the undated line replaces the dated one, and the fact line is left out.
        let undated = renderer.render(Self.notification("request_quote"))
        #expect(undated.body.contains("Palun esitage hinnapakkumine: töötunnid, hind ja üleandmise kuupäev."))
        #expect(!undated.body.contains("hiljemalt"))
        #expect(!undated.body.contains("Hinnapakkumise tähtaeg:"))
        // No vendor: the other summary and the command with KEY.
        let anonymous = renderer.render(Self.notification("quote", inputs: ["price": 5]))
        #expect(anonymous.subject == "[VOLIS-12] Hinnapakkumine saadud: \(Self.title)")
        #expect(anonymous.body.contains("Jaan Tamm sisestas 25.11.2026 11:18 hinnapakkumise arendustellimuse"))
        #expect(anonymous.body.contains("  workflowctl request move VOLIS-12 order --vendor KEY [--deadline DATE]"))
        #expect(anonymous.body.contains("Hind: 5,00\u{A0}€"))
        // No title, no name, no actor.
        let bare = OutboxMessage(id: 1, kind: .notification, rule: nil, transition: "cancel", request: "KOVTP-3", recipient: "a@b.example",
                                 recipientName: nil, lang: "et", payload: nil, idempotencyKey: "k", attempts: 0, createdAt: OutboxSamples.createdAt)
        let rendered = renderer.render(bare)
        #expect(rendered.subject == "[KOVTP-3] Tühistatud")
        #expect(rendered.body.hasPrefix("Tere!\n\nKeegi tühistas 25.11.2026 11:18 arendustellimuse KOVTP-3.\n\n"))
        #expect(!rendered.body.contains("{"))
        // The first reminder does not count itself; an escalated one says why the admin reads it.
        let first = renderer.render(Self.reminder("deadline_passed", deadline: "2026-12-10", businessDays: 1))
        #expect(!first.body.contains("meeldetuletus samal teemal"))
        #expect(first.body.contains("üleandmine hilineb 1 tööpäeva."))
        let escalated = renderer.render(Self.reminder("deadline_passed", occurrence: 6, deadline: "2026-12-10", businessDays: 11,
                                                      escalation: true, vendor: "ACME"))
        #expect(escalated.subject == "[VOLIS-12] Tähtaeg 10.12.2026 on möödunud (edastatud ka administraatorile): \(Self.title)")
        #expect(escalated.body.contains("Saate selle teate ka administraatorina, sest arendustellimuse tähtaeg on ületatud 11 tööpäeva võrra."))
    }

    @Test func theLayoutAndTheCatalogueAgree() {
        let used = MessageLayout.standard.keys
        let mail = Set(Catalogue.entries.keys.filter { $0.hasPrefix("mail.") })
        #expect(used.count > 80)
        #expect(used.subtracting(mail).isEmpty, "used but not in the catalogue: \(used.subtracting(mail).sorted())")
        #expect(mail.subtracting(used).isEmpty, "in the catalogue but never used: \(mail.subtracting(used).sorted())")
        for key in mail {
            // A text with words besides its placeholders differs between the languages.
            let entry = Catalogue.entries[key]!
            let words = entry.en.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: "", options: .regularExpression)
            #expect(entry.et != entry.en || !words.contains(where: \.isLetter), "\(key) is not translated")
        }
    }

    // MARK: - Golden files

    /// What a recipient sees: subject, language and body.
    static func shown(_ rendered: RenderedMessage) -> String {
        "Subject: \(rendered.subject)\nContent-Language: \(rendered.language.rawValue)\n\n\(rendered.body)"
    }

    static let goldenMessages: [(String, OutboxMessage)] = [
        ("request_quote", notification("request_quote", inputs: ["due": "2026-12-02"])),
        ("deadline_passed", reminder("deadline_passed", occurrence: 2, deadline: "2026-12-10", businessDays: 2, vendor: "ACME")),
        ("deadline_passed_escalated", reminder("deadline_passed", occurrence: 6, deadline: "2026-12-10", businessDays: 11,
                                               escalation: true, vendor: "ACME")),
        ("order", notification("order", from: "quoted", to: "ordered", inputs: [
            "vendor": "ACME", "order": "ORD-2026-0007", "price": .number("12345.6"), "contract": "RH-2025/14", "deadline": "2027-01-15",
        ])),
    ]

    @Test(arguments: ["et", "en"])
    func goldenMessagesInBothLanguages(_ lang: String) throws {
        for (name, sample) in Self.goldenMessages {
            var message = sample
            message.lang = lang
            try Golden.check(Self.shown(renderer.render(message)), named: "\(name).\(lang).txt", in: Golden.mail)
        }
    }

    // MARK: - End to end

    /// A vendor's mail goes to its first contact, in that person's language: a colleague added
    /// later — whose login sorts first, and who reads English — is copied, and changes nothing else.
    @Test func aColleagueAddedLaterIsCopiedNotTheAddressee() throws {
        let f = try Fixture()
        try f.store().addPerson(login: "aaa_\(f.db.name.suffix(6))", name: "Aaron Acme", email: "aaron@acme.ee", role: .vendor, vendor: "ACME", lang: "en")
        let id = try f.request(in: "prioritised")
        _ = try f.store().move(id, "request_quote", inputs: TransitionInputs(vendors: ["ACME"], due: Fixture.today.adding(days: 7)))
        let rows = try f.sql().query("""
            SELECT recipient, lang, cc::text FROM outbox WHERE request_id = \(id) AND transition = 'request_quote' AND recipient LIKE '%acme.ee'
            """)
        #expect(rows.count == 1)
        #expect(try rows.first?.decode(0, as: String.self) == "anna@acme.ee" && rows.first?.decode(1, as: String.self) == "et")
        #expect(try (rows.first?.decode(2, as: String.self) ?? "").contains("aaron@acme.ee"), "the colleague in Cc")
    }

    @Test func workflowdDeliversEachRecipientTheirLanguage() throws {
        let f = try Fixture()
        let id = try f.request(in: "prioritised")
        let due = Fixture.today.adding(days: 7)
        _ = try f.store().move(id, "request_quote", inputs: TransitionInputs(vendors: ["ACME", "BETA"], due: due))
        let file = workPath("languages.jsonl")
        let run = try Binary.run("workflowd", ["--once", "--file", file, "--database", try f.db.conninfo()])
        #expect(run.status == 0, "\(run.stderr)")
        let quotes = try jsonLines(file).filter { $0["transition"] == .string("request_quote") && $0["request"] == .string(id) }
        // One message per vendor, to its person, copying the company's address.
        func to(_ address: String) -> JSONValue? {
            quotes.first { $0["to"] == .array([.string(address)]) || $0["cc"] == .array([.string(address)]) }
        }
        #expect(quotes.count == 2, "\(quotes)")
        // ACME and its user Anna read Estonian (the default); BETA and its user Bert asked for English.
        let dueEstonian = ReportFormatting.estonian.date(due)
        for address in ["info@acme.ee", "anna@acme.ee"] {
            let message = try #require(to(address), "\(address)")
            #expect(message["lang"] == "et")
            #expect(message["subject"]?.plain.hasPrefix("[\(id)] Hinnapakkumise küsimine: Muudatus ") == true, "\(message)")
            let body = message["body"]?.plain ?? ""
            #expect(body.contains("Hinnapakkumise tähtaeg: \(dueEstonian)"), "\(body)")
            #expect(body.contains("Palun esitage hinnapakkumine hiljemalt \(dueEstonian)"))
            #expect(body.contains("  workflowctl request move \(id) quote --hours H --price EUR --delivery DATE"))
            #expect(!body.contains("Hello") && !body.contains("Please"))
        }
        #expect(to("anna@acme.ee")?["body"]?.plain.hasPrefix("Tere, Anna Acme!\n\n") == true)
        for address in ["sales@beta.ee", "bert@beta.ee"] {
            let message = try #require(to(address), "\(address)")
            #expect(message["lang"] == "en")
            #expect(message["subject"]?.plain.hasPrefix("[\(id)] Quote requested: Muudatus ") == true, "\(message)")
            let body = message["body"]?.plain ?? ""
            #expect(body.contains("Quote due: \(due)"), "\(body)")
            #expect(!body.contains("Tere") && !body.contains("Palun"))
        }
        #expect(to("bert@beta.ee")?["body"]?.plain.hasPrefix("Hello Bert Beta,\n\n") == true)
    }

    @Test func theEmailSaysWhichLanguageItIsIn() throws {
        for (lang, expected) in [("et", "et"), ("en", "en"), ("de", "et")] {
            let message = Self.notification("request_quote", inputs: ["due": "2026-12-02"], lang: lang)
            let parsed = ParsedMail(try EmailMessage(message, renderer.render(message)).text())
            #expect(parsed.raw("Content-Language") == expected, "\(lang)")
            #expect(parsed.decoded("Subject") == renderer.render(message).subject)
            #expect(parsed.decodedBody == renderer.render(message).body)
        }
    }

    /// A late order's reminder goes to the vendor and the product owner: each reads its own part.
    /// A product owner without a login is not told to reply "deliver: …" for the vendor.
    @Test(arguments: ["deadline_passed", "warranty_fix_passed"]) func eachPartyOfALateOrderReadsItsOwnPart(_ rule: String) {
        let renderer = MessageRenderer()
        func body(vendor: Bool?, logsIn: Bool) -> String {
            var message = Self.reminder(rule, occurrence: 2, deadline: "2026-12-10", businessDays: 2, vendor: "ACME")
            message.recipientIsVendor = vendor
            message.recipientLogsIn = logsIn
            return renderer.render(message).body
        }
        let vendorPart = "Tarnijale: palun andke töö kohe üle", ownerPart = "Tooteomanikule:", reply = "vastake sellele kirjale"
        let owner = body(vendor: false, logsIn: false)
        #expect(owner.contains(ownerPart) && !owner.contains(vendorPart) && !owner.contains(reply) && !owner.contains("workflowctl"), "\(owner)")
        let ownerAtTerminal = body(vendor: false, logsIn: true)
        #expect(ownerAtTerminal.contains(ownerPart) && !ownerAtTerminal.contains("deliver --note"), "\(ownerAtTerminal)")
        if rule == "deadline_passed" { #expect(ownerAtTerminal.contains("workflowctl request move VOLIS-12 cancel --reason TEXT")) }
        let vendor = body(vendor: true, logsIn: false)
        #expect(vendor.contains(vendorPart) && vendor.contains(reply) && !vendor.contains(ownerPart) && !vendor.contains("workflowctl"), "\(vendor)")
        let unknown = body(vendor: nil, logsIn: true)
        #expect(unknown.contains(vendorPart) && unknown.contains(ownerPart), "\(unknown)")
    }

    /// Someone who cannot log in (no login role, a vendor's company address) is shown no command
    /// in any message, in either language, and no text is left introducing one.
    @Test(arguments: transitions + reminders) func noCommandForSomeoneWhoCannotLogIn(_ c: Case) {
        for lang in ["et", "en"] {
            var message = c.message
            message.lang = lang
            message.recipientLogsIn = false
            let body = renderer.render(message).body
            #expect(!body.contains("workflowctl"), "\(c.key) \(lang): \(body)")
            let lines = body.components(separatedBy: "\n")
            for (index, line) in lines.enumerated() where line.hasSuffix(":") && !line.hasPrefix("  ") {
                // A line may end with a colon only when what it introduces follows it.
                #expect(index + 1 < lines.count && !lines[index + 1].isEmpty, "\(c.key) \(lang): '\(line)' introduces nothing")
            }
        }
    }
}
