/// Normalises phone numbers to E.164 (`+` and 8 to 15 digits).
public enum PhoneNumber {
    /// Characters people put into numbers for readability; they are dropped.
    private static let separators: Set<Character> = [" ", "\u{00A0}", "\t", "-", ".", "(", ")", "/", "\u{2010}", "\u{2011}", "\u{2013}"]

    /// Returns the E.164 form of `text`.
    ///
    /// Spaces, dashes, dots, slashes and parentheses are dropped, a bracketed trunk
    /// prefix `(0)` after the country code is dropped, and a leading `00` becomes `+`. A number without its country code is refused: a fleet spans
    /// countries, and guessing one would register the wrong phone.
    /// - Throws: ``FieldError`` naming the value and what is wrong with it.
    public static func normalize(_ text: String, field: String = "phone_number") throws(FieldError) -> String {
        if let plain = plainASCII(text) { return plain }
        return try normalizeCarefully(text, field: field)
    }

    /// ``normalize(_:field:)`` character by character: any script's white space and dashes, and every error message.
    static func normalizeCarefully(_ text: String, field: String) throws(FieldError) -> String {
        func fail(_ reason: String) -> FieldError { FieldError(field: field, value: text, reason: reason) }
        var trimmed = text.trimmed
        if trimmed.isEmpty { throw fail("the number is empty") }
        // "+44 (0)20 7946 0958": the bracketed 0 is the national trunk prefix, never dialled from abroad.
        if (trimmed.hasPrefix("+") || trimmed.hasPrefix("00")) && trimmed.utf8.contains(sequence: Array("(0)".utf8)) {
            trimmed = trimmed.replacing("(0)", with: "")
        }
        if trimmed.utf8.contains(sequence: Array("E+".utf8)) || trimmed.utf8.contains(sequence: Array("e+".utf8)) {
            throw fail("looks like a number a spreadsheet turned into scientific notation; format the column as text and export again")
        }
        var digits = ""
        var sawPlus = false
        var position = 0
        for ch in trimmed {
            position += 1
            if separators.contains(ch) { continue }
            if ch == "+" {
                if sawPlus || !digits.isEmpty { throw fail("'+' at position \(position) may only start the number") }
                sawPlus = true
                continue
            }
            guard ch.isASCII, let _ = ch.wholeNumberValue else {
                throw fail("character '\(ch)' at position \(position) is not a digit")
            }
            digits.append(ch)
        }
        if !sawPlus {
            if digits.hasPrefix("00") {
                digits.removeFirst(2)
            } else {
                throw fail("the country code is missing; write it as +<country code><number> (or 00<country code><number>)")
            }
        }
        if digits.hasPrefix("0") { throw fail("a country code never starts with 0") }
        guard (8...15).contains(digits.count) else {
            throw fail("it has \(digits.count) digits after the +; E.164 numbers have 8 to 15")
        }
        return "+" + digits
    }

    /// The E.164 form of a number that needs none of the slow path's care: ASCII digits,
    /// an optional leading `+` or `00`, ASCII separators, and a valid length. `nil` sends
    /// anything else (errors included) through ``normalize(_:field:)``'s full checks, so
    /// messages stay the same; this only spares the common row the per-character work
    /// (a test checks both agree on every input it makes).
    static func plainASCII(_ text: String) -> String? {
        var digits = [UInt8]()
        digits.reserveCapacity(16)
        digits.append(UInt8(ascii: "+"))
        var sawPlus = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
            case UInt8(ascii: "+"):
                if sawPlus || digits.count > 1 { return nil }
                sawPlus = true
            case UInt8(ascii: " "), 0x09, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ")"):
                // "(0)" is a trunk prefix the full path drops.
                if byte == UInt8(ascii: ")") && previous == UInt8(ascii: "0") { return nil }
            case UInt8(ascii: "("):
                break
            default:
                return nil
            }
            previous = byte
        }
        if !sawPlus {
            guard digits.count > 3, digits[1] == UInt8(ascii: "0"), digits[2] == UInt8(ascii: "0") else { return nil }
            digits.removeSubrange(1...2)
        }
        guard digits.count >= 9, digits.count <= 16, digits[1] != UInt8(ascii: "0") else { return nil }
        return String(decoding: digits, as: UTF8.self)
    }
}
