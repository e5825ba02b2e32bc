import WBXML

/// The SyncML 1.1 form of a server alert ("legacy package 0"): a WBXML SyncML
/// message with one `Alert`, for phones of the DS 1.1 era that do not read the
/// binary 1.2 SAN.
///
/// `SyncHdr/Source/LocURI` carries the sync URL: the Nokia S60 1.1 alert parser finds
/// the profile by the host of that URI, compared with the profile's server URL.
public struct LegacyServerAlert: Sendable, Hashable {
    public var version: String
    public var sessionID: UInt16
    public var serverURL: String
    public var syncType: ServerAlertedNotification.SyncType
    /// Server URI and MIME type of each datastore.
    public var datastores: [(uri: String, mimeType: String)]

    public init(version: String = "1.1", sessionID: UInt16, serverURL: String,
                syncType: ServerAlertedNotification.SyncType, datastores: [(uri: String, mimeType: String)]) {
        self.version = version
        self.sessionID = sessionID
        self.serverURL = serverURL
        self.syncType = syncType
        self.datastores = datastores
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.version == rhs.version && lhs.sessionID == rhs.sessionID && lhs.serverURL == rhs.serverURL
            && lhs.syncType == rhs.syncType && lhs.datastores.elementsEqual(rhs.datastores, by: { $0 == $1 })
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sessionID)
        hasher.combine(serverURL)
    }

    /// The message as a document of the WBXML module.
    public func document() throws(PushError) -> WBXMLDocument {
        guard let language = WBXMLLanguages.syncML(version: version), version != "1.2" else {
            throw .tooLarge("a legacy server alert is SyncML 1.0 or 1.1, not \(version)")
        }
        func text(_ name: String, _ value: String, _ attributes: [WBXMLAttribute] = []) -> WBXMLNode {
            .element(WBXMLElement(name, attributes: attributes, children: [.text(value)]))
        }
        func locURI(_ wrapper: String, _ value: String) -> WBXMLNode {
            .element(WBXMLElement(wrapper, children: [text("LocURI", value)]))
        }
        let header = WBXMLElement("SyncHdr", children: [
            text("VerDTD", version), text("VerProto", "SyncML/\(version)"), text("SessionID", String(sessionID)),
            text("MsgID", "1"), locURI("Target", "/"), locURI("Source", serverURL),
        ])
        let items: [WBXMLNode] = datastores.map { store in
            .element(WBXMLElement("Item", children: [
                locURI("Source", store.uri),
                .element(WBXMLElement("Meta", children: [text("Type", store.mimeType, [WBXMLAttribute("xmlns", "syncml:metinf")])])),
            ]))
        }
        let alert = WBXMLElement("Alert", children: [text("CmdID", "1"), text("Data", String(syncType.rawValue))] + items)
        let body = WBXMLElement("SyncBody", children: [.element(alert), .element(WBXMLElement("Final"))])
        return WBXMLDocument(version: 0x02, language: language,
                             root: WBXMLElement("SyncML", children: [.element(header), .element(body)]))
    }

    /// WBXML 1.2 bytes, no string table (the alert is short and phones parse it simply).
    public func encoded() throws(PushError) -> [UInt8] {
        let document = try document()
        do {
            return try WBXMLEncoder(version: 0x02, usesStringTable: false).encode(document)
        } catch {
            throw .malformed(what: "legacy alert", offset: 0, reason: error.localizedDescription)
        }
    }
}
