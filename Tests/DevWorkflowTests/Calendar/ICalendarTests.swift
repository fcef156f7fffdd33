import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ICalendarTests {
    static let stamp = Date(timeIntervalSince1970: 1_796_285_700)  // 2026-12-03 08:15:00 UTC
    static let long = "Hinnapakkumise tähtaeg: VOLIS-12 „Tööpäevade arvestus ja õigusaktide jõustumise kuupäevade ülevaade”; šõž, ÕÄÖÜ"

    static let calendar = ICalendar(name: "DevWorkflow – ACME OÜ", events: [
        .init(kind: "quote-due", id: "VOLIS-12", date: LocalDate(year: 2026, month: 12, day: 9)!, summary: long,
              description: "Rida üks; rida kaks, kolm\\neli\nTeine rida\r\nKolmas\u{7}rida", categories: ["Hinnapakkumine", "VOLIS, KOV"],
              url: "https://devworkflow.example/requests/VOLIS-12?tab=quotes&x=1"),
        .init(kind: "acceptance-window", id: "VOLIS-7", date: LocalDate(year: 2026, month: 12, day: 28)!, lastDate: LocalDate(year: 2027, month: 1, day: 8)!,
              summary: "Vastuvõtmise aken: VOLIS-7"),
        .init(kind: "holiday", id: "2026-12-24", date: LocalDate(year: 2026, month: 12, day: 24)!, summary: "Jõululaupäev"),
    ])

    @Test func theTextAsRFC5545WantsIt() throws {
        let text = Self.calendar.text(stamp: Self.stamp)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//DevWorkflow//DevWorkflow//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:DevWorkflow – ACME OÜ\r\n"))
        #expect(text.hasSuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"))
        let lines = text.components(separatedBy: "\r\n").dropLast()
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends with CRLF")
        for line in lines { #expect(line.utf8.count <= 75, "\(line)") }
        #expect(lines.contains("DTSTAMP:20261203T081500Z"))
        #expect(lines.contains("UID:quote-due-VOLIS-12@devworkflow"))
        #expect(lines.contains("DTSTART;VALUE=DATE:20261209") && lines.contains("DTEND;VALUE=DATE:20261210"))
        #expect(lines.contains("DTSTART;VALUE=DATE:20261228") && lines.contains("DTEND;VALUE=DATE:20270109"))
        #expect(lines.contains("CATEGORIES:Hinnapakkumine,VOLIS\\, KOV"))
        #expect(text.contains("DESCRIPTION:Rida üks\\; rida kaks\\, kolm\\\\neli\\nTeine rida\\nKolmasrida"))
        // The same inputs, the same bytes.
        #expect(Self.calendar.text(stamp: Self.stamp) == text)
    }

    @Test func longEstonianLinesFoldWithoutSplittingALetter() throws {
        let line = "SUMMARY:" + ICalendar.escaped(Self.long)
        let folded = ICalendar.folded(line)
        let pieces = folded.components(separatedBy: "\r\n")
        #expect(pieces.count == 2)
        #expect(pieces.first!.utf8.count <= 75 && pieces.dropFirst().allSatisfy { $0.hasPrefix(" ") && $0.utf8.count <= 75 })
        // Each piece is valid UTF-8 by itself: no letter's bytes were parted.
        for piece in pieces { #expect(String(validating: Array(piece.utf8), as: UTF8.self) != nil) }
        // Unfolding (remove CRLF and one space) gives the line back.
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        // A line of two-byte letters only: every break falls between letters, the first at 74 or 75 octets.
        let letters = ICalendar.folded("SUMMARY:" + String(repeating: "õ", count: 200))
        #expect(letters.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 && $0.utf8.count >= 74 || $0 == letters.components(separatedBy: "\r\n").last })
        #expect(ICalendar.folded(String(repeating: "a", count: 75)) == String(repeating: "a", count: 75))
        #expect(ICalendar.folded(String(repeating: "a", count: 76)) == String(repeating: "a", count: 75) + "\r\n a")
        // A four-byte character (an emoji) is not split either.
        let emoji = ICalendar.folded(String(repeating: "a", count: 73) + "😀b")
        #expect(emoji == String(repeating: "a", count: 73) + "\r\n 😀b")
    }

    @Test func icalendarReadsItBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(UUID().uuidString).ics")
        try Data(Self.calendar.text(stamp: Self.stamp).utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let parsed = try JSONValue.parse(try Python.run("icalendar_read.py", [path.path]))
        #expect(parsed["version"] == "2.0" && parsed["method"] == "PUBLISH" && parsed["calscale"] == "GREGORIAN")
        #expect(parsed["prodid"] == .string(ICalendar.productID))
        #expect(parsed["name"] == "DevWorkflow – ACME OÜ")
        guard case let .array(events)? = parsed["events"], events.count == 3 else { Issue.record("\(parsed)"); return }
        #expect(events[0]["uid"] == "quote-due-VOLIS-12@devworkflow")
        #expect(events[0]["summary"] == .string(Self.long))
        #expect(events[0]["description"] == "Rida üks; rida kaks, kolm\\neli\nTeine rida\nKolmasrida")
        #expect(events[0]["categories"] == ["Hinnapakkumine", "VOLIS, KOV"])
        #expect(events[0]["url"] == "https://devworkflow.example/requests/VOLIS-12?tab=quotes&x=1")
        #expect(events[0]["dtstamp"] == "2026-12-03T08:15:00+00:00")
        #expect(events.map { $0["dtstart"] } == ["2026-12-09", "2026-12-28", "2026-12-24"])
        #expect(events.map { $0["dtend"] } == ["2026-12-10", "2027-01-09", "2026-12-25"])
        #expect(events[2]["description"] == .null && events[2]["url"] == .null && events[2]["categories"] == [])
        #expect(events.allSatisfy { $0["transp"] == "TRANSPARENT" })
    }

    @Test func uidsStayTheSameFromExportToExport() {
        let later = ICalendar(name: "x", events: [.init(kind: "quote-due", id: "VOLIS-12", date: LocalDate(year: 2027, month: 1, day: 4)!, summary: "moved")])
        #expect(later.events[0].uid == Self.calendar.events[0].uid)
        #expect(later.text(stamp: Self.stamp).contains("UID:quote-due-VOLIS-12@devworkflow\r\n"))
    }
}
