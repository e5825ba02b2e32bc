import Foundation
import GRDB
import PhonePush

extension LocalFleet: PushStore {
    func pushRunContext() async throws -> PushRunContext {
        try await database.read { db in
            PushRunContext(settings: try Self.readSettings(db), usernames: try Self.usernames(db))
        }
    }

    /// The store's sync user name generator.
    static func usernames(_ db: Database) throws -> SyncUsername {
        guard let key = try Data.fetchOne(db, sql: "SELECT value FROM storeSecret WHERE name = 'sync-username-key'") else {
            throw FleetError.notAStore(path: db.description, reason: "its sync user name key is missing")
        }
        return SyncUsername(key: Array(key))
    }

    func pushPhones(uuids: [String]) async throws -> [String: PushPhone] {
        guard !uuids.isEmpty else { return [:] }
        let onlyUser = isAdmin ? nil : actingUser?.id
        return try await database.read { db in
            var condition = "c.uuid IN (\(databaseQuestionMarks(count: uuids.count)))"
            var arguments: [any DatabaseValueConvertible] = uuids
            if let onlyUser {
                condition += " AND c.userID = ?"
                arguments.append(onlyUser)
            }
            let rows = try Self.fetchClientRows(db, where: condition, arguments, limit: uuids.count)
            if rows.isEmpty { return [:] }
            let ids = rows.map(\.id)
            let marks = databaseQuestionMarks(count: ids.count)
            var credentials: [Int64: SyncCredentials] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT clientID, username, password FROM syncCredential WHERE clientID IN (\(marks))",
                                        arguments: StatementArguments(ids)) {
                credentials[row[0]] = SyncCredentials(username: row[1], password: row[2])
            }
            var setups: [Int64: PushRecordState] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT clientID, id, name, state, delivery, sent, messages, format FROM setup
                WHERE id IN (SELECT max(id) FROM setup WHERE clientID IN (\(marks)) GROUP BY clientID)
                """, arguments: StatementArguments(ids)) {
                let sent: Int64? = row[5]
                setups[row[0]] = PushRecordState(id: row[1], name: row[2], state: PushState(rawValue: row[3]) ?? .failed,
                                                 delivery: (row[4] as String?).flatMap(PushDelivery.init(rawValue:)),
                                                 sent: sent.map(Self.date), messages: row[6], format: row[7])
            }
            var sessions: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT clientID, sessionID FROM alertRequest
                WHERE id IN (SELECT max(id) FROM alertRequest WHERE clientID IN (\(marks)) GROUP BY clientID)
                """, arguments: StatementArguments(ids)) {
                sessions[row[0]] = row[1]
            }
            let models = try Self.models(uuids: Set(rows.map(\.client.modelUUID)), in: db)
            var phones: [String: PushPhone] = [:]
            for (id, client) in rows {
                guard let model = models[client.modelUUID] else { throw FleetError.unknownModel(client.modelUUID, suggestions: [], catalogueEmpty: false) }
                phones[client.uuid] = PushPhone(clientID: id, client: client, model: model, credentials: credentials[id],
                                                lastSetup: setups[id], lastAlertSession: sessions[id])
            }
            return phones
        }
    }

    /// Models by uuid with their datastores, in two queries.
    static func models(uuids: Set<String>, in db: Database) throws -> [String: PhoneModel] {
        let wanted = Array(uuids)
        let marks = databaseQuestionMarks(count: wanted.count)
        var stores: [String: [ModelDatastoreRecord]] = [:]
        for record in try ModelDatastoreRecord.fetchAll(db, sql: "SELECT * FROM modelDatastore WHERE modelUUID IN (\(marks)) ORDER BY modelUUID, position",
                                                        arguments: StatementArguments(wanted)) {
            stores[record.modelUUID, default: []].append(record)
        }
        var models: [String: PhoneModel] = [:]
        for record in try PhoneModelRecord.fetchAll(db, sql: "SELECT * FROM phoneModel WHERE uuid IN (\(marks))", arguments: StatementArguments(wanted)) {
            models[record.uuid] = model(record, datastores: stores[record.uuid] ?? [])
        }
        return models
    }

    func createCredentials(_ wanted: [Int64: SyncCredentials]) async throws -> [Int64: SyncCredentials] {
        let now = Self.seconds(clock())
        return try await database.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO syncCredential (clientID, username, password, created) VALUES (?, ?, ?, ?)
                ON CONFLICT(clientID) DO NOTHING
                """)
            let taken = try db.cachedStatement(sql: "SELECT 1 FROM syncCredential WHERE username = ?")
            for (clientID, credentials) in wanted {
                // Generated names never meet each other; a name set by hand (`clients credentials
                // --username`) may take one, and then the phone gets the first free suffix.
                // A phone that got credentials meanwhile keeps them (the insert does nothing).
                var username = credentials.username
                var suffix = 1
                while try Int.fetchOne(taken, arguments: [username]) != nil {
                    suffix += 1
                    username = credentials.username + "-\(suffix)"
                }
                try insert.execute(arguments: [clientID, username, credentials.password, now])
            }
            var result: [Int64: SyncCredentials] = [:]
            let ids = Array(wanted.keys)
            for row in try Row.fetchAll(db, sql: "SELECT clientID, username, password FROM syncCredential WHERE clientID IN (\(databaseQuestionMarks(count: ids.count)))",
                                        arguments: StatementArguments(ids)) {
                result[row[0]] = SyncCredentials(username: row[1], password: row[2])
            }
            return result
        }
    }

    func recordPushes(_ entries: [PushJournalEntry], at now: Int64) async throws -> [Int64] {
        try await database.write { db in
            var ids: [Int64] = []
            ids.reserveCapacity(entries.count)
            let touch = try db.cachedStatement(sql: "UPDATE client SET updated = ? WHERE id = ?")
            for entry in entries {
                switch entry {
                case .queue(let draft):
                    ids.append(try Self.insertPush(db, draft, state: .queued, at: now))
                    if draft.kind == .setup { try touch.execute(arguments: [now, draft.clientID]) }
                case .begin(let draft, let messageIDs):
                    let id = try Self.insertPush(db, draft, state: .sending, at: now)
                    let part = try db.cachedStatement(sql: draft.kind == .setup
                        ? "INSERT INTO pushMessage (id, setupID, part) VALUES (?, ?, ?)"
                        : "INSERT INTO pushMessage (id, alertID, part) VALUES (?, ?, ?)")
                    for (index, messageID) in messageIDs.enumerated() { try part.execute(arguments: [messageID, id, index + 1]) }
                    if draft.kind == .setup { try touch.execute(arguments: [now, draft.clientID]) }
                    ids.append(id)
                case .finish(let finish):
                    let update = try db.cachedStatement(sql: """
                        UPDATE \(finish.kind == .setup ? "setup" : "alertRequest")
                        SET state = ?, sent = ?, messages = ?, gateway = ?, answer = ?, error = ?, attempts = ? WHERE id = ?
                        """)
                    try update.execute(arguments: [finish.state.rawValue, finish.sent, finish.messages, finish.gateway, finish.answer,
                                                   finish.error, finish.attempts, finish.id])
                    if finish.kind == .setup { try touch.execute(arguments: [now, finish.clientID]) }
                    ids.append(0)
                }
            }
            return ids
        }
    }

    private static func insertPush(_ db: Database, _ draft: PushDraft, state: PushState, at now: Int64) throws -> Int64 {
        switch draft.kind {
        case .setup:
            try db.cachedStatement(sql: """
                INSERT INTO setup (clientID, state, created, name, pincode, security, format) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [draft.clientID, state.rawValue, now, draft.name ?? SetupRequest.defaultName,
                                         draft.pincode, draft.security, draft.format])
        case .alert:
            try db.cachedStatement(sql: """
                INSERT INTO alertRequest (clientID, state, created, format, syncType, sessionID) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [draft.clientID, state.rawValue, now, draft.format, draft.syncType, draft.sessionID])
        }
        return db.lastInsertedRowID
    }
}
