/// A document tree: what WBXML decodes to and encodes from.
public struct WBXMLDocument: Sendable, Hashable {
    /// WBXML version byte (0x03 for 1.3).
    public var version: UInt8
    /// The document type, when known.
    public var language: WBXMLLanguage?
    /// The public identifier as found (the language's, or one this codec does not know).
    public var publicID: String?
    public var root: WBXMLElement

    public init(version: UInt8 = 0x03, language: WBXMLLanguage?, publicID: String? = nil, root: WBXMLElement) {
        self.version = version
        self.language = language
        self.publicID = publicID ?? language?.publicID
        self.root = root
    }
}

/// An element: a name, attributes in order, and children.
public struct WBXMLElement: Sendable, Hashable {
    public var name: String
    public var attributes: [WBXMLAttribute]
    public var children: [WBXMLNode]

    public init(_ name: String, attributes: [WBXMLAttribute] = [], children: [WBXMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    /// The value of the attribute `name`, if any.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }
}

/// One attribute.
public struct WBXMLAttribute: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What an element holds.
public enum WBXMLNode: Sendable, Hashable {
    case element(WBXMLElement)
    case text(String)
    /// `OPAQUE` data, byte-exact.
    case opaque([UInt8])
    /// A processing instruction.
    case processingInstruction(target: String, data: String)
    /// A WBXML document carried as `OPAQUE` (DevInf inside a SyncML `Data`), decoded inline.
    case document(WBXMLDocument)
}
