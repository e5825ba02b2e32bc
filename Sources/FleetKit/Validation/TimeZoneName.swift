import Foundation

/// Validates IANA time zone names against the zones the system knows.
public enum TimeZoneName {
    /// The default for phones registered without a time zone.
    public static let defaultZone = "UTC"

    private static let known: [String: String] = {
        var map: [String: String] = [:]
        for id in TimeZone.knownTimeZoneIdentifiers { map[id.lowercased()] = id }
        for id in ["UTC", "GMT"] where map[id.lowercased()] == nil { map[id.lowercased()] = id }
        return map
    }()

    /// The zone names as the system spells them: a name written so needs no further checks.
    private static let canonical = Set(known.values)

    /// Returns the canonical spelling of `text` (`europe/oslo` → `Europe/Oslo`).
    /// - Throws: ``FieldError`` that shows a stray character, or suggests the closest zones.
    public static func normalize(_ text: String?, field: String = "timezone") throws(FieldError) -> String {
        guard let text else { return defaultZone }
        if canonical.contains(text) { return text }
        let trimmed = text.trimmed
        if trimmed.isEmpty { return defaultZone }
        func fail(_ reason: String) -> FieldError { FieldError(field: field, value: text, reason: reason) }
        var position = 0
        for ch in trimmed {
            position += 1
            let allowed = ch.isASCII && (ch.isLetter || ch.isNumber || ch == "/" || ch == "_" || ch == "-" || ch == "+")
            if !allowed {
                let cleaned = String(trimmed.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) })
                var hint = ""
                if let fixed = known[cleaned.lowercased()] { hint = "; did you mean \(fixed)?" }
                throw fail("unexpected character '\(ch)' at position \(position); IANA zone names hold only letters, digits, '/', '_', '-' and '+'\(hint)")
            }
        }
        if let canonical = known[trimmed.lowercased()] { return canonical }
        let suggestions = Suggest.closest(to: trimmed, among: Array(known.values), limit: 3)
        let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
        throw fail("not a time zone this system knows (IANA names such as Europe/Oslo)\(hint)")
    }
}
