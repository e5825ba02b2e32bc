import Foundation
import GRDB
import SyncML

extension LocalFleet: SyncStore {
    public func perform<T: Sendable>(_ work: @escaping @Sendable (any SyncTransaction) throws -> T) async throws -> T {
        try await database.write { db in try work(SQLiteSyncTransaction(db: db)) }
    }

    /// Marks sessions left `active` by a server that stopped as failed; returns how many.
    public func closeStaleSessions(reason: String) async throws -> Int {
        let now = clock().timeIntervalSince1970
        return try await database.write { db in
            try db.execute(sql: """
                UPDATE syncSession SET status = 'failed', error = COALESCE(error, ?), ended = COALESCE(ended, ?)
                WHERE status = 'active'
                """, arguments: [reason, now])
            return db.changesCount
        }
    }
}

/// The SyncML server's view of the store inside one write transaction.
struct SQLiteSyncTransaction: SyncTransaction {
    let db: Database

    // MARK: Accounts

    func account(username: String) throws -> SyncAccount? {
        try Row.fetchOne(db, sql: """
            SELECT c.id, c.uuid, c.userID, c.imei, s.username, s.password, s.nonce, s.deviceID
            FROM syncCredential s JOIN client c ON c.id = s.clientID WHERE s.username = ?
            """, arguments: [username]).map { row in
            SyncAccount(clientID: row["id"], clientUUID: row["uuid"], userID: row["userID"], username: row["username"],
                        password: row["password"], nonce: (row["nonce"] as Data?).map { [UInt8]($0) } ?? [],
                        deviceID: row["deviceID"], imei: row["imei"])
        }
    }

    func setNonce(_ nonce: [UInt8], clientID: Int64) throws {
        try db.execute(sql: "UPDATE syncCredential SET nonce = ? WHERE clientID = ?", arguments: [Data(nonce), clientID])
    }

    func bindDevice(_ deviceID: String, clientID: Int64) throws {
        try db.execute(sql: "UPDATE syncCredential SET deviceID = ? WHERE clientID = ?", arguments: [deviceID, clientID])
    }

    func saveDeviceInfo(_ info: DeviceInfo, xml: String, clientID: Int64) throws {
        try db.execute(sql: """
            INSERT INTO syncDevice (clientID, deviceID, manufacturer, model, firmware, software, hardware, deviceType, devinf, updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(clientID) DO UPDATE SET deviceID = excluded.deviceID, manufacturer = excluded.manufacturer,
              model = excluded.model, firmware = excluded.firmware, software = excluded.software, hardware = excluded.hardware,
              deviceType = excluded.deviceType, devinf = excluded.devinf, updated = excluded.updated
            """, arguments: [clientID, info.deviceID, info.manufacturer, info.model, info.firmware, info.software, info.hardware,
                             info.deviceType, xml, LocalFleet.seconds(Date())])
    }

    // MARK: Datastores

    func datastore(clientID: Int64, dataclass: SyncDataclass, serverURI: String, localURI: String,
                   displayName: String?, contentTypes: [String]) throws -> SyncDatastoreState {
        try db.execute(sql: """
            INSERT INTO syncDatastore (clientID, dataclass, serverURI, localURI, displayName, contentTypes, created)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(clientID, dataclass) DO UPDATE SET serverURI = excluded.serverURI, localURI = excluded.localURI,
              displayName = COALESCE(excluded.displayName, displayName),
              contentTypes = CASE WHEN excluded.contentTypes = '' THEN contentTypes ELSE excluded.contentTypes END
            """, arguments: [clientID, dataclass.rawValue, serverURI, localURI, displayName, contentTypes.joined(separator: ","),
                             LocalFleet.seconds(Date())])
        let row = try Row.fetchOne(db, sql: """
            SELECT id, clientAnchor, serverAnchor, syncedRevision FROM syncDatastore WHERE clientID = ? AND dataclass = ?
            """, arguments: [clientID, dataclass.rawValue])!
        return SyncDatastoreState(id: row["id"], clientAnchor: row["clientAnchor"], serverAnchor: row["serverAnchor"],
                                  syncedRevision: row["syncedRevision"])
    }

