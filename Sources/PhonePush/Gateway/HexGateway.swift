/// Prints every SMS as one line: client uuid, kind, part `n/N`, recipient, UDH and
/// user data in hex. For a look at what would be sent, or a pipe into another system.
public struct HexGateway: SMSGateway {
    let write: @Sendable (String) -> Void

    /// `write` receives each line without its newline.
    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public var name: String { "stdout" }

    public func send(_ messages: [SMS], to phoneNumber: String, envelope: PushEnvelope) async throws(GatewayError) -> [GatewayReceipt] {
        var receipts: [GatewayReceipt] = []
        for (index, sms) in messages.enumerated() {
            let part = "\(index + 1)/\(messages.count)"
            write("\(envelope.clientUUID) \(envelope.kind.rawValue) \(part) \(phoneNumber) \(Hex.lower(sms.udh)) \(Hex.lower(sms.userData))")
            let id = index < envelope.messageIDs.count ? envelope.messageIDs[index] : part
            receipts.append(GatewayReceipt(messageID: id, answer: "printed"))
        }
        return receipts
    }
}
