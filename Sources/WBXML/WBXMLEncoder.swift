/// Encodes a ``WBXMLDocument`` as compact WBXML.
///
/// Token choices follow what phones and libwbxml produce: well-known public
/// identifiers, UTF-8, a string table for strings that repeat enough to pay for
/// it, code page switches only where needed, SyncML `Data` of an `Item` as
/// `OPAQUE` (line ends as CRLF, as vCard and vCalendar require), and DevInf inside
/// a SyncML `Data` as a nested WBXML document in `OPAQUE`.
public struct WBXMLEncoder: Sendable {
    /// The WBXML version to write (0x01 to 0x03).
    public var version: UInt8
    /// Whether to put repeated strings in a string table.
    public var usesStringTable: Bool
    /// Attribute values always written as inline strings, never as value tokens.
    ///
    /// OMA CP `AAUTHTYPE` values (`BASIC`, `DIGEST`, …) changed tokens between the
    /// ProvCont drafts, so a provisioning encoder names them here.
    public var inlineValues: Set<String>

    public init(version: UInt8 = 0x03, usesStringTable: Bool = true, inlineValues: Set<String> = []) {
        self.version = version
        self.usesStringTable = usesStringTable
        self.inlineValues = inlineValues
    }

    public func encode(_ document: WBXMLDocument) throws(WBXMLError) -> [UInt8] {
        guard let language = document.language else {
            throw .unknownDocumentType("no WBXML document type for root element <\(document.root.name)>; name one (--type)")
        }
        var session = EncoderSession(language: language, encoder: self)
        return try session.encode(document)
    }
}

private struct EncoderSession {
    let language: WBXMLLanguage
    let encoder: WBXMLEncoder
    var table: [String: UInt32] = [:]
    var tableBytes: [UInt8] = []
    var out: [UInt8] = []
    var tagPage: UInt8 = 0
    var attributePage: UInt8 = 0

    init(language: WBXMLLanguage, encoder: WBXMLEncoder) {
        self.language = language
        self.encoder = encoder
    }

    mutating func encode(_ document: WBXMLDocument) throws(WBXMLError) -> [UInt8] {
        // Pass 1: which strings go into the string table.
        var counts: [String: Int] = [:]
        var literals: Set<String> = []
        collect(document.root, namespace: language.pageNamespaces[0], isRoot: true, counts: &counts, literals: &literals)
        let publicIDInTable = language.wellKnownID == nil
        if publicIDInTable { addToTable(language.publicID) }
        guard !isNestedDocument(document.root, namespace: nil) || language.rootElement == "DevInf" else {
            throw .notEncodable("<\(document.root.name)> cannot be the root of a \(language.name) document")
        }
        for name in literals.sorted() { addToTable(name) }
        if encoder.usesStringTable {
            let estimatedIndexBytes = 2
            for (string, count) in counts.sorted(by: { $0.key < $1.key }) where count >= 2 {
                let length = string.utf8.count
                if count * (length + 2) > (length + 1) + count * (1 + estimatedIndexBytes) { addToTable(string) }
            }
        }
        // Header.
        out.append(encoder.version)
        if let wellKnown = language.wellKnownID {
            appendMultiByte(wellKnown, to: &out)
        } else {
            out.append(0)
            appendMultiByte(try tableIndex(language.publicID), to: &out)
        }
        if encoder.version >= 0x01 { appendMultiByte(106, to: &out) }
        appendMultiByte(UInt32(tableBytes.count), to: &out)
        out += tableBytes
        // Body.
        try element(document.root, namespace: language.pageNamespaces[0], parent: nil)
        return out
    }

    mutating func addToTable(_ string: String) {
        guard table[string] == nil else { return }
        table[string] = UInt32(tableBytes.count)
        tableBytes += Array(string.utf8)
        tableBytes.append(0)
    }