    func commitDatastore(id: Int64, clientAnchor: String, serverAnchor: String, syncedRevision: Int64, now: Date) throws {
        try db.execute(sql: """
            UPDATE syncDatastore SET clientAnchor = ?, serverAnchor = ?, syncedRevision = ?, lastSync = ?,
              itemCount = (SELECT COUNT(*) FROM syncItemMap WHERE datastoreID = ?)
            WHERE id = ?
            """, arguments: [clientAnchor, serverAnchor, syncedRevision, LocalFleet.seconds(now), id, id])
    }

    // MARK: Items

    func currentRevision() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(revision), 0) FROM syncItem") ?? 0
    }

    func itemID(luid: String, datastoreID: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT itemID FROM syncItemMap WHERE datastoreID = ? AND luid = ?", arguments: [datastoreID, luid])
    }

    func item(id: Int64) throws -> StoredItem? {
        try Row.fetchOne(db, sql: "SELECT id, userID, dataclass, contentType, data, hash, revision, changedBy, deleted FROM syncItem WHERE id = ?",
                         arguments: [id]).map { row in
            StoredItem(id: row["id"], userID: row["userID"], dataclass: row["dataclass"], contentType: row["contentType"], data: [UInt8](row["data"] as Data), hash: row["hash"],
                       revision: row["revision"], changedBy: row["changedBy"], deleted: row["deleted"])
        }
    }

    func findItems(userID: Int64, dataclass: SyncDataclass, hash: String) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT id FROM syncItem WHERE userID = ? AND dataclass = ? AND hash = ? AND NOT deleted ORDER BY id LIMIT 100
            """, arguments: [userID, dataclass.rawValue, hash])
    }

    private func nextRevision() throws -> Int64 { try currentRevision() + 1 }

    func addItem(userID: Int64, dataclass: SyncDataclass, contentType: String, data: [UInt8], hash: String, by datastoreID: Int64, now: Date) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO syncItem (userID, dataclass, contentType, data, hash, revision, changedBy, modified, deleted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
            """, arguments: [userID, dataclass.rawValue, contentType, Data(data), hash, try nextRevision(), datastoreID, LocalFleet.seconds(now)])
        return db.lastInsertedRowID
    }

    func replaceItem(id: Int64, contentType: String, data: [UInt8], hash: String, by datastoreID: Int64, now: Date) throws {
        try db.execute(sql: """
            UPDATE syncItem SET contentType = ?, data = ?, hash = ?, revision = ?, changedBy = ?, modified = ?, deleted = 0 WHERE id = ?
            """, arguments: [contentType, Data(data), hash, try nextRevision(), datastoreID, LocalFleet.seconds(now), id])
    }

    func deleteItem(id: Int64, by datastoreID: Int64, now: Date) throws {
        try db.execute(sql: "UPDATE syncItem SET deleted = 1, data = X'', revision = ?, changedBy = ?, modified = ? WHERE id = ?",
                       arguments: [try nextRevision(), datastoreID, LocalFleet.seconds(now), id])
    }

    func map(luid: String, itemID: Int64, datastoreID: Int64) throws {
        try db.execute(sql: "DELETE FROM syncItemMap WHERE datastoreID = ? AND (luid = ? OR itemID = ?)", arguments: [datastoreID, luid, itemID])
        try db.execute(sql: "INSERT INTO syncItemMap (datastoreID, luid, itemID) VALUES (?, ?, ?)", arguments: [datastoreID, luid, itemID])
    }

    func unmap(itemID: Int64, datastoreID: Int64) throws {
        try db.execute(sql: "DELETE FROM syncItemMap WHERE datastoreID = ? AND itemID = ?", arguments: [datastoreID, itemID])
    }

    func clearMaps(datastoreID: Int64) throws {
        try db.execute(sql: "DELETE FROM syncItemMap WHERE datastoreID = ?", arguments: [datastoreID])
    }

    func invalidateAnchors(datastoreID: Int64) throws {
        try db.execute(sql: "UPDATE syncDatastore SET clientAnchor = NULL WHERE id = ?", arguments: [datastoreID])
    }

    func liveItems(userID: Int64, dataclass: SyncDataclass) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM syncItem WHERE userID = ? AND dataclass = ? AND NOT deleted ORDER BY id",
                           arguments: [userID, dataclass.rawValue])
    }

    func mappedItems(datastoreID: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT itemID FROM syncItemMap WHERE datastoreID = ?", arguments: [datastoreID])
    }

    func serverChanges(userID: Int64, dataclass: SyncDataclass, datastoreID: Int64, since: Int64?) throws -> [ServerChange] {
        guard let since else {
            return try Int64.fetchAll(db, sql: """
                SELECT i.id FROM syncItem i
                WHERE i.userID = ? AND i.dataclass = ? AND NOT i.deleted
                  AND NOT EXISTS (SELECT 1 FROM syncItemMap m WHERE m.datastoreID = ? AND m.itemID = i.id)
                ORDER BY i.id
                """, arguments: [userID, dataclass.rawValue, datastoreID]).map { ServerChange(kind: .add, itemID: $0, luid: nil) }
        }
        return try Row.fetchAll(db, sql: """
            SELECT i.id, i.deleted, m.luid FROM syncItem i
            LEFT JOIN syncItemMap m ON m.datastoreID = ? AND m.itemID = i.id
            WHERE i.userID = ? AND i.dataclass = ? AND i.revision > ? AND (i.changedBy IS NULL OR i.changedBy <> ?)
              AND (m.luid IS NOT NULL OR NOT i.deleted)
            ORDER BY i.revision
            """, arguments: [datastoreID, userID, dataclass.rawValue, since, datastoreID]).map { row in
            let luid: String? = row["luid"]
            let deleted: Bool = row["deleted"]
            let kind: ServerChange.Kind = luid == nil ? .add : deleted ? .delete : .replace
            return ServerChange(kind: kind, itemID: row["id"], luid: luid)
        }
    }

    // MARK: Recording

    func beginSession(_ record: SessionRecord) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO syncSession (deviceID, syncmlSessionID, started, version, encoding, status) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [record.deviceID, record.syncmlSessionID, record.started.timeIntervalSince1970, record.version,
                             record.encoding.rawValue, record.status.rawValue])
        let id = db.lastInsertedRowID
        try updateSession(id: id, record)
        return id
    }

    func updateSession(id: Int64, _ record: SessionRecord) throws {
        let clientUUID = try record.clientID.flatMap { try String.fetchOne(db, sql: "SELECT uuid FROM client WHERE id = ?", arguments: [$0]) }
        try db.execute(sql: """
            UPDATE syncSession SET clientID = ?, clientUUID = ?, userID = ?, username = ?, deviceID = ?, ended = ?, version = ?,
              encoding = ?, authType = ?, bytesIn = ?, bytesOut = ?, messagesIn = ?, messagesOut = ?, status = ?, error = ?
            WHERE id = ?
            """, arguments: [record.clientID, clientUUID, record.userID, record.username, record.deviceID,
                             record.ended?.timeIntervalSince1970, record.version, record.encoding.rawValue, record.authType,
                             record.bytesIn, record.bytesOut, record.messagesIn, record.messagesOut, record.status.rawValue,
                             record.error, id])
        try db.execute(sql: "DELETE FROM syncSessionDatastore WHERE sessionID = ?", arguments: [id])
        for (position, store) in record.datastores.enumerated() {
            try db.execute(sql: """
                INSERT INTO syncSessionDatastore (sessionID, position, serverURI, localURI, dataclass, requested, syncType, status,
                  addedIn, replacedIn, deletedIn, addedOut, replacedOut, deletedOut, rejectedIn, rejectedOut, completed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, position, store.serverURI, store.localURI, store.dataclass, store.requested, store.syncType,
                                 store.status, store.addedIn, store.replacedIn, store.deletedIn, store.addedOut, store.replacedOut,
                                 store.deletedOut, store.rejectedIn, store.rejectedOut, store.completed])
        }
    }

    func recordMessage(_ message: ChatlogMessage, sessionID: Int64) throws {
        try db.execute(sql: """
            INSERT INTO chatlogMessage (sessionID, sequence, direction, time, contentType, raw, xml) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sessionID, message.sequence, message.direction.rawValue, message.time.timeIntervalSince1970,
                             message.contentType, Data(message.raw), message.xml])
    }
}
