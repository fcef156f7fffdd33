import Foundation

/// Instants as people in Tallinn read them, and timestamps as PostgreSQL writes them in JSON.
///
/// By hand rather than with `DateFormatter`, whose output depends on the machine's locale data.
enum TallinnTime {
    /// An instant's wall-clock reading in a zone.
    struct Parts: Equatable {
        var date: LocalDate
        var hour: Int
        var minute: Int
        var second: Int
        /// Seconds east of UTC at that instant (7200 for EET, 10800 for EEST).
        var offset: Int
    }

    static func parts(of instant: Date, in zone: TimeZone = .tallinn) -> Parts {
        let offset = zone.secondsFromGMT(for: instant)
        let local = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(offset)
        let day = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let seconds = Int(local - day * 86400)
        return Parts(date: LocalDate(dayNumber: Int(day)), hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60,
                     offset: offset)
    }

    /// `2026-11-25 11:18`, in Tallinn.
    static func minutes(_ instant: Date) -> String {
        let p = parts(of: instant)
        return "\(p.date) \(two(p.hour)):\(two(p.minute))"
    }

    /// Parses `2026-11-25T11:18:01.123456+02:00` (what `to_jsonb(timestamptz)` writes), also with a
    /// space for the `T`, `Z` for the zone, `+02` or `+0200`, or no seconds. Nil for anything else,
    /// a timestamp without a zone included (its instant is unknown).
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, let date = try? LocalDate(parsing: String(decoding: bytes[0..<10], as: UTF8.self)),
              [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]) else { return nil }
        var index = 11
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func skip(_ ascii: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: ascii) else { return false }
            index += 1
            return true
        }
        guard let hour = number(2), hour < 24, skip(":"), let minute = number(2), minute < 60 else { return nil }
        var second = 0.0
        if skip(":") {
            guard let whole = number(2), whole < 61 else { return nil }
            second = Double(whole)
            if skip(".") {
                var scale = 0.1
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                    second += Double(bytes[index] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    index += 1
                }
            }
        }
        var offset = 0
        if skip("Z") || skip("z") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2) else { return nil }
            var minutes = 0
            if index < bytes.count {
                _ = skip(":")
                guard let m = number(2) else { return nil }
                minutes = m
            }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = Double(date.dayNumber) * 86400 + Double(hour * 3600 + minute * 60) + second - Double(offset)
        return Date(timeIntervalSince1970: seconds)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
