import Foundation
import GRDB
import PhonePush

extension LocalFleet {
    /// Sends (or, without a gateway, queues) sync settings to one phone.
    ///
    /// A phone whose last setup was sent is skipped unless `force`; a setup left
    /// `sending` by a killed run counts as not sent, so a re-run sends it.
    public func provision(uuid: String, request: ProvisionRequest) async throws -> PushOutcome {
        // One setup per phone at a time in this process (a batch naming a phone twice, two
        // API requests at once): taken before the store is read, so the second sees the first's result.
        let key = path + "\u{0}" + uuid.lowercased()
        guard await SetupsInFlight.shared.begin(key) else {
            return PushOutcome(clientUUID: uuid.lowercased(), kind: .setup, status: .skipped,
                               error: "a setup for this phone is being sent already")
        }
        do {
            let outcome = try await provisionNow(uuid: uuid, request: request)
            await SetupsInFlight.shared.end(key)
            return outcome
        } catch {
            await SetupsInFlight.shared.end(key)
            throw error
        }
    }

    private func provisionNow(uuid: String, request: ProvisionRequest) async throws -> PushOutcome {
        let phone = try await phoneContext(uuid)
        let (clientID, client, settings) = (phone.clientID, phone.client, phone.settings)
        let name = try request.name.map(SetupRequest.validateName) ?? settings[.setupName] ?? SetupRequest.defaultName
        let pin = try request.pincode.map(SetupRequest.validatePincode)
        var outcome = PushOutcome(clientUUID: client.uuid, phoneNumber: client.phoneNumber, kind: .setup, status: .queued,
                                  name: name, pincode: pin)
        if !request.force && !request.dryRun, let last = phone.lastSetup, last.state == "sent" {
            outcome.status = .skipped
            outcome.requestID = last.id
            outcome.name = last.name
            outcome.sent = last.sent
            outcome.messages = last.messages
            outcome.format = last.format
            return outcome
        }
        guard let gateway = push.gateway else {
            // The seed API without a gateway: the setup is recorded for a later `provision`.
            let id = try await insertRequest(table: "setup", clientID: clientID, columns: ["name": name.databaseValue, "pincode": (pin ?? "").databaseValue], state: "queued")
            outcome.requestID = id
            return outcome
        }
        guard let syncURL = push.syncURL ?? settings[.syncURL] else {
            throw FleetError.settingMissing(key: "sync-url", flag: "--sync-url", environment: "SYNCFLEET_SYNC_URL")
        }
        let model = phone.model
        var credentials: SyncCredentials
        if let known = phone.credentials {
            credentials = known
        } else if request.dryRun {
            credentials = SyncCredentials(username: SyncCredentials.defaultUsername(clientUUID: uuid), password: SyncCredentials.generatePassword())
        } else {
            credentials = try await ensureCredentials(clientID: clientID, uuid: uuid)
        }
        if request.revealCredentials { outcome.credentials = credentials }
        var accessPoint: DSProfile.AccessPoint?
        if let apn = settings[.apn] {
            accessPoint = DSProfile.AccessPoint(name: apn, apn: apn, username: settings[.apnUser], password: settings[.apnPassword])
        }
        let profile = DSProfile(
            name: name, providerID: push.providerID ?? settings[.providerID] ?? FleetSetting.defaultProviderID, serverURL: syncURL,
            protocolVersion: model.syncMLVersion.rawValue, authType: .basic, username: credentials.username,
            password: credentials.password, resources: SyncProfile.resources(client.datastores), accessPoint: accessPoint)
        let message: PushMessage
        do {
            if model.provisioning == .nokiaOTA {
                message = try PushMessage.syncSettings(profile)
                outcome.format = "nokia-ota"
            } else {
                let security = try ProvisioningSecurity(method: request.security, pin: pin, imsi: request.imsi)
                message = try PushMessage.provisioning(profile, security: security)
                outcome.format = "oma-cp/\(request.security.rawValue.lowercased())"
            }
        } catch {
            outcome.status = .invalid
            outcome.error = error.localizedDescription
            return outcome
        }
        outcome.pinToType = message.pinToType
        return try await deliver(message, through: gateway, outcome: outcome, clientID: clientID, dryRun: request.dryRun,
                                 settings: settings, table: "setup", columns: ["name": name.databaseValue, "pincode": (pin ?? "").databaseValue,
                                                           "security": request.security.rawValue.databaseValue,
                                                           "format": (outcome.format ?? "").databaseValue])
    }

