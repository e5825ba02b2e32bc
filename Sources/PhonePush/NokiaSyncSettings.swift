import Foundation
import WBXML

/// Nokia/Ericsson OTA sync settings (OTA settings specification 7.0, chapter 11),
/// pushed as `application/vnd.nokia.syncset+wbxml` to port 49996, for phones that
/// predate OMA Client Provisioning. No security: the format has none.
public struct NokiaSyncSettings: Sendable, Hashable {
    public var profile: DSProfile

    public init(profile: DSProfile) {
        self.profile = profile
    }

    /// CTVer of the well-known content types.
    static func contentTypeVersion(_ mime: String) -> String {
        switch mime.lowercased() {
        case "text/x-vcard": "2.1"
        case "text/vcard": "3.0"
        case "text/x-vcalendar": "1.0"
        case "text/calendar": "2.0"
        default: "1.0"
        }
    }

    public func document() throws(PushError) -> WBXMLDocument {
        try profile.validate()
        func text(_ name: String, _ value: String) -> WBXMLNode {
            .element(WBXMLElement(name, children: [.text(value)]))
        }
        // HostAddr without the port, which travels in Port (default 80, or 443 for https).
        var host = profile.serverURL
        var port = profile.serverURL.lowercased().hasPrefix("https:") ? "443" : "80"
        if var parts = URLComponents(string: profile.serverURL) {
            if let explicit = parts.port { port = String(explicit) }
            parts.port = nil
            host = parts.string ?? host
        }
        var children: [WBXMLNode] = [text("Version", "1.0"), text("HostAddr", host), text("Port", port)]
        for resource in profile.resources {
            children.append(.element(WBXMLElement("RemoteDB", children: [
                text("CTType", resource.accept), text("CTVer", Self.contentTypeVersion(resource.accept)),
                text("URI", resource.uri), text("Name", resource.name),
            ])))
        }
        children.append(text("Name", profile.name))
        children.append(.element(WBXMLElement("Auth", children: [
            text("AuthLevel", "1"), text("AuthScheme", profile.authType == .digest ? "2" : "1"),
            text("Username", profile.username), text("Cred", Data(profile.password.utf8).base64EncodedString()),
        ])))
        return WBXMLDocument(version: 0x01, language: .nokiaSyncSettings, root: WBXMLElement("SyncSettings", children: children))
    }

    /// WBXML 1.1, public id 0x01 (unknown), UTF-8, no string table.
    public func encoded() throws(PushError) -> [UInt8] {
        try profile.validate()
        return try Self.templates.encoded(profile, placeholders: [DocumentTemplates.username, Data(DocumentTemplates.password.utf8).base64EncodedString()],
                                          fill: [profile.username, Data(profile.password.utf8).base64EncodedString()],
                                          document: { profile throws(PushError) in try NokiaSyncSettings(profile: profile).document() },
                                          encoder: WBXMLEncoder(version: 0x01, usesStringTable: false))
    }

    /// Encoded documents by shape (all but the credentials): a fleet's setups are filled in, not encoded again.
    static let templates = DocumentTemplates()
}
