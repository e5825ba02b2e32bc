import Foundation
import GRDB

extension LocalFleet {
    public func client(uuid: String) async throws -> Client {
        let wanted = uuid.lowercased()
        let onlyUser = isAdmin ? nil : actingUser?.id
        return try await database.read { db in
            var condition = "c.uuid = ?"
            var arguments: [any DatabaseValueConvertible] = [wanted]
            if let onlyUser {
                condition += " AND c.userID = ?"
                arguments.append(onlyUser)
            }
            guard let client = try Self.fetchClients(db, where: condition, arguments, limit: 1).first else {
                throw FleetError.clientNotFound([uuid])
            }
            return client
        }
    }

    public func clients(_ filter: ClientFilter, page: PageRequest) async throws -> Page<Client> {
        let after = page.after.flatMap { Int64($0) } ?? 0
        let limit = page.limit
        let phone = try filter.phoneNumber.map { try PhoneNumber.normalize($0) }
        return try await database.read { db in
            let (condition, arguments) = try self.condition(filter, phone: phone, in: db)
            let rows = try Self.fetchClientRows(db, where: "c.id > ? AND " + condition, [after] + arguments, limit: limit + 1)
            let items = rows.prefix(limit)
            let next = rows.count > limit ? items.last.map { String($0.id) } : nil
            return Page(items: items.map(\.client), next: next)
        }
    }

    public func clientsUpdated(_ filter: ClientFilter) async throws -> Date? {
        let phone = try filter.phoneNumber.map { try PhoneNumber.normalize($0) }
        return try await database.read { db in
            let (condition, arguments) = try self.condition(filter, phone: phone, in: db)
            return try Int64.fetchOne(db, sql: "SELECT max(updated) FROM client c WHERE " + condition,
                                      arguments: StatementArguments(arguments)).map(Self.date)
        }
    }

    /// The WHERE condition (on `client c`) of a filter, with the caller's visibility, and its arguments.
    func condition(_ filter: ClientFilter, phone: String?, in db: Database) throws
        -> (String, [any DatabaseValueConvertible]) {
        var parts = ["1"]
        var arguments: [any DatabaseValueConvertible] = []
        if let userName = filter.user ?? defaultUser {
            parts.append("c.userID = ?")
            arguments.append(try user(named: userName, in: db).id)
        }
        if !isAdmin, let onlyUser = actingUser?.id {
            parts.append("c.userID = ?")
            arguments.append(onlyUser)
        }
        if let phone {
            parts.append("c.phoneNumber = ?")
            arguments.append(phone)
        }
        if let model = filter.modelUUID {
            parts.append("c.modelUUID = ?")
            arguments.append(model)
        }
        let synced = "EXISTS (SELECT 1 FROM syncSession x WHERE x.clientID = c.id AND x.status = 'ok'"
        if filter.neverSynced { parts.append("NOT " + synced + ")") }
        if let since = filter.syncedSince {
            parts.append(synced + " AND x.started >= ?)")
            arguments.append(since.timeIntervalSince1970)
        }
        if let since = filter.notSyncedSince {
            parts.append("NOT " + synced + " AND x.started >= ?)")
            arguments.append(since.timeIntervalSince1970)
        }
        return (parts.joined(separator: " AND "), arguments)
    }

    public func deleteClients(uuids: [String]) async throws {
        let wanted = uuids.map { $0.lowercased() }
        let onlyUser = isAdmin ? nil : actingUser?.id
        try await database.write { db in
            var ids: [Int64] = []
            var missing: [String] = []
            for (index, uuid) in wanted.enumerated() {
                var sql = "SELECT id FROM client WHERE uuid = ?"
                var arguments: [any DatabaseValueConvertible] = [uuid]
                if let onlyUser {
                    sql += " AND userID = ?"
                    arguments.append(onlyUser)
                }
                if let id = try Int64.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) {
                    ids.append(id)
                } else {
                    missing.append(uuids[index])
                }
            }
            if !missing.isEmpty { throw FleetError.clientNotFound(missing) }
            for id in ids {
                try db.execute(sql: "DELETE FROM client WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Reads clients with their owner, title, datastores and last setup.
    ///
    /// One query for the clients of the page and one for their datastores.
    static func fetchClients(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible],
                             limit: Int) throws -> [Client] {
        try fetchClientRows(db, where: condition, arguments, limit: limit).map(\.client)
    }

    /// Like ``fetchClients(_:where:_:limit:)``, with each client's row id (the paging cursor).
    static func fetchClientRows(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible],
                                limit: Int) throws -> [(id: Int64, client: Client)] {
        let sql = """
            SELECT c.id, c.uuid, c.userID, u.name AS userName, u.email AS userEmail, m.title,
                   c.phoneNumber, c.modelUUID, c.imei, c.timezone, c.published, c.updated,
                   s.name AS setupName, s.sent AS setupSent
            FROM client c
            JOIN user u ON u.id = c.userID
            JOIN phoneModel m ON m.uuid = c.modelUUID
            LEFT JOIN setup s ON s.id = (SELECT max(id) FROM setup WHERE clientID = c.id)
            WHERE \(condition)
            ORDER BY c.id
            LIMIT ?
            """
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments + [limit]))
        if rows.isEmpty { return [] }
        var ids: [Int64] = []
        ids.reserveCapacity(rows.count)
        for row in rows { ids.append(row[0]) }
        var datastores: [Int64: [DatastoreBinding]] = [:]
        let placeholders = databaseQuestionMarks(count: ids.count)
        let storeRows = try Row.fetchCursor(
            db, sql: "SELECT clientID, dataclass, name FROM clientDatastore WHERE clientID IN (\(placeholders)) ORDER BY clientID, position",
            arguments: StatementArguments(ids))
        while let row = try storeRows.next() {
            guard let dataclass = Dataclass(rawValue: row[1]) else { continue }
            datastores[row[0], default: []].append(DatastoreBinding(dataclass: dataclass, name: row[2]))
        }
        // A client without datastores of its own has its model's.
        var modelUUIDs: Set<String> = []
        for row in rows where datastores[row[0]] == nil { modelUUIDs.insert(row[7]) }
        var modelDatastores: [String: [DatastoreBinding]] = [:]
        if !modelUUIDs.isEmpty {
            let modelRows = try Row.fetchCursor(
                db, sql: "SELECT modelUUID, dataclass, name FROM modelDatastore WHERE modelUUID IN (\(databaseQuestionMarks(count: modelUUIDs.count))) ORDER BY modelUUID, position",
                arguments: StatementArguments(Array(modelUUIDs)))
            while let row = try modelRows.next() {
                guard let dataclass = Dataclass(rawValue: row[1]) else { continue }
                modelDatastores[row[0], default: []].append(DatastoreBinding(dataclass: dataclass, name: row[2]))
            }
        }
        return rows.map { row in
            // Columns by position (the SELECT above): name lookups cost a case-insensitive search per value.
            let id: Int64 = row[0]
            let imei: String = row[8]
            let setupName: String? = row[12]
            let setupSent: Int64? = row[13]
            let modelUUID: String = row[7]
            return (id, Client(
                uuid: row[1], userID: row[2], userName: row[3], userEmail: row[4],
                title: row[5], phoneNumber: row[6], modelUUID: modelUUID,
                imei: imei.isEmpty ? nil : imei, timezone: row[9], datastores: datastores[id] ?? modelDatastores[modelUUID] ?? [],
                setup: setupName.map { SetupRecord(name: $0, sent: setupSent.map(date)) },
                published: date(row[10]), updated: date(row[11])))
        }
    }
}
