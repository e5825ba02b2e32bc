import Foundation
import GRDB
import GRDBSQLite

/// A registration whose fields are checked and normalised: what the store writes.
///
/// Made by ``LocalFleet/prepare(_:)`` without touching the store, so an import can check
/// the next rows while the store writes the previous ones.
public struct PreparedRegistration: Sendable {
    /// The request as given (model name and datastores are resolved in the store).
    public let registration: Registration
    let phone: String
    let imei: String?
    let timezone: String
    let owner: String?
    let uuid: String
}

/// The owners and models a transaction has looked up, by the names rows give them.
struct RegistrationLookups {
    var owners: [String: User] = [:]
    var models: [String: PhoneModel] = [:]
}

/// What one registration wrote or found: the client's uuid and which of the two happened.
public struct RegisteredClient: Sendable, Hashable {
    public var uuid: String
    public var outcome: RegistrationOutcome
}

extension LocalFleet {
    public func register(_ registration: Registration) async throws -> RegistrationResult {
        try await registerBatch([registration])[0].get()
    }

    /// Registers many phones in one transaction: one result per registration, in order.
    ///
    /// A registration that does not validate fails alone; the others are written.
    /// Errors of the store itself (disk full, …) fail the whole batch, which then writes nothing.
    public func registerBatch(_ registrations: [Registration]) async throws -> [Result<RegistrationResult, any Error>] {
        let now = Self.seconds(clock())
        return try await database.write { db in
            var lookups = RegistrationLookups()
            return try write(prepare(registrations), now: now, in: db, lookups: &lookups).map { result in
                result.flatMap { written in
                    Result {
                        if written.outcome == .created {
                            return RegistrationResult(client: written.client(now: now), outcome: .created)
                        }
                        guard let client = try Self.fetchClients(db, where: "c.id = ?", [written.id], limit: 1).first else {
                            throw FleetError.clientNotFound([written.uuid])
                        }
                        return RegistrationResult(client: client, outcome: .exists)
                    }
                }
            }
        }
    }

    /// Checks and normalises every field of `registrations` (phone number, IMEI, time zone,
    /// uuid, who may own the phone); the store is not read. Each failure is that
    /// registration's alone.
    public func prepare(_ registrations: [Registration]) -> [Result<PreparedRegistration, any Error>] {
        var uuids = Self.uuids.next(registrations.count)
        return registrations.enumerated().map { index, registration in
            Result {
                let phone = try PhoneNumber.normalize(registration.phoneNumber)
                let imei = try IMEI.normalize(registration.imei)
                let timezone = try TimeZoneName.normalize(registration.timezone)
                let owner = registration.user ?? defaultUser ?? actingUser?.name
                if let acting = actingUser, !acting.isAdmin, let owner, owner.lowercased() != acting.name.lowercased() {
                    throw FleetError.forbidden("only administrators may register phones for other users")
                }
                if let given = registration.uuid {
                    guard let parsed = UUID(uuidString: given) else {
                        throw FieldError(field: "uuid", value: given, reason: "not a UUID like 2fb295cc-0e50-11de-81c8-002215064801")
                    }
                    uuids[index] = parsed.uuidString.lowercased()
                }
                var registration = registration
                if registration.datastores?.isEmpty == true { registration.datastores = nil }
                return PreparedRegistration(registration: registration, phone: phone, imei: imei, timezone: timezone,
                                            owner: owner, uuid: uuids[index])
            }
        }
    }

    /// The uuids of new clients, shared by every batch of the process so that they keep increasing.
    private static let uuids = SharedUUIDGenerator()

    /// A client as written, with what building a ``Client`` from it needs.
    struct Written {
        var id: Int64
        var uuid: String
        var outcome: RegistrationOutcome
        var prepared: PreparedRegistration
        var owner: User
        var model: PhoneModel

