import WBXML

extension WBXMLElement {
    /// The first child element named `name`.
    public func child(_ name: String) -> WBXMLElement? {
        for node in children {
            if case .element(let element) = node, element.name == name { return element }
        }
        return nil
    }

    /// The element at the end of a path of child names (`path("Target", "LocURI")`).
    public func path(_ names: String...) -> WBXMLElement? {
        var current: WBXMLElement? = self
        for name in names { current = current?.child(name) }
        return current
    }

    /// The child elements named `name`, in order.
    public func children(_ name: String) -> [WBXMLElement] {
        children.compactMap { node in
            if case .element(let element) = node, element.name == name { return element }
            return nil
        }
    }

    /// All child elements, in order.
    public var elements: [WBXMLElement] {
        children.compactMap { node in
            if case .element(let element) = node { return element }
            return nil
        }
    }

    /// The element's text: its text and opaque children joined, trimmed of surrounding white space.
    public var text: String {
        var bytes: [UInt8] = []
        for node in children {
            switch node {
            case .text(let text): bytes += Array(text.utf8)
            case .opaque(let data): bytes += data
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace
    }

    /// The element's content as bytes, exactly as sent (item data).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for node in children {
            switch node {
            case .text(let text): out += Array(text.utf8)
            case .opaque(let data): out += data
            default: break
            }
        }
        return out
    }

    /// The nested element tree of a `Data` (DevInf), whether it came inline (XML) or as a WBXML document.
    public var nestedElement: WBXMLElement? {
        for node in children {
            switch node {
            case .element(let element): return element
            case .document(let document): return document.root
            default: continue
            }
        }
        return nil
    }

    /// Text of the child at a path, `nil` when missing or empty.
    public func value(_ names: String...) -> String? {
        var current: WBXMLElement? = self
        for name in names { current = current?.child(name) }
        guard let text = current?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Builds an element with text content.
    public static func leaf(_ name: String, _ value: String, xmlns: String? = nil) -> WBXMLElement {
        WBXMLElement(name, attributes: xmlns.map { [WBXMLAttribute("xmlns", $0)] } ?? [], children: [.text(value)])
    }

    /// Appends a child element.
    public mutating func append(_ element: WBXMLElement) {
        children.append(.element(element))
    }

    /// Appends a child element with text content.
    public mutating func append(_ name: String, _ value: String, xmlns: String? = nil) {
        children.append(.element(.leaf(name, value, xmlns: xmlns)))
    }
}

extension String {
    /// The string without leading and trailing white space and line ends.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
