import Foundation

/// Formats and parses the timestamps of the API: RFC 3339 in UTC (`2009-03-11T16:20:42Z`)
/// and the seed's `setup sent` form (`2009-03-13 13:25:43`, UTC).
///
/// Hand-written instead of `DateFormatter` because listings format two or three
/// dates per record and a formatter is both slow and not `Sendable`.
public enum Timestamp {
    /// `2009-03-11T16:20:42Z`.
    public static func rfc3339(_ date: Date) -> String {
        format(date, separator: UInt8(ascii: "T"), zulu: true)
    }

    /// `2009-03-13 13:25:43`, as the seed's `<setup sent="…">` attribute has it.
    public static func setupForm(_ date: Date) -> String {
        format(date, separator: UInt8(ascii: " "), zulu: false)
    }

    private static func format(_ date: Date, separator: UInt8, zulu: Bool) -> String {
        let (y, mo, d, h, mi, s) = components(date)
        guard (0...9999).contains(y) else {
            return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))\(Character(Unicode.Scalar(separator)))\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))\(zulu ? "Z" : "")"
        }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var rest = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(48 + rest % 10)
                    rest /= 10
                }
            }
            put(y, 4, at: 0)
            buffer[4] = 45
            put(mo, 2, at: 5)
            buffer[7] = 45
            put(d, 2, at: 8)
            buffer[10] = separator
            put(h, 2, at: 11)
            buffer[13] = 58
            put(mi, 2, at: 14)
            buffer[16] = 58
            put(s, 2, at: 17)
            if zulu { buffer[19] = 90 }
            return zulu ? 20 : 19
        }
    }

    /// RFC 3339 with milliseconds (`2026-11-30T10:58:04.512Z`), where durations are computed from it.
    public static func rfc3339Milliseconds(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let milliseconds = min(999, Int(((date.timeIntervalSince1970 - seconds) * 1000).rounded()))
        return String(rfc3339(Date(timeIntervalSince1970: seconds)).dropLast()) + String(format: ".%03dZ", milliseconds)
    }

    /// Parses `YYYY-MM-DD[T| ]HH:MM:SS[.fff][Z|±HH:MM]` (no zone means UTC), or a date alone (`YYYY-MM-DD`, midnight UTC).
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var value = 0
            for index in from..<(from + count) {
                let c = chars[index]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = number(0, 4), chars.count >= 10, chars[4] == 45, let month = number(5, 2), chars[7] == 45,
              let day = number(8, 2), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var index = 10
        var offset = 0
        if chars.count > 10 {
            guard chars[10] == 84 || chars[10] == 116 || chars[10] == 32, let h = number(11, 2), chars.count > 13, chars[13] == 58,
                  let m = number(14, 2) else { return nil }
            hour = h
            minute = m
            index = 16
            if index < chars.count, chars[index] == 58 {
                guard let s = number(17, 2) else { return nil }
                second = s
                index = 19
            }
            if index < chars.count, chars[index] == 46 {
                index += 1
                var scale = 0.1
                while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                    fraction += Double(chars[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            if index < chars.count {
                let c = chars[index]
                if c == 90 || c == 122 {
                    index += 1
                } else if c == 43 || c == 45 {
                    guard let oh = number(index + 1, 2), index + 3 < chars.count, chars[index + 3] == 58,
                          let om = number(index + 4, 2) else { return nil }
                    offset = (oh * 3600 + om * 60) * (c == 43 ? 1 : -1)
                    index += 6
                }
            }
            guard index == chars.count, hour < 24, minute < 60, second < 61 else { return nil }
        }
        let days = daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    private static func components(_ date: Date) -> (Int, Int, Int, Int, Int, Int) {
        let total = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (y, m, d) = civilFromDays(Int(days))
        return (y, m, d, Int(rest / 3600), Int(rest % 3600 / 60), Int(rest % 60))
    }

    // Howard Hinnant's algorithms for the proleptic Gregorian calendar.
    private static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
