import Foundation
import GRDB

extension LocalFleet {
    public func sessions(_ filter: SessionFilter, page: PageRequest) async throws -> Page<SessionSummary> {
        let after = page.after.flatMap { Int64($0) } ?? 0
        let limit = page.limit
        let onlyUser = isAdmin ? nil : actingUser?.id
        return try await database.read { db in
            var sql = Self.sessionColumns + " WHERE s.id > ?"
            var arguments: StatementArguments = [after]
            if let onlyUser {
                sql += " AND s.userID = ?"
                arguments += [onlyUser]
            }
            if let uuid = filter.clientUUID {
                sql += " AND s.clientUUID = ?"
                arguments += [uuid.lowercased()]
            }
            if let user = filter.user {
                sql += " AND u.name = ? COLLATE NOCASE"
                arguments += [user]
            }
            // `+` keeps SQLite on the id order (a range scan) instead of sorting every remaining match per page.
            if let since = filter.since {
                sql += " AND +s.started >= ?"
                arguments += [since.timeIntervalSince1970]
            }
            if let until = filter.until {
                sql += " AND +s.started < ?"
                arguments += [until.timeIntervalSince1970]
            }
            if let status = filter.status {
                sql += " AND s.status = ?"
                arguments += [status]
            }
            sql += " ORDER BY s.id LIMIT ?"
            arguments += [limit + 1]
            // A cursor decodes straight from the statement, without copying each row.
            var sessions: [SessionSummary] = []
            sessions.reserveCapacity(limit)
            var more = false
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                if sessions.count == limit {
                    more = true
                    break
                }
                sessions.append(Self.sessionSummary(row))
            }
            try Self.attachDatastores(&sessions, db)
            return Page(items: sessions, next: more ? sessions.last.map { String($0.id) } : nil)
        }
    }

    public func session(id: Int64) async throws -> SessionSummary {
        let onlyUser = isAdmin ? nil : actingUser?.id
        let found = try await database.read { db -> SessionSummary? in
            let row = try Row.fetchOne(db, sql: Self.sessionColumns + " WHERE s.id = ? AND (? IS NULL OR s.userID = ?)",
                                       arguments: [id, onlyUser, onlyUser])
            guard let row else { return nil }
            var sessions = [Self.sessionSummary(row)]
            try Self.attachDatastores(&sessions, db)
            return sessions.first
        }
        guard let found else { throw FleetError.sessionNotFound(id) }
        return found
    }

    /// The session columns ``sessionSummary(_:)`` reads by position, and the joins they need.
    static let sessionColumns = """
        SELECT s.id, s.clientUUID, c.phoneNumber, m.title, u.name, s.username, s.deviceID, s.started, s.ended, s.version,
          s.encoding, s.authType, s.bytesIn, s.bytesOut, s.messagesIn, s.messagesOut, s.status, s.error
        FROM syncSession s
        LEFT JOIN client c ON c.id = s.clientID
        LEFT JOIN phoneModel m ON m.uuid = c.modelUUID
        LEFT JOIN user u ON u.id = s.userID
        """

    /// Reads the datastores of exactly these sessions (one query for a page).
    static func attachDatastores(_ sessions: inout [SessionSummary], _ db: Database) throws {
        guard !sessions.isEmpty else { return }
        var stores: [Int64: [SessionDatastore]] = [:]
        let placeholders = Array(repeating: "?", count: sessions.count).joined(separator: ",")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT sessionID, serverURI, localURI, dataclass, requested, syncType, status, addedIn, replacedIn, deletedIn,
              addedOut, replacedOut, deletedOut, rejectedIn, rejectedOut, completed
            FROM syncSessionDatastore WHERE sessionID IN (\(placeholders)) ORDER BY sessionID, position
            """, arguments: StatementArguments(sessions.map(\.id)))
        while let row = try rows.next() {
            stores[row[0], default: []].append(sessionDatastore(row))
        }
        for index in sessions.indices { sessions[index].datastores = stores[sessions[index].id] ?? [] }
    }

    public func chatlog(sessionID: Int64, page: PageRequest) async throws -> Page<ChatlogEntry> {
        guard isAdmin else { throw FleetError.forbidden("the chatlog is for administrators only") }
        let after = page.after.flatMap { Int($0) } ?? 0
        let limit = page.limit
        return try await database.read { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM syncSession WHERE id = ?", arguments: [sessionID]) != nil else {
                throw FleetError.sessionNotFound(sessionID)
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM chatlogMessage WHERE sessionID = ? AND sequence > ? ORDER BY sequence LIMIT ?
                """, arguments: [sessionID, after, limit + 1])
            let entries = rows.prefix(limit).map { row in
                ChatlogEntry(sessionID: sessionID, sequence: row["sequence"], direction: row["direction"],
                             time: Date(timeIntervalSince1970: row["time"]), contentType: row["contentType"],
                             raw: row["raw"] ?? Data(), xml: row["xml"])
            }
            return Page(items: Array(entries), next: rows.count > limit ? entries.last.map { String($0.sequence) } : nil)
        }
    }

    public func pruneChatlogs(before: Date, failedBefore: Date?) async throws -> Int {
        guard isAdmin else { throw FleetError.forbidden("pruning the chatlog is for administrators only") }
        let okBefore = before.timeIntervalSince1970
        let failedBefore = (failedBefore ?? before).timeIntervalSince1970
        // In batches of sessions, walked once by id, a transaction each: a first prune of a large store
        // does not hold the write lock (and live SyncML sessions) for its whole length, and kept chatlogs
        // are not scanned again by every batch.
        var total = 0
        var after: Int64 = 0
        while true {
            let start = after
            let (last, dropped) = try await database.write { db -> (Int64?, Int) in
                let ids = try Int64.fetchAll(db, sql: """
                    SELECT id FROM syncSession WHERE id > ?
                      AND ((status = 'failed' AND COALESCE(ended, started) < ?) OR (status = 'ok' AND COALESCE(ended, started) < ?))
                    ORDER BY id LIMIT 500
                    """, arguments: [start, failedBefore, okBefore])
                guard let last = ids.last else { return (nil, 0) }
                let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
                try db.execute(sql: "DELETE FROM chatlogMessage WHERE sessionID IN (\(placeholders))", arguments: StatementArguments(ids))
                return (last, db.changesCount)
            }
            guard let last else { return total }
            total += dropped
            after = last
        }
    }

    /// A session from the columns of ``sessions(_:page:)``'s query, by position.
    static func sessionSummary(_ row: Row) -> SessionSummary {
        SessionSummary(id: row[0], clientUUID: row[1], phoneNumber: row[2], model: row[3], user: row[4], username: row[5], deviceID: row[6],
                       started: Date(timeIntervalSince1970: row[7]), ended: (row[8] as Double?).map(Date.init(timeIntervalSince1970:)),
                       version: row[9], encoding: row[10], authType: row[11], bytesIn: row[12], bytesOut: row[13], messagesIn: row[14],
                       messagesOut: row[15], status: row[16], error: row[17], datastores: [])
    }

    /// A session's datastore from the columns of the datastore query (after `sessionID`), by position.
    static func sessionDatastore(_ row: Row) -> SessionDatastore {
        SessionDatastore(serverURI: row[1], localURI: row[2], dataclass: row[3], requested: row[4], syncType: row[5], alertStatus: row[6],
                         addedIn: row[7], replacedIn: row[8], deletedIn: row[9], addedOut: row[10], replacedOut: row[11], deletedOut: row[12],
                         rejectedIn: row[13], rejectedOut: row[14], completed: row[15])
    }
}