    /// Sends (or, without a gateway, queues) a server alert to one phone: a DS 1.2 SAN,
    /// or the SyncML 1.1 package 0 for phones whose model says so.
    public func alert(uuid: String, request: AlertRequest) async throws -> PushOutcome {
        let phone = try await phoneContext(uuid)
        let (clientID, client, settings, model) = (phone.clientID, phone.client, phone.settings, phone.model)
        var outcome = PushOutcome(clientUUID: client.uuid, phoneNumber: client.phoneNumber, kind: .alert, status: .queued)
        guard let gateway = push.gateway else {
            outcome.requestID = try await insertRequest(table: "alertRequest", clientID: clientID, columns: [:], state: "queued")
            return outcome
        }
        // The datastores asked for, by dataclass or server URI.
        var stores = client.datastores
        if !request.datastores.isEmpty {
            stores = []
            for wanted in request.datastores {
                guard let dataclass = Dataclass(parsing: wanted), let match = client.datastores.first(where: { $0.dataclass == dataclass }) else {
                    outcome.status = .invalid
                    outcome.error = "the phone has no datastore '\(wanted)' (it has \(client.datastores.map { $0.dataclass.rawValue.lowercased() }.joined(separator: ", ")))"
                    return outcome
                }
                if !stores.contains(match) { stores.append(match) }
            }
        }
        let resources = SyncProfile.resources(stores)
        let version = request.sanVersion ?? (model.acceptsSAN12 ? "1.2" : "1.1")
        let password = phone.credentials?.password ?? ""
        // A session id unlike the phone's last one: phones drop a SAN they have seen.
        var sessionID = UInt16.random(in: 1...UInt16.max)
        while Int(sessionID) == phone.lastAlertSession { sessionID = UInt16.random(in: 1...UInt16.max) }
        let message: PushMessage
        do {
            if version == "1.2" {
                let san = ServerAlertedNotification(
                    uiMode: request.uiMode, sessionID: sessionID,
                    serverID: push.providerID ?? settings[.providerID] ?? FleetSetting.defaultProviderID,
                    syncs: resources.map { .init(type: request.syncType, contentType: ServerAlertedNotification.contentTypeNumber(for: $0.accept), serverURI: $0.uri) })
                message = try PushMessage.alert(san, password: password, nonce: [])
                outcome.format = "san-1.2"
            } else {
                guard let syncURL = push.syncURL ?? settings[.syncURL] else {
                    throw FleetError.settingMissing(key: "sync-url", flag: "--sync-url", environment: "SYNCFLEET_SYNC_URL")
                }
                let legacy = LegacyServerAlert(version: version, sessionID: sessionID, serverURL: syncURL, syncType: request.syncType,
                                               datastores: resources.map { ($0.uri, $0.accept) })
                message = try PushMessage.legacyAlert(legacy)
                outcome.format = "san-\(version)"
            }
        } catch let error as FleetError {
            throw error
        } catch {
            outcome.status = .invalid
            outcome.error = error.localizedDescription
            return outcome
        }
        return try await deliver(message, through: gateway, outcome: outcome, clientID: clientID, dryRun: request.dryRun,
                                 settings: settings, table: "alertRequest",
                                 columns: ["format": (outcome.format ?? "").databaseValue, "syncType": Int(request.syncType.rawValue).databaseValue,
                                           "sessionID": Int(sessionID).databaseValue])
    }

