/// Something that carries SMS towards phones: an SMS gateway, a directory, a terminal.
///
/// One protocol with one job; retries and recording are the caller's.
public protocol SMSGateway: Sendable {
    /// A short description for logs and results (`kannel 127.0.0.1:13013`), without secrets.
    var name: String { get }

    /// Sends the SMS of one push to one phone, in order. Either every part is
    /// accepted, or the error says which one was not.
    func send(_ messages: [SMS], to phoneNumber: String, envelope: PushEnvelope) async throws(GatewayError) -> [GatewayReceipt]
}

/// Who a push is for and how to follow it up: used for file names and delivery reports.
public struct PushEnvelope: Sendable, Hashable {
    public var clientUUID: String
    public var kind: PushMessage.Kind
    /// One id per SMS, unguessable: delivery reports come back carrying it.
    public var messageIDs: [String]
    /// Where the gateway reports delivery (`serve`'s `/dlr` endpoint), if anywhere.
    public var deliveryReportURL: String?

    public init(clientUUID: String, kind: PushMessage.Kind, messageIDs: [String], deliveryReportURL: String? = nil) {
        self.clientUUID = clientUUID
        self.kind = kind
        self.messageIDs = messageIDs
        self.deliveryReportURL = deliveryReportURL
    }
}

/// What the gateway said about one SMS it accepted.
public struct GatewayReceipt: Sendable, Hashable, Codable {
    /// Our id of the SMS (the envelope's), which delivery reports carry back.
    public var messageID: String
    /// The gateway's own words (`0: Accepted for delivery`, a file name, …).
    public var answer: String
    /// `true` when the gateway only queued it (Kannel `3: Queued for later delivery`).
    public var queued: Bool

    public init(messageID: String, answer: String, queued: Bool = false) {
        self.messageID = messageID
        self.answer = answer
        self.queued = queued
    }
}
