import WBXML

/// Reads back what a gateway sent (SMS as `dir:` writes them or `-` prints them) and
/// says what it is: ports, WSP headers, the MAC or digest checked when the key is
/// known, and the body as XML or SAN fields. For `syncfleet decode-push`.
public struct PushInspector: Sendable {
    /// The PIN or IMSI to check a provisioning MAC with.
    public var security: ProvisioningSecurity?
    /// The password to check a SAN digest with (the phone's sync password).
    public var sanPassword: String?

    public init(security: ProvisioningSecurity? = nil, sanPassword: String? = nil) {
        self.security = security
        self.sanPassword = sanPassword
    }

    /// What was found; `verified` is `nil` when nothing could be checked.
    public struct Report: Sendable {
        public var text: String
        public var verified: Bool?
    }

    /// Describes the push that `parts` carry (in any order).
    public func inspect(_ parts: [SMS]) throws(PushError) -> Report {
        let message = try SMSReassembler.join(parts)
        let push = try WSPPush.decode(message.payload)
        var lines: [String] = []
        var verified: Bool?
        let ports = "\(message.destinationPort.map(String.init) ?? "-") ← \(message.sourcePort.map(String.init) ?? "-")"
        lines.append("# \(parts.count) SMS, ports \(ports)\(message.reference.map { ", reference \($0)" } ?? ""), WSP PDU \(message.payload.count) octets")
        var header = "# WSP: TID \(push.transactionID), content type \(Self.name(of: push.contentType))"
        if let sec = push.sec { header += ", SEC \(ProvisioningSecurity.Method(code: sec)?.rawValue ?? String(sec))" }
        if let mac = push.mac { header += ", MAC \(mac)" }
        if let app = push.applicationID { header += ", application id \(app)\(app == 5 ? " (push.syncml)" : app == 7 ? " (syncml.dm)" : "")" }
        lines.append(header)
        if let mac = push.mac, let security {
            let expected = try security.macText(for: push.body)
            verified = expected == mac
            lines.append(verified! ? "# MAC verified with the \(security.method.rawValue) key" : "# MAC does NOT match the \(security.method.rawValue) key (expected \(expected))")
        }
        switch push.contentType {
        case .wellKnown(0x4E), .wellKnown(0x44):
            let san = try ServerAlertedNotification.decode(push.body)
            lines.append("# SAN version 1.2, ui-mode \(san.uiMode.name), initiated by \(san.serverInitiated ? "server" : "user"), session \(san.sessionID), server id \"\(san.serverID)\"")
            if san.syncs.isEmpty { lines.append("#   every datastore of the profile") }
            for sync in san.syncs {
                lines.append("#   \(sync.type.rawValue) \(sync.type.name) \(sync.serverURI) (content type \(String(sync.contentType, radix: 16)))")
            }
            if let sanPassword {
                verified = try ServerAlertedNotification.isValid(push.body, password: sanPassword, nonce: [])
                lines.append(verified! ? "# digest verified" : "# digest does NOT match that password")
            }
        default:
            let forced: WBXMLLanguage? = push.contentType == .registered(0x020B) ? .nokiaSyncSettings : nil
            do {
                let document = try WBXMLDecoder(forcedLanguage: forced).decode(push.body)
                lines.append(XMLRenderer().render(document).trimmingSuffixNewlines)
            } catch {
                throw .malformed(what: "push body", offset: 0, reason: error.localizedDescription)
            }
        }
        return Report(text: lines.joined(separator: "\n") + "\n", verified: verified)
    }

    static func name(of type: WSPPush.ContentType) -> String {
        switch type {
        case .wellKnown(0x36): "application/vnd.wap.connectivity-wbxml"
        case .wellKnown(0x4E): "application/vnd.syncml.ds.notification"
        case .wellKnown(0x44): "application/vnd.syncml.notification"
        case .registered(0x0303): "application/vnd.syncml+wbxml"
        case .registered(0x0302): "application/vnd.syncml+xml"
        case .registered(0x020B): "application/vnd.nokia.syncset+wbxml"
        case .wellKnown(let n): "0x" + String(n, radix: 16)
        case .registered(let n): "0x" + String(n, radix: 16)
        case .text(let text): text
        }
    }
}

private extension String {
    var trimmingSuffixNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
