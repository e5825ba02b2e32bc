import Foundation

/// What is recorded of a SyncML session (what `GET /sessions/` lists).
public struct SessionRecord: Sendable, Hashable, Codable {
    /// `active` while messages flow, then `ok` or `failed`.
    public enum Status: String, Sendable, Codable {
        case active, ok, failed
    }

    public var clientID: Int64?
    public var userID: Int64?
    public var username: String?
    /// The phone's device id (`SyncHdr/Source/LocURI`).
    public var deviceID: String
    /// The SyncML `SessionID`.
    public var syncmlSessionID: String
    public var started: Date
    public var ended: Date?
    public var version: String
    public var encoding: SyncMLEncoding
    public var authType: String?
    public var bytesIn = 0
    public var bytesOut = 0
    public var messagesIn = 0
    public var messagesOut = 0
    public var status: Status = .active
    /// Why it failed, in words.
    public var error: String?
    public var datastores: [DatastoreStats] = []

    public init(deviceID: String, syncmlSessionID: String, started: Date, version: String, encoding: SyncMLEncoding) {
        self.deviceID = deviceID
        self.syncmlSessionID = syncmlSessionID
        self.started = started
        self.version = version
        self.encoding = encoding
    }

    /// Per datastore: the sync asked for and done, and what moved each way.
    public struct DatastoreStats: Sendable, Hashable, Codable {
        /// The datastore URI the phone named.
        public var serverURI: String
        /// The phone's own datastore name.
        public var localURI: String
        public var dataclass: String?
        /// The alert code the phone sent.
        public var requested: Int
        /// The alert code of the sync done (201 when anchors forced a slow sync).
        public var syncType: Int
        /// The status the server gave the phone's alert.
        public var status: Int
        public var addedIn = 0, replacedIn = 0, deletedIn = 0
        public var addedOut = 0, replacedOut = 0, deletedOut = 0
        /// Commands of the phone the server refused, and of the server the phone refused.
        public var rejectedIn = 0, rejectedOut = 0
        public var completed = false

        public init(serverURI: String, localURI: String, dataclass: String?, requested: Int, syncType: Int, status: Int) {
            self.serverURI = serverURI
            self.localURI = localURI
            self.dataclass = dataclass
            self.requested = requested
            self.syncType = syncType
            self.status = status
        }
    }
}

/// One message of a session's chatlog.
public struct ChatlogMessage: Sendable, Hashable {
    public enum Direction: String, Sendable, Codable {
        /// From the phone.
        case incoming = "in"
        /// To the phone.
        case outgoing = "out"
    }

    /// Position in the session, from 1.
    public var sequence: Int
    public var direction: Direction
    public var time: Date
    /// The media type it travelled with.
    public var contentType: String
    /// The bytes as they travelled, credentials overwritten.
    public var raw: [UInt8]
    /// The message as XML (WBXML decoded), credentials redacted; `nil` when it could not be read.
    public var xml: String?

    public init(sequence: Int, direction: Direction, time: Date, contentType: String, raw: [UInt8], xml: String?) {
        self.sequence = sequence
        self.direction = direction
        self.time = time
        self.contentType = contentType
        self.raw = raw
        self.xml = xml
    }
}
