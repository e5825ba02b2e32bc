/// Formats one CSV record per RFC 4180.
public enum CSVLine {
    /// Joins fields with `,`, quoting those that hold a comma, quote, line break
    /// or leading/trailing space.
    public static func join(_ fields: [String]) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            line += quote(field)
        }
        return line
    }

    /// One field, quoted when it must be.
    public static func quote(_ field: String) -> String {
        var needs = field.first == " " || field.last == " "
        if !needs {
            for scalar in field.unicodeScalars where scalar == "," || scalar == "\"" || scalar == "\n" || scalar == "\r" {
                needs = true
                break
            }
        }
        guard needs else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
