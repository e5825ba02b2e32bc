import Foundation

/// Where the SyncML server keeps what it learns: accounts, datastores, items, sessions and
/// the chatlog. ``SyncServer`` runs each message inside one ``perform(_:)`` call, so a message
/// is applied whole or not at all.
public protocol SyncStore: Sendable {
    /// Runs `work` in one write transaction.
    func perform<T: Sendable>(_ work: @escaping @Sendable (any SyncTransaction) throws -> T) async throws -> T
}

/// What the server may read and write within one message's transaction.
public protocol SyncTransaction {
    // MARK: Accounts

    /// The phone whose sync credentials have this user name (case-insensitive).
    func account(username: String) throws -> SyncAccount?
    /// Stores the nonce issued for the phone's next MD5 authentication.
    func setNonce(_ nonce: [UInt8], clientID: Int64) throws
    /// Binds the credentials to the device id that first used them.
    func bindDevice(_ deviceID: String, clientID: Int64) throws
    /// Stores the phone's device information.
    func saveDeviceInfo(_ info: DeviceInfo, xml: String, clientID: Int64) throws

    // MARK: Datastores

    /// The phone's datastore of a dataclass, created on its first sync.
    func datastore(clientID: Int64, dataclass: SyncDataclass, serverURI: String, localURI: String,
                   displayName: String?, contentTypes: [String]) throws -> SyncDatastoreState
    /// Records a completed sync of a datastore: the anchors to compare next time and the revision it has seen.
    func commitDatastore(id: Int64, clientAnchor: String, serverAnchor: String, syncedRevision: Int64, now: Date) throws

    // MARK: Items

    /// The newest revision of any item: the snapshot a datastore has seen after a sync.
    func currentRevision() throws -> Int64
    /// The item the phone's datastore knows under `luid`.
    func itemID(luid: String, datastoreID: Int64) throws -> Int64?
    /// One item, deleted or not.
    func item(id: Int64) throws -> StoredItem?
    /// The live items of the user's dataclass with this content hash, oldest first.
    func findItems(userID: Int64, dataclass: SyncDataclass, hash: String) throws -> [Int64]
    /// Adds an item; returns its id.
    func addItem(userID: Int64, dataclass: SyncDataclass, contentType: String, data: [UInt8], hash: String, by datastoreID: Int64, now: Date) throws -> Int64
    /// Replaces an item's content.
    func replaceItem(id: Int64, contentType: String, data: [UInt8], hash: String, by datastoreID: Int64, now: Date) throws
    /// Deletes an item (kept as a tombstone so that other phones learn of it).
    func deleteItem(id: Int64, by datastoreID: Int64, now: Date) throws
    /// Maps a phone's `luid` to an item (replacing earlier mappings of either).
    func map(luid: String, itemID: Int64, datastoreID: Int64) throws
    /// Forgets the phone's mapping of an item.
    func unmap(itemID: Int64, datastoreID: Int64) throws
    /// Forgets every mapping of a datastore (refresh from server).
    func clearMaps(datastoreID: Int64) throws
    /// Forgets the anchors of a datastore: a sync that does not finish leaves a slow sync for next time.
    func invalidateAnchors(datastoreID: Int64) throws
    /// The live items of the user's dataclass.
    func liveItems(userID: Int64, dataclass: SyncDataclass) throws -> [Int64]
    /// The items mapped in a datastore.
    func mappedItems(datastoreID: Int64) throws -> [Int64]
    /// What the server has to send to a datastore: with `since`, the changes after that revision
    /// made by anyone else; without, every live item the datastore has not mapped.
    func serverChanges(userID: Int64, dataclass: SyncDataclass, datastoreID: Int64, since: Int64?) throws -> [ServerChange]

    // MARK: Recording

    /// Starts the record of a session; returns its id.
    func beginSession(_ record: SessionRecord) throws -> Int64
    /// Updates a session's record (and its datastores).
    func updateSession(id: Int64, _ record: SessionRecord) throws
    /// Appends a message to the session's chatlog.
    func recordMessage(_ message: ChatlogMessage, sessionID: Int64) throws
}

/// A phone that may sync: its client and sync credentials.
public struct SyncAccount: Sendable, Hashable {
    public var clientID: Int64
    public var clientUUID: String
    public var userID: Int64
    public var username: String
    public var password: String
    /// The nonce issued for the next MD5 authentication (empty when none was).
    public var nonce: [UInt8]
    /// The device id the credentials are bound to, once used.
    public var deviceID: String?
    /// The IMEI registered for the phone ('' when unknown).
    public var imei: String

    public init(clientID: Int64, clientUUID: String, userID: Int64, username: String, password: String,
                nonce: [UInt8], deviceID: String?, imei: String) {
        self.clientID = clientID
        self.clientUUID = clientUUID
        self.userID = userID
        self.username = username
        self.password = password
        self.nonce = nonce
        self.deviceID = deviceID
        self.imei = imei
    }
}

/// A phone's datastore as stored: anchors of the last completed sync and the revision it has seen.
public struct SyncDatastoreState: Sendable, Hashable {
    public var id: Int64
    public var clientAnchor: String?
    public var serverAnchor: String?
    public var syncedRevision: Int64

    public init(id: Int64, clientAnchor: String?, serverAnchor: String?, syncedRevision: Int64) {
        self.id = id
        self.clientAnchor = clientAnchor
        self.serverAnchor = serverAnchor
        self.syncedRevision = syncedRevision
    }
}

/// One item of a user's data.
public struct StoredItem: Sendable, Hashable {
    public var id: Int64
    /// Whose item it is, and of which dataclass.
    public var userID: Int64
    public var dataclass: String
    public var contentType: String
    public var data: [UInt8]
    public var hash: String
    public var revision: Int64
    public var changedBy: Int64?
    public var deleted: Bool

    public init(id: Int64, userID: Int64, dataclass: String, contentType: String, data: [UInt8], hash: String, revision: Int64,
                changedBy: Int64?, deleted: Bool) {
        self.id = id
        self.userID = userID
        self.dataclass = dataclass
        self.contentType = contentType
        self.data = data
        self.hash = hash
        self.revision = revision
        self.changedBy = changedBy
        self.deleted = deleted
    }
}

/// A change the server has to send to a phone.
public struct ServerChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case add = "Add", replace = "Replace", delete = "Delete"
    }
    public var kind: Kind
    public var itemID: Int64
    /// The phone's id of the item (Replace and Delete).
    public var luid: String?

    public init(kind: Kind, itemID: Int64, luid: String?) {
        self.kind = kind
        self.itemID = itemID
        self.luid = luid
    }
}
