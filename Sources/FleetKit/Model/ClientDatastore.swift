import Foundation

/// One datastore of one client: what the API's `/datastores/` listing shows.
public struct ClientDatastore: Sendable, Hashable {
    public var clientUUID: String
    public var phoneNumber: String
    public var binding: DatastoreBinding
    public var updated: Date

    public init(clientUUID: String, phoneNumber: String, binding: DatastoreBinding, updated: Date) {
        self.clientUUID = clientUUID
        self.phoneNumber = phoneNumber
        self.binding = binding
        self.updated = updated
    }
}

extension ClientDatastore: OutputRecord {
    public static let csvFields = ["client_uuid", "phone_number", "dataclass", "name"]
    public var csvValues: [String] { [clientUUID, phoneNumber, binding.dataclass.rawValue, binding.name] }
    public static let tableFields = ["CLIENT", "PHONE", "DATACLASS", "NAME"]
    public var tableValues: [String] { csvValues }

    public var json: JSONValue {
        .object([("client_uuid", .string(clientUUID)), ("phone_number", .string(phoneNumber)),
                 ("dataclass", .string(binding.dataclass.rawValue)), ("name", .string(binding.name))])
    }

    public static let atomFeedTitle = "SyncML Datastores"
    public static let atomFeedPath = "datastores/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        let id = XMLText.escape(context.url("datastores/\(binding.dataclass.rawValue)/\(clientUUID)/\(binding.name)"))
        return """
            \(pad)\(open)
            \(pad)  <id>\(id)</id>
            \(pad)  <link href="\(XMLText.escape(context.url(clientUUID)))" rel="related" />
            \(pad)  <title>\(XMLText.escape(binding.name))</title>
            \(pad)  <updated>\(Timestamp.rfc3339(updated))</updated>
            \(pad)  <datastore xmlns="\(AtomContext.namespace)" dataclass="\(binding.dataclass.rawValue)" client="\(XMLText.escape(clientUUID))">\(XMLText.escape(binding.name))</datastore>
            \(pad)</entry>

            """
    }
}
