/// Validation rules for user names and emails.
public enum UserFields {
    /// A user name: 1 to 64 of letters, digits, `.`, `_`, `-` (it is a login, so no `:` or spaces).
    public static func name(_ text: String) throws(FieldError) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.count <= 64 else {
            throw FieldError(field: "name", value: text, reason: "a user name has 1 to 64 characters")
        }
        for (index, ch) in value.enumerated() {
            guard ch.isASCII, ch.isLetter || ch.isNumber || ch == "." || ch == "_" || ch == "-" else {
                throw FieldError(field: "name", value: text,
                                 reason: "character '\(ch)' at position \(index + 1) is not allowed; use letters, digits, '.', '_' and '-'")
            }
        }
        return value
    }

    /// An email: something before and after one `@`, no spaces.
    public static func email(_ text: String) throws(FieldError) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix("."),
              !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }) else {
            throw FieldError(field: "email", value: text, reason: "not an email address like name@example.com")
        }
        return value
    }

    /// A password: at least 8 characters.
    public static func password(_ text: String) throws(FieldError) -> String {
        guard text.count >= 8 else {
            throw FieldError(field: "password", value: String(repeating: "*", count: text.count),
                             reason: "a password has at least 8 characters")
        }
        return text
    }
}
