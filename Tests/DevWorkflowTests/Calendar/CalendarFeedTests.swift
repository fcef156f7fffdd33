import Foundation
import Testing
@testable import DevWorkflow

/// `workflowctl calendar feed` and workflowd's calendar exports against a real PostgreSQL, read
/// back by Python's icalendar.
@Suite struct CalendarFeedTests {
    static func feed(_ f: Fixture, _ arguments: [String], as login: String? = nil, lang: String = "en_US.UTF-8") throws -> Binary.Result {
        try Binary.run("workflowctl", ["calendar", "feed"] + arguments + ["--database", try f.db.conninfo(user: login)], environment: ["LANG": lang])
    }

    static func parsed(_ text: String) throws -> JSONValue {
        let path = workPath("feed.ics")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try JSONValue.parse(try Python.run("icalendar_read.py", [path]))
    }

    @Test func aVendorsDeadlinesWindowsAndDaysOffAsIcalendarReadsThem() throws {
        let f = try Fixture()
        let quoting = try f.request(in: "quote_requested")
        let ordered = try f.request(in: "ordered")
        let delivered = try f.request(in: "delivered")
        let accepted = try f.request(in: "accepted")
        try f.store().addClosure(LocalDate(year: Fixture.today.year, month: 12, day: 31)!, note: "Aastalõpp")
        let run = try Self.feed(f, ["--vendor", "ACME"], as: f.vendorA)
        #expect(run.status == 0, "\(run.stderr)")
        let calendar = try Self.parsed(run.stdout)
        #expect(calendar["name"] == "DevWorkflow – Acme OÜ" && calendar["method"] == "PUBLISH")
        guard case let .array(events)? = calendar["events"] else { Issue.record("\(calendar)"); return }
        let uids = events.compactMap { $0["uid"]?.plain }
        #expect(uids.contains("quote-due-\(quoting)-ACME@devworkflow"))
        #expect(uids.contains("order-deadline-\(ordered)-ACME@devworkflow"))
        #expect(uids.contains("acceptance-window-\(delivered)-ACME@devworkflow"))
        #expect(uids.contains("contract-end-RL-ACME@devworkflow") && !uids.contains("contract-end-RL-BETA@devworkflow"))
        #expect(uids.contains("holiday-\(Fixture.today.year)-12-24@devworkflow") && uids.contains("closure-\(Fixture.today.year)-12-31@devworkflow"))
        // ACME's language is Estonian: the titles are.
        let deadline = try #require(events.first { $0["uid"]?.plain == "order-deadline-\(ordered)-ACME@devworkflow" })
        #expect(deadline["summary"]?.plain.hasPrefix("Üleandmise tähtaeg: \(ordered) „Muudatus") == true)
        #expect(deadline["dtstart"]?.plain == Fixture.today.adding(days: 30).description)
        // The acceptance window: from the delivery to 10 business days later (the acceptance_pending rule).
        let window = try #require(events.first { $0["uid"]?.plain == "acceptance-window-\(delivered)-ACME@devworkflow" })
        let due = try Calendars.estonian.adding(businessDays: 10, to: Fixture.today)
        #expect(window["dtstart"]?.plain == Fixture.today.description && window["dtend"]?.plain == due.adding(days: 1).description)
        // The release window: from the acceptance to release_pending's business days later.
        let release = try #require(events.first { $0["uid"]?.plain == "release-window-\(accepted)-ACME@devworkflow" })
        let rule: Int = try f.sql().query("SELECT business_days FROM reminder_rule WHERE key = 'release_pending'").first!.decode(0)
        // This database's days off: the holidays and the closure added above (which a window over
        // the year's end skips too).
        let releaseDue = try BusinessCalendar.load(from: f.sql()).adding(businessDays: rule, to: Fixture.today)
        #expect(release["dtstart"]?.plain == Fixture.today.description && release["dtend"]?.plain == releaseDue.adding(days: 1).description, "\(release) \(releaseDue)")
        // Nothing of BETA's, whose quote was asked for the same requests.
        #expect(!run.stdout.contains("-BETA@"))
        // The same data, the same bytes: UIDs and DTSTAMP do not move from one export to the next.
        #expect(try Self.feed(f, ["--vendor", "ACME"], as: f.vendorA).stdout == run.stdout)
        // A held order's deadline says so, in the vendor's feed and the owner's (sql/0060).
        _ = try f.store().move(ordered, "hold", inputs: .init(reason: "ootame otsust"))
        for (arguments, login) in [(["--vendor", "ACME"], f.vendorA), (["--person", f.owner], f.owner)] {
            let held = try Self.parsed(try Self.feed(f, arguments, as: login).stdout)
            let event = held["events"]?.arrayValue?.first { $0["uid"]?.plain.hasPrefix("order-deadline-\(ordered)") == true }
            #expect(event?["summary"]?.plain.hasPrefix("Üleandmise tähtaeg (tellimus on peatatud): \(ordered)") == true, "\(login): \(String(describing: event))")
        }
        _ = try f.store().move(ordered, "deliver", inputs: .init(note: "valmis"))
        let later = try Self.feed(f, ["--vendor", "ACME"], as: f.vendorA).stdout
        #expect(later != run.stdout && later.contains("UID:acceptance-window-\(ordered)-ACME@devworkflow"))
        #expect(!later.contains("UID:order-deadline-\(ordered)-ACME@devworkflow"), "a delivered order's deadline leaves the feed")
    }

