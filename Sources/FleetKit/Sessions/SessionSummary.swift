import Foundation

/// A recorded SyncML session: who synced, when, how, what moved, and how it ended.
public struct SessionSummary: Sendable, Hashable {
    public var id: Int64
    public var clientUUID: String?
    public var phoneNumber: String?
    public var model: String?
    public var user: String?
    /// The SyncML user name the phone authenticated with (or tried to).
    public var username: String?
    public var deviceID: String
    public var started: Date
    public var ended: Date?
    public var version: String
    public var encoding: String
    public var authType: String?
    public var bytesIn: Int
    public var bytesOut: Int
    public var messagesIn: Int
    public var messagesOut: Int
    /// `active`, `ok` or `failed`.
    public var status: String
    public var error: String?
    public var datastores: [SessionDatastore]

    /// Seconds from the first message to the last, when the session ended.
    public var duration: Double? { ended.map { max(0, $0.timeIntervalSince(started)) } }

    public init(id: Int64, clientUUID: String?, phoneNumber: String?, model: String?, user: String?, username: String?, deviceID: String,
                started: Date, ended: Date?, version: String, encoding: String, authType: String?, bytesIn: Int, bytesOut: Int,
                messagesIn: Int, messagesOut: Int, status: String, error: String?, datastores: [SessionDatastore]) {
        self.id = id
        self.clientUUID = clientUUID
        self.phoneNumber = phoneNumber
        self.model = model
        self.user = user
        self.username = username
        self.deviceID = deviceID
        self.started = started
        self.ended = ended
        self.version = version
        self.encoding = encoding
        self.authType = authType
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.messagesIn = messagesIn
        self.messagesOut = messagesOut
        self.status = status
        self.error = error
        self.datastores = datastores
    }
}

/// One datastore of a session: the sync asked for and done, and what moved each way.
public struct SessionDatastore: Sendable, Hashable, Codable {
    /// The server URI the phone named, and the phone's own name.
    public var serverURI: String
    public var localURI: String
    public var dataclass: String?
    /// Alert code the phone sent, the one done (201 after anchors were lost), and the status the server gave.
    public var requested: Int
    public var syncType: Int
    public var alertStatus: Int
    public var addedIn: Int, replacedIn: Int, deletedIn: Int
    public var addedOut: Int, replacedOut: Int, deletedOut: Int
    public var rejectedIn: Int, rejectedOut: Int
    public var completed: Bool

    public init(serverURI: String, localURI: String, dataclass: String?, requested: Int, syncType: Int, alertStatus: Int,
                addedIn: Int = 0, replacedIn: Int = 0, deletedIn: Int = 0, addedOut: Int = 0, replacedOut: Int = 0, deletedOut: Int = 0,
                rejectedIn: Int = 0, rejectedOut: Int = 0, completed: Bool = false) {
        self.serverURI = serverURI
        self.localURI = localURI
        self.dataclass = dataclass
        self.requested = requested
        self.syncType = syncType
        self.alertStatus = alertStatus
        self.addedIn = addedIn
        self.replacedIn = replacedIn
        self.deletedIn = deletedIn
        self.addedOut = addedOut
        self.replacedOut = replacedOut
        self.deletedOut = deletedOut
        self.rejectedIn = rejectedIn
        self.rejectedOut = rejectedOut
        self.completed = completed
    }

    /// The sync type by name: `two-way`, `slow`, `refresh-from-server` …
    public static func syncTypeName(_ code: Int) -> String {
        switch code {
        case 200, 206: "two-way"
        case 201: "slow"
        case 202, 207: "one-way-from-client"
        case 203, 208: "refresh-from-client"
        case 204, 209: "one-way-from-server"
        case 205, 210: "refresh-from-server"
        default: String(code)
        }
    }
}

/// Which sessions to list.
public struct SessionFilter: Sendable, Hashable {
    public var clientUUID: String?
    public var user: String?
    public var since: Date?
    public var until: Date?
    /// `ok`, `failed` or `active`.
    public var status: String?

    public init(clientUUID: String? = nil, user: String? = nil, since: Date? = nil, until: Date? = nil, status: String? = nil) {
        self.clientUUID = clientUUID
        self.user = user
        self.since = since
        self.until = until
        self.status = status
    }
}