        func client(now: Int64) -> Client {
            Client(uuid: uuid, userID: owner.id, userName: owner.name, userEmail: owner.email, title: model.title,
                   phoneNumber: prepared.phone, modelUUID: model.modelUUID, imei: prepared.imei, timezone: prepared.timezone,
                   datastores: prepared.registration.datastores ?? model.datastores, setup: nil,
                   published: date(now), updated: date(now))
        }
    }

    /// Writes prepared registrations inside the caller's transaction. A registration the
    /// store refuses (unknown model or user, uuid taken) fails alone; errors of the store
    /// itself are thrown and fail the transaction.
    ///
    /// Plain registrations (new uuid, the model's datastores) are inserted many rows per
    /// statement: one INSERT per row spent more in starting and ending statements than in
    /// inserting. When a statement inserts fewer rows than it was given, some existed
    /// (their natural key was there), and each of its rows is looked up to tell which.
    ///
    /// `lookups` keeps the owners and models found, for the next call in the same transaction.
    func write(_ prepared: [Result<PreparedRegistration, any Error>], now: Int64, in db: Database,
               lookups: inout RegistrationLookups) throws -> [Result<Written, any Error>] {
        var results = [Result<Written, any Error>?](repeating: nil, count: prepared.count)
        var inserter = ClientInserter(db: db, now: now)
        for (index, check) in prepared.enumerated() {
            switch check {
            case .failure(let error):
                results[index] = .failure(error)
            case .success(let fields):
                do {
                    let registration = fields.registration
                    let ownerKey = fields.owner.map { $0.lowercased() } ?? ""
                    let owner = try lookups.owners[ownerKey] ?? self.owner(named: fields.owner, in: db)
                    lookups.owners[ownerKey] = owner
                    let model = try lookups.models[registration.model] ?? Self.resolveModel(registration.model, in: db)
                    lookups.models[registration.model] = model
                    if registration.uuid != nil,
                       try Int.fetchOne(db, sql: "SELECT count(*) FROM client WHERE uuid = ? AND NOT (userID = ? AND phoneNumber = ? AND modelUUID = ? AND imei = ?)",
                                        arguments: [fields.uuid, owner.id, fields.phone, model.modelUUID, fields.imei ?? ""]) ?? 0 > 0 {
                        throw FleetError.invalid(FieldError(field: "uuid", value: fields.uuid, reason: "another client has this uuid"))
                    }
                    let row = ClientInserter.Pending(index: index, fields: fields, owner: owner, model: model)
                    let ownDatastores = registration.datastores.map { $0 != model.datastores } ?? false
                    if registration.uuid == nil && !ownDatastores {
                        try inserter.add(row, into: &results)
                    } else {
                        // Rows go in input order: the first of two equal rows is the one created.
                        try inserter.flush(into: &results)
                        try inserter.insertOne(row, datastores: ownDatastores ? registration.datastores : nil, into: &results)
                    }
                } catch let error as FleetError {
                    results[index] = .failure(error)
                }
            }
        }
        try inserter.flush(into: &results)
        return results.map { $0! }
    }

    /// Inserts clients for ``write(_:now:in:)``, a statement per group of rows.
    private struct ClientInserter {
        /// A row ready to insert, and where its result goes.
        struct Pending {
            var index: Int
            var fields: PreparedRegistration
            var owner: User
            var model: PhoneModel
        }

        /// Rows per multi-row INSERT (8 values each; SQLite takes 32,766 since 3.32).
        static let groupSize = 64
        static let columns = "INSERT OR IGNORE INTO client (uuid, userID, modelUUID, phoneNumber, imei, timezone, published, updated) VALUES "

        let db: Database
        let now: Int64
        private var group: [Pending] = []
        private var statements: [Int: FastStatement] = [:]
        private var find: FastStatement?

        init(db: Database, now: Int64) {
            self.db = db
            self.now = now
            group.reserveCapacity(Self.groupSize)
        }

        mutating func add(_ row: Pending, into results: inout [Result<Written, any Error>?]) throws {
            group.append(row)
            if group.count == Self.groupSize { try flush(into: &results) }
        }