    /// Issue 19: a released order's warranty end is an event of its vendor's feed and of the
    /// product owner's, in the reader's language; an order without a warranty has none.
    @Test func aReleasedOrdersWarrantyEndIsInTheFeed() throws {
        let f = try Fixture()
        let plain = try f.request(in: "released")
        _ = try f.sql().query("SELECT workflow.set_contract_terms('RL-ACME', 24, 5, 0.5, 10)")
        let released = try f.request(in: "released")
        let end = try f.sql().query("SELECT warranty_end(o) FROM purchase_order o WHERE request_id = \(released)").first!.decode(0, as: LocalDate.self)
        let run = try Self.feed(f, ["--vendor", "ACME"], as: f.vendorA)
        #expect(run.status == 0, "\(run.stderr)")
        guard case let .array(events)? = try Self.parsed(run.stdout)["events"] else { Issue.record("\(run.stdout)"); return }
        let warranty = try #require(events.first { $0["uid"]?.plain == "warranty-end-\(released)-ACME@devworkflow" })
        // ACME reads Estonian.
        #expect(warranty["summary"]?.plain.hasPrefix("Garantii lõpeb: \(released) „Muudatus") == true)
        #expect(warranty["summary"]?.plain.hasSuffix("” (24 kuud)") == true, "\(warranty)")
        #expect(warranty["dtstart"]?.plain == end.description && warranty["dtend"]?.plain == end.adding(days: 1).description)
        #expect(warranty["categories"]?.arrayValue?.first == "Garantii")
        #expect(!events.contains { $0["uid"]?.plain.hasPrefix("warranty-end-\(plain)") == true }, "an order without a warranty has no end")
        let owner = try Self.feed(f, ["--person", f.owner, "--lang", "en"], as: f.owner)
        #expect(owner.status == 0, "\(owner.stderr)")
        guard case let .array(ownerEvents)? = try Self.parsed(owner.stdout)["events"] else { Issue.record("\(owner.stdout)"); return }
        let ends = ownerEvents.filter { $0["uid"]?.plain == "warranty-end-\(released)@devworkflow" }
        #expect(ends.count == 1, "\(ownerEvents)")
        #expect(ends.first?["summary"]?.plain.hasPrefix("Warranty ends: \(released) \"Muudatus") == true)
        #expect(ends.first?["summary"]?.plain.hasSuffix("\" (24 months)") == true)
        #expect(ends.first?["categories"]?.arrayValue?.first == "Warranty")
    }

    @Test func eachFeedIsReadOnlyByItsOwnerAndAdmins() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        #expect(try Self.feed(f, ["--vendor", "ACME"], as: f.vendorB).status == 66, "another vendor's feed is as good as missing")
        #expect(try Self.feed(f, ["--vendor", "ACME"], as: f.owner).status == 66)
        #expect(try Self.feed(f, ["--person", f.owner], as: f.requester).status == 66)
        #expect(try Self.feed(f, ["--person", f.owner], as: f.nobody).status == 77)
        #expect(try Self.feed(f, ["--vendor", "ACME"]).status == 0, "an admin reads any")
        #expect(try Self.feed(f, ["--person", f.vendorA], as: f.vendorA).status == 0)
        let owner = try Self.feed(f, ["--person", f.owner, "--json"], as: f.owner)
        #expect(owner.status == 0)
        let json = try JSONValue.parse(owner.stdout)
        #expect(json["events"]?.text.contains("order-deadline-VOLIS-") == true, "a product owner sees the orders of their system")
        #expect(try Self.feed(f, ["--vendor", "ACME", "--person", f.owner]).status == 64)
    }

    @Test func workflowdKeepsOneCalendarPerPersonAndVendor() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let dir = workPath("calendars")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let run = try Binary.run("workflowd", ["--once", "--file", workPath("c.jsonl"), "--exports", dir, "--database", try f.db.conninfo()])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("calendar-") }.sorted()
        let people = [f.admin, f.owner, f.otherOwner, f.vendorA, f.vendorB, f.requester].sorted().map { "calendar-person-\($0).ics" }
        #expect(files == (people + ["calendar-vendor-ACME.ics", "calendar-vendor-BETA.ics", "calendar-vendor-GAMMA.ics"]).sorted())
        let beta = try String(contentsOfFile: dir + "/calendar-vendor-BETA.ics", encoding: .utf8)
        #expect(beta.contains("Public holiday: Christmas Eve"), "in BETA's language, English")
        #expect(try Self.parsed(beta)["name"] == "DevWorkflow – Beta AS")
        #expect(Daemon.fileName("../mari/x") == "%2E.%2Fmari%2Fx" && Daemon.fileName("mari.maasikas") == "mari.maasikas")
    }
}
