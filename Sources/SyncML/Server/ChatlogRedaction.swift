import WBXML

/// Keeps credentials out of the chatlog: `Cred` data (and OMA CP `AAUTHSECRET`/`AAUTHDATA`
/// values) are replaced in the tree and overwritten in the raw bytes.
enum ChatlogRedaction {
    static let mask = "***"

    /// The tree with secrets masked, and the secrets found.
    static func redact(_ element: WBXMLElement) -> (WBXMLElement, [String]) {
        var secrets: [String] = []
        let redacted = walk(element, inCred: false, secrets: &secrets)
        return (redacted, secrets)
    }

    private static func walk(_ element: WBXMLElement, inCred: Bool, secrets: inout [String]) -> WBXMLElement {
        var copy = element
        let isCred = inCred || element.name == "Cred"
        if isCred && element.name == "Data" {
            let value = element.text
            if !value.isEmpty { secrets.append(value) }
            copy.children = [.text(mask)]
            return copy
        }
        if element.name == "parm", let name = element.attribute("name"), ["AAUTHSECRET", "AAUTHDATA"].contains(name.uppercased()),
           let value = element.attribute("value") {
            if !value.isEmpty { secrets.append(value) }
            copy.attributes = element.attributes.map { $0.name == "value" ? WBXMLAttribute("value", mask) : $0 }
        }
        var children: [WBXMLNode] = []
        for node in element.children {
            switch node {
            case .element(let child):
                children.append(.element(walk(child, inCred: isCred, secrets: &secrets)))
            case .document(var document):
                document.root = walk(document.root, inCred: isCred, secrets: &secrets)
                children.append(.document(document))
            default:
                children.append(node)
            }
        }
        copy.children = children
        return copy
    }

    /// A best effort for bytes that could not be parsed: the content of every `<Cred>…</Cred>`, and
    /// every run of 12 or more base64 characters (how credentials look, padded or not), overwritten.
    static func scrub(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let open = Array("<Cred>".utf8), close = Array("</Cred>".utf8)
        var index = 0
        while index + open.count <= out.count {
            if out[index] == 0x3C, Array(out[index..<index + open.count]) == open {
                var end = index + open.count
                while end < out.count && !(end + close.count <= out.count && Array(out[end..<end + close.count]) == close) {
                    out[end] = 0x2A
                    end += 1
                }
                index = end
            } else {
                index += 1
            }
        }
        func isBase64(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2F
        }
        var start = 0
        while start < out.count {
            guard isBase64(out[start]) else { start += 1; continue }
            var end = start
            while end < out.count && isBase64(out[end]) { end += 1 }
            var padded = end
            while padded < out.count && out[padded] == 0x3D { padded += 1 }
            if end - start >= 12 {
                for position in start..<padded { out[position] = 0x2A }
            }
            start = padded
        }
        return out
    }

    /// The bytes with every occurrence of each secret overwritten by `*` of the same length
    /// (so that WBXML lengths and offsets stay valid).
    static func overwrite(_ secrets: [String], in bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for secret in secrets {
            let needle = Array(secret.utf8)
            guard needle.count >= 3, needle.count <= out.count else { continue }
            var index = 0
            while index + needle.count <= out.count {
                if out[index] == needle[0] && Array(out[index..<index + needle.count]) == needle {
                    for position in index..<index + needle.count { out[position] = 0x2A }
                    index += needle.count
                } else {
                    index += 1
                }
            }
        }
        return out
    }
}
