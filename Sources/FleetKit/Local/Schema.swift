import Foundation
import GRDB

/// The store's schema: every migration, in order, in one place.
///
/// Migrations are append-only. A store that has run a migration this list does not
/// know was written by a newer SyncFleet and is refused (see ``LocalFleet``).
enum Schema {
    /// `PRAGMA application_id` of a SyncFleet store: "SFLT".
    static let applicationID: Int32 = 0x5346_4C54

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")

            try db.create(table: "user") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("email", .text).notNull()
                t.column("passwordHash", .text).notNull()
                t.column("isAdmin", .boolean).notNull().defaults(to: false)
                t.column("created", .integer).notNull()
            }

            try db.create(table: "phoneModel") { t in
                t.primaryKey("uuid", .text)
                t.column("title", .text).notNull()
                t.column("titleKey", .text).notNull().indexed()
                t.column("manufacturer", .text).notNull()
                t.column("syncmlVersion", .text).notNull()
                t.column("acceptsSAN12", .boolean).notNull()
                t.column("provisioning", .text).notNull()
            }

            try db.create(table: "modelDatastore") { t in
                t.column("modelUUID", .text).notNull().references("phoneModel", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("dataclass", .text).notNull()
                t.column("name", .text).notNull()
                t.primaryKey(["modelUUID", "position"])
            }

            try db.create(table: "client") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("uuid", .text).notNull().unique()
                t.column("userID", .integer).notNull().references("user", onDelete: .restrict)
                t.column("modelUUID", .text).notNull().references("phoneModel", onDelete: .restrict).indexed()
                t.column("phoneNumber", .text).notNull().indexed()
                // '' when unknown, so that the natural key below is unique without an IMEI too.
                t.column("imei", .text).notNull().defaults(to: "")
                t.column("timezone", .text).notNull()
                t.column("published", .integer).notNull()
                t.column("updated", .integer).notNull().indexed()
                t.uniqueKey(["userID", "phoneNumber", "modelUUID", "imei"])
            }
            try db.create(index: "client_on_userID_id", on: "client", columns: ["userID", "id"])

            try db.create(table: "clientDatastore") { t in
                t.column("clientID", .integer).notNull().references("client", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("dataclass", .text).notNull()
                t.column("name", .text).notNull()
                t.primaryKey(["clientID", "position"])
            }

            try db.create(table: "setup") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("clientID", .integer).notNull().references("client", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("state", .text).notNull()
                t.column("created", .integer).notNull()
                t.column("sent", .integer)
            }
            try db.create(index: "setup_on_clientID_id", on: "setup", columns: ["clientID", "id"])
        }
        migrator.registerMigration("v2-requests") { db in
            // What the API's setup and sync endpoints queue for the phone (sent by provision/alert).
            try db.alter(table: "setup") { t in
                t.add(column: "pincode", .text)
            }
            try db.create(table: "alertRequest") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("clientID", .integer).notNull().references("client", onDelete: .cascade)
                t.column("state", .text).notNull()
                t.column("created", .integer).notNull()
            }
            try db.create(index: "alertRequest_on_clientID", on: "alertRequest", columns: ["clientID"])
        }
        migrator.registerMigration("v3-push") { db in
            // Store-wide settings (sync-url, provider-id, …): what provision and serve share.
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            // The credentials each phone syncs with; the password stays retrievable because
            // a setup sent again must carry it.
            try db.create(table: "syncCredential") { t in
                t.primaryKey("clientID", .integer).references("client", onDelete: .cascade)
                t.column("username", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("password", .text).notNull()
                t.column("created", .integer).notNull()
            }
            for table in ["setup", "alertRequest"] {
                try db.alter(table: table) { t in
                    t.add(column: "format", .text)
                    t.add(column: "messages", .integer).notNull().defaults(to: 0)
                    t.add(column: "gateway", .text)
                    t.add(column: "answer", .text)
                    t.add(column: "error", .text)
                    t.add(column: "attempts", .integer).notNull().defaults(to: 0)
                    // Worst news from delivery reports: accepted, buffered, delivered, undelivered, rejected.
                    t.add(column: "delivery", .text)
                }
            }
            try db.alter(table: "setup") { t in
                t.add(column: "security", .text)
            }
            try db.alter(table: "alertRequest") { t in
                t.add(column: "sent", .integer)
                t.add(column: "syncType", .integer)
                t.add(column: "sessionID", .integer)
            }
            // One row per SMS sent: delivery reports come back naming its id.
            try db.create(table: "pushMessage") { t in
                t.primaryKey("id", .text)
                t.column("setupID", .integer).references("setup", onDelete: .cascade).indexed()
                t.column("alertID", .integer).references("alertRequest", onDelete: .cascade).indexed()
                t.column("part", .integer).notNull()
                t.column("delivery", .text)
                t.column("reported", .integer)
            }
        }
        migrator.registerMigration("v4-sync") { db in
            // What the SyncML server learns: the device a phone's credentials are bound to and
            // the nonce issued for its next MD5 authentication.
            try db.alter(table: "syncCredential") { t in
                t.add(column: "deviceID", .text)
                t.add(column: "nonce", .blob)
            }
            // The phone's DevInf, as last sent.
            try db.create(table: "syncDevice") { t in
                t.primaryKey("clientID", .integer).references("client", onDelete: .cascade)
                t.column("deviceID", .text).notNull()
                t.column("manufacturer", .text)
                t.column("model", .text)
                t.column("firmware", .text)
                t.column("software", .text)
                t.column("hardware", .text)
                t.column("deviceType", .text)
                t.column("devinf", .text).notNull()
                t.column("updated", .integer).notNull()
            }
            // A phone's datastore, created on its first sync (what GET /datastores/ lists).
            try db.create(table: "syncDatastore") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("clientID", .integer).notNull().references("client", onDelete: .cascade)
                t.column("dataclass", .text).notNull()
                t.column("serverURI", .text).notNull()
                t.column("localURI", .text).notNull()
                t.column("displayName", .text)
                t.column("contentTypes", .text).notNull().defaults(to: "")
                t.column("clientAnchor", .text)
                t.column("serverAnchor", .text)
                t.column("syncedRevision", .integer).notNull().defaults(to: 0)
                t.column("itemCount", .integer).notNull().defaults(to: 0)
                t.column("created", .integer).notNull()
                t.column("lastSync", .integer)
                t.uniqueKey(["clientID", "dataclass"])
            }
            // The users' data: opaque items with their content type. Deleted items stay as
            // tombstones so that every phone of the user learns of the deletion.
            try db.create(table: "syncItem") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
                t.column("dataclass", .text).notNull()
                t.column("contentType", .text).notNull()
                t.column("data", .blob).notNull()
                t.column("hash", .text).notNull()
                t.column("revision", .integer).notNull()
                t.column("changedBy", .integer).references("syncDatastore", onDelete: .setNull)
                t.column("modified", .integer).notNull()
                t.column("deleted", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "syncItem_on_user_revision", on: "syncItem", columns: ["userID", "dataclass", "revision"])
            try db.create(index: "syncItem_on_revision", on: "syncItem", columns: ["revision"])
            try db.create(index: "syncItem_on_user_hash", on: "syncItem", columns: ["userID", "dataclass", "hash"])
            // Which item each phone datastore knows under which id of its own (LUID).
            try db.create(table: "syncItemMap") { t in
                t.column("datastoreID", .integer).notNull().references("syncDatastore", onDelete: .cascade)
                t.column("luid", .text).notNull()
                t.column("itemID", .integer).notNull().references("syncItem", onDelete: .cascade)
                t.primaryKey(["datastoreID", "luid"])
                t.uniqueKey(["datastoreID", "itemID"])
            }
            try db.create(index: "syncItemMap_on_itemID", on: "syncItemMap", columns: ["itemID"])
            // Every session, successful or not; the client stays named when it is deleted.
            try db.create(table: "syncSession") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("clientID", .integer).references("client", onDelete: .setNull)
                t.column("clientUUID", .text)
                t.column("userID", .integer).references("user", onDelete: .setNull)
                t.column("username", .text)
                t.column("deviceID", .text).notNull()
                t.column("syncmlSessionID", .text).notNull()
                t.column("started", .double).notNull()
                t.column("ended", .double)
                t.column("version", .text).notNull()
                t.column("encoding", .text).notNull()
                t.column("authType", .text)
                t.column("bytesIn", .integer).notNull().defaults(to: 0)
                t.column("bytesOut", .integer).notNull().defaults(to: 0)
                t.column("messagesIn", .integer).notNull().defaults(to: 0)
                t.column("messagesOut", .integer).notNull().defaults(to: 0)
                t.column("status", .text).notNull()
                t.column("error", .text)
            }
            try db.create(index: "syncSession_on_clientID", on: "syncSession", columns: ["clientID", "id"])
            try db.create(index: "syncSession_on_started", on: "syncSession", columns: ["started"])
            try db.create(table: "syncSessionDatastore") { t in
                t.column("sessionID", .integer).notNull().references("syncSession", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("serverURI", .text).notNull()
                t.column("localURI", .text).notNull()
                t.column("dataclass", .text)
                t.column("requested", .integer).notNull()
                t.column("syncType", .integer).notNull()
                t.column("status", .integer).notNull()
                for column in ["addedIn", "replacedIn", "deletedIn", "addedOut", "replacedOut", "deletedOut", "rejectedIn", "rejectedOut"] {
                    t.column(column, .integer).notNull().defaults(to: 0)
                }
                t.column("completed", .boolean).notNull().defaults(to: false)
                t.primaryKey(["sessionID", "position"])
            }
            // Every message of every session, both ways, credentials overwritten.
            try db.create(table: "chatlogMessage") { t in
                t.column("sessionID", .integer).notNull().references("syncSession", onDelete: .cascade)
                t.column("sequence", .integer).notNull()
                t.column("direction", .text).notNull()
                t.column("time", .double).notNull()
                t.column("contentType", .text).notNull()
                t.column("raw", .blob)
                t.column("xml", .text)
                t.primaryKey(["sessionID", "sequence"])
            }
        }
        migrator.registerMigration("v5-model-datastores") { db in
            // A client's datastores are its model's unless it was registered with others:
            // only those others are stored. Three rows per phone cost an import half its
            // time, and a fix to the catalogue now reaches every phone of the model. Rows
            // equal to the model's list are dropped, in one pass over the table.
            var models: [String: [String]] = [:]
            let modelRows = try Row.fetchCursor(db, sql: "SELECT modelUUID, dataclass, name FROM modelDatastore ORDER BY modelUUID, position")
            while let row = try modelRows.next() {
                let key: String = row[0], dataclass: String = row[1], name: String = row[2]
                models[key, default: []].append(dataclass + "\u{1F}" + name)
            }
            var same: [Int64] = []
            var current: (id: Int64, model: String, bindings: [String])?
            func finish() {
                if let client = current, models[client.model] ?? [] == client.bindings { same.append(client.id) }
            }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT d.clientID, c.modelUUID, d.dataclass, d.name
                FROM clientDatastore d JOIN client c ON c.id = d.clientID
                ORDER BY d.clientID, d.position
                """)
            while let row = try rows.next() {
                let id: Int64 = row[0], model: String = row[1], dataclass: String = row[2], name: String = row[3]
                if current?.id != id {
                    finish()
                    current = (id, model, [])
                }
                current!.bindings.append(dataclass + "\u{1F}" + name)
            }
            finish()
            let delete = try db.makeStatement(sql: "DELETE FROM clientDatastore WHERE clientID = ?")
            for id in same { try delete.execute(arguments: [id]) }
        }
        migrator.registerMigration("v6-client-key-by-number") { db in
            // The natural key leads with the phone number, and the index on the number alone
            // goes: phone lookups use the key, and an import of shuffled numbers maintains one
            // randomly ordered index instead of two (about a fifth of SQLite's work). SQLite
            // cannot change a table's UNIQUE constraint, so the table is rebuilt; foreign keys
            // are off during a migration and checked before it commits.
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'client'")
            try db.create(table: "clientRebuilt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("uuid", .text).notNull().unique()
                t.column("userID", .integer).notNull().references("user", onDelete: .restrict)
                t.column("modelUUID", .text).notNull().references("phoneModel", onDelete: .restrict)
                t.column("phoneNumber", .text).notNull()
                t.column("imei", .text).notNull().defaults(to: "")
                t.column("timezone", .text).notNull()
                t.column("published", .integer).notNull()
                t.column("updated", .integer).notNull()
                t.uniqueKey(["phoneNumber", "userID", "modelUUID", "imei"])
            }
            let columns = "id, uuid, userID, modelUUID, phoneNumber, imei, timezone, published, updated"
            try db.execute(sql: "INSERT INTO clientRebuilt (\(columns)) SELECT \(columns) FROM client ORDER BY id")
            try db.drop(table: "client")
            try db.rename(table: "clientRebuilt", to: "client")
            // Ids of deleted clients are never given again.
            if let sequence {
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'client'", arguments: [sequence])
            }
            try db.create(index: "client_on_modelUUID", on: "client", columns: ["modelUUID"])
            try db.create(index: "client_on_updated", on: "client", columns: ["updated"])
            try db.create(index: "client_on_userID_id", on: "client", columns: ["userID", "id"])
        }
        migrator.registerMigration("v7-fleet-pushes") { db in
            // The store's own secrets: the key of generated sync user names (``SyncUsername``).
            try db.create(table: "storeSecret") { t in
                t.primaryKey("name", .text)
                t.column("value", .blob).notNull()
            }
            try db.execute(sql: "INSERT INTO storeSecret (name, value) VALUES ('sync-username-key', ?)",
                           arguments: [Data(secretKeyBytes())])
            // How a model's phones want their alerts (``AlertPush``); today's values by default.
            try db.alter(table: "phoneModel") { t in
                t.add(column: "sanContentType", .integer).notNull().defaults(to: 0x4E)
                t.add(column: "alertPort", .integer).notNull().defaults(to: 2948)
                t.add(column: "alertSourcePort", .integer).notNull().defaults(to: 9200)
            }
            // Listing pushes by time, and the delivery funnel.
            try db.create(index: "setup_on_created", on: "setup", columns: ["created"])
            try db.create(index: "alertRequest_on_clientID_id", on: "alertRequest", columns: ["clientID", "id"])
            try db.drop(index: "alertRequest_on_clientID")
        }
        return migrator
    }

    /// 32 random bytes.
    static func secretKeyBytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
