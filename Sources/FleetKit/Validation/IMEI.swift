/// Validates IMEIs: 15 digits with a Luhn check digit, or 14 digits (the check digit is then computed).
public enum IMEI {
    /// Returns the 15-digit IMEI for `text`, or `nil` when `text` is empty.
    /// - Throws: ``FieldError`` naming the value and what is wrong with it.
    public static func normalize(_ text: String?, field: String = "imei") throws(FieldError) -> String? {
        guard let text else { return nil }
        if let plain = plainASCII(text) { return plain }
        return try normalizeCarefully(text, field: field)
    }

    /// ``normalize(_:field:)`` character by character, with every error message.
    static func normalizeCarefully(_ text: String, field: String) throws(FieldError) -> String? {
        let trimmed = text.trimmed
        if trimmed.isEmpty { return nil }
        func fail(_ reason: String) -> FieldError { FieldError(field: field, value: text, reason: reason) }
        var digits: [Int] = []
        var position = 0
        for ch in trimmed {
            position += 1
            if ch == " " || ch == "-" || ch == "/" || ch == "." { continue }
            guard ch.isASCII, let value = ch.wholeNumberValue else {
                throw fail("character '\(ch)' at position \(position) is not a digit")
            }
            digits.append(value)
        }
        switch digits.count {
        case 14:
            return digits.map(String.init).joined() + String(checkDigit(digits))
        case 15:
            let expected = checkDigit(Array(digits.prefix(14)))
            guard digits[14] == expected else {
                throw fail("the check digit is \(digits[14]) but the Luhn check of the first 14 digits gives \(expected)")
            }
            return digits.map(String.init).joined()
        case 16:
            throw fail("16 digits is an IMEISV (with software version); give the 15-digit IMEI (*#06# on the phone)")
        default:
            throw fail("it has \(digits.count) digits; an IMEI has 15 (or 14 without the check digit)")
        }
    }

    /// The Luhn check digit of the first 14 digits of an IMEI.
    public static func checkDigit(_ digits: some Sequence<Int>) -> Int {
        var sum = 0
        for (index, digit) in digits.prefix(14).enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return (10 - sum % 10) % 10
    }

    /// A valid IMEI of ASCII digits and separators, without the per-character work of
    /// ``normalize(_:field:)``; `nil` sends anything else (errors included) through it.
    static func plainASCII(_ text: String) -> String? {
        var digits = [UInt8]()
        digits.reserveCapacity(16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits.count == 15 { return nil }
                digits.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "."):
                continue
            default:
                return nil
            }
        }
        guard digits.count >= 14 else { return nil }
        let check = UInt8(ascii: "0") + UInt8(checkDigit(digits.lazy.map { Int($0 - UInt8(ascii: "0")) }))
        if digits.count == 14 {
            digits.append(check)
        } else if digits[14] != check {
            return nil
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
