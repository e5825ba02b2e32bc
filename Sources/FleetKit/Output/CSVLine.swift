/// Formats one CSV record per RFC 4180.
public enum CSVLine {
    /// Joins fields with `,`, quoting those that hold a comma, quote, line break
    /// or leading/trailing space.
    public static func join(_ fields: [String]) -> String {
        var line = ""
        line.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count + 2 })
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(",") }
            if needsQuotes(field) {
                line.append(quote(field))
            } else {
                line.append(field)
            }
        }
        return line
    }

    /// One field, quoted when it must be.
    public static func quote(_ field: String) -> String {
        guard needsQuotes(field) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether a field must be quoted; looks at the UTF-8 bytes only (the hot path of every CSV export).
    static func needsQuotes(_ field: String) -> Bool {
        var text = field
        return text.withUTF8 { needsQuotes($0) }
    }

    /// ``needsQuotes(_:)`` on the UTF-8 bytes of a field.
    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first == 0x20 || bytes[bytes.count - 1] == 0x20 { return true }
        return bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }
}