    func collect(_ element: WBXMLElement, namespace: String?, isRoot: Bool = false, parent: String? = nil,
                 counts: inout [String: Int], literals: inout Set<String>) {
        let ns = element.attribute("xmlns") ?? namespace
        let nested = !isRoot && isNestedDocument(element, namespace: ns)
        if nested { return }
        if language.tokens(forTag: element.name).isEmpty { literals.insert(element.name) }
        for attribute in element.attributes where attribute.name != "xmlns" {
            let starts = language.startTokens(forAttribute: attribute.name)
            if starts.isEmpty { literals.insert(attribute.name) }
            let prefix = language.longestStartTokens(forAttribute: attribute.name, value: attribute.value).first?.prefix ?? ""
            let rest = String(attribute.value.dropFirst(prefix.count))
            if !rest.isEmpty && (encoder.inlineValues.contains(rest) || language.valueToken(for: rest) == nil) { counts[rest, default: 0] += 1 }
        }
        let opaque = isOpaqueData(element) && parent == "Item"
        for child in element.children {
            switch child {
            case .element(let inner): collect(inner, namespace: ns, parent: element.name, counts: &counts, literals: &literals)
            case .text(let text) where !opaque && !isIgnorable(text, in: element): counts[text, default: 0] += 1
            case .processingInstruction(let target, _):
                if language.startTokens(forAttribute: target).isEmpty { literals.insert(target) }
            default: break
            }
        }
    }

    var isSyncMLFamily: Bool { language.rootElement == "SyncML" || language.rootElement == "MetInf" }

    /// SyncML `Data` of an `Item` travels as OPAQUE.
    func isOpaqueData(_ element: WBXMLElement) -> Bool {
        language.rootElement == "SyncML" && element.name == "Data" && element.attribute("xmlns") == nil
    }

    /// An element of another document type inside SyncML (DevInf in `Data`): encoded as a nested document.
    func isNestedDocument(_ element: WBXMLElement, namespace: String?) -> Bool {
        language.rootElement == "SyncML" && element.name == "DevInf"
    }

    func isIgnorable(_ text: String, in element: WBXMLElement) -> Bool {
        text.allSatisfy(\.isWhitespace) && element.children.contains { if case .element = $0 { return true } else { return false } }
    }

    mutating func element(_ element: WBXMLElement, namespace: String?, parent: WBXMLElement?) throws(WBXMLError) {
        let ns = element.attribute("xmlns") ?? namespace
        let attributes = element.attributes.filter { $0.name != "xmlns" }
        let content = element.children.filter { child in
            if case .text(let text) = child { return !isIgnorable(text, in: element) }
            return true
        }
        var flags: UInt8 = 0
        if !attributes.isEmpty { flags |= 0x80 }
        if !content.isEmpty { flags |= 0x40 }

        let candidates = language.tokens(forTag: element.name)
        if candidates.isEmpty {
            out.append(GlobalToken.literal.rawValue | flags)
            appendMultiByte(try tableIndex(element.name), to: &out)
        } else {
            let wantedPage = ns.flatMap { language.page(forNamespace: $0) }
            let address = candidates.first { $0.page == wantedPage } ?? candidates.first { $0.page == tagPage } ?? candidates[0]
            if address.page != tagPage {
                out += [GlobalToken.switchPage.rawValue, address.page]
                tagPage = address.page
            }
            out.append((address.token & 0x3F) | flags)
        }
        if !attributes.isEmpty {
            for attribute in attributes { try self.attribute(attribute) }
            out.append(GlobalToken.end.rawValue)
        }
        guard !content.isEmpty else { return }
        let opaque = isOpaqueData(element) && parent?.name == "Item"
        for child in content {
            switch child {
            case .element(let inner):
                let innerNamespace = inner.attribute("xmlns") ?? ns
                if isNestedDocument(inner, namespace: innerNamespace) {
                    try nestedDocument(inner, namespace: innerNamespace)
                } else {
                    try self.element(inner, namespace: ns, parent: element)
                }
            case .text(let text):
                if opaque {
                    appendOpaque(Array(text.crlfLineEnds.utf8))
                } else if element.name == "NextNonce", isSyncMLFamily, let bytes = Base64.decode(text) {
                    appendOpaque(bytes)
                } else if isSyncMLFamily, element.name == "Type", text.equalsIgnoringASCIICase("application/vnd.syncml-devinf+xml") {
                    appendString("application/vnd.syncml-devinf+wbxml")
                } else {
                    appendString(text)
                }
            case .opaque(let bytes):
                // vObjects in an Item's Data keep CRLF line ends, which XML text cannot carry.
                if opaque, let text = String(validating: bytes, as: UTF8.self) {
                    appendOpaque(Array(text.crlfLineEnds.utf8))
                } else {
                    appendOpaque(bytes)
                }
            case .document(let nested):
                let bytes = try WBXMLEncoder(version: encoder.version, usesStringTable: encoder.usesStringTable).encode(nested)
                appendOpaque(bytes)
            case .processingInstruction(let target, let data):
                out.append(GlobalToken.pi.rawValue)
                try attribute(WBXMLAttribute(target, data))
                out.append(GlobalToken.end.rawValue)
            }
        }
        out.append(GlobalToken.end.rawValue)
    }

