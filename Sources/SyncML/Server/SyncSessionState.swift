import Foundation

/// Everything the server remembers of a session between its HTTP requests.
public struct SyncSessionState: Sendable {
    /// The token in the session's `RespURI`.
    public let token: String
    /// The id of the session's record in the store.
    public var recordID: Int64
    /// What is recorded of the session.
    public var record: SessionRecord
    /// When the last message arrived.
    public var lastActivity: Date
    /// Whether the phone has sent only the session's first message so far.
    public var isAtFirstMessage: Bool { lastIncomingMsgID == "1" }
    /// Whether the session has ended (ok or failed); later messages get a closing answer.
    public var isFinished: Bool { phase == .finished }

    var version: SyncMLVersionNumber
    var encoding: SyncMLEncoding
    var syncmlSessionID: String
    var deviceID: String
    var serverURI: String
    var respURI: String
    var account: SyncAccount?
    var deviceInfo: DeviceInfo?
    var issuedNonce: [UInt8]?
    var authFailures = 0
    var clientMaxMsgSize: Int
    var clientMaxObjSize: Int?
    var lastIncomingMsgID: String?
    var lastResponse: [UInt8]?
    var outMsgID = 0
    var sequence = 0
    var stores: [StoreSession] = []
    var incomingChunk: IncomingChunk?
    var outgoingChunk: OutgoingChunk?
    var awaiting: [String: Awaiting] = [:]
    var phase: Phase = .initialization

    enum Phase: String, Sendable {
        /// Authentication, device information and alerts (packages 1 and 2).
        case initialization
        /// The phone sends its changes (package 3).
        case clientChanges
        /// The server sends its changes (package 4), over several messages when they do not fit one.
        case serverChanges
        /// The phone acknowledges and maps the server's additions (package 5).
        case mapping
        case finished
    }

    init(token: String, recordID: Int64, record: SessionRecord, now: Date, version: SyncMLVersionNumber, encoding: SyncMLEncoding,
         syncmlSessionID: String, deviceID: String, serverURI: String, respURI: String, clientMaxMsgSize: Int) {
        self.token = token
        self.recordID = recordID
        self.record = record
        self.lastActivity = now
        self.version = version
        self.encoding = encoding
        self.syncmlSessionID = syncmlSessionID
        self.deviceID = deviceID
        self.serverURI = serverURI
        self.respURI = respURI
        self.clientMaxMsgSize = clientMaxMsgSize
    }

    /// Marks an abandoned session failed; returns the record to store. `reason` replaces the
    /// default one (the phone sent nothing for `timeout` seconds).
    public mutating func abandon(now: Date, timeout: TimeInterval, reason: String? = nil) -> SessionRecord {
        if record.status == .active {
            record.status = .failed
            let abandoned = reason.map { "abandoned: \($0) after message \(lastIncomingMsgID ?? "?") (phase: \(phase.rawValue))" }
                ?? "abandoned: the phone sent nothing for \(Int(timeout)) s after message \(lastIncomingMsgID ?? "?") (phase: \(phase.rawValue))"
            record.error = record.error.map { "\(abandoned); earlier: \($0)" } ?? abandoned
        }
        record.ended = record.ended ?? lastActivity
        phase = .finished
        return record
    }
}

/// One datastore being synchronized in a session.
struct StoreSession: Sendable {
    var clientURI: String
    var serverURI: String
    var dataclass: SyncDataclass
    var datastoreID: Int64
    var userID: Int64
    var alert: SyncAlert
    var clientNextAnchor: String
    var serverNextAnchor: String
    var snapshot: Int64 = 0
    var syncedRevision: Int64
    var pending: [ServerChange] = []
    var changesQueued = false
    var sentNumberOfChanges = false
    var clientSyncSeen = false
    /// Items the phone mentioned in a slow sync or refresh from client.
    var mentioned: Set<Int64> = []
    /// Server versions to send back in a slow sync (conflicts the server won).
    var extraChanges: [ServerChange] = []
    var statsIndex: Int
}

/// A large object arriving in chunks.
struct IncomingChunk: Sendable {
    var storeIndex: Int
    var command: String
    var luid: String
    var contentType: String
    var declaredSize: Int?
    var data: [UInt8]
}

/// A large object leaving in chunks.
struct OutgoingChunk: Sendable {
    var storeIndex: Int
    var change: ServerChange
    var contentType: String
    var data: [UInt8]
    var offset: Int
}

/// A command of the server whose status the phone owes.
struct Awaiting: Sendable {
    var storeIndex: Int
    var kind: ServerChange.Kind
    var itemID: Int64
}
