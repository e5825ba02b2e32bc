/// A document encoded once with placeholder strings, then filled with each use's values:
/// what a fleet push does for thousands of documents that differ in a user name and a
/// password only. Filling gives the bytes ``WBXMLEncoder`` would give for the document with
/// those values, or `nil` when a value would be encoded otherwise (a value token, a longer
/// attribute-start prefix, an empty string): the caller then encodes the document itself.
///
/// For documents without a string table, outside the SyncML family (PROV, Nokia sync
/// settings): there a placeholder is one inline string (`STR_I`, its UTF-8, `00`).
public struct WBXMLTemplate: Sendable {
    private let pieces: [[UInt8]]
    /// For each gap between pieces: which placeholder, and the attribute it is the value of (nil: text).
    private let gaps: [(placeholder: Int, attribute: String?)]
    private let placeholders: [String]
    private let language: WBXMLLanguage
    private let encoder: WBXMLEncoder

    /// Encodes `document`, whose values include each of `placeholders` exactly once (as a whole
    /// attribute value or text); `nil` when the document or encoder does not allow a template.
    public init?(encoding document: WBXMLDocument, placeholders: [String], encoder: WBXMLEncoder) throws(WBXMLError) {
        guard let language = document.language, !encoder.usesStringTable,
              language.rootElement != "SyncML", language.rootElement != "MetInf" else { return nil }
        var places: [String: String?] = [:]
        var duplicated = false
        func walk(_ element: WBXMLElement) {
            for attribute in element.attributes where placeholders.contains(attribute.value) {
                duplicated = duplicated || places[attribute.value] != nil
                places[attribute.value] = .some(attribute.name)
            }
            for child in element.children {
                switch child {
                case .element(let inner): walk(inner)
                case .text(let text) where placeholders.contains(text):
                    duplicated = duplicated || places[text] != nil
                    places[text] = .some(nil)
                default: break
                }
            }
        }
        walk(document.root)
        guard !duplicated, places.count == placeholders.count else { return nil }
        let bytes = try encoder.encode(document)
        var found: [(offset: Int, length: Int, placeholder: Int)] = []
        for (index, placeholder) in placeholders.enumerated() {
            let needle = [GlobalToken.strI.rawValue] + Array(placeholder.utf8) + [0]
            let hits = Self.occurrences(of: needle, in: bytes)
            guard hits.count == 1 else { return nil }
            found.append((hits[0], needle.count, index))
        }
        found.sort { $0.offset < $1.offset }
        var pieces: [[UInt8]] = []
        var start = 0
        for hit in found {
            pieces.append(Array(bytes[start..<hit.offset]))
            start = hit.offset + hit.length
        }
        pieces.append(Array(bytes[start...]))
        self.pieces = pieces
        self.gaps = found.map { ($0.placeholder, places[placeholders[$0.placeholder]]!) }
        self.placeholders = placeholders
        self.language = language
        self.encoder = encoder
    }

    /// The document with `values` in place of the placeholders (in their order), or `nil`
    /// when a value is not encoded as a plain inline string there.
    public func filled(_ values: [String]) -> [UInt8]? {
        guard values.count == placeholders.count else { return nil }
        for gap in gaps {
            let value = values[gap.placeholder]
            guard !value.isEmpty, !value.utf8.contains(0), isInline(value, at: gap) else { return nil }
        }
        var out: [UInt8] = []
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.count } + values.reduce(0) { $0 + $1.utf8.count + 2 })
        for (index, gap) in gaps.enumerated() {
            out += pieces[index]
            out.append(GlobalToken.strI.rawValue)
            out += values[gap.placeholder].utf8
            out.append(0)
        }
        out += pieces[pieces.count - 1]
        return out
    }

    /// Whether the encoder writes `value` as one inline string where the placeholder stood.
    private func isInline(_ value: String, at gap: (placeholder: Int, attribute: String?)) -> Bool {
        guard let attribute = gap.attribute else { return true }
        let placeholder = placeholders[gap.placeholder]
        let expected = language.longestStartTokens(forAttribute: attribute, value: placeholder).first?.prefix
        guard language.longestStartTokens(forAttribute: attribute, value: value).first?.prefix == expected, expected?.isEmpty ?? true else {
            return false
        }
        return encoder.inlineValues.contains(value) || language.valueToken(for: value) == nil
    }

    private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard needle.count <= haystack.count else { return [] }
        var hits: [Int] = []
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { hits.append(start) }
        }
        return hits
    }
}
