import Foundation

extension SessionSummary: OutputRecord {
    public static let csvFields = ["session_id", "client_uuid", "phone_number", "model", "user", "device_id", "start", "end",
                                   "duration_s", "syncml_version", "encoding", "auth", "datastores", "bytes_in", "bytes_out",
                                   "messages_in", "messages_out", "status", "error"]

    /// `contacts:two-way;calendar:slow`.
    var datastoreSummary: String {
        datastores.map { "\($0.serverURI):\(SessionDatastore.syncTypeName($0.syncType))" }.joined(separator: ";")
    }

    public var csvValues: [String] {
        [String(id), clientUUID ?? "", phoneNumber ?? "", model ?? "", user ?? "", deviceID, Timestamp.rfc3339(started),
         ended.map(Timestamp.rfc3339) ?? "", duration.map(Self.tenths) ?? "", version, encoding, authType ?? "",
         datastoreSummary, String(bytesIn), String(bytesOut), String(messagesIn), String(messagesOut), status, error ?? ""]
    }

    public static let tableFields = ["ID", "START", "PHONE", "USER", "SYNCML", "DATASTORES", "IN/OUT", "STATUS", "ERROR"]
    public var tableValues: [String] {
        [String(id), Timestamp.rfc3339(started), phoneNumber ?? deviceID, user ?? username ?? "", "\(version) \(encoding)", datastoreSummary,
         "\(messagesIn)/\(messagesOut)", status, error ?? ""]
    }

    public var json: JSONValue {
        .object([
            ("session_id", .int(id)), ("client_uuid", clientUUID.map(JSONValue.string) ?? .null),
            ("phone_number", phoneNumber.map(JSONValue.string) ?? .null), ("model", model.map(JSONValue.string) ?? .null),
            ("user", user.map(JSONValue.string) ?? .null), ("sync_username", username.map(JSONValue.string) ?? .null),
            ("device_id", .string(deviceID)), ("start", .string(Timestamp.rfc3339Milliseconds(started))),
            ("end", ended.map { .string(Timestamp.rfc3339Milliseconds($0)) } ?? .null), ("syncml_version", .string(version)),
            ("encoding", .string(encoding)), ("auth", authType.map(JSONValue.string) ?? .null),
            ("bytes_in", .int(Int64(bytesIn))), ("bytes_out", .int(Int64(bytesOut))),
            ("messages_in", .int(Int64(messagesIn))), ("messages_out", .int(Int64(messagesOut))),
            ("status", .string(status)), ("error", error.map(JSONValue.string) ?? .null),
            ("datastores", .array(datastores.map(\.json))),
        ])
    }

