import Foundation
import NIOHTTP1

extension RemoteFleet {
    public func addUser(_ user: NewUser) async throws -> User {
        let body = try JSONSerialization.data(withJSONObject: ["name": user.name, "email": user.email, "password": user.password, "admin": user.isAdmin])
        let answer = try await send(.POST, "users/", body: body, contentType: "application/json", idempotent: false)
        return try decode(UserDTO.self, try expect(answer, [201])).user()
    }

    public func users(page: PageRequest) async throws -> Page<User> {
        let answer = try await send(.GET, "users/" + Self.query(["limit": String(page.limit), "after": page.after]), idempotent: true)
        let items = try decode([UserDTO].self, try expect(answer, [200])).map { try $0.user() }
        return Page(items: items, next: Self.nextCursor(answer.headers))
    }

    public func datastores(_ filter: DatastoreFilter, page: PageRequest) async throws -> Page<SyncedDatastore> {
        let query = Self.query(["limit": String(page.limit), "after": page.after, "client": filter.clientUUID,
                                "dataclass": filter.dataclass?.rawValue])
        let answer = try await send(.GET, "datastores/" + query, idempotent: true)
        let items = try decode([SyncedDatastoreDTO].self, try expect(answer, [200])).map { $0.datastore() }
        return Page(items: items, next: Self.nextCursor(answer.headers))
    }

    public func pushes(_ filter: PushFilter, page: PageRequest) async throws -> Page<PushRecord> {
        let query = Self.query(["limit": String(page.limit), "after": page.after, "kind": filter.kind?.rawValue,
                                "status": filter.status?.rawValue, "client": filter.clientUUID, "since": filter.since.map(Timestamp.rfc3339),
                                "undelivered": filter.undelivered ? "true" : nil,
                                "created_before": filter.createdBefore.map(Timestamp.rfc3339)])
        let answer = try await send(.GET, "pushes/" + query, idempotent: true)
        if answer.status == 404, filter.clientUUID != nil { throw FleetError.clientNotFound([filter.clientUUID!]) }
        let items = try decode([PushRecordDTO].self, try expect(answer, [200])).map { try $0.record() }
        return Page(items: items, next: Self.nextCursor(answer.headers))
    }

    public func funnel(user: String?) async throws -> [FunnelRow] {
        let answer = try await send(.GET, "status" + Self.query(["user": user]), idempotent: true)
        return try decode([FunnelRowDTO].self, try expect(answer, [200])).map(\.row)
    }

    public func sessions(_ filter: SessionFilter, page: PageRequest) async throws -> Page<SessionSummary> {
        let query = Self.query(["limit": String(page.limit), "after": page.after, "client": filter.clientUUID, "user": filter.user,
                                "since": filter.since.map(Timestamp.rfc3339), "until": filter.until.map(Timestamp.rfc3339),
                                "status": filter.status])
        let answer = try await send(.GET, "sessions/" + query, idempotent: true)
        let items = try decode([SessionDTO].self, try expect(answer, [200])).map { $0.session() }
        return Page(items: items, next: Self.nextCursor(answer.headers))
    }

    public func session(id: Int64) async throws -> SessionSummary {
        let answer = try await send(.GET, "sessions/\(id)", idempotent: true)
        if answer.status == 404 { throw FleetError.sessionNotFound(id) }
        return try decode(SessionDTO.self, try expect(answer, [200])).session()
    }

    public func chatlog(sessionID: Int64, page: PageRequest) async throws -> Page<ChatlogEntry> {
        let query = Self.query(["limit": String(page.limit), "after": page.after])
        let answer = try await send(.GET, "sessions/\(sessionID)/chatlog/" + query, idempotent: true)
        if answer.status == 404 { throw FleetError.sessionNotFound(sessionID) }
        let items = try decode([ChatlogDTO].self, try expect(answer, [200])).map { $0.entry() }
        return Page(items: items, next: Self.nextCursor(answer.headers))
    }

    public func pruneChatlogs(before: Date, failedBefore: Date?) async throws -> Int {
        throw FleetError.localOnly("sessions prune")
    }

