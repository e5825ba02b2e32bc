import Foundation
import WBXML
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads XML text into a ``WBXMLElement`` tree, safely.
///
/// Parsing is libxml2's (through FoundationXML). Entity declarations and DTD internal
/// subsets are refused by a scan of the bytes before parsing (no external entities, no
/// entity expansion: a "billion laughs" document is refused before anything is
/// expanded), external entities are never resolved, nesting is bounded, CDATA is kept
/// as opaque bytes, and a
/// `<!--base64-->` marker before text turns it back into opaque bytes (the form
/// ``XMLRenderer`` writes binary opaque data in).
public struct XMLTreeReader: Sendable {
    /// The deepest nesting accepted.
    public var maxDepth: Int

    public init(maxDepth: Int = 200) {
        self.maxDepth = maxDepth
    }

    /// What the reader found: the root element and the DOCTYPE's public identifier, if any.
    public struct Result: Sendable {
        public var root: WBXMLElement
        public var publicID: String?
    }

    /// Parses `data`.
    /// - Throws: ``XMLReadError`` with the line and column of the problem.
    public func read(_ data: Data) throws -> Result {
        if let refusal = Self.refuseDeclarations(data) {
            throw XMLReadError(line: refusal.line, column: 1, message: refusal.message)
        }
        let delegate = TreeBuilder(maxDepth: maxDepth)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let ok = parser.parse()
        if let refusal = delegate.refusal {
            throw XMLReadError(line: parser.lineNumber, column: parser.columnNumber, message: refusal)
        }
        guard ok, let root = delegate.root else {
            let code = parser.parserError.map { ($0 as NSError).code }
            let reason = "the XML is not well-formed" + (code.map { " (libxml2 error \($0))" } ?? "")
            throw XMLReadError(line: parser.lineNumber, column: parser.columnNumber, message: reason)
        }
        return Result(root: root, publicID: Self.doctypePublicID(data))
    }

    /// Refuses what could declare entities, by looking at the bytes before the parser does:
    /// any `<!ENTITY` anywhere, and a DOCTYPE with an internal subset (a `[` outside quotes).
    /// Input that is not UTF-8 or ASCII-compatible (UTF-16/32, NUL bytes) is refused too, so
    /// that the byte scan sees what the parser will see. Nothing is declared, so nothing expands.
    static func refuseDeclarations(_ data: Data) -> (line: Int, message: String)? {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.contains(0) {
            return (1, "only UTF-8 XML is accepted (this looks like UTF-16 or UTF-32)")
        }
        // FoundationXML traps on names that are not UTF-8; refuse such input before it gets there.
        if String(validating: bytes, as: UTF8.self) == nil {
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            var valid = 0
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): valid += UTF8.width(scalar)
                case .emptyInput, .error: break decoding
                }
            }
            let line = 1 + bytes[..<valid].filter { $0 == 0x0A }.count
            return (line, "the XML is not valid UTF-8 (byte \(valid + 1))")
        }
        let entity = Array("<!ENTITY".utf8), doctype = Array("<!DOCTYPE".utf8)
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            if byte == UInt8(ascii: "<"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "!") {
                if bytes[index...].starts(with: entity) {
                    return (line, "entity declarations are not accepted (<!ENTITY …>)")
                }
                if bytes[index...].starts(with: doctype) {
                    // Scan the DOCTYPE to its end, honouring quoted literals.
                    var quote: UInt8?
                    var cursor = index + doctype.count
                    while cursor < bytes.count {
                        let c = bytes[cursor]
                        if c == 0x0A { line += 1 }
                        if let open = quote {
                            if c == open { quote = nil }
                        } else if c == 0x22 || c == 0x27 {
                            quote = c
                        } else if c == UInt8(ascii: "[") {
                            return (line, "a DTD internal subset is not accepted (entities cannot be declared)")
                        } else if c == UInt8(ascii: ">") {
                            break
                        }
                        cursor += 1
                    }
                    index = cursor
                }
            }
            index += 1
        }
        return nil
    }

    /// The public identifier of a `<!DOCTYPE root PUBLIC "…"` before the root element.
    static func doctypePublicID(_ data: Data) -> String? {
        let head = String(decoding: data.prefix(1024), as: UTF8.self)
        guard let doctype = head.range(of: "<!DOCTYPE") else { return nil }
        let rest = head[doctype.upperBound...]
        guard let publicKeyword = rest.range(of: "PUBLIC"), let gt = rest.firstIndex(of: ">"),
              publicKeyword.lowerBound < gt else { return nil }
        let afterPublic = rest[publicKeyword.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = afterPublic.first, quote == "\"" || quote == "'" else { return nil }
        let body = afterPublic.dropFirst()
        guard let close = body.firstIndex(of: quote) else { return nil }
        return String(body[..<close])
    }
}

/// XML that could not be read, with where.
public struct XMLReadError: Error, Sendable, LocalizedError, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }
    public var errorDescription: String? { description }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    let maxDepth: Int
    var stack: [WBXMLElement] = []
    var root: WBXMLElement?
    var text = ""
    var base64Next = false
    var refusal: String?

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    func refuse(_ parser: XMLParser, _ message: String) {
        if refusal == nil { refusal = message }
        parser.abortParsing()
    }

    func flush() {
        guard !text.isEmpty, !stack.isEmpty else {
            text = ""
            return
        }
        if base64Next, let bytes = Base64.decode(text) {
            stack[stack.count - 1].children.append(.opaque(bytes))
        } else {
            stack[stack.count - 1].children.append(.text(text))
        }
        base64Next = false
        text = ""
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        flush()
        guard stack.count < maxDepth else { return refuse(parser, "elements nest deeper than \(maxDepth) levels") }
        // Keep xmlns first; the rest in name order (the dictionary has lost the document's order).
        var attributes = attributeDict.sorted { $0.key < $1.key }.map { WBXMLAttribute($0.key, $0.value) }
        if let index = attributes.firstIndex(where: { $0.name == "xmlns" }), index > 0 {
            attributes.insert(attributes.remove(at: index), at: 0)
        }
        stack.append(WBXMLElement(elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        flush()
        guard let element = stack.popLast() else { return }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(.element(element))
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    /// CDATA is opaque data (as libwbxml treats it): kept as bytes, written as OPAQUE.
    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        flush()
        if !stack.isEmpty { stack[stack.count - 1].children.append(.opaque(Array(CDATABlock))) }
    }

    func parser(_ parser: XMLParser, foundComment comment: String) {
        if comment == "base64" {
            flush()
            base64Next = true
        }
    }

    func parser(_ parser: XMLParser, foundProcessingInstructionWithTarget target: String, data: String?) {
        flush()
        if !stack.isEmpty {
            stack[stack.count - 1].children.append(.processingInstruction(target: target, data: data ?? ""))
        }
    }

    // Declarations are refused outright: nothing is ever expanded or fetched.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        refuse(parser, "entity declarations are not accepted (<!ENTITY \(name) …>)")
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        refuse(parser, "external entities are not accepted (<!ENTITY \(name) SYSTEM …>)")
    }

    func parser(_ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?, systemID: String?, notationName: String?) {
        refuse(parser, "entity declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
        refuse(parser, "DTD declarations are not accepted")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        refuse(parser, "external entities are not accepted (\(name))")
        return nil
    }
}
