/// A WBXML document type: its public identifier and its code pages of tag,
/// attribute-start and attribute-value tokens.
public struct WBXMLLanguage: Sendable, Hashable, CustomStringConvertible {
    /// A readable name (`SyncML 1.2`).
    public let name: String
    /// The short name commands take (`syncml12`).
    public let key: String
    /// The formal public identifier (`-//SYNCML//DTD SyncML 1.2//EN`).
    public let publicID: String
    /// The well-known public identifier number, when WBXML assigns one.
    public let wellKnownID: UInt32?
    /// The root element (`SyncML`).
    public let rootElement: String
    /// The system identifier written in the DOCTYPE of XML output.
    public let systemID: String?
    /// The XML namespace of each code page's elements (SyncML page 1 is `syncml:metinf`).
    public let pageNamespaces: [UInt8: String]

    private let tags: [[String?]]
    private let attributeStarts: [[(name: String, prefix: String)?]]
    private let attributeValues: [[String?]]
    private let tagTokens: [String: [TokenAddress]]
    private let startTokens: [String: [(address: TokenAddress, prefix: String)]]
    private let valueTokens: [String: TokenAddress]
    private let valuesByPage: [String: [TokenAddress]]
    /// Per attribute name: its start tokens by value prefix (in ``startTokens`` order), and the
    /// prefix lengths longest first. An encoder finds the longest matching prefix in a few
    /// dictionary lookups instead of testing every token of the attribute (PROV's `name` has hundreds).
    private let startIndex: [String: (byPrefix: [String: [(address: TokenAddress, prefix: String)]], lengths: [Int])]

    /// Where a token lives: code page and token byte.
    struct TokenAddress: Sendable, Hashable {
        var page: UInt8
        var token: UInt8
    }

    init(name: String, key: String, publicID: String, wellKnownID: UInt32?, rootElement: String, systemID: String?,
         pageNamespaces: [UInt8: String] = [:],
         tags tagList: [(UInt8, UInt8, String)],
         attributeStarts startList: [(UInt8, UInt8, String, String)] = [],
         attributeValues valueList: [(UInt8, UInt8, String)] = []) {
        self.name = name
        self.key = key
        self.publicID = publicID
        self.wellKnownID = wellKnownID
        self.rootElement = rootElement
        self.systemID = systemID
        self.pageNamespaces = pageNamespaces
        let pageCount = Int(max(tagList.map(\.0).max() ?? 0, startList.map(\.0).max() ?? 0, valueList.map(\.0).max() ?? 0)) + 1
        var tags = [[String?]](repeating: [String?](repeating: nil, count: 64), count: pageCount)
        var tagTokens: [String: [TokenAddress]] = [:]
        for (page, token, tag) in tagList {
            tags[Int(page)][Int(token & 0x3F)] = tag
            tagTokens[tag, default: []].append(TokenAddress(page: page, token: token))
        }
        var starts = [[(name: String, prefix: String)?]](repeating: .init(repeating: nil, count: 128), count: pageCount)
        var startTokens: [String: [(address: TokenAddress, prefix: String)]] = [:]
        for (page, token, attribute, prefix) in startList {
            starts[Int(page)][Int(token & 0x7F)] = (attribute, prefix)
            startTokens[attribute, default: []].append((TokenAddress(page: page, token: token), prefix))
        }
        for key in startTokens.keys {
            // Longest prefix first, so that the encoder takes the token that covers most of the value.
            startTokens[key]!.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
        }
        var startIndex: [String: (byPrefix: [String: [(address: TokenAddress, prefix: String)]], lengths: [Int])] = [:]
        for (attribute, tokens) in startTokens {
            var byPrefix: [String: [(address: TokenAddress, prefix: String)]] = [:]
            for token in tokens { byPrefix[token.prefix, default: []].append(token) }
            startIndex[attribute] = (byPrefix, Set(tokens.map { $0.prefix.utf8.count }).sorted(by: >))
        }
        var values = [[String?]](repeating: [String?](repeating: nil, count: 128), count: pageCount)
        var valueTokens: [String: TokenAddress] = [:]
        var valuesByPage: [String: [TokenAddress]] = [:]
        for (page, token, value) in valueList {
            values[Int(page)][Int(token & 0x7F)] = value
            valuesByPage[value, default: []].append(TokenAddress(page: page, token: token))
            if valueTokens[value] == nil { valueTokens[value] = TokenAddress(page: page, token: token) }
        }
        self.tags = tags
        self.attributeStarts = starts
        self.attributeValues = values
        self.tagTokens = tagTokens
        self.startTokens = startTokens
        self.startIndex = startIndex
        self.valueTokens = valueTokens
        self.valuesByPage = valuesByPage
    }

    public var description: String { name }
    public static func == (lhs: WBXMLLanguage, rhs: WBXMLLanguage) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// Whether the language has code page `page`.
    func hasPage(_ page: UInt8) -> Bool { Int(page) < tags.count }

    /// The tag of a token (bits 0–5) on a page.
    func tag(page: UInt8, token: UInt8) -> String? {
        guard Int(page) < tags.count else { return nil }
        return tags[Int(page)][Int(token & 0x3F)]
    }

    /// The attribute name and value prefix of an attribute-start token.
    func attributeStart(page: UInt8, token: UInt8) -> (name: String, prefix: String)? {
        guard Int(page) < attributeStarts.count, token < 0x80 else { return nil }
        return attributeStarts[Int(page)][Int(token)]
    }

    /// The text of an attribute-value token.
    func attributeValue(page: UInt8, token: UInt8) -> String? {
        guard Int(page) < attributeValues.count, token >= 0x80 else { return nil }
        return attributeValues[Int(page)][Int(token & 0x7F)]
    }

    /// The pages and tokens of a tag name.
    func tokens(forTag name: String) -> [TokenAddress] { tagTokens[name] ?? [] }

    /// Attribute-start tokens for `name`, longest value prefix first.
    func startTokens(forAttribute name: String) -> [(address: TokenAddress, prefix: String)] { startTokens[name] ?? [] }

    /// The start tokens of `name` with the longest prefix that begins `value` (several when pages
    /// share it), in ``startTokens(forAttribute:)`` order; empty when none matches.
    func longestStartTokens(forAttribute name: String, value: String) -> [(address: TokenAddress, prefix: String)] {
        guard let index = startIndex[name] else { return [] }
        let utf8 = Array(value.utf8)
        for length in index.lengths where length <= utf8.count {
            if let tokens = index.byPrefix[String(decoding: utf8[..<length], as: UTF8.self)] { return tokens }
        }
        return []
    }

    /// The attribute-value token that spells `value` exactly.
    func valueToken(for value: String) -> TokenAddress? { valueTokens[value] }

    /// The attribute-value token that spells `value`, on `page` when it has one there.
    func valueToken(for value: String, preferringPage page: UInt8) -> TokenAddress? {
        if let onPage = valuesByPage[value]?.first(where: { $0.page == page }) { return onPage }
        return valueTokens[value]
    }

    /// The page whose namespace is `namespace`.
    func page(forNamespace namespace: String) -> UInt8? {
        pageNamespaces.first { $0.value.equalsIgnoringASCIICase(namespace) }?.key
    }
}

extension String {
    /// ASCII case-insensitive equality (namespaces such as `SYNCML:SYNCML1.2` are written in either case).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { a, b in
            (a >= 65 && a <= 90 ? a + 32 : a) == (b >= 65 && b <= 90 ? b + 32 : b)
        }
    }
}
