/// Decodes WBXML 1.0–1.3 into a ``WBXMLDocument``.
///
/// Hand-written: no maintained Swift library reads WBXML, and libwbxml (C) is a
/// test oracle here, not a dependency. The decoder reads the input in place (one
/// copy of a message: the tree it builds), checks every length against what
/// remains before using it, and bounds nesting, so hostile input ends in a
/// ``WBXMLError`` that names the byte offset, never in a crash or a large allocation.
public struct WBXMLDecoder: Sendable {
    /// The deepest element nesting accepted (nested documents count on top of their parent).
    public var maxDepth: Int
    /// Decode with this language whatever the public identifier says (`nil`: recognise it).
    public var forcedLanguage: WBXMLLanguage?
    /// Decode WBXML documents carried as `OPAQUE` inside SyncML `Data` (DevInf) inline.
    public var decodesNestedDocuments: Bool
    /// The most attributes one element may have.
    public var maxAttributes: Int

    public init(maxDepth: Int = 200, forcedLanguage: WBXMLLanguage? = nil, decodesNestedDocuments: Bool = true,
                maxAttributes: Int = 256) {
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
        self.forcedLanguage = forcedLanguage
        self.decodesNestedDocuments = decodesNestedDocuments
    }

    /// One token as read, for token dumps (`decode-wbxml --tokens`).
    public struct Token: Sendable, Hashable {
        /// Offset of the token's first byte.
        public var offset: Int
        /// The token byte (`nil` for header fields).
        public var byte: UInt8?
        /// The code page in force.
        public var page: UInt8
        /// What it is (`STR_I`, `tag Add (content)`, `header: version 1.3`, …).
        public var description: String
        /// Nesting depth, for indentation.
        public var depth: Int
    }

    /// Decodes a whole document.
    public func decode(_ bytes: [UInt8]) throws(WBXMLError) -> WBXMLDocument {
        try decode(bytes, trace: nil)
    }

