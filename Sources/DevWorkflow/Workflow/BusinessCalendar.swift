/// A public holiday of Estonia.
///
/// The twelve days of the Public Holidays and Days of National Importance Act (pühade ja
/// tähtpäevade seadus). Estonia has no substitute days: a holiday on a weekend is simply lost.
public struct Holiday: Sendable, Hashable {
    /// The day it falls on, weekends included.
    public let date: LocalDate
    /// Which holiday it is (`good_friday`); its names are `holiday.<key>` in the catalogue.
    public let key: String

    /// Its name in a language: "suur reede", "Good Friday".
    public func name(in language: Language) -> String { Message("holiday.\(key)").text(language) }
    /// The English name, as in "Good Friday".
    public var name: String { name(in: .en) }
    /// The Estonian name, as in "suur reede".
    public var estonianName: String { name(in: .et) }
}

/// Business days in Estonia: Monday–Friday that are not public holidays and not extra closure days.
///
/// Pure arithmetic on `LocalDate`, no I/O and no shared state: a holiday check is a dozen integer
/// comparisons and one Easter computation, so counting over a range costs O(days) and allocates
/// nothing. Defined for the years `LocalDate` can hold (1…9999).
public struct BusinessCalendar: Sendable {
    /// Extra days off on top of the public holidays (a company closure between Christmas and
    /// New Year, say). A closure on a weekend changes nothing.
    public let closures: Set<LocalDate>

    /// A calendar with the public holidays of Estonia and, optionally, extra closure days.
    public init(closures: Set<LocalDate> = []) {
        self.closures = closures
    }

    /// Easter Sunday of a Gregorian year, computed with the anonymous Gregorian algorithm
    /// (Meeus/Jones/Butcher). Traps for years outside 1…9999, which `LocalDate` cannot hold.
    public static func easterSunday(year: Int) -> LocalDate {
        precondition((1...9999).contains(year), "easterSunday(year:): year \(year) is outside 1...9999")
        let (month, day) = easterMonthDay(year: year)
        guard let date = LocalDate(year: year, month: month, day: day) else {
            preconditionFailure("easterSunday(year:): computed an invalid date \(year)-\(month)-\(day)")
        }
        return date
    }

    /// The twelve public holidays of a year, sorted by date, including those on a weekend.
    /// Traps for years outside 1…9999.
    public static func holidays(in year: Int) -> [Holiday] {
        let easter = easterSunday(year: year)
        return holidayRules.map { rule in
            let date: LocalDate
            switch rule.date {
            case .fixed(let month, let day):
                guard let fixed = LocalDate(year: year, month: month, day: day) else {
                    preconditionFailure("holidays(in:): \(rule.key) has no date \(month)/\(day) in \(year)")
                }
                date = fixed
            case .easter(let offset):
                date = easter.adding(days: offset)
            }
            return Holiday(date: date, key: rule.key)
        }
        .sorted { $0.date < $1.date }
    }

    /// Whether a date is a public holiday or one of this calendar's closures, weekends included.
    public func isHoliday(_ date: LocalDate) -> Bool {
        Self.isPublicHoliday(date) || closures.contains(date)
    }

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
        // Terminates: closures are finite and a year has at most 12 holidays, so business days recur.
        while remaining > 0 {
            dayNumber += step
            if isBusinessDay(LocalDate(dayNumber: dayNumber)) { remaining -= 1 }
        }
        return LocalDate(dayNumber: dayNumber)
    }

    /// `adding(businessDays:to:)` for a count someone typed: an `invalidData` error, not a date
    /// `LocalDate` cannot hold, when the result falls outside the years 1…9999.
    public func checkedAdding(businessDays n: Int, to date: LocalDate) throws -> LocalDate {
        let result = adding(businessDays: n, to: date)
        guard (1...9999).contains(result.year) else {
            throw WorkflowError(.invalidData, Message("error.business_days_beyond", ["date": "\(date)", "count": "\(n)"]))
        }
        return result
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

extension BusinessCalendar {
    /// Where a holiday falls each year.
    private enum DateRule: Sendable {
        /// The same month and day every year.
        case fixed(month: Int, day: Int)
        /// Days after (negative: before) Easter Sunday.
        case easter(offset: Int)
    }

    /// One holiday of the law: its rule and its key (its names are in the catalogue).
    private struct HolidayRule: Sendable {
        let date: DateRule
        let key: String
    }

    /// The one list both `holidays(in:)` and `isHoliday(_:)` read, so they cannot disagree.
    private static let holidayRules: [HolidayRule] = [
        HolidayRule(date: .fixed(month: 1, day: 1), key: "new_year"),
        HolidayRule(date: .fixed(month: 2, day: 24), key: "independence_day"),
        HolidayRule(date: .easter(offset: -2), key: "good_friday"),
        HolidayRule(date: .easter(offset: 0), key: "easter_sunday"),
        HolidayRule(date: .fixed(month: 5, day: 1), key: "spring_day"),
        HolidayRule(date: .easter(offset: 49), key: "pentecost"),
        HolidayRule(date: .fixed(month: 6, day: 23), key: "victory_day"),
        HolidayRule(date: .fixed(month: 6, day: 24), key: "midsummer_day"),
        HolidayRule(date: .fixed(month: 8, day: 20), key: "restoration_of_independence"),
        HolidayRule(date: .fixed(month: 12, day: 24), key: "christmas_eve"),
        HolidayRule(date: .fixed(month: 12, day: 25), key: "christmas_day"),
        HolidayRule(date: .fixed(month: 12, day: 26), key: "boxing_day"),
    ]

    /// Whether a date is one of the twelve public holidays, without building the year's list.
    static func isPublicHoliday(_ date: LocalDate) -> Bool {
        // Easter-based days fall between 20 March (Good Friday) and 13 June (Pentecost), so only
        // those months need Easter; the offset is measured in days from 1 March of the same year,
        // which keeps leap years out of the comparison.
        let fromEaster: Int? = (3...6).contains(date.month)
            ? daysAfterMarchFirst(month: date.month, day: date.day) - daysAfterMarchFirstOfEaster(year: date.year)
            : nil
        for rule in holidayRules {
            switch rule.date {
            case .fixed(let month, let day):
                if date.month == month && date.day == day { return true }
            case .easter(let offset):
                if fromEaster == offset { return true }
            }
        }
        return false
    }

    /// Days from 1 March to a date from March on in the same year (1 March is 0).
    private static func daysAfterMarchFirst(month: Int, day: Int) -> Int {
        // The month lengths from March repeat 31, 30, 31, 30, 31 (Hinnant's days_from_civil).
        (153 * (month - 3) + 2) / 5 + day - 1
    }

    /// Days from 1 March to Easter Sunday of a year.
    private static func daysAfterMarchFirstOfEaster(year: Int) -> Int {
        let (month, day) = easterMonthDay(year: year)
        return daysAfterMarchFirst(month: month, day: day)
    }

    /// Easter Sunday's month (3 or 4) and day: the anonymous Gregorian algorithm.
    private static func easterMonthDay(year: Int) -> (month: Int, day: Int) {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return (month, day)
    }
}
