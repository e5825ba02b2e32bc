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
        return migrator
    }
}
