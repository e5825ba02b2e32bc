import Foundation
import WBXML

/// How a SyncML message travels: XML text or WBXML.
public enum SyncMLEncoding: String, Sendable, Hashable, Codable {
    case xml
    case wbxml

    /// The HTTP media type.
    public var contentType: String {
        switch self {
        case .xml: "application/vnd.syncml+xml"
        case .wbxml: "application/vnd.syncml+wbxml"
        }
    }

    /// The encoding a `Content-Type` names, ignoring parameters (`; charset=UTF-8`) and case;
    /// `nil` for anything that is not SyncML.
    public init?(contentType: String) {
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace.lowercased() } ?? ""
        switch type {
        case "application/vnd.syncml+xml", "application/vnd.syncml.xml": self = .xml
        case "application/vnd.syncml+wbxml", "application/vnd.syncml.wbxml": self = .wbxml
        default: return nil
        }
    }

    /// The encoding the bytes look like: WBXML starts with a version byte 0x00–0x03.
    public static func sniff(_ bytes: some Collection<UInt8>) -> SyncMLEncoding {
        if let first = bytes.first, first <= 0x03 { return .wbxml }
        return .xml
    }
}

/// Reads and writes SyncML messages as element trees, in either encoding.
public enum SyncMLCodec {
    /// Decodes a message.
    /// - Throws: ``SyncMLError/unreadable(_:)`` with the reason in words.
    public static func decode(_ bytes: [UInt8], encoding: SyncMLEncoding) throws(SyncMLError) -> WBXMLElement {
        let root: WBXMLElement
        switch encoding {
        case .wbxml:
            do {
                root = try WBXMLDecoder(maxDepth: 60).decode(bytes).root
            } catch {
                throw .unreadable("the WBXML cannot be decoded: \(error.localizedDescription)")
            }
        case .xml:
            do {
                root = try XMLTreeReader(maxDepth: 60).read(Data(bytes)).root
            } catch {
                throw .unreadable("the XML cannot be read: \(error.localizedDescription)")
            }
        }
        guard root.name == "SyncML" else {
            throw .unreadable("the document is <\(root.name)>, not a SyncML message")
        }
        return root
    }

    /// Encodes a message tree of a SyncML version (`1.0`, `1.1`, `1.2`).
    public static func encode(_ root: WBXMLElement, version: SyncMLVersionNumber, encoding: SyncMLEncoding) -> [UInt8] {
        switch encoding {
        case .xml:
            var root = root
            root.attributes = [WBXMLAttribute("xmlns", version.namespace)]
            return Array(XMLRenderer(indent: 0).render(WBXMLDocument(language: nil, publicID: nil, root: root)).utf8)
        case .wbxml:
            let document = WBXMLDocument(version: 0x02, language: version.language, root: root)
            // The message is built from well-formed parts; a failure here is a programming error
            // that must not take the server down, so it falls back to XML's failure path.
            return (try? WBXMLEncoder(version: 0x02, usesStringTable: false).encode(document)) ?? []
        }
    }
}

/// A SyncML protocol version.
public enum SyncMLVersionNumber: String, Sendable, Hashable, Codable, CaseIterable {
    case v10 = "1.0"
    case v11 = "1.1"
    case v12 = "1.2"

    /// Reads `VerDTD`.
    public init?(verDTD: String) {
        self.init(rawValue: verDTD.trimmingWhitespace)
    }

    /// `VerProto`: `SyncML/1.2`.
    public var verProto: String { "SyncML/\(rawValue)" }

    /// The XML namespace of the message.
    public var namespace: String { "SYNCML:SYNCML\(rawValue)" }

    /// The WBXML language.
    public var language: WBXMLLanguage {
        switch self {
        case .v10: .syncML10
        case .v11: .syncML11
        case .v12: .syncML12
        }
    }

    /// The DevInf version that goes with it.
    public var devInfLanguage: WBXMLLanguage {
        switch self {
        case .v10: .devInf10
        case .v11: .devInf11
        case .v12: .devInf12
        }
    }

    /// The DevInf item URI: `./devinf12`, `./devinf11`, `./devinf10`.
    public var devInfURI: String { "./devinf" + rawValue.replacingOccurrences(of: ".", with: "") }
}
