import Testing
@testable import DevWorkflow

/// The calendar's rules (which days are off) live in the database (sql/0006: public_holidays,
/// days_off, add_business_days); these check them there, and that the client counts over the days
/// it loads exactly as the database does.
@Suite struct BusinessCalendarTests {
    static let loaded: Result<(BusinessCalendar, TestDatabase), any Error> = Result {
        let db = try TestDatabase.migrated()
        return (try WorkflowStore(connection: try db.product()).calendar(), db)
    }
    let calendar: BusinessCalendar
    let store: WorkflowStore

    init() throws {
        let (calendar, db) = try Self.loaded.get()
        self.calendar = calendar
        store = WorkflowStore(connection: try db.product())
    }

    func easterSunday(_ year: Int) throws -> LocalDate {
        try store.connection.query("SELECT workflow.easter_sunday(\(year)::integer)").first!.decode(0)
    }

    @Test func easterSundayMatchesHandCheckedTable() throws {
        let table: [Int: String] = [
            2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
            2028: "2028-04-16", 2029: "2029-04-01", 2030: "2030-04-21", 2031: "2031-04-13",
            2032: "2032-03-28", 2033: "2033-04-17", 2034: "2034-04-09", 2035: "2035-03-25",
        ]
        for year in 2024...2035 {
            let easter = try easterSunday(year)
            #expect(easter.description == table[year], "Easter \(year)")
            #expect(easter.weekday == 7, "Easter \(year) is a Sunday")
        }
    }

    @Test func everyYearHasTwelveHolidaysByTheRules() throws {
        for year in 2024...2035 {
            let holidays = try store.holidays(in: year)
            let dates = holidays.map(\.date)
            let easter = try easterSunday(year)
            #expect(holidays.count == 12, "\(year)")
            #expect(Set(dates).count == 12, "\(year): no two holidays share a day")
            #expect(dates == dates.sorted(), "\(year): sorted by date")
            #expect(dates.allSatisfy { $0.year == year })

            let goodFriday = holidays.first { $0.key == "good_friday" }?.date
            #expect(goodFriday == easter.adding(days: -2), "\(year)")
            #expect(goodFriday?.weekday == 5, "\(year): Good Friday is a Friday")
            #expect(holidays.first { $0.key == "easter_sunday" }?.date == easter, "\(year)")
            let pentecost = holidays.first { $0.key == "pentecost" }?.date
            #expect(pentecost == easter.adding(days: 49), "\(year)")
            #expect(pentecost?.weekday == 7, "\(year): Pentecost is a Sunday")

            for (month, day) in [(1, 1), (2, 24), (5, 1), (6, 23), (6, 24), (8, 20), (12, 24), (12, 25), (12, 26)] {
                #expect(dates.contains(LocalDate(year: year, month: month, day: day)!), "\(year)-\(month)-\(day)")
            }
        }
    }

