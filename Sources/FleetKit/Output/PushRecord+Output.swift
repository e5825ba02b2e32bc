import Foundation

extension PushRecord: OutputRecord {
    public static let csvFields = ["kind", "id", "uuid", "phone_number", "status", "state", "delivery", "created", "sent", "format",
                                   "messages", "attempts", "gateway", "answer", "error", "parts"]

    public var csvValues: [String] {
        [kind.rawValue, String(id), clientUUID, phoneNumber, status.rawValue, state.rawValue, delivery?.rawValue ?? "",
         Timestamp.rfc3339(created), sent.map(Timestamp.rfc3339) ?? "", format ?? "", String(messages), String(attempts),
         gateway ?? "", answer ?? "", error ?? "", partsText]
    }

    /// `1:delivered;2:accepted;3:-`: each SMS and its newest report.
    var partsText: String {
        parts.map { "\($0.number):\($0.delivery?.rawValue ?? "-")" }.joined(separator: ";")
    }

    public static let tableFields = ["KIND", "ID", "UUID", "PHONE", "STATUS", "SENT", "SMS", "PARTS", "ANSWER"]

    public var tableValues: [String] {
        [kind.rawValue, String(id), clientUUID, phoneNumber, status.rawValue, sent.map(Timestamp.rfc3339) ?? "-", String(messages),
         partsText, error ?? answer ?? ""]
    }

    public var json: JSONValue {
        .object([
            ("kind", .string(kind.rawValue)), ("id", .int(id)), ("uuid", .string(clientUUID)), ("phone_number", .string(phoneNumber)),
            ("status", .string(status.rawValue)), ("state", .string(state.rawValue)), ("delivery", .optional(delivery?.rawValue)),
            ("created", .string(Timestamp.rfc3339(created))), ("sent", .optional(sent.map(Timestamp.rfc3339))),
            ("format", .optional(format)), ("messages", .int(Int64(messages))), ("attempts", .int(Int64(attempts))),
            ("gateway", .optional(gateway)), ("answer", .optional(answer)), ("error", .optional(error)),
            ("parts", .array(parts.map { part in
                .object([("part", .int(Int64(part.number))), ("message_id", .string(part.messageID)),
                         ("delivery", .optional(part.delivery?.rawValue)), ("reported", .optional(part.reported.map(Timestamp.rfc3339)))])
            })),
        ])
    }

    public static let atomFeedTitle = "SyncML Client Setups and Sync Requests"
    public static let atomFeedPath = "pushes/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        let id = context.url("\(clientUUID)/\(kind == .setup ? "setup" : "sync")/\(id)/")
        var body = ""
        for (name, value) in [("status", status.rawValue), ("state", state.rawValue), ("delivery", delivery?.rawValue),
                              ("sent", sent.map(Timestamp.rfc3339)), ("format", format), ("messages", String(messages)),
                              ("attempts", String(attempts)), ("gateway", gateway), ("answer", answer), ("error", error)] {
            if let value { body += "\(pad)    <\(name)>\(XMLText.escape(value))</\(name)>\n" }
        }
        for part in parts {
            body += "\(pad)    <part number=\"\(part.number)\" delivery=\"\(part.delivery?.rawValue ?? "")\">\(part.messageID)</part>\n"
        }
        return """
            \(pad)\(open)
            \(pad)  <id>\(XMLText.escape(id))</id>
            \(pad)  <title>\(kind.rawValue) \(clientUUID): \(status.rawValue)</title>
            \(pad)  <updated>\(Timestamp.rfc3339(sent ?? created))</updated>
            \(pad)  <\(kind.rawValue) xmlns="\(AtomContext.namespace)" uuid="\(clientUUID)">
            \(body)\(pad)  </\(kind.rawValue)>
            \(pad)</entry>

            """
    }
}
