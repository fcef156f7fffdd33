import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ReportFormattingTests {
    let format = ReportFormatting.standard

    @Test func money() {
        #expect(format.money(Money(cents: 1_234_560)) == "12\u{202F}345.60\u{A0}€")
        #expect(format.money(Money(cents: -5)) == "-0.05\u{A0}€")
        #expect(format.money(.zero) == "0.00\u{A0}€")
        #expect(format.money(Money(cents: 100_000)) == "1\u{202F}000.00\u{A0}€")
        #expect(format.money(.maximum) == "999\u{202F}999\u{202F}999\u{202F}999.99\u{A0}€")
    }

    @Test func numbers() {
        #expect(format.integer(-1_234_567) == "-1\u{202F}234\u{202F}567")
        #expect(format.integer(999) == "999")
        #expect(format.decimal("1000000.125") == "1\u{202F}000\u{202F}000.125")
        #expect(format.chartNumber(20.25, fractionDigits: 1) == "20.2" || format.chartNumber(20.25, fractionDigits: 1) == "20.3")
        let comma = ReportFormatting(decimalMark: ",")
        #expect(comma.decimal("-12.5") == "-12,5")
    }

    @Test func timesAreShownInTallinn() {
        let winter = ReportFixture.instant(2026, 11, 25, 9, 18, 1)
        #expect(format.timestamp(winter) == "2026-11-25 11:18")
        #expect(format.asOf(winter) == "2026-11-25 11:18 (UTC+02:00)")
        let summer = ReportFixture.instant(2026, 7, 1, 21, 30, 0)
        #expect(format.timestamp(summer) == "2026-07-02 00:30")
        #expect(format.asOf(summer) == "2026-07-02 00:30 (UTC+03:00)")
        #expect(ReportFormatting(timeZone: TimeZone(identifier: "UTC") ?? .tallinn).asOf(winter) == "2026-11-25 09:18 (UTC+00:00)")
    }

    @Test func words() {
        #expect(format.rowCount(1) == "1 row")
        #expect(format.rowCount(12_000) == "12\u{202F}000 rows")
        #expect(format.value(.null) == "–")
        #expect(format.value(.boolean(true)) == "yes")
        #expect(format.value(.date(LocalDate(dayNumber: 0))) == "1970-01-01")
    }

    @Test func estonianWritesDecimalCommasGroupsWithSpacesAndDatesDayFirst() {
        let et = ReportFormatting.estonian
        #expect(et.money(Money(cents: 1_234_560)) == "12\u{A0}345,60\u{A0}€")
        #expect(et.money(Money(cents: -5)) == "-0,05\u{A0}€")
        #expect(et.decimal("1000000.125") == "1\u{A0}000\u{A0}000,125")
        #expect(et.date(LocalDate(year: 2026, month: 11, day: 5)!) == "05.11.2026")
        #expect(et.asOf(ReportFixture.instant(2026, 11, 25, 9, 18, 1)) == "25.11.2026 11:18 (UTC+02:00)")
        #expect(et.rowCount(1) == "1 rida" && et.rowCount(3) == "3 rida")
        #expect(et.value(.boolean(false)) == "ei")
        #expect(et.labels.asOf == "Seisuga")
        #expect(ReportFormatting.for(.en).labels.asOf == "As of")
    }

    @Test func namedValuesAreShownByTheirNameAndOtherTitlesAsTheyAre() {
        let state = ReportColumn("state", "report.column.state", .text, names: "state")
        #expect(ReportFormatting.estonian.value(.text("ordered"), in: state) == "tellitud")
        #expect(ReportFormatting.standard.value(.text("quote_requested"), in: state) == "quote requested")
        #expect(ReportFormatting.estonian.title(of: state) == "Olek")
        #expect(ReportFormatting.standard.title(of: ReportColumn("x", "Free title", .text)) == "Free title")
        #expect(ReportFormatting.estonian.parameterName("vendor") == "Tarnija")
        #expect(ReportFormatting.estonian.parameterName("colour") == "colour")
    }
}