    public func importModels(_ models: [PhoneModel]) async throws -> (added: Int, updated: Int) {
        let body = Data(("[" + models.map { $0.json.serialized() }.joined(separator: ",") + "]").utf8)
        let answer = try await send(.POST, "models/", body: body, contentType: "application/json", idempotent: true)
        let counts = try decode([String: Int].self, try expect(answer, [200]))
        return (counts["added"] ?? 0, counts["updated"] ?? 0)
    }

    public func models(page: PageRequest) async throws -> Page<PhoneModel> {
        let answer = try await send(.GET, "models/" + Self.query(["limit": String(page.limit), "after": page.after]), idempotent: true)
        let items = try decode([PhoneModel.JSONForm].self, try expect(answer, [200])).map { try $0.model() }
        return Page(items: items, next: Self.nextCursor(answer.headers))
    }

    public func resolveModel(_ nameOrUUID: String) async throws -> PhoneModel {
        let answer = try await send(.GET, "models/" + APIQuery.escape(nameOrUUID), idempotent: true)
        return try decode(PhoneModel.JSONForm.self, try expect(answer, [200])).model()
    }

    public func register(_ registration: Registration) async throws -> RegistrationResult {
        // Validate here as the server will, so that bad input fails without a round trip.
        _ = try PhoneNumber.normalize(registration.phoneNumber)
        _ = try IMEI.normalize(registration.imei)
        _ = try TimeZoneName.normalize(registration.timezone)
        var client = registration.uuid.map { "<oc:uuid>\(XMLText.escape($0))</oc:uuid>" } ?? ""
        client += "<oc:phone_number>\(XMLText.escape(registration.phoneNumber))</oc:phone_number>"
        client += "<oc:model_uuid>\(XMLText.escape(registration.model))</oc:model_uuid>"
        if let imei = registration.imei { client += "<oc:imei>\(XMLText.escape(imei))</oc:imei>" }
        if let zone = registration.timezone { client += "<oc:timezone>\(XMLText.escape(zone))</oc:timezone>" }
        for store in registration.datastores ?? [] {
            client += "<oc:datastore dataclass=\"\(store.dataclass.rawValue)\">\(XMLText.escape(store.name))</oc:datastore>"
        }
        let entry = "<entry xmlns=\"\(AtomContext.atomNamespace)\" xmlns:oc=\"\(AtomContext.namespace)\"><oc:client>\(client)</oc:client></entry>"
        let path = "" + Self.query(["user": registration.user])
        // The server answers a repeated registration with the existing client: safe to retry.
        let answer = try await send(.POST, path, body: Data(entry.utf8), idempotent: true)
        let data = try expect(answer, [200, 201])
        return RegistrationResult(client: try decode(ClientDTO.self, data).client(), outcome: answer.status == 201 ? .created : .exists)
    }

    public func client(uuid: String) async throws -> Client {
        let answer = try await send(.GET, APIQuery.escape(uuid), idempotent: true)
        if answer.status == 404 { throw FleetError.clientNotFound([uuid]) }
        return try decode(ClientDTO.self, try expect(answer, [200])).client()
    }

    public func clients(_ filter: ClientFilter, page: PageRequest) async throws -> Page<Client> {
        let query = Self.query(["limit": String(page.limit), "after": page.after, "user": filter.user,
                                "phone": filter.phoneNumber, "model": filter.modelUUID, "never_synced": filter.neverSynced ? "true" : nil,
                                "synced_since": filter.syncedSince.map(Timestamp.rfc3339),
                                "not_synced_since": filter.notSyncedSince.map(Timestamp.rfc3339)])
        let answer = try await send(.GET, query, idempotent: true)
        let items = try decode([ClientDTO].self, try expect(answer, [200])).map { try $0.client() }
        return Page(items: items, next: Self.nextCursor(answer.headers))
    }

