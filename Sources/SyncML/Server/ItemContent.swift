import Crypto

/// What the server checks and derives from an item's data. Items are kept opaque; these
/// functions only look far enough to refuse data that is not what its type says, to match
/// items by content in a slow sync, and to compare modification times for `newest-wins`.
enum ItemContent {
    /// Why the data does not fit its type, or `nil` when it does.
    static func problem(_ data: [UInt8], contentType: String) -> String? {
        let type = contentType.lowercased()
        guard let text = String(validating: data, as: UTF8.self) ?? String(bytes: data, encoding: .isoLatin1) else {
            return "the data is not text"
        }
        let upper = text.uppercased()
        switch type {
        case "text/x-vcard", "text/vcard":
            if !upper.contains("BEGIN:VCARD") || !upper.contains("END:VCARD") { return "the data is not a vCard (no BEGIN:VCARD … END:VCARD)" }
        case "text/x-vcalendar", "text/calendar":
            if !upper.contains("BEGIN:VCALENDAR") || !upper.contains("END:VCALENDAR") {
                return "the data is not a vCalendar/iCalendar object (no BEGIN:VCALENDAR … END:VCALENDAR)"
            }
        case "text/x-vnote":
            if !upper.contains("BEGIN:VNOTE") { return "the data is not a vNote (no BEGIN:VNOTE)" }
        default:
            break
        }
        return nil
    }

    /// Properties that change without the content changing.
    private static let volatile: [String] = ["REV", "PRODID", "UID", "VERSION", "LAST-MODIFIED", "DTSTAMP", "CREATED", "X-"]

    /// A hash of the content that ignores line folding, line ends, property order and
    /// volatile properties (`REV`, `UID`, `X-…`), so that a phone re-sending what the server has matches it.
    static func hash(_ data: [UInt8], dataclass: SyncDataclass) -> String {
        let text = String(decoding: data, as: UTF8.self)
        var lines: [String] = []
        var current = ""
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if let first = raw.first, first == " " || first == "\t", !current.isEmpty {
                current += raw.dropFirst()
            } else {
                if !current.isEmpty { lines.append(current) }
                current = String(raw)
            }
        }
        if !current.isEmpty { lines.append(current) }
        let kept = lines.map { $0.trimmingWhitespace }.filter { line in
            guard !line.isEmpty else { return false }
            let name = line.prefix { $0 != ":" && $0 != ";" }.uppercased()
            return !volatile.contains { $0.hasSuffix("-") ? name.hasPrefix($0) : name == $0 }
        }.sorted()
        var hasher = SHA256()
        hasher.update(data: Array(dataclass.rawValue.utf8))
        for line in kept { hasher.update(data: Array(("\n" + line).utf8)) }
        return hasher.finalize().map { String($0, radix: 16).leftPadded }.joined()
    }

    /// The item's modification time as digits (`20261130T105800Z` → `20261130105800`), from
    /// `LAST-MODIFIED`, `REV` or `DTSTAMP`.
    static func modified(_ data: [UInt8]) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline) {
            let name = line.prefix { $0 != ":" && $0 != ";" }.uppercased()
            guard ["LAST-MODIFIED", "REV", "DTSTAMP"].contains(name), let colon = line.firstIndex(of: ":") else { continue }
            let digits = line[line.index(after: colon)...].filter(\.isNumber)
            if digits.count >= 8 { return String(digits) }
        }
        return nil
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