    mutating func nestedDocument(_ element: WBXMLElement, namespace: String?) throws(WBXMLError) {
        guard let nestedLanguage = WBXMLLanguages.devInf(matching: language) else {
            throw .notEncodable("no DevInf code pages for \(language.name)")
        }
        var root = element
        root.attributes.removeAll { $0.name == "xmlns" }
        let document = WBXMLDocument(version: encoder.version, language: nestedLanguage, root: root)
        let bytes = try WBXMLEncoder(version: encoder.version, usesStringTable: encoder.usesStringTable).encode(document)
        appendOpaque(bytes)
    }

    mutating func attribute(_ attribute: WBXMLAttribute) throws(WBXMLError) {
        var rest = Substring(attribute.value)
        // The longest matching prefix; among tokens of equal prefix, one on the current page (no switch).
        let matching = language.longestStartTokens(forAttribute: attribute.name, value: attribute.value)
        let best = matching.first { $0.address.page == attributePage } ?? matching.first
        if let start = best {
            if start.address.page != attributePage {
                out += [GlobalToken.switchPage.rawValue, start.address.page]
                attributePage = start.address.page
            }
            out.append(start.address.token)
            rest = rest.dropFirst(start.prefix.count)
        } else {
            out.append(GlobalToken.literal.rawValue)
            appendMultiByte(try tableIndex(attribute.name), to: &out)
        }
        guard !rest.isEmpty else { return }
        if !encoder.inlineValues.contains(String(rest)), let token = language.valueToken(for: String(rest), preferringPage: attributePage) {
            if token.page != attributePage {
                out += [GlobalToken.switchPage.rawValue, token.page]
                attributePage = token.page
            }
            out.append(token.token)
        } else {
            appendString(String(rest))
        }
    }

    /// The string-table index of a name collected in the first pass.
    func tableIndex(_ name: String) throws(WBXMLError) -> UInt32 {
        guard let index = table[name] else {
            throw .notEncodable("<\(name)> is not a token of \(language.name) and was not prepared as a literal")
        }
        return index
    }

    mutating func appendString(_ text: String) {
        if let index = table[text] {
            out.append(GlobalToken.strT.rawValue)
            appendMultiByte(index, to: &out)
        } else {
            out.append(GlobalToken.strI.rawValue)
            out += Array(text.utf8)
            out.append(0)
        }
    }

    mutating func appendOpaque(_ bytes: [UInt8]) {
        out.append(GlobalToken.opaque.rawValue)
        appendMultiByte(UInt32(bytes.count), to: &out)
        out += bytes
    }
}
