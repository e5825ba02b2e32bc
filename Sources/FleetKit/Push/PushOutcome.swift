import Foundation
import PhonePush

/// What happened to one phone's setup or alert: one row of `provision` / `alert` output.
public struct PushOutcome: Sendable, Hashable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Every SMS was accepted by the gateway.
        case sent
        /// Recorded for later: the server has no gateway configured.
        case queued
        /// A setup was sent before (`--force` sends again).
        case skipped
        /// Built and signed, not sent.
        case dryRun = "dry-run"
        /// The phone or its data is wrong (no datastores, a bad PIN, …).
        case invalid
        /// The gateway or the store failed; the error says which.
        case failed
    }

    /// The input line (`--from`), when there was one.
    public var line: Int?
    public var clientUUID: String
    public var phoneNumber: String
    public var kind: PushMessage.Kind
    public var status: Status
    /// The setup's or alert's number (`…/setup/143/`).
    public var requestID: Int64?
    /// The setup (profile) name.
    public var name: String?
    public var pincode: String?
    /// USERPINMAC: the PIN the user must type.
    public var pinToType: String?
    /// How many SMS carried it.
    public var messages: Int
    /// Octets of WSP push PDU.
    public var octets: Int
    /// What was sent: `oma-cp`, `nokia-ota`, `san-1.2`, `san-1.1`.
    public var format: String?
    public var sent: Date?
    public var attempts: Int
    public var error: String?
    /// What else the operator should know: a setup that "may have been sent" by a run that
    /// stopped while sending it (sent again now), a skipped setup that was "delivered".
    public var note: String?
    /// Only with `--show-credentials`.
    public var credentials: SyncCredentials?

    public init(line: Int? = nil, clientUUID: String, phoneNumber: String = "", kind: PushMessage.Kind, status: Status,
                requestID: Int64? = nil, name: String? = nil, pincode: String? = nil, pinToType: String? = nil,
                messages: Int = 0, octets: Int = 0, format: String? = nil, sent: Date? = nil, attempts: Int = 0,
                error: String? = nil, note: String? = nil, credentials: SyncCredentials? = nil) {
        self.line = line
        self.clientUUID = clientUUID
        self.phoneNumber = phoneNumber
        self.kind = kind
        self.status = status
        self.requestID = requestID
        self.name = name
        self.pincode = pincode
        self.pinToType = pinToType
        self.messages = messages
        self.octets = octets
        self.format = format
        self.sent = sent
        self.attempts = attempts
        self.error = error
        self.note = note
        self.credentials = credentials
    }

    /// Whether this outcome counts against the batch (exit status 5).
    public var isFailure: Bool { status == .failed || status == .invalid }
}

extension PushOutcome: OutputRecord {
    public static let csvFields = ["line", "uuid", "phone_number", "kind", "status", "id", "name", "format", "messages",
                                   "octets", "sent", "attempts", "pin_to_type", "sync_username", "sync_password", "error", "note"]
    public var csvValues: [String] {
        [line.map(String.init) ?? "", clientUUID, phoneNumber, kind.rawValue, status.rawValue, requestID.map(String.init) ?? "",
         name ?? "", format ?? "", String(messages), String(octets), sent.map(Timestamp.rfc3339) ?? "", String(attempts),
         pinToType ?? "", credentials?.username ?? "", credentials?.password ?? "", error ?? "", note ?? ""]
    }
    public static let tableFields = ["UUID", "PHONE", "KIND", "STATUS", "SMS", "FORMAT", "ERROR"]
    public var tableValues: [String] {
        [clientUUID, phoneNumber, kind.rawValue, status.rawValue, String(messages), format ?? "-",
         error ?? note ?? pinToType.map { "type PIN \($0)" } ?? credentials.map { "user \($0.username) password \($0.password)" } ?? ""]
    }

    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("line", line.map { .int(Int64($0)) } ?? .null), ("uuid", .string(clientUUID)), ("phone_number", .string(phoneNumber)),
            ("kind", .string(kind.rawValue)), ("status", .string(status.rawValue)), ("id", requestID.map { .int($0) } ?? .null),
            ("name", .optional(name)), ("format", .optional(format)), ("messages", .int(Int64(messages))),
            ("octets", .int(Int64(octets))), ("sent", .optional(sent.map(Timestamp.rfc3339))), ("attempts", .int(Int64(attempts))),
        ]
        if let pinToType { fields.append(("pin_to_type", .string(pinToType))) }
        if let credentials {
            fields.append(("sync_username", .string(credentials.username)))
            fields.append(("sync_password", .string(credentials.password)))
        }
        fields.append(("error", .optional(error)))
        if let note { fields.append(("note", .string(note))) }
        return .object(fields)
    }

    public static let atomFeedTitle = "SyncML Client Setup and Sync Requests"
    public static let atomFeedPath = "push/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        let path = kind == .setup ? "setup" : "sync"
        let id = requestID.map { context.url("\(clientUUID)/\(path)/\($0)/") } ?? context.url(clientUUID)
        var body = "\(pad)    <status>\(status.rawValue)</status>\n\(pad)    <messages>\(messages)</messages>\n"
        if let name { body += "\(pad)    <setup sent=\"\(sent.map(Timestamp.rfc3339) ?? "")\">\(XMLText.escape(name))</setup>\n" }
        if let pinToType { body += "\(pad)    <pin_to_type>\(pinToType)</pin_to_type>\n" }
        if let error { body += "\(pad)    <error>\(XMLText.escape(error))</error>\n" }
        if let note { body += "\(pad)    <note>\(XMLText.escape(note))</note>\n" }
        return """
            \(pad)\(open)
            \(pad)  <id>\(XMLText.escape(id))</id>
            \(pad)  <title>\(kind.rawValue) \(clientUUID): \(status.rawValue)</title>
            \(pad)  <updated>\(Timestamp.rfc3339(sent ?? Date(timeIntervalSince1970: 0)))</updated>
            \(pad)  <\(kind.rawValue) xmlns="\(AtomContext.namespace)" uuid="\(clientUUID)">
            \(body)\(pad)  </\(kind.rawValue)>
            \(pad)</entry>

            """
    }
}
