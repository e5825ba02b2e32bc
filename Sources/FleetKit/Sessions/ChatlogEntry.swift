import Foundation

/// One message of a session's chatlog, as the store keeps it.
public struct ChatlogEntry: Sendable, Hashable {
    public var sessionID: Int64
    /// Position in the session, from 1.
    public var sequence: Int
    /// `in` (from the phone) or `out` (to the phone).
    public var direction: String
    public var time: Date
    public var contentType: String
    /// The bytes as they travelled (credentials overwritten); empty once pruned.
    public var raw: Data
    /// The message as XML (WBXML decoded), credentials redacted.
    public var xml: String?

    public init(sessionID: Int64, sequence: Int, direction: String, time: Date, contentType: String, raw: Data, xml: String?) {
        self.sessionID = sessionID
        self.sequence = sequence
        self.direction = direction
        self.time = time
        self.contentType = contentType
        self.raw = raw
        self.xml = xml
    }

    /// Whether the bytes are WBXML.
    public var isWBXML: Bool { contentType.lowercased().contains("wbxml") }
}

extension ChatlogEntry: OutputRecord {
    public static let csvFields = ["session_id", "sequence", "direction", "time", "content_type", "size", "xml"]
    public var csvValues: [String] {
        [String(sessionID), String(sequence), direction, Timestamp.rfc3339(time), contentType, String(raw.count), xml ?? ""]
    }
    public static let tableFields = ["#", "DIRECTION", "TIME", "SIZE", "TYPE"]
    public var tableValues: [String] { [String(sequence), direction, Timestamp.rfc3339(time), String(raw.count), contentType] }

    public var json: JSONValue {
        .object([("session_id", .int(sessionID)), ("sequence", .int(Int64(sequence))), ("direction", .string(direction)),
                 ("time", .string(Timestamp.rfc3339(time))), ("content_type", .string(contentType)), ("size", .int(Int64(raw.count))),
                 ("raw_base64", .string(raw.base64EncodedString())), ("xml", xml.map(JSONValue.string) ?? .null)])
    }

    public static let atomFeedTitle = "SyncML Chatlog"
    public static let atomFeedPath = "sessions/chatlog/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        return """
            \(pad)\(open)
            \(pad)  <id>\(XMLText.escape(context.url("sessions/\(sessionID)/chatlog/\(sequence)")))</id>
            \(pad)  <title>\(XMLText.escape("message \(sequence) \(direction == "in" ? "from" : "to") the phone, \(raw.count) bytes"))</title>
            \(pad)  <updated>\(Timestamp.rfc3339(time))</updated>
            \(pad)  <content type="text">\(XMLText.escape(xml ?? ""))</content>
            \(pad)</entry>

            """
    }
}
