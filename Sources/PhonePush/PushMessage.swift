/// One WAP push for one phone, ready to be cut into SMS: the WSP PDU and the
/// WDP ports it travels to.
public struct PushMessage: Sendable, Hashable {
    /// What the push does on the phone.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Sync settings (OMA CP or Nokia OTA).
        case setup
        /// A server alert (SAN or SyncML 1.1 package 0).
        case alert
    }

    public var kind: Kind
    /// The MIME type of the body, for logs and results.
    public var mimeType: String
    /// The WSP push PDU (the SMS payload).
    public var pdu: [UInt8]
    /// The body inside the PDU (WBXML or the binary SAN).
    public var body: [UInt8]
    public var destinationPort: UInt16
    public var sourcePort: UInt16
    /// USERPINMAC only: the PIN the user must type (the operator's digits and the MAC digits).
    public var pinToType: String?

    public init(kind: Kind, mimeType: String, pdu: [UInt8], body: [UInt8], destinationPort: UInt16,
                sourcePort: UInt16, pinToType: String? = nil) {
        self.kind = kind
        self.mimeType = mimeType
        self.pdu = pdu
        self.body = body
        self.destinationPort = destinationPort
        self.sourcePort = sourcePort
        self.pinToType = pinToType
    }

    /// The SMS that carry this push; `reference` tells its parts from other pushes'.
    public func segments(reference: UInt16, sixteenBitReference: Bool = false) throws(PushError) -> [SMS] {
        try SMSSegmenter(destinationPort: destinationPort, sourcePort: sourcePort, reference: reference,
                         sixteenBitReference: sixteenBitReference).segments(pdu)
    }
}

extension PushMessage {
    /// WSP content type 0x36 `application/vnd.wap.connectivity-wbxml`.
    public static let connectivityWBXML: UInt8 = 0x36
    /// WSP content type 0x4E `application/vnd.syncml.ds.notification`.
    public static let dsNotification: UInt8 = 0x4E
    /// Registered content type 0x0303 `application/vnd.syncml+wbxml`.
    public static let syncMLWBXML: UInt32 = 0x0303
    /// Registered content type 0x020B `application/vnd.nokia.syncset+wbxml`.
    public static let nokiaSyncSet: UInt32 = 0x020B
    /// Push application id 0x05 `x-wap-application:push.syncml`.
    public static let pushSyncML: UInt8 = 0x05

    /// OMA Client Provisioning: the signed `w5` document, to port 2948 from 2948 (as
    /// Kannel's sendota sends it), WSP header `01 06 2F 1F 2D B6 91 8s 92 <MAC> 00`.
    public static func provisioning(_ profile: DSProfile, security: ProvisioningSecurity) throws(PushError) -> PushMessage {
        let body = try ClientProvisioningDocument(profile: profile).encoded()
        let push = WSPPush(contentType: .wellKnown(connectivityWBXML),
                           parameters: [.sec(security.method.code), .mac(try security.macText(for: body))], body: body)
        return PushMessage(kind: .setup, mimeType: "application/vnd.wap.connectivity-wbxml", pdu: push.encoded(), body: body,
                           destinationPort: SMSSegmenter.wapPushPort, sourcePort: SMSSegmenter.wapPushPort,
                           pinToType: try security.pinToType(for: body))
    }

    /// Nokia/Ericsson OTA sync settings: port 49996 from 49154, WSP header
    /// `34 06 06 05 02 02 0B 81 EA` (TID 0x34, syncset, charset UTF-8), as Kannel sends it.
    public static func syncSettings(_ profile: DSProfile) throws(PushError) -> PushMessage {
        let body = try NokiaSyncSettings(profile: profile).encoded()
        let push = WSPPush(transactionID: 0x34, contentType: .registered(nokiaSyncSet), parameters: [.charset(106)], body: body)
        return PushMessage(kind: .setup, mimeType: "application/vnd.nokia.syncset+wbxml", pdu: push.encoded(), body: body,
                           destinationPort: SMSSegmenter.nokiaSyncSettingsPort, sourcePort: 49154)
    }

    /// A DS 1.2 SAN: WSP header `01 06 03 CE AF 85`, port 2948 from 9200.
    /// `contentType` may be set to 0x44 for phones that want the DM-style type.
    public static func alert(_ san: ServerAlertedNotification, password: String, nonce: [UInt8],
                             contentType: UInt8 = dsNotification) throws(PushError) -> PushMessage {
        let body = try san.encoded(password: password, nonce: nonce)
        let push = WSPPush(contentType: .wellKnown(contentType), applicationID: pushSyncML, body: body)
        return PushMessage(kind: .alert, mimeType: "application/vnd.syncml.ds.notification", pdu: push.encoded(), body: body,
                           destinationPort: SMSSegmenter.wapPushPort, sourcePort: SMSSegmenter.wapSessionPort)
    }

    /// A SyncML 1.1 package 0: WSP header `01 06 06 03 02 03 03 AF 85`, port 2948 from 9200.
    public static func legacyAlert(_ alert: LegacyServerAlert) throws(PushError) -> PushMessage {
        let body = try alert.encoded()
        let push = WSPPush(contentType: .registered(syncMLWBXML), applicationID: pushSyncML, body: body)
        return PushMessage(kind: .alert, mimeType: "application/vnd.syncml+wbxml", pdu: push.encoded(), body: body,
                           destinationPort: SMSSegmenter.wapPushPort, sourcePort: SMSSegmenter.wapSessionPort)
    }
}
