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
