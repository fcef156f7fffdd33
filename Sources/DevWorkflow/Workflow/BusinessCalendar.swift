/// A public holiday of Estonia, as the database names it (`holiday.<key>` in the catalogue).
public struct Holiday: Sendable, Hashable {
    /// The day it falls on, weekends included.
    public let date: LocalDate
    /// The catalogue key of its name, without the `holiday.` prefix (`good_friday`).
    public let key: String

    public init(date: LocalDate, key: String) {
        self.date = date
        self.key = key
    }

    /// Its name in a language: "suur reede", "Good Friday".
    public func name(in language: Language) -> String { Message("holiday.\(key)").text(language) }
}

/// Business days in Estonia: Monday–Friday that are not days off.
///
/// Which days are off (the twelve public holidays, Easter computed, and the closure days an
/// admin added) is defined once, in the database (`workflow.days_off`, sql/0006), which also
/// fills in `move()`'s defaults; this value holds what it said and does the counting, with no
/// I/O: a check is a dictionary look-up, counting over a range costs O(days).
public struct BusinessCalendar: Sendable {
    /// Days off that are not weekend days, each with its holiday key ("" for a closure day).
    public let daysOff: [LocalDate: String]

    public init(daysOff: [LocalDate: String] = [:]) {
        self.daysOff = daysOff
    }

    /// The first and last day the database's calendar covers (every stored date lies between).
    public static let years = 2000...2100

    /// Every day off the database knows, 2000 to 2100 (about 1 300 rows).
    public static func load(from connection: Connection) throws -> BusinessCalendar {
        var off: [LocalDate: String] = [:]
        do {
            for row in try connection.query("SELECT day, coalesce(key, '') FROM workflow.days_off('2000-01-01', '2100-12-31')") {
                off[try row.decode(0)] = try row.decode(1)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        return BusinessCalendar(daysOff: off)
    }

    /// Whether a date is a public holiday or a closure day, weekends included.
    public func isHoliday(_ date: LocalDate) -> Bool { daysOff[date] != nil }

    /// Whether a date is a working day: Monday–Friday, not a public holiday, not a closure.
    public func isBusinessDay(_ date: LocalDate) -> Bool {
        !date.isWeekend && !isHoliday(date)
    }

    /// The date `n` business days after `date` (n < 0: before). n == 0 returns `date` unchanged.
    ///
    /// Counting starts from the day after (before) `date`, so date itself never counts; the result
    /// is always a business day unless n == 0. "3 business days before 2026-12-29" is 2026-12-22.
    public func adding(businessDays n: Int, to date: LocalDate) -> LocalDate {
        guard n != 0 else { return date }
        let step = n < 0 ? -1 : 1
        var remaining = n.magnitude
        var dayNumber = date.dayNumber
        // Terminates: days off are finite, so business days recur.
        while remaining > 0 {
            dayNumber += step
            if isBusinessDay(LocalDate(dayNumber: dayNumber)) { remaining -= 1 }
        }
        return LocalDate(dayNumber: dayNumber)
    }

    /// Business days in (from, to]: how many business days have passed after `from` up to and
    /// including `to`; 0 when to <= from. This is what "proposed > 10 business days" reminders
    /// compare against.
    ///
    /// The inverse of `adding`: `businessDays(after: d, through: adding(businessDays: n, to: d)) == n`
    /// for every n >= 0.
    public func businessDays(after from: LocalDate, through to: LocalDate) -> Int {
        let first = from.dayNumber + 1
        let last = to.dayNumber
        guard first <= last else { return 0 }
        var count = 0
        for dayNumber in first...last where isBusinessDay(LocalDate(dayNumber: dayNumber)) {
            count += 1
        }
        return count
    }
}
