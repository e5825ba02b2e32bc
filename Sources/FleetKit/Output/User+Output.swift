import Foundation

extension User: OutputRecord {
    public static let csvFields = ["user_id", "name", "email", "admin", "created"]
    public var csvValues: [String] { [String(id), name, email, isAdmin ? "true" : "false", Timestamp.rfc3339(created)] }
    public static let tableFields = ["ID", "NAME", "EMAIL", "ADMIN", "CREATED"]
    public var tableValues: [String] { [String(id), name, email, isAdmin ? "yes" : "no", Timestamp.rfc3339(created)] }

    public var json: JSONValue {
        .object([
            ("user_id", .int(id)), ("name", .string(name)), ("email", .string(email)),
            ("admin", .bool(isAdmin)), ("created", .string(Timestamp.rfc3339(created))),
        ])
    }

    public static let atomFeedTitle = "SyncFleet Users"
    public static let atomFeedPath = "users/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let url = XMLText.escape(context.url("users/" + name))
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        return """
            \(pad)\(open)
            \(pad)  <id>\(url)</id>
            \(pad)  <title>\(XMLText.escape(name))</title>
            \(pad)  <updated>\(Timestamp.rfc3339(created))</updated>
            \(pad)  <user xmlns="\(AtomContext.namespace)">
            \(pad)    <user_id>\(id)</user_id>
            \(pad)    <name>\(XMLText.escape(name))</name>
            \(pad)    <email>\(XMLText.escape(email))</email>
            \(pad)    <admin>\(isAdmin)</admin>
            \(pad)  </user>
            \(pad)</entry>

            """
    }
}