    @Test func holidays2025() throws {
        #expect(try store.holidays(in: 2025) == [
            holiday("2025-01-01", "New Year's Day", "uusaasta"),
            holiday("2025-02-24", "Independence Day", "iseseisvuspäev"),
            holiday("2025-04-18", "Good Friday", "suur reede"),
            holiday("2025-04-20", "Easter Sunday", "ülestõusmispühade 1. püha"),
            holiday("2025-05-01", "Spring Day", "kevadpüha"),
            holiday("2025-06-08", "Pentecost", "nelipühade 1. püha"),
            holiday("2025-06-23", "Victory Day", "võidupüha"),
            holiday("2025-06-24", "Midsummer Day", "jaanipäev"),
            holiday("2025-08-20", "Day of Restoration of Independence", "taasiseseisvumispäev"),
            holiday("2025-12-24", "Christmas Eve", "jõululaupäev"),
            holiday("2025-12-25", "Christmas Day", "esimene jõulupüha"),
            holiday("2025-12-26", "Boxing Day", "teine jõulupüha"),
        ])
    }

    @Test func holidays2026() throws {
        #expect(try store.holidays(in: 2026) == [
            holiday("2026-01-01", "New Year's Day", "uusaasta"),
            holiday("2026-02-24", "Independence Day", "iseseisvuspäev"),
            holiday("2026-04-03", "Good Friday", "suur reede"),
            holiday("2026-04-05", "Easter Sunday", "ülestõusmispühade 1. püha"),
            holiday("2026-05-01", "Spring Day", "kevadpüha"),
            holiday("2026-05-24", "Pentecost", "nelipühade 1. püha"),
            holiday("2026-06-23", "Victory Day", "võidupüha"),
            holiday("2026-06-24", "Midsummer Day", "jaanipäev"),
            holiday("2026-08-20", "Day of Restoration of Independence", "taasiseseisvumispäev"),
            holiday("2026-12-24", "Christmas Eve", "jõululaupäev"),
            holiday("2026-12-25", "Christmas Day", "esimene jõulupüha"),
            holiday("2026-12-26", "Boxing Day", "teine jõulupüha"),
        ])
    }

    @Test func holidays2027() throws {
        #expect(try store.holidays(in: 2027) == [
            holiday("2027-01-01", "New Year's Day", "uusaasta"),
            holiday("2027-02-24", "Independence Day", "iseseisvuspäev"),
            holiday("2027-03-26", "Good Friday", "suur reede"),
            holiday("2027-03-28", "Easter Sunday", "ülestõusmispühade 1. püha"),
            holiday("2027-05-01", "Spring Day", "kevadpüha"),
            holiday("2027-05-16", "Pentecost", "nelipühade 1. püha"),
            holiday("2027-06-23", "Victory Day", "võidupüha"),
            holiday("2027-06-24", "Midsummer Day", "jaanipäev"),
            holiday("2027-08-20", "Day of Restoration of Independence", "taasiseseisvumispäev"),
            holiday("2027-12-24", "Christmas Eve", "jõululaupäev"),
            holiday("2027-12-25", "Christmas Day", "esimene jõulupüha"),
            holiday("2027-12-26", "Boxing Day", "teine jõulupüha"),
        ])
    }

    /// The quick check in `isHoliday` and the list from `holidays(in:)` agree on every day.
    @Test func isHolidayAgreesWithTheYearsList() throws {
        for year in 2024...2035 {
            let listed = Set(try store.holidays(in: year).map(\.date))
            let first = LocalDate(year: year, month: 1, day: 1)!
            let last = LocalDate(year: year, month: 12, day: 31)!
            for dayNumber in first.dayNumber...last.dayNumber {
                let date = LocalDate(dayNumber: dayNumber)
                #expect(calendar.isHoliday(date) == listed.contains(date), "\(date)")
                #expect(calendar.isBusinessDay(date) == (!date.isWeekend && !listed.contains(date)), "\(date)")
            }
        }
    }

    @Test func holidaysOnWeekendsStillCountAsHolidays() {
        // 2026-12-26 is a Saturday, 2027-12-25 a Saturday, 2027-12-26 a Sunday: no substitute days.
        #expect(day("2026-12-26").weekday == 6)
        #expect(calendar.isHoliday(day("2026-12-26")))
        #expect(!calendar.isBusinessDay(day("2026-12-26")))
        #expect(calendar.isHoliday(day("2027-12-26")))
        #expect(calendar.isBusinessDay(day("2027-12-27")))
        #expect(!calendar.isHoliday(day("2026-04-06")), "Easter Monday is a working day in Estonia")
    }

    @Test func addingAcrossChristmasAndNewYear() {
        // 24 and 25 Dec holidays, 26 Sat (and a holiday), 27 Sun.
        #expect(calendar.adding(businessDays: 1, to: day("2026-12-23")) == day("2026-12-28"))
        // 1 Jan 2027 a Friday holiday, 2 Sat, 3 Sun.
        #expect(calendar.adding(businessDays: 1, to: day("2026-12-31")) == day("2027-01-04"))
        // 28, 29, 30, 31 Dec, then 4 Jan.
        #expect(calendar.adding(businessDays: 5, to: day("2026-12-23")) == day("2027-01-04"))
        // From a holiday: the next business day counts as the first.
        #expect(calendar.adding(businessDays: 1, to: day("2026-12-25")) == day("2026-12-28"))
    }

    @Test func addingAcrossGoodFridayAndEaster() {
        // 2026-04-02 Thursday; 3 Good Friday, 4 Sat, 5 Easter Sunday; Easter Monday works.
        #expect(day("2026-04-02").weekday == 4)
        #expect(calendar.adding(businessDays: 1, to: day("2026-04-02")) == day("2026-04-06"))
        #expect(calendar.adding(businessDays: -1, to: day("2026-04-06")) == day("2026-04-02"))
    }

    @Test func addingBackwardsAcrossAWeekend() {
        // 2026-03-09 is a Monday; the Friday before is 6 March.
        #expect(day("2026-03-09").weekday == 1)
        #expect(calendar.adding(businessDays: -1, to: day("2026-03-09")) == day("2026-03-06"))
        // 6 (Fri), 5, 4, 3, 2 March.
        #expect(calendar.adding(businessDays: -5, to: day("2026-03-09")) == day("2026-03-02"))
        // From a Sunday: Friday is one business day before.
        #expect(calendar.adding(businessDays: -1, to: day("2026-03-08")) == day("2026-03-06"))
    }

    @Test func addingZeroReturnsTheDateUnchanged() {
        for text in ["2026-12-25", "2026-12-27", "2026-12-28"] {
            #expect(calendar.adding(businessDays: 0, to: day(text)) == day(text))
        }
    }

    @Test func closureDayIsSkipped() {
        let closed = BusinessCalendar(daysOff: calendar.daysOff.merging([day("2026-12-28"): "", day("2026-12-27"): ""]) { a, _ in a })
        #expect(closed.isHoliday(day("2026-12-28")))
        #expect(!closed.isBusinessDay(day("2026-12-28")))
        #expect(!calendar.isHoliday(day("2026-12-28")))
        #expect(closed.adding(businessDays: 1, to: day("2026-12-23")) == day("2026-12-29"))
        #expect(closed.adding(businessDays: -1, to: day("2026-12-29")) == day("2026-12-23"))
        #expect(closed.businessDays(after: day("2026-12-23"), through: day("2026-12-31")) == 3)
        // A closure on a Sunday (27 Dec) takes nothing more away.
        #expect(BusinessCalendar(daysOff: calendar.daysOff.merging([day("2026-12-27"): ""]) { a, _ in a }).businessDays(after: day("2026-12-23"), through: day("2026-12-31")) == 4)
    }

    @Test func businessDaysOverChristmas2026() {
        // (23 Dec, 31 Dec]: 28, 29, 30, 31.
        #expect(calendar.businessDays(after: day("2026-12-23"), through: day("2026-12-31")) == 4)
        // (22 Dec, 28 Dec]: 23, 28.
        #expect(calendar.businessDays(after: day("2026-12-22"), through: day("2026-12-28")) == 2)
        // (23 Dec, 27 Dec]: holidays and a weekend only.
        #expect(calendar.businessDays(after: day("2026-12-23"), through: day("2026-12-27")) == 0)
        // `from` never counts, `to` does.
        #expect(calendar.businessDays(after: day("2026-12-22"), through: day("2026-12-23")) == 1)
        #expect(calendar.businessDays(after: day("2026-12-23"), through: day("2026-12-23")) == 0)
        #expect(calendar.businessDays(after: day("2026-12-31"), through: day("2026-12-23")) == 0)
    }

    @Test func businessDaysInTheWholeOf2026() {
        // 261 weekdays (the year starts and ends on a Thursday) less 9 holidays on weekdays:
        // 1 Jan, 24 Feb, 3 Apr, 1 May, 23 Jun, 24 Jun, 20 Aug, 24 Dec, 25 Dec.
        #expect(calendar.businessDays(after: day("2025-12-31"), through: day("2026-12-31")) == 252)
    }

    @Test func businessDaysIsTheInverseOfAdding() {
        var random = SplitMix64(seed: 2026)
        let first = day("2024-01-01").dayNumber
        let last = day("2035-12-31").dayNumber
        for _ in 0..<2_000 {
            let date = LocalDate(dayNumber: Int.random(in: first...last, using: &random))
            let n = Int.random(in: 0...30, using: &random)
            let later = calendar.adding(businessDays: n, to: date)
            #expect(calendar.businessDays(after: date, through: later) == n, "\(date) + \(n)")
            // Backwards the same holds when `date` itself is a business day (it counts as the n-th).
            if calendar.isBusinessDay(date) {
                let earlier = calendar.adding(businessDays: -n, to: date)
                #expect(calendar.businessDays(after: earlier, through: date) == n, "\(date) - \(n)")
            }
        }
    }

    @Test func deadlineRightAfterChristmas() {
        // Counting back from 29 Dec: 28 (Mon) is 1; 27 Sun, 26 Sat, 25 and 24 holidays;
        // 23 (Wed) is 2; 22 (Tue) is 3.
        let deadline = day("2026-12-29")
        #expect(calendar.adding(businessDays: -3, to: deadline) == day("2026-12-22"))
        #expect(calendar.businessDays(after: day("2026-12-22"), through: deadline) == 3)
    }

    private func day(_ text: String) -> LocalDate {
        // A malformed literal is a mistake in this file, not a case to test.
        try! LocalDate(parsing: text)
    }

    /// A holiday as the database lists it, with its names in both languages checked on the way.
    private func holiday(_ date: String, _ name: String, _ estonianName: String) -> Holiday {
        let key = Catalogue.entries.first { $0.key.hasPrefix("holiday.") && $0.value.en == name }?.key.dropFirst(8) ?? "?"
        let holiday = Holiday(date: day(date), key: String(key))
        #expect(holiday.name(in: .et) == estonianName, "\(name) in Estonian")
        return holiday
    }

    /// The client counts over the days it loads as the database's add_business_days counts.
    @Test func theClientCountsAsTheDatabaseDoes() throws {
        var random = SplitMix64(seed: 20261203)
        let first = day("2024-01-01").dayNumber, last = day("2030-12-31").dayNumber
        for _ in 0..<300 {
            let date = LocalDate(dayNumber: Int.random(in: first...last, using: &random))
            let n = Int.random(in: -40...40, using: &random)
            #expect(try store.adding(businessDays: n, to: date) == calendar.adding(businessDays: n, to: date), "\(date) + \(n)")
        }
        // A closure day counts the same on both sides once added (in a database of its own).
        let closing = WorkflowStore(connection: try TestDatabase.migrated().product())
        try closing.addClosure(day("2026-12-28"), note: "vahepäev")
        #expect(try closing.adding(businessDays: 1, to: day("2026-12-23")) == day("2026-12-29"))
        #expect(try closing.calendar().adding(businessDays: 1, to: day("2026-12-23")) == day("2026-12-29"))
    }
}