    /// Decodes and reports every token to `trace` as it is read (also the ones before an error).
    public func decode(_ bytes: [UInt8], trace: ((Token) -> Void)?) throws(WBXMLError) -> WBXMLDocument {
        let result: Result<WBXMLDocument, WBXMLError> = bytes.withUnsafeBufferPointer { buffer in
            var state = DecoderState(buffer: buffer, options: self, depthBudget: maxDepth, trace: trace)
            do throws(WBXMLError) {
                return .success(try state.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// The state of one decoding run.
private struct DecoderState {
    var reader: ByteReader
    let options: WBXMLDecoder
    let depthBudget: Int
    let trace: ((WBXMLDecoder.Token) -> Void)?
    var stringTable: Range<Int> = 0..<0
    var charset: Charset = .utf8
    var language: WBXMLLanguage?
    var tagPage: UInt8 = 0
    var attributePage: UInt8 = 0

    init(buffer: UnsafeBufferPointer<UInt8>, options: WBXMLDecoder, depthBudget: Int, trace: ((WBXMLDecoder.Token) -> Void)?) {
        self.reader = ByteReader(buffer)
        self.options = options
        self.depthBudget = depthBudget
        self.trace = trace
    }

    func note(_ offset: Int, _ byte: UInt8?, _ text: @autoclosure () -> String, depth: Int = 0) {
        trace?(WBXMLDecoder.Token(offset: offset, byte: byte, page: tagPage, description: text(), depth: depth))
    }

    // MARK: Header

    mutating func document() throws(WBXMLError) -> WBXMLDocument {
        let version = try reader.u8("the version byte")
        guard version <= 0x03 else { throw .unsupportedVersion(offset: 0, version: version) }
        note(0, version, "header: WBXML version 1.\(version)")
        let publicIDOffset = reader.position
        let publicIDValue = try reader.mbUInt32("the public identifier")
        var publicIDIndex: UInt32?
        if publicIDValue == 0 {
            publicIDIndex = try reader.mbUInt32("the public identifier's string table index")
        }
        let charsetOffset = reader.position
        if version >= 0x01 {
            let mib = try reader.mbUInt32("the character set")
            switch mib {
            case 0, 106: charset = .utf8
            case 3: charset = .usASCII
            case 4: charset = .iso8859_1
            default: throw .unsupportedCharset(offset: charsetOffset, mibEnum: mib)
            }
            note(charsetOffset, nil, "header: charset MIBenum \(mib)")
        }
        let tableOffset = reader.position
        let tableLength = try reader.mbUInt32("the string table length")
        stringTable = try reader.take(tableLength, at: tableOffset)
        note(tableOffset, nil, "header: string table of \(tableLength) bytes")

        var publicID: String?
        if let index = publicIDIndex {
            publicID = try tableString(Int(index), at: publicIDOffset)
            language = WBXMLLanguages.byPublicID(publicID!)
        } else if publicIDValue != 1 {
            language = WBXMLLanguages.byWellKnownID(publicIDValue)
        }
        if let forced = options.forcedLanguage { language = forced }
        note(publicIDOffset, nil, "header: public identifier " + (publicID.map { "\"\($0)\"" } ?? "0x\(String(publicIDValue, radix: 16))")
             + (language.map { " (\($0.name))" } ?? " (unknown)"))

        try skipProcessingInstructions(depth: 0)
        if language == nil { language = recogniseFromRoot() }
        guard language != nil else {
            throw .unknownDocumentType("byte \(reader.position): unknown document type (public identifier \(publicID ?? "0x" + String(publicIDValue, radix: 16))); name one")
        }
        var root = try body()
        try skipProcessingInstructions(depth: 0)
        if !reader.atEnd { throw .trailingData(offset: reader.position) }
        // SyncML 1.0, 1.1 and 1.2 share their tokens; VerDTD says which one this is.
        if let current = language, current.rootElement == "SyncML", publicIDIndex == nil, options.forcedLanguage == nil,
           let verDTD = root.firstText(path: ["SyncHdr", "VerDTD"]),
           let refined = WBXMLLanguages.syncML(version: verDTD), refined != current, publicIDValue == 1 {
            language = refined
        }
        if let ns = language?.pageNamespaces[0], root.attribute("xmlns") == nil {
            root.attributes.insert(WBXMLAttribute("xmlns", ns), at: 0)
        }
        return WBXMLDocument(version: version, language: language, publicID: publicID ?? language?.publicID, root: root)
    }

    /// With an unknown public identifier: the language whose page 0 names the root token as its root element.
    func recogniseFromRoot() -> WBXMLLanguage? {
        guard let token = reader.peek() else { return nil }
        return WBXMLLanguages.all.first { $0.tag(page: 0, token: token) == $0.rootElement }
    }

    func tableString(_ index: Int, at offset: Int) throws(WBXMLError) -> String {
        guard index >= 0, index < stringTable.count else {
            throw .stringTableOffset(offset: offset, reference: index, tableLength: stringTable.count)
        }
        var end = stringTable.lowerBound + index
        while end < stringTable.upperBound && reader.bytes[end] != 0 { end += 1 }
        guard let text = charset.decode(reader.bytes[(stringTable.lowerBound + index)..<end]),
              text.unicodeScalars.allSatisfy(\.isXMLCharacter) else {
            throw .invalidText(offset: offset)
        }
        return text
    }

    func text(_ range: Range<Int>, at offset: Int) throws(WBXMLError) -> String {
        guard let text = charset.decode(reader.bytes[range]), text.unicodeScalars.allSatisfy(\.isXMLCharacter) else {
            throw .invalidText(offset: offset)
        }
        return text
    }

    mutating func skipProcessingInstructions(depth: Int) throws(WBXMLError) {
        while reader.peek() == GlobalToken.pi.rawValue {
            let offset = reader.position
            _ = try reader.u8("PI")
            let (target, data) = try processingInstruction(at: offset)
            note(offset, GlobalToken.pi.rawValue, "PI \(target) \(data)", depth: depth)
        }
    }

    // MARK: Body

    /// Reads the root element and everything in it, with an explicit stack (no recursion on input depth).
    mutating func body() throws(WBXMLError) -> WBXMLElement {
        var stack: [WBXMLElement] = []
        // The namespace in force in each open element, beside `stack` (no scan of ancestors per child).
        var namespaces: [String?] = []
        var pendingText = ""

        let rewritesTypes = options.decodesNestedDocuments && language?.rootElement == "SyncML"
        func flushText(_ stack: inout [WBXMLElement], _ pendingText: inout String) {
            if !pendingText.isEmpty, !stack.isEmpty {
                var text = pendingText
                // DevInf travels as WBXML and is shown as XML, so its type is shown as the XML one (as libwbxml does).
                if rewritesTypes, stack[stack.count - 1].name == "Type",
                   text.equalsIgnoringASCIICase("application/vnd.syncml-devinf+wbxml") {
                    text = "application/vnd.syncml-devinf+xml"
                }
                stack[stack.count - 1].children.append(.text(text))
            }
            pendingText = ""
        }

        while true {
            let offset = reader.position
            let token = try reader.u8(stack.isEmpty ? "the body (no root element)" : "element \(stack.last!.name) (no END)")
            let depth = stack.count
            if let global = GlobalToken(rawValue: token) {
                switch global {
                case .switchPage:
                    let page = try reader.u8("SWITCH_PAGE")
                    guard language?.hasPage(page) ?? false else { throw .unknownPage(offset: offset, page: page) }
                    tagPage = page
                    note(offset, token, "SWITCH_PAGE \(page)", depth: depth)
                    continue
                case .end:
                    guard !stack.isEmpty else {
                        throw .unbalanced(offset: offset, detail: "END without an open element")
                    }
                    flushText(&stack, &pendingText)
                    let element = stack.removeLast()
                    namespaces.removeLast()
                    note(offset, token, "END \(element.name)", depth: depth - 1)
                    if stack.isEmpty { return element }
                    stack[stack.count - 1].children.append(.element(element))
                    continue
                case .entity:
                    let value = try reader.mbUInt32("ENTITY")
                    guard let scalar = Unicode.Scalar(value), scalar.isXMLCharacter else { throw .invalidText(offset: offset) }
                    try requireOpen(stack, offset)
                    pendingText.unicodeScalars.append(scalar)
                    note(offset, token, "ENTITY &#\(value);", depth: depth)
                    continue
                case .strI, .extI0, .extI1, .extI2:
                    let range = try reader.terminated(global.name)
                    try requireOpen(stack, offset)
                    let value = try text(range, at: offset)
                    pendingText += value
                    note(offset, token, "\(global.name) \"\(value.escapedForTrace)\"", depth: depth)
                    continue
                case .strT, .extT0, .extT1, .extT2:
                    let index = try reader.mbUInt32(global.name)
                    try requireOpen(stack, offset)
                    let value = try tableString(Int(index), at: offset)
                    pendingText += value
                    note(offset, token, "\(global.name) [\(index)] \"\(value.escapedForTrace)\"", depth: depth)
                    continue
                case .ext0, .ext1, .ext2:
                    try requireOpen(stack, offset)
                    note(offset, token, global.name, depth: depth)
                    continue
                case .pi:
                    let (target, data) = try processingInstruction(at: offset)
                    try requireOpen(stack, offset)
                    flushText(&stack, &pendingText)
                    stack[stack.count - 1].children.append(.processingInstruction(target: target, data: data))
                    note(offset, token, "PI \(target) \(data)", depth: depth)
                    continue
                case .opaque:
                    let lengthOffset = reader.position
                    let length = try reader.mbUInt32("OPAQUE length")
                    let range = try reader.take(length, at: lengthOffset)
                    try requireOpen(stack, offset)
                    flushText(&stack, &pendingText)
                    let node = opaqueNode(range, in: stack, depth: depth)
                    stack[stack.count - 1].children.append(node)
                    if case .document(let nested) = node {
                        note(offset, token, "OPAQUE \(length) bytes: \(nested.language?.name ?? "WBXML") document, decoded inline", depth: depth)
                    } else {
                        note(offset, token, "OPAQUE \(length) bytes", depth: depth)
                    }
                    continue
                case .literal, .literalA, .literalC, .literalAC:
                    break  // A tag named in the string table: handled with the tags below.
                }
            }
            // A tag (or LITERAL tag).
            let name: String
            let isLiteral = token & 0x3F == GlobalToken.literal.rawValue
            if isLiteral {
                let index = try reader.mbUInt32("LITERAL")
                name = try tableString(Int(index), at: offset)
                try checkName(name, at: offset)
            } else {
                guard let tag = language?.tag(page: tagPage, token: token) else {
                    throw .unknownToken(offset: offset, token: token, page: tagPage, context: "tag")
                }
                name = tag
            }
            if stack.isEmpty == false { flushText(&stack, &pendingText) }
            var element = WBXMLElement(name)
            let inherited = namespaces.last ?? language?.pageNamespaces[0]
            var namespace = inherited
            if !isLiteral, let own = language?.pageNamespaces[tagPage], tagPage != 0 || !stack.isEmpty, own != inherited {
                element.attributes.append(WBXMLAttribute("xmlns", own))
                namespace = own
            }
            let hasContent = token & 0x40 != 0
            note(offset, token, "tag \(name)\(token & 0x80 != 0 ? " +attributes" : "")\(hasContent ? " +content" : "")", depth: depth)
            if token & 0x80 != 0 {
                element.attributes += try attributes(depth: depth + 1)
            }
            if hasContent {
                guard stack.count < depthBudget else { throw .tooDeep(offset: offset, limit: options.maxDepth) }
                stack.append(element)
                namespaces.append(namespace)
            } else if stack.isEmpty {
                return element
            } else {
                stack[stack.count - 1].children.append(.element(element))
            }
        }
    }

    func requireOpen(_ stack: [WBXMLElement], _ offset: Int) throws(WBXMLError) {
        if stack.isEmpty { throw .unbalanced(offset: offset, detail: "content outside the root element") }
    }

    /// Attributes up to their END.
    mutating func attributes(depth: Int) throws(WBXMLError) -> [WBXMLAttribute] {
        var result: [WBXMLAttribute] = []
        while true {
            let offset = reader.position
            let token = try reader.u8("an attribute list (no END)")
            switch token {
            case GlobalToken.end.rawValue:
                note(offset, token, "END attributes", depth: depth)
                var names = Set<String>()
                for attribute in result where !names.insert(attribute.name).inserted {
                    throw .invalidName(offset: offset, name: attribute.name, reason: "the attribute appears twice")
                }
                return result
            case GlobalToken.switchPage.rawValue:
                let page = try reader.u8("SWITCH_PAGE")
                guard language?.hasPage(page) ?? false else { throw .unknownPage(offset: offset, page: page) }
                attributePage = page
                note(offset, token, "SWITCH_PAGE \(page) (attributes)", depth: depth)
            case GlobalToken.strI.rawValue, GlobalToken.extI0.rawValue, GlobalToken.extI1.rawValue, GlobalToken.extI2.rawValue:
                let range = try reader.terminated("STR_I")
                let value = try text(range, at: offset)
                try append(value, to: &result, at: offset)
                note(offset, token, "STR_I \"\(value.escapedForTrace)\"", depth: depth)
            case GlobalToken.strT.rawValue, GlobalToken.extT0.rawValue, GlobalToken.extT1.rawValue, GlobalToken.extT2.rawValue:
                let index = try reader.mbUInt32("STR_T")
                let value = try tableString(Int(index), at: offset)
                try append(value, to: &result, at: offset)
                note(offset, token, "STR_T [\(index)] \"\(value.escapedForTrace)\"", depth: depth)
            case GlobalToken.entity.rawValue:
                let value = try reader.mbUInt32("ENTITY")
                guard let scalar = Unicode.Scalar(value), scalar.isXMLCharacter else { throw .invalidText(offset: offset) }
                try append(String(Character(scalar)), to: &result, at: offset)
                note(offset, token, "ENTITY &#\(value);", depth: depth)
            case GlobalToken.opaque.rawValue:
                let lengthOffset = reader.position
                let length = try reader.mbUInt32("OPAQUE length")
                let range = try reader.take(length, at: lengthOffset)
                guard let value = charset.decode(reader.bytes[range]), value.unicodeScalars.allSatisfy(\.isXMLCharacter) else {
                    throw .invalidText(offset: offset)
                }
                try append(value, to: &result, at: offset)
                note(offset, token, "OPAQUE \(length) bytes (attribute)", depth: depth)
            case GlobalToken.ext0.rawValue, GlobalToken.ext1.rawValue, GlobalToken.ext2.rawValue:
                note(offset, token, "EXT", depth: depth)
            case GlobalToken.literal.rawValue:
                let index = try reader.mbUInt32("LITERAL")
                let name = try tableString(Int(index), at: offset)
                try checkName(name, at: offset)
                try checkCount(result, at: offset)
                result.append(WBXMLAttribute(name, ""))
                note(offset, token, "LITERAL attribute \(name)", depth: depth)
            case ..<0x80:
                guard let start = language?.attributeStart(page: attributePage, token: token) else {
                    throw .unknownToken(offset: offset, token: token, page: attributePage, context: "attribute start")
                }
                try checkCount(result, at: offset)
                result.append(WBXMLAttribute(start.name, start.prefix))
                note(offset, token, "attribute \(start.name)=\"\(start.prefix)…\"", depth: depth)
            default:
                guard let value = language?.attributeValue(page: attributePage, token: token) else {
                    throw .unknownToken(offset: offset, token: token, page: attributePage, context: "attribute value")
                }
                try append(value, to: &result, at: offset)
                note(offset, token, "attribute value \"\(value)\"", depth: depth)
            }
        }
    }

    func checkCount(_ attributes: [WBXMLAttribute], at offset: Int) throws(WBXMLError) {
        if attributes.count >= options.maxAttributes { throw .tooManyAttributes(offset: offset, limit: options.maxAttributes) }
    }

    /// A name from the string table must be an XML name, or the XML written from it would not parse.
    func checkName(_ name: String, at offset: Int) throws(WBXMLError) {
        guard let first = name.unicodeScalars.first, first.isXMLNameStart,
              name.unicodeScalars.dropFirst().allSatisfy(\.isXMLNameCharacter) else {
            throw .invalidName(offset: offset, name: name, reason: "not an XML name")
        }
    }

    func append(_ value: String, to attributes: inout [WBXMLAttribute], at offset: Int) throws(WBXMLError) {
        guard !attributes.isEmpty else {
            throw .unbalanced(offset: offset, detail: "attribute value without an attribute start")
        }
        attributes[attributes.count - 1].value += value
    }

    /// A PI: an attribute start (the target), its value, END.
    mutating func processingInstruction(at offset: Int) throws(WBXMLError) -> (String, String) {
        let attributes = try attributes(depth: 0)
        guard let first = attributes.first else {
            throw .unbalanced(offset: offset, detail: "PI without a target")
        }
        return (first.name, first.value)
    }

    /// OPAQUE content; a WBXML document inside a SyncML `Data` is decoded inline when it reads cleanly.
    func opaqueNode(_ range: Range<Int>, in stack: [WBXMLElement], depth: Int) -> WBXMLNode {
        let bytes = Array(reader.bytes[range])
        // A nonce is binary in WBXML and base64 in XML (SyncML Representation, NextNonce).
        if stack.last?.name == "NextNonce", language?.rootElement == "SyncML" || language?.rootElement == "MetInf" {
            return .text(Base64.encode(bytes))
        }
        guard options.decodesNestedDocuments, language?.rootElement == "SyncML", stack.last?.name == "Data",
              bytes.count > 4, bytes[0] <= 0x03, Self.looksLikeDevInf(bytes) else { return .opaque(bytes) }
        var nested = options
        nested.forcedLanguage = nil
        // DevInf never carries documents of its own: one level only.
        nested.decodesNestedDocuments = false
        nested.maxDepth = max(0, depthBudget - depth)
        guard nested.maxDepth > 0, let document = try? nested.decode(bytes), document.language?.rootElement == "DevInf" else {
            return .opaque(bytes)
        }
        return .document(document)
    }
}

extension DecoderState {
    /// Whether a WBXML header names DevInf (well-known id, or a public id string saying DevInf).
    static func looksLikeDevInf(_ bytes: [UInt8]) -> Bool {
        // Well-known ids 0x0FD2, 0x0FD4, 0x1203 are written 9F 52, 9F 54, A4 03.
        let head = Array(bytes.dropFirst().prefix(2))
        if head == [0x9F, 0x52] || head == [0x9F, 0x54] || head == [0xA4, 0x03] { return true }
        // A string public id: 00 and a string-table index; look for "DevInf" in the first bytes.
        return bytes.count > 2 && bytes[1] == 0 && bytes.prefix(160).windows(of: Array("DevInf".utf8))
    }
}

extension Collection where Element == UInt8 {
    func windows(of needle: [UInt8]) -> Bool {
        let hay = Array(self)
        guard needle.count <= hay.count else { return false }
        for start in 0...(hay.count - needle.count) where hay[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}

extension WBXMLElement {
    /// The text of the first element at `path` below this one.
    func firstText(path: [String]) -> String? {
        var current = self
        for name in path {
            guard let next = current.children.lazy.compactMap({ node -> WBXMLElement? in
                if case .element(let element) = node, element.name == name { return element }
                return nil
            }).first else { return nil }
            current = next
        }
        return current.children.compactMap { node -> String? in
            if case .text(let text) = node { return text }
            return nil
        }.joined()
    }
}

extension String {
    /// The string with line breaks and quotes escaped, cut to 60 characters, for token dumps.
    var escapedForTrace: String {
        var out = ""
        for ch in prefix(60) {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\r\n": out += "\\r\\n"
            case "\"": out += "\\\""
            default: out.append(ch)
            }
        }
        return count > 60 ? out + "…" : out
    }
}

extension Unicode.Scalar {
    /// Whether XML 1.0 allows this character (so that decoded text can always be written again).
    var isXMLCharacter: Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// XML 1.0 NameStartChar.
    var isXMLNameStart: Bool {
        switch value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF,
             0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD,
             0x10000...0xEFFFF: true
        default: false
        }
    }

    /// XML 1.0 NameChar.
    var isXMLNameCharacter: Bool {
        switch value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: true
        default: isXMLNameStart
        }
    }
}
