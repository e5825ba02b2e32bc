import Foundation
import GRDB

extension LocalFleet {
    public func register(_ registration: Registration) async throws -> RegistrationResult {
        try await registerBatch([registration])[0].get()
    }

    /// Registers many phones in one transaction: one result per registration, in order.
    ///
    /// A registration that does not validate fails alone; the others are written.
    /// Errors of the store itself (disk full, …) fail the whole batch, which then writes nothing.
    public func registerBatch(_ registrations: [Registration]) async throws -> [Result<RegistrationResult, any Error>] {
        // Validate every field before touching the store: a rejected registration writes nothing.
        struct Checked: Sendable {
            var phone: String, imei: String?, timezone: String, owner: String?, uuid: String
        }
        var checked: [Result<Checked, any Error>] = []
        checked.reserveCapacity(registrations.count)
        for registration in registrations {
            do {
                let phone = try PhoneNumber.normalize(registration.phoneNumber)
                let imei = try IMEI.normalize(registration.imei)
                let timezone = try TimeZoneName.normalize(registration.timezone)
                let owner = registration.user ?? defaultUser ?? actingUser?.name
                if let acting = actingUser, !acting.isAdmin, let owner, owner.lowercased() != acting.name.lowercased() {
                    throw FleetError.forbidden("only administrators may register phones for other users")
                }
                var uuid = UUID().uuidString.lowercased()
                if let given = registration.uuid {
                    guard let parsed = UUID(uuidString: given) else {
                        throw FieldError(field: "uuid", value: given, reason: "not a UUID like 2fb295cc-0e50-11de-81c8-002215064801")
                    }
                    uuid = parsed.uuidString.lowercased()
                }
                checked.append(.success(Checked(phone: phone, imei: imei, timezone: timezone, owner: owner, uuid: uuid)))
            } catch {
                checked.append(.failure(error))
            }
        }
        let now = Self.seconds(clock())
        let prepared = checked
        return try await database.write { db in
            var owners: [String: User] = [:]
            var models: [String: PhoneModel] = [:]
            var results: [Result<RegistrationResult, any Error>] = []
            results.reserveCapacity(registrations.count)
            for (registration, check) in zip(registrations, prepared) {
                switch check {
                case .failure(let error):
                    results.append(.failure(error))
                case .success(let fields):
                    do {
                        let ownerKey = fields.owner?.lowercased() ?? ""
                        let owner = try owners[ownerKey] ?? self.owner(named: fields.owner, in: db)
                        owners[ownerKey] = owner
                        let model = try models[registration.model] ?? Self.resolveModel(registration.model, in: db)
                        models[registration.model] = model
                        if registration.uuid != nil,
                           try Int.fetchOne(db, sql: "SELECT count(*) FROM client WHERE uuid = ? AND NOT (userID = ? AND phoneNumber = ? AND modelUUID = ? AND imei = ?)",
                                            arguments: [fields.uuid, owner.id, fields.phone, model.modelUUID, fields.imei ?? ""]) ?? 0 > 0 {
                            throw FleetError.invalid(FieldError(field: "uuid", value: fields.uuid, reason: "another client has this uuid"))
                        }
                        results.append(.success(try Self.insertClient(
                            db, uuid: fields.uuid, owner: owner, model: model, phone: fields.phone, imei: fields.imei,
                            timezone: fields.timezone, datastores: registration.datastores ?? model.datastores, now: now)))
                    } catch let error as FleetError {
                        results.append(.failure(error))
                    }
                }
            }
            return results
        }
    }

    /// Inserts a client unless its natural key (user, number, model, IMEI) exists; then returns that one.
    private static func insertClient(_ db: Database, uuid: String, owner: User, model: PhoneModel, phone: String, imei: String?,
                                     timezone: String, datastores: [DatastoreBinding], now: Int64) throws -> RegistrationResult {
        // Cached statements: a batch inserts thousands of rows with the same two statements.
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO client (uuid, userID, modelUUID, phoneNumber, imei, timezone, published, updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.execute(arguments: [uuid, owner.id, model.modelUUID, phone, imei ?? "", timezone, now, now])
        if db.changesCount == 0 {
            let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM client WHERE userID = ? AND phoneNumber = ? AND modelUUID = ? AND imei = ?",
                arguments: [owner.id, phone, model.modelUUID, imei ?? ""])
            guard let existing, let client = try fetchClients(db, where: "c.id = ?", [existing], limit: 1).first else {
                throw FleetError.clientNotFound([uuid])
            }
            return RegistrationResult(client: client, outcome: .exists)
        }
        let clientID = db.lastInsertedRowID
        let insertDatastore = try db.cachedStatement(sql: "INSERT INTO clientDatastore (clientID, position, dataclass, name) VALUES (?, ?, ?, ?)")
        for (position, binding) in datastores.enumerated() {
            try insertDatastore.execute(arguments: [clientID, position, binding.dataclass.rawValue, binding.name])
        }
        let client = Client(
            uuid: uuid, userID: owner.id, userName: owner.name, userEmail: owner.email, title: model.title,
            phoneNumber: phone, modelUUID: model.modelUUID, imei: imei, timezone: timezone,
            datastores: datastores, setup: nil, published: date(now), updated: date(now))
        return RegistrationResult(client: client, outcome: .created)
    }

    /// The owner of a new phone: the named user, else the only user of the store.
    private func owner(named name: String?, in db: Database) throws -> User {
        if let name { return try user(named: name, in: db) }
        let names = try String.fetchAll(db, sql: "SELECT name FROM user ORDER BY name LIMIT 6")
        if names.isEmpty { throw FleetError.noUsers }
        if names.count > 1 {
            let all = try String.fetchAll(db, sql: "SELECT name FROM user ORDER BY name")
            throw FleetError.ownerRequired(users: all)
        }
        return try user(named: names[0], in: db)
    }

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
    private func condition(_ filter: ClientFilter, phone: String?, in db: Database) throws
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
        return rows.map { row in
            // Columns by position (the SELECT above): name lookups cost a case-insensitive search per value.
            let id: Int64 = row[0]
            let imei: String = row[8]
            let setupName: String? = row[12]
            let setupSent: Int64? = row[13]
            return (id, Client(
                uuid: row[1], userID: row[2], userName: row[3], userEmail: row[4],
                title: row[5], phoneNumber: row[6], modelUUID: row[7],
                imei: imei.isEmpty ? nil : imei, timezone: row[9], datastores: datastores[id] ?? [],
                setup: setupName.map { SetupRecord(name: $0, sent: setupSent.map(date)) },
                published: date(row[10]), updated: date(row[11])))
        }
    }
}
