import Foundation
import GRDB

extension LocalFleet {
    public func sessions(_ filter: SessionFilter, page: PageRequest) async throws -> Page<SessionSummary> {
        let after = page.after.flatMap { Int64($0) } ?? 0
        let limit = page.limit
        let onlyUser = isAdmin ? nil : actingUser?.id
        return try await database.read { db in
            var sql = """
                SELECT s.*, c.phoneNumber, m.title AS modelTitle, u.name AS ownerName FROM syncSession s
                LEFT JOIN client c ON c.id = s.clientID
                LEFT JOIN phoneModel m ON m.uuid = c.modelUUID
                LEFT JOIN user u ON u.id = s.userID
                WHERE s.id > ?
                """
            var arguments: StatementArguments = [after]
            if let onlyUser {
                sql += " AND s.userID = ?"
                arguments += [onlyUser]
            }
            if let uuid = filter.clientUUID {
                sql += " AND s.clientUUID = ?"
                arguments += [uuid]
            }
            if let user = filter.user {
                sql += " AND u.name = ? COLLATE NOCASE"
                arguments += [user]
            }
            if let since = filter.since {
                sql += " AND s.started >= ?"
                arguments += [since.timeIntervalSince1970]
            }
            if let until = filter.until {
                sql += " AND s.started < ?"
                arguments += [until.timeIntervalSince1970]
            }
            if let status = filter.status {
                sql += " AND s.status = ?"
                arguments += [status]
            }
            sql += " ORDER BY s.id LIMIT ?"
            arguments += [limit + 1]
            let fetched = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let more = fetched.count > limit
            var sessions = fetched.prefix(limit).map(Self.sessionSummary)
            if let first = sessions.first?.id, let last = sessions.last?.id {
                var stores: [Int64: [SessionDatastore]] = [:]
                let storeRows = try Row.fetchCursor(db, sql: """
                    SELECT * FROM syncSessionDatastore WHERE sessionID BETWEEN ? AND ? ORDER BY sessionID, position
                    """, arguments: [first, last])
                while let row = try storeRows.next() {
                    stores[row["sessionID"], default: []].append(Self.sessionDatastore(row))
                }
                for index in sessions.indices { sessions[index].datastores = stores[sessions[index].id] ?? [] }
            }
            return Page(items: sessions, next: more ? sessions.last.map { String($0.id) } : nil)
        }
    }

    public func session(id: Int64) async throws -> SessionSummary {
        let page = try await sessions(SessionFilter(), page: PageRequest(after: String(id - 1), limit: 1))
        guard let session = page.items.first, session.id == id else { throw FleetError.sessionNotFound(id) }
        return session
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
        return try await database.write { db in
            try db.execute(sql: """
                DELETE FROM chatlogMessage WHERE sessionID IN (
                  SELECT id FROM syncSession WHERE status <> 'active' AND started < ? AND (status <> 'failed' OR started < ?))
                """, arguments: [before.timeIntervalSince1970, (failedBefore ?? before).timeIntervalSince1970])
            return db.changesCount
        }
    }

    static func sessionSummary(_ row: Row) -> SessionSummary {
        SessionSummary(id: row["id"], clientUUID: row["clientUUID"], phoneNumber: row["phoneNumber"], model: row["modelTitle"],
                       user: row["ownerName"], username: row["username"], deviceID: row["deviceID"],
                       started: Date(timeIntervalSince1970: row["started"]), ended: (row["ended"] as Double?).map(Date.init(timeIntervalSince1970:)),
                       version: row["version"], encoding: row["encoding"], authType: row["authType"], bytesIn: row["bytesIn"],
                       bytesOut: row["bytesOut"], messagesIn: row["messagesIn"], messagesOut: row["messagesOut"], status: row["status"],
                       error: row["error"], datastores: [])
    }

    static func sessionDatastore(_ row: Row) -> SessionDatastore {
        SessionDatastore(serverURI: row["serverURI"], localURI: row["localURI"], dataclass: row["dataclass"], requested: row["requested"],
                         syncType: row["syncType"], alertStatus: row["status"], addedIn: row["addedIn"], replacedIn: row["replacedIn"],
                         deletedIn: row["deletedIn"], addedOut: row["addedOut"], replacedOut: row["replacedOut"], deletedOut: row["deletedOut"],
                         rejectedIn: row["rejectedIn"], rejectedOut: row["rejectedOut"], completed: row["completed"])
    }
}
