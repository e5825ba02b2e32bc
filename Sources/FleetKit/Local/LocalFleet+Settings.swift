import Foundation
import GRDB

extension LocalFleet {
    public func settings() async throws -> [FleetSetting: String] {
        // Asynchronous: a synchronous read here would hold a cooperative thread while
        // waiting for a reader, and a batch of them can starve the pool.
        try await database.read { db in try Self.readSettings(db) }
    }

    /// The settings, read synchronously (for command setup before any task runs).
    public func settingsNow() throws -> [FleetSetting: String] {
        try database.read { db in try Self.readSettings(db) }
    }

    static func readSettings(_ db: Database) throws -> [FleetSetting: String] {
        var result: [FleetSetting: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") {
            if let key = FleetSetting(rawValue: row["key"]) { result[key] = row["value"] }
        }
        return result
    }

    public func setSetting(_ key: FleetSetting, to value: String?) async throws {
        guard isAdmin else { throw FleetError.forbidden("only administrators change settings") }
        let checked = try value.map { v throws(FieldError) in try key.validate(v) }
        try await database.write { db in
            if let checked {
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key.rawValue, checked])
            } else {
                try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [key.rawValue])
            }
        }
    }

    public func credentials(uuid: String) async throws -> SyncCredentials? {
        let clientID = try await visibleClientID(uuid)
        return try await database.read { db in
            try Self.fetchCredentials(db, clientID: clientID)
        }
    }

    public func setCredentials(uuid: String, username: String?, password: String?) async throws -> SyncCredentials {
        let clientID = try await visibleClientID(uuid)
        let now = Self.seconds(clock())
        return try await database.write { db in
            let existing = try String.fetchOne(db, sql: "SELECT username FROM syncCredential WHERE clientID = ?", arguments: [clientID])
            let credentials = SyncCredentials(
                username: try username ?? existing ?? Self.usernames(db).name(forClientID: clientID),
                password: password ?? SyncCredentials.generatePassword())
            try SyncCredentials.validate(username: credentials.username, password: credentials.password)
            let taken = try Int64.fetchOne(db, sql: "SELECT clientID FROM syncCredential WHERE username = ? AND clientID <> ?",
                                           arguments: [credentials.username, clientID])
            if taken != nil {
                throw FleetError.invalid(FieldError(field: "username", value: credentials.username, reason: "another phone syncs with this user name"))
            }
            try db.execute(sql: """
                INSERT INTO syncCredential (clientID, username, password, created) VALUES (?, ?, ?, ?)
                ON CONFLICT(clientID) DO UPDATE SET username = excluded.username, password = excluded.password, deviceID = NULL, nonce = NULL
                """, arguments: [clientID, credentials.username, credentials.password, now])
            return credentials
        }
    }

    static func fetchCredentials(_ db: Database, clientID: Int64) throws -> SyncCredentials? {
        try Row.fetchOne(db, sql: "SELECT username, password FROM syncCredential WHERE clientID = ?", arguments: [clientID])
            .map { SyncCredentials(username: $0["username"], password: $0["password"]) }
    }
}
