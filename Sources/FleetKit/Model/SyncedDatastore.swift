import Foundation

/// A phone's datastore as its first sync registered it, and as its last sync left it:
/// what `GET /datastores/` lists.
public struct SyncedDatastore: Sendable, Hashable {
    public var clientUUID: String
    public var phoneNumber: String
    public var dataclass: Dataclass
    /// The phone's own name for it (`./addressbook`, `C:Contacts.cdb` …).
    public var localURI: String
    /// The name the phone's DevInf gives it, if any.
    public var displayName: String?
    /// The server datastore URI the phone syncs it with (`contacts`, `card` …).
    public var serverURI: String
    /// Media types the phone receives, from its DevInf.
    public var contentTypes: [String]
    /// Anchors of the last completed sync: the phone's and the server's.
    public var clientAnchor: String?
    public var serverAnchor: String?
    /// Items the phone holds, as of its last sync.
    public var itemCount: Int
    public var created: Date
    public var lastSync: Date?

    public init(clientUUID: String, phoneNumber: String, dataclass: Dataclass, localURI: String, displayName: String?, serverURI: String,
                contentTypes: [String], clientAnchor: String?, serverAnchor: String?, itemCount: Int, created: Date, lastSync: Date?) {
        self.clientUUID = clientUUID
        self.phoneNumber = phoneNumber
        self.dataclass = dataclass
        self.localURI = localURI
        self.displayName = displayName
        self.serverURI = serverURI
        self.contentTypes = contentTypes
        self.clientAnchor = clientAnchor
        self.serverAnchor = serverAnchor
        self.itemCount = itemCount
        self.created = created
        self.lastSync = lastSync
    }
}

/// Which synced datastores to list.
public struct DatastoreFilter: Sendable, Hashable {
    public var clientUUID: String?
    public var dataclass: Dataclass?

    public init(clientUUID: String? = nil, dataclass: Dataclass? = nil) {
        self.clientUUID = clientUUID
        self.dataclass = dataclass
    }
}

extension SyncedDatastore: OutputRecord {
    public static let csvFields = ["client_uuid", "phone_number", "dataclass", "local_uri", "display_name", "server_uri",
                                   "content_types", "client_anchor", "server_anchor", "items", "created", "last_sync"]
    public var csvValues: [String] {
        [clientUUID, phoneNumber, dataclass.rawValue, localURI, displayName ?? "", serverURI, contentTypes.joined(separator: ";"),
         clientAnchor ?? "", serverAnchor ?? "", String(itemCount), Timestamp.rfc3339(created), lastSync.map(Timestamp.rfc3339) ?? ""]
    }
    public static let tableFields = ["CLIENT", "PHONE", "DATACLASS", "LOCAL", "SERVER", "ITEMS", "LAST SYNC"]
    public var tableValues: [String] {
        [clientUUID, phoneNumber, dataclass.rawValue, localURI, serverURI, String(itemCount), lastSync.map(Timestamp.rfc3339) ?? "never"]
    }

    public var json: JSONValue {
        .object([("client_uuid", .string(clientUUID)), ("phone_number", .string(phoneNumber)), ("dataclass", .string(dataclass.rawValue)),
                 ("local_uri", .string(localURI)), ("display_name", displayName.map(JSONValue.string) ?? .null),
                 ("server_uri", .string(serverURI)), ("content_types", .array(contentTypes.map(JSONValue.string))),
                 ("client_anchor", clientAnchor.map(JSONValue.string) ?? .null), ("server_anchor", serverAnchor.map(JSONValue.string) ?? .null),
                 ("items", .int(Int64(itemCount))), ("created", .string(Timestamp.rfc3339(created))),
                 ("last_sync", lastSync.map { .string(Timestamp.rfc3339($0)) } ?? .null)])
    }

    public static let atomFeedTitle = "SyncML Datastores"
    public static let atomFeedPath = "datastores/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        let id = XMLText.escape(context.url("datastores/\(dataclass.rawValue)/\(clientUUID)"))
        var attributes = "dataclass=\"\(dataclass.rawValue)\" client=\"\(XMLText.escape(clientUUID))\" server=\"\(XMLText.escape(serverURI))\""
        attributes += " items=\"\(itemCount)\""
        if let clientAnchor { attributes += " client-anchor=\"\(XMLText.escape(clientAnchor))\"" }
        if let serverAnchor { attributes += " server-anchor=\"\(XMLText.escape(serverAnchor))\"" }
        if !contentTypes.isEmpty { attributes += " content-types=\"\(XMLText.escape(contentTypes.joined(separator: " ")))\"" }
        return """
            \(pad)\(open)
            \(pad)  <id>\(id)</id>
            \(pad)  <link href="\(XMLText.escape(context.url(clientUUID)))" rel="related" />
            \(pad)  <title>\(XMLText.escape(displayName ?? localURI))</title>
            \(pad)  <updated>\(Timestamp.rfc3339(lastSync ?? created))</updated>
            \(pad)  <datastore xmlns="\(AtomContext.namespace)" \(attributes)>\(XMLText.escape(localURI))</datastore>
            \(pad)</entry>

            """
    }
}