        /// Inserts the rows added so far.
        mutating func flush(into results: inout [Result<Written, any Error>?]) throws {
            guard !group.isEmpty else { return }
            defer { group.removeAll(keepingCapacity: true) }
            let statement = try self.statement(rows: group.count)
            var values: [FastStatement.Value] = []
            values.reserveCapacity(group.count * 8)
            for row in group { values += Self.values(row, now: now) }
            try statement.run(values)
            if db.changesCount == group.count {
                // All new: AUTOINCREMENT gave them consecutive ids, in order.
                let first = db.lastInsertedRowID - Int64(group.count) + 1
                for (offset, row) in group.enumerated() {
                    results[row.index] = .success(Written(id: first + Int64(offset), uuid: row.fields.uuid, outcome: .created,
                                                          prepared: row.fields, owner: row.owner, model: row.model))
                }
                return
            }
            for row in group {
                // Each row of the group gets its own result, whatever happens to the others.
                do {
                    let (id, uuid) = try existing(row)
                    results[row.index] = .success(Written(id: id, uuid: uuid, outcome: uuid == row.fields.uuid ? .created : .exists,
                                                          prepared: row.fields, owner: row.owner, model: row.model))
                } catch let error as FleetError {
                    results[row.index] = .failure(error)
                }
            }
        }

        /// Inserts one row, with datastores of its own when it has them.
        mutating func insertOne(_ row: Pending, datastores: [DatastoreBinding]?, into results: inout [Result<Written, any Error>?]) throws {
            try statement(rows: 1).run(Self.values(row, now: now))
            guard db.changesCount == 1 else {
                let (id, uuid) = try existing(row)
                results[row.index] = .success(Written(id: id, uuid: uuid, outcome: .exists, prepared: row.fields,
                                                      owner: row.owner, model: row.model))
                return
            }
            let clientID = db.lastInsertedRowID
            if let datastores {
                let insert = try db.cachedStatement(sql: "INSERT INTO clientDatastore (clientID, position, dataclass, name) VALUES (?, ?, ?, ?)")
                for (position, binding) in datastores.enumerated() {
                    try insert.execute(arguments: [clientID, position, binding.dataclass.rawValue, binding.name])
                }
            }
            results[row.index] = .success(Written(id: clientID, uuid: row.fields.uuid, outcome: .created, prepared: row.fields,
                                                  owner: row.owner, model: row.model))
        }

        /// The id and uuid of the client with `row`'s natural key (user, number, model, IMEI).
        private mutating func existing(_ row: Pending) throws -> (Int64, String) {
            if find == nil {
                find = try FastStatement(db, sql: "SELECT id, uuid FROM client WHERE userID = ? AND phoneNumber = ? AND modelUUID = ? AND imei = ?")
            }
            guard let found = try find!.first([.integer(row.owner.id), .text(row.fields.phone), .text(row.model.modelUUID),
                                               .text(row.fields.imei ?? "")]) else {
                throw FleetError.clientNotFound([row.fields.uuid])
            }
            return found
        }

        private mutating func statement(rows: Int) throws -> FastStatement {
            if let statement = statements[rows] { return statement }
            let sql = Self.columns + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
            let statement = try FastStatement(db, sql: sql)
            statements[rows] = statement
            return statement
        }

        private static func values(_ row: Pending, now: Int64) -> [FastStatement.Value] {
            [.text(row.fields.uuid), .integer(row.owner.id), .text(row.model.modelUUID), .text(row.fields.phone),
             .text(row.fields.imei ?? ""), .text(row.fields.timezone), .integer(now), .integer(now)]
        }
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
}

/// One ``ClientUUIDGenerator`` for the whole process, behind a lock.
final class SharedUUIDGenerator: @unchecked Sendable {
    private var generator = ClientUUIDGenerator()
    private let lock = NSLock()

    /// `count` new uuids, increasing.
    func next(_ count: Int) -> [String] {
        lock.withLock {
            let now = Date()
            return (0..<count).map { _ in generator.next(now: now) }
        }
    }
}