    public static let atomFeedTitle = "SyncML Sessions"
    public static let atomFeedPath = "sessions/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        func attribute(_ name: String, _ value: String?) -> String {
            value.map { " \(name)=\"\(XMLText.escape($0))\"" } ?? ""
        }
        var session = "<session xmlns=\"\(AtomContext.namespace)\""
        session += attribute("id", String(id)) + attribute("client", clientUUID) + attribute("phone_number", phoneNumber)
        session += attribute("model", model) + attribute("user", user) + attribute("device", deviceID)
        session += attribute("start", Timestamp.rfc3339(started)) + attribute("end", ended.map(Timestamp.rfc3339))
        session += attribute("version", version) + attribute("encoding", encoding) + attribute("auth", authType)
        session += attribute("bytes_in", String(bytesIn)) + attribute("bytes_out", String(bytesOut))
        session += attribute("messages_in", String(messagesIn)) + attribute("messages_out", String(messagesOut))
        session += attribute("status", status) + ">"
        var lines = ["\(pad)\(open)", "\(pad)  <id>\(XMLText.escape(context.url("sessions/\(id)")))</id>"]
        if let clientUUID { lines.append("\(pad)  <link href=\"\(XMLText.escape(context.url(clientUUID)))\" rel=\"related\" />") }
        lines.append("\(pad)  <link href=\"\(XMLText.escape(context.url("sessions/\(id)/chatlog/")))\" rel=\"alternate\" />")
        lines.append("\(pad)  <title>\(XMLText.escape("session \(id): \(status)"))</title>")
        lines.append("\(pad)  <updated>\(Timestamp.rfc3339(ended ?? started))</updated>")
        lines.append("\(pad)  \(session)")
        for store in datastores {
            var element = "<datastore"
            element += attribute("dataclass", store.dataclass) + attribute("local", store.localURI)
            element += attribute("requested", String(store.requested)) + attribute("sync_type", String(store.syncType))
            element += attribute("status", String(store.alertStatus))
            for (name, value) in store.countPairs { element += attribute(name, String(value)) }
            element += ">\(XMLText.escape(store.serverURI))</datastore>"
            lines.append("\(pad)    \(element)")
        }
        if let error { lines.append("\(pad)    <error>\(XMLText.escape(error))</error>") }
        lines.append("\(pad)  </session>")
        lines.append("\(pad)</entry>")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SessionSummary {
    /// Seconds with one decimal (`3.5`), without `String(format:)`, which is slow on Linux.
    static func tenths(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension SessionDatastore {
    /// The counts by their stable names.
    var countPairs: [(String, Int)] {
        [("added_in", addedIn), ("replaced_in", replacedIn), ("deleted_in", deletedIn), ("added_out", addedOut),
         ("replaced_out", replacedOut), ("deleted_out", deletedOut), ("rejected_in", rejectedIn), ("rejected_out", rejectedOut)]
    }

    var json: JSONValue {
        .object([("server_uri", .string(serverURI)), ("local_uri", .string(localURI)), ("dataclass", dataclass.map(JSONValue.string) ?? .null),
                 ("requested", .int(Int64(requested))), ("sync_type", .int(Int64(syncType))), ("alert_status", .int(Int64(alertStatus))),
                 ("completed", .bool(completed))] + countPairs.map { ($0.0, JSONValue.int(Int64($0.1))) })
    }
}

/// One row of `sessions export`: a session and one of its datastores (a session without any: one row, datastore columns empty).
public struct SessionExportRow: Sendable, Hashable {
    public var session: SessionSummary
    public var datastore: SessionDatastore?

    public init(session: SessionSummary, datastore: SessionDatastore?) {
        self.session = session
        self.datastore = datastore
    }

    /// The rows of a session.
    public static func rows(_ session: SessionSummary) -> [SessionExportRow] {
        var row = session
        row.datastores = []
        if session.datastores.isEmpty { return [SessionExportRow(session: row, datastore: nil)] }
        return session.datastores.map { SessionExportRow(session: row, datastore: $0) }
    }
}

extension SessionExportRow: OutputRecord {
    /// The export's columns: a stable contract (documented in the README and the man page).
    public static let csvFields = ["session_id", "client_uuid", "phone_number", "model", "user", "start", "end", "duration_s",
                                   "syncml_version", "encoding", "auth", "datastore", "local_datastore", "sync_type", "requested_sync_type",
                                   "alert_status", "added_in", "replaced_in", "deleted_in", "added_out", "replaced_out", "deleted_out",
                                   "rejected_in", "rejected_out", "bytes_in", "bytes_out", "messages_in", "messages_out", "status", "error"]

    public var csvValues: [String] {
        let s = session
        let d = datastore
        func count(_ value: Int?) -> String { value.map(String.init) ?? "" }
        return [String(s.id), s.clientUUID ?? "", s.phoneNumber ?? "", s.model ?? "", s.user ?? "", Timestamp.rfc3339(s.started),
                s.ended.map(Timestamp.rfc3339) ?? "", s.duration.map(SessionSummary.tenths) ?? "", s.version, s.encoding,
                s.authType ?? "", d?.serverURI ?? "", d?.localURI ?? "", d.map { SessionDatastore.syncTypeName($0.syncType) } ?? "",
                d.map { SessionDatastore.syncTypeName($0.requested) } ?? "", count(d?.alertStatus),
                count(d?.addedIn), count(d?.replacedIn), count(d?.deletedIn), count(d?.addedOut), count(d?.replacedOut),
                count(d?.deletedOut), count(d?.rejectedIn), count(d?.rejectedOut), String(s.bytesIn), String(s.bytesOut),
                String(s.messagesIn), String(s.messagesOut), s.status, s.error ?? ""]
    }

    public static var tableFields: [String] { csvFields }
    public var tableValues: [String] { csvValues }

    public var json: JSONValue {
        .object(zip(Self.csvFields, csvValues).map { name, value in
            let numeric = ["session_id", "alert_status", "added_in", "replaced_in", "deleted_in", "added_out", "replaced_out",
                           "deleted_out", "rejected_in", "rejected_out", "bytes_in", "bytes_out", "messages_in", "messages_out"]
            if value.isEmpty { return (name, .null) }
            if numeric.contains(name), let number = Int64(value) { return (name, .int(number)) }
            if name == "duration_s", let seconds = Double(value) { return (name, .int(Int64(seconds.rounded()))) }
            return (name, .string(value))
        })
    }

    public static let atomFeedTitle = "SyncML Sessions"
    public static let atomFeedPath = "sessions/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        var one = session
        one.datastores = datastore.map { [$0] } ?? []
        return one.atomEntry(context, indent: indent, standalone: standalone)
    }
}