    public func clientsUpdated(_ filter: ClientFilter) async throws -> Date? {
        // The Atom feed's <updated>, read from a one-entry page.
        let query = Self.query(["limit": "1", "user": filter.user, "phone": filter.phoneNumber, "model": filter.modelUUID,
                                "never_synced": filter.neverSynced ? "true" : nil, "synced_since": filter.syncedSince.map(Timestamp.rfc3339),
                                "not_synced_since": filter.notSyncedSince.map(Timestamp.rfc3339)])
        // JSON has no feed-level updated; ask for Atom for this one value.
        let answer = try await send(.GET, query, accept: "application/atom+xml", idempotent: true)
        let text = String(buffer: answer.body)
        guard let start = text.range(of: "<updated>"), let end = text.range(of: "</updated>", range: start.upperBound..<text.endIndex) else {
            return nil
        }
        let value = Timestamp.parse(String(text[start.upperBound..<end.lowerBound]))
        return value == Date(timeIntervalSince1970: 0) ? nil : value
    }

    public func deleteClients(uuids: [String]) async throws {
        // All or nothing, as locally: check every client first.
        var missing: [String] = []
        for uuid in uuids {
            let answer = try await send(.GET, APIQuery.escape(uuid), idempotent: true)
            if answer.status == 404 { missing.append(uuid) } else { _ = try expect(answer, [200]) }
        }
        if !missing.isEmpty { throw FleetError.clientNotFound(missing) }
        for uuid in uuids {
            let answer = try await send(.DELETE, APIQuery.escape(uuid), idempotent: true)
            if answer.status != 404 { _ = try expect(answer, [200]) }
        }
    }

    public func provision(uuid: String, request: ProvisionRequest) async throws -> PushOutcome {
        var entry = "<entry xmlns=\"\(AtomContext.atomNamespace)\" xmlns:oc=\"\(AtomContext.namespace)\">"
        func add(_ name: String, _ value: String?) {
            if let value { entry += "<oc:\(name)>\(XMLText.escape(value))</oc:\(name)>" }
        }
        add("pincode", request.pincode)
        add("setup", request.name)
        add("sec", request.security.rawValue)
        add("imsi", request.imsi)
        if request.force { add("force", "true") }
        if request.undeliveredOnly { add("undelivered", "true") }
        if request.dryRun { add("dry_run", "true") }
        entry += "</entry>"
        let answer = try await send(.POST, APIQuery.escape(uuid) + "/setup/", body: Data(entry.utf8), idempotent: false)
        if answer.status == 404 { throw FleetError.clientNotFound([uuid]) }
        return try decode(PushOutcomeDTO.self, try expect(answer, [200, 201])).outcome(kind: .setup)
    }

    public func alert(uuid: String, request: AlertRequest) async throws -> PushOutcome {
        var entry = "<entry xmlns=\"\(AtomContext.atomNamespace)\" xmlns:oc=\"\(AtomContext.namespace)\">"
        for store in request.datastores { entry += "<oc:datastore>\(XMLText.escape(store))</oc:datastore>" }
        entry += "<oc:sync_type>\(request.syncType.rawValue)</oc:sync_type><oc:ui>\(request.uiMode.name)</oc:ui>"
        if let version = request.sanVersion { entry += "<oc:san_version>\(version)</oc:san_version>" }
        if request.dryRun { entry += "<oc:dry_run>true</oc:dry_run>" }
        entry += "</entry>"
        let answer = try await send(.POST, APIQuery.escape(uuid) + "/sync/", body: Data(entry.utf8), idempotent: false)
        if answer.status == 404 { throw FleetError.clientNotFound([uuid]) }
        return try decode(PushOutcomeDTO.self, try expect(answer, [200])).outcome(kind: .alert)
    }

    public func settings() async throws -> [FleetSetting: String] {
        throw FleetError.localOnly("settings")
    }

    public func setSetting(_ key: FleetSetting, to value: String?) async throws {
        throw FleetError.localOnly("settings")
    }

    public func credentials(uuid: String) async throws -> SyncCredentials? {
        throw FleetError.localOnly("clients credentials")
    }

    public func setCredentials(uuid: String, username: String?, password: String?) async throws -> SyncCredentials {
        throw FleetError.localOnly("clients credentials")
    }
}