    /// Records a delivery report from the gateway; `false` when no SMS has that id.
    ///
    /// Kannel's types: 1 delivered, 2 undelivered, 4 buffered, 8 accepted by the SMSC,
    /// 16 rejected by the SMSC. The request's state is the worst news of its parts.
    public func recordDeliveryReport(messageID: String, type: Int) async throws -> Bool {
        let state: String
        switch type {
        case 1: state = "delivered"
        case 2: state = "undelivered"
        case 4: state = "buffered"
        case 8: state = "accepted"
        case 16: state = "rejected"
        default: return false
        }
        let now = Self.seconds(clock())
        // Unknown ids (the route needs no login) are answered from a read, without the write lock.
        let known = try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT 1 FROM pushMessage WHERE id = ?", arguments: [messageID]) != nil
        }
        guard known else { return false }
        return try await database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT setupID, alertID, delivery FROM pushMessage WHERE id = ?", arguments: [messageID]) else {
                return false
            }
            // "delivered" is final; an "accepted" arriving after it does not undo it.
            let rank = ["accepted": 1, "buffered": 2, "delivered": 3, "undelivered": 4, "rejected": 4]
            let current: String? = row["delivery"]
            if let current, rank[current, default: 0] >= rank[state, default: 0] { return true }
            try db.execute(sql: "UPDATE pushMessage SET delivery = ?, reported = ? WHERE id = ?", arguments: [state, now, messageID])
            let (table, key): (String, Int64?) = row["setupID"] != nil ? ("setup", row["setupID"]) : ("alertRequest", row["alertID"])
            let column = table == "setup" ? "setupID" : "alertID"
            let states = try String?.fetchAll(db, sql: "SELECT delivery FROM pushMessage WHERE \(column) = ?", arguments: [key])
            let overall: String
            if states.contains(where: { $0 == "undelivered" || $0 == "rejected" }) { overall = "undelivered" }
            else if states.allSatisfy({ $0 == "delivered" }) { overall = "delivered" }
            else if states.contains("buffered") { overall = "buffered" }
            else { overall = "accepted" }
            try db.execute(sql: "UPDATE \(table) SET delivery = ? WHERE id = ?", arguments: [overall, key])
            return true
        }
    }

    /// The delivery state of a setup or alert (`accepted`, `delivered`, …), `nil` before any report.
    public func deliveryState(kind: PushMessage.Kind, id: Int64) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT delivery FROM \(kind == .setup ? "setup" : "alertRequest") WHERE id = ?", arguments: [id])
        }
    }

    /// How many SMS were sent in all (benchmarks, reports).
    public func smsCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pushMessage") ?? 0 }
    }

    // MARK: - Sending

    /// The row id of a client the caller may see, or ``FleetError/clientNotFound(_:)``.
    func visibleClientID(_ uuid: String) async throws -> Int64 {
        let onlyUser = isAdmin ? nil : actingUser?.id
        let id = try await database.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT id FROM client WHERE uuid = ? AND (? IS NULL OR userID = ?)",
                arguments: [uuid.lowercased(), onlyUser, onlyUser])
        }
        guard let id else { throw FleetError.clientNotFound([uuid]) }
        return id
    }

    /// Everything one push needs to know about a phone, read in one transaction.
    struct PhoneContext {
        var clientID: Int64
        var client: Client
        var model: PhoneModel
        var settings: [FleetSetting: String]
        var credentials: SyncCredentials?
        var lastSetup: LastSetup?
        var lastAlertSession: Int?
    }

    func phoneContext(_ uuid: String) async throws -> PhoneContext {
        let onlyUser = isAdmin ? nil : actingUser?.id
        return try await database.read { db in
            var condition = "c.uuid = ?"
            var arguments: [any DatabaseValueConvertible] = [uuid.lowercased()]
            if let onlyUser {
                condition += " AND c.userID = ?"
                arguments.append(onlyUser)
            }
            guard let row = try Self.fetchClientRows(db, where: condition, arguments, limit: 1).first else {
                throw FleetError.clientNotFound([uuid])
            }
            let credentials = try Self.fetchCredentials(db, clientID: row.id)
            let last = try Row.fetchOne(db, sql: "SELECT id, name, state, sent, messages, format FROM setup WHERE clientID = ? ORDER BY id DESC LIMIT 1",
                                        arguments: [row.id]).map { row in
                LastSetup(id: row["id"], name: row["name"], state: row["state"], sent: (row["sent"] as Int64?).map(Self.date),
                          messages: row["messages"], format: row["format"])
            }
            let lastSession = try Int.fetchOne(db, sql: "SELECT sessionID FROM alertRequest WHERE clientID = ? ORDER BY id DESC LIMIT 1",
                                               arguments: [row.id])
            return PhoneContext(clientID: row.id, client: row.client, model: try Self.resolveModel(row.client.modelUUID, in: db),
                                settings: try Self.readSettings(db), credentials: credentials, lastSetup: last,
                                lastAlertSession: lastSession)
        }
    }

    struct LastSetup {
        var id: Int64
        var name: String
        var state: String
        var sent: Date?
        var messages: Int
        var format: String?
    }

    func insertRequest(table: String, clientID: Int64, columns: [String: DatabaseValue], state: String,
                       messageIDs: [String] = []) async throws -> Int64 {
        let now = Self.seconds(clock())
        return try await database.write { db in
            let names = ["clientID", "state", "created"] + columns.keys.sorted()
            let values: [DatabaseValue] = [clientID.databaseValue, state.databaseValue, now.databaseValue] + columns.keys.sorted().map { columns[$0]! }
            try db.execute(sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                           arguments: StatementArguments(values))
            let id = db.lastInsertedRowID
            if table == "setup" { try db.execute(sql: "UPDATE client SET updated = ? WHERE id = ?", arguments: [now, clientID]) }
            for (index, messageID) in messageIDs.enumerated() {
                try db.execute(sql: "INSERT INTO pushMessage (id, \(table == "setup" ? "setupID" : "alertID"), part) VALUES (?, ?, ?)",
                               arguments: [messageID, id, index + 1])
            }
            return id
        }
    }

    /// Cuts the push into SMS, records it as `sending`, hands it to the gateway with
    /// retries of transient failures, and records the result.
    func deliver(_ message: PushMessage, through gateway: any SMSGateway, outcome: PushOutcome, clientID: Int64, dryRun: Bool,
                 settings: [FleetSetting: String], table: String, columns: [String: DatabaseValue]) async throws -> PushOutcome {
        var outcome = outcome
        let segments: [SMS]
        do {
            segments = try message.segments(reference: UInt16.random(in: 0...UInt16.max), sixteenBitReference: push.sixteenBitReference)
        } catch {
            outcome.status = .invalid
            outcome.error = error.localizedDescription
            return outcome
        }
        outcome.messages = segments.count
        outcome.octets = message.pdu.count
        let ids = segments.map { _ in Self.messageID() }
        let reportURL = push.deliveryReportURL ?? settings[.dlrURL]
        let envelope = PushEnvelope(clientUUID: outcome.clientUUID, kind: message.kind, messageIDs: ids, deliveryReportURL: reportURL)
        if dryRun {
            // Inspection gateways still show what would go out; an SMS gateway sends nothing.
            if gateway is DirectoryGateway || gateway is HexGateway {
                _ = try? await gateway.send(segments, to: outcome.phoneNumber, envelope: envelope)
            }
            outcome.status = .dryRun
            return outcome
        }
        // The request and its SMS ids in one transaction, before anything leaves.
        let id = try await insertRequest(table: table, clientID: clientID, columns: columns, state: "sending", messageIDs: ids)
        outcome.requestID = id
        var lastError: GatewayError?
        var receipts: [GatewayReceipt] = []
        for attempt in 1...push.retry.attempts {
            outcome.attempts = attempt
            do {
                receipts = try await gateway.send(segments, to: outcome.phoneNumber, envelope: envelope)
                lastError = nil
                break
            } catch {
                lastError = error
                guard error.isTransient, attempt < push.retry.attempts else { break }
                try await Task.sleep(for: push.retry.delay(after: attempt))
            }
        }
        let now = Self.seconds(clock())
        let answer = receipts.map(\.answer).joined(separator: "; ")
        if let lastError {
            outcome.status = .failed
            outcome.error = lastError.localizedDescription + (outcome.attempts > 1 ? " (after \(outcome.attempts) attempts)" : "")
        } else {
            outcome.status = .sent
            outcome.sent = Self.date(now)
        }
        let state = outcome.status == .sent ? "sent" : "failed"
        let sentValue: Int64? = outcome.status == .sent ? now : nil
        let errorValue = outcome.error
        let attempts = outcome.attempts
        let messages = segments.count
        try await database.write { db in
            try db.execute(sql: "UPDATE \(table) SET state = ?, sent = ?, messages = ?, gateway = ?, answer = ?, error = ?, attempts = ? WHERE id = ?",
                           arguments: [state, sentValue, messages, gateway.name, answer, errorValue, attempts, id])
            if table == "setup" { try db.execute(sql: "UPDATE client SET updated = ? WHERE id = ?", arguments: [now, clientID]) }
        }
        return outcome
    }

    /// 128 random bits in hex: delivery reports must not be guessable.
    static func messageID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.lower((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}


/// The phones whose setup this process is sending now.
actor SetupsInFlight {
    static let shared = SetupsInFlight()
    private var keys: Set<String> = []

    func begin(_ key: String) -> Bool { keys.insert(key).inserted }
    func end(_ key: String) { keys.remove(key) }
}
