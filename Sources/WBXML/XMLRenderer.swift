/// Writes a ``WBXMLDocument`` as XML text: declaration, DOCTYPE, indented elements.
///
/// Opaque data is written byte-exact: as CDATA when it is text (UTF-8 without
/// control characters or `]]>`), else as base64 after a `<!--base64-->` marker,
/// which ``XMLTreeReader``-based encoders turn back into the same bytes.
public struct XMLRenderer: Sendable {
    /// Spaces per level; 0 writes everything on one line.
    public var indent: Int

    public init(indent: Int = 2) {
        self.indent = indent
    }

    /// The document as XML text, ending in a newline.
    public func render(_ document: WBXMLDocument) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        if let publicID = document.publicID {
            out += "<!DOCTYPE \(document.root.name) PUBLIC \"\(publicID)\""
            if let system = document.language?.systemID { out += " \"\(system)\"" }
            out += ">\n"
        }
        write(document.root, level: 0, into: &out)
        if indent == 0 { out += "\n" }
        return out
    }

    /// One element (and its subtree) without declaration or DOCTYPE.
    public func render(_ element: WBXMLElement) -> String {
        var out = ""
        write(element, level: 0, into: &out)
        return out
    }

    private func write(_ element: WBXMLElement, level: Int, into out: inout String) {
        let pad = indent > 0 ? String(repeating: " ", count: indent * level) : ""
        let newline = indent > 0 ? "\n" : ""
        out += pad + "<" + element.name
        for attribute in element.attributes {
            out += " \(attribute.name)=\"\(Self.escape(attribute.value, quotes: true))\""
        }
        if element.children.isEmpty {
            out += "/>" + newline
            return
        }
        let hasElements = element.children.contains { node in
            switch node {
            case .element, .document: true
            default: false
            }
        }
        let hasText = element.children.contains { node in
            switch node {
            case .text(let text): !text.allSatisfy(\.isWhitespace)
            case .opaque: true
            default: false
            }
        }
        out += ">"
        if hasElements && !hasText {
            out += newline
            for child in element.children {
                switch child {
                case .element(let inner): write(inner, level: level + 1, into: &out)
                case .document(let nested): write(nested.root, level: level + 1, into: &out)
                case .processingInstruction(let target, let data):
                    out += (indent > 0 ? String(repeating: " ", count: indent * (level + 1)) : "") + "<?\(target) \(data)?>" + newline
                case .text, .opaque: break
                }
            }
            out += pad
        } else {
            for child in element.children {
                switch child {
                case .text(let text): out += Self.escape(text, quotes: false)
                case .opaque(let bytes): out += Self.opaque(bytes, crlfRestored: element.name == "Data")
                case .element(let inner): XMLRenderer(indent: 0).write(inner, level: 0, into: &out)
                case .document(let nested): XMLRenderer(indent: 0).write(nested.root, level: 0, into: &out)
                case .processingInstruction(let target, let data): out += "<?\(target) \(data)?>"
                }
            }
        }
        out += "</\(element.name)>" + newline
    }

    /// Opaque bytes as CDATA when they are text that reads back as the same bytes, else as marked base64.
    ///
    /// An XML parser turns CR LF and lone CR into LF. In a SyncML `Data` the encoder writes
    /// line ends as CRLF again (vCard and vCalendar need them), so CRLF text goes as CDATA
    /// there; anywhere else, text with a CR goes as base64.
    static func opaque(_ bytes: [UInt8], crlfRestored: Bool) -> String {
        if let text = String(validating: bytes, as: UTF8.self),
           text.unicodeScalars.allSatisfy(\.isXMLCharacter), !text.contains("]]>") {
            let readBack = crlfRestored ? text.xmlLineEnds.crlfLineEnds : text.xmlLineEnds
            if readBack == text { return "<![CDATA[" + text + "]]>" }
        }
        return "<!--base64-->" + Base64.encode(bytes)
    }

    static func escape(_ text: String, quotes: Bool) -> String {
        let needsEscaping = text.utf8.contains { byte in
            (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x26 || byte == 0x3C || byte == 0x3E || (quotes && byte == 0x22)
        }
        if !needsEscaping { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" {
                    out += "&#\(scalar.value);"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

extension String {
    /// The text as an XML parser reads it: CR LF and lone CR become LF.
    var xmlLineEnds: String {
        guard unicodeScalars.contains("\r") else { return self }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out.append("\n")
            } else if !(scalar == "\n" && previousCR) {
                out.append(scalar)
            }
            previousCR = scalar == "\r"
        }
        return String(out)
    }

    /// The text with every lone LF as CRLF.
    var crlfLineEnds: String {
        guard unicodeScalars.contains("\n") else { return self }
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in unicodeScalars {
            if scalar == "\n" && previous != "\r" { out.append("\r") }
            out.append(scalar)
            previous = scalar
        }
        return String(out)
    }
}
