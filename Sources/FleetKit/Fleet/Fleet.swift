import Foundation

/// Everything a command can do to a fleet, whatever backs it: a local SQLite
/// store (``LocalFleet``) or a remote ObexCode API.
///
/// Listings come in pages (``PageRequest``/``Page``) so that they stream in
/// constant memory; ``clients(_:limit:)`` and friends wrap them as async sequences.
public protocol Fleet: Sendable {
    // MARK: Users

    /// Adds a user; the password is stored hashed.
    func addUser(_ user: NewUser) async throws -> User
    /// One page of users, by name.
    func users(page: PageRequest) async throws -> Page<User>

    // MARK: Models

    /// Adds or replaces catalogue entries (keyed by `model_uuid`) in one transaction.
    /// - Returns: how many were new and how many replaced.
    func importModels(_ models: [PhoneModel]) async throws -> (added: Int, updated: Int)
    /// One page of the model catalogue.
    func models(page: PageRequest) async throws -> Page<PhoneModel>
    /// Finds a model by `model_uuid` or title.
    /// - Throws: ``FleetError/unknownModel(_:suggestions:catalogueEmpty:)`` or
    ///   ``FleetError/ambiguousModel(_:candidates:)``.
    func resolveModel(_ nameOrUUID: String) async throws -> PhoneModel

    // MARK: Clients

    /// Validates and registers a phone; registering the same phone again finds the existing client.
    func register(_ registration: Registration) async throws -> RegistrationResult
    /// The client with this uuid.
    /// - Throws: ``FleetError/clientNotFound(_:)`` when there is none the caller may see.
    func client(uuid: String) async throws -> Client
    /// One page of clients, in registration order.
    func clients(_ filter: ClientFilter, page: PageRequest) async throws -> Page<Client>
    /// The newest `updated` among the clients the filter selects (the Atom feed's `updated`).
    func clientsUpdated(_ filter: ClientFilter) async throws -> Date?
    /// Deletes clients: all of them, or none when any is unknown.
    func deleteClients(uuids: [String]) async throws

    // MARK: Requests for phones

    /// Sends sync settings to a phone through the fleet's gateway (queued without one);
    /// skips a phone whose setup was sent unless the request forces it.
    func provision(uuid: String, request: ProvisionRequest) async throws -> PushOutcome
    /// Asks a phone to sync (a Server Alerted Notification) through the fleet's gateway.
    func alert(uuid: String, request: AlertRequest) async throws -> PushOutcome
    /// Setups or alerts for every phone `next` hands out, `batch.parallel` at a time; each
    /// phone's outcome goes to `emit` in input order. A phone's failure is its outcome; a
    /// missing setting or an unreadable input ends the run (after what was started is reported).
    func push(_ job: PushJob, batch: PushBatch, next: () async throws -> PushTarget?,
              emit: (PushOutcome) throws -> Void) async throws -> PushBatch.Summary

    /// One page of recorded setups and alerts with their SMS and delivery reports.
    func pushes(_ filter: PushFilter, page: PageRequest) async throws -> Page<PushRecord>
    /// How far the phones got (registered → setup sent → delivered → first sync → synced lately), per model.
    func funnel(user: String?) async throws -> [FunnelRow]

    // MARK: What phones synced

    /// One page of the datastores phones registered by syncing (created on their first sync).
    func datastores(_ filter: DatastoreFilter, page: PageRequest) async throws -> Page<SyncedDatastore>

    /// One page of recorded SyncML sessions, oldest first, each with its datastores.
    func sessions(_ filter: SessionFilter, page: PageRequest) async throws -> Page<SessionSummary>
    /// One session.
    /// - Throws: ``FleetError/sessionNotFound(_:)``.
    func session(id: Int64) async throws -> SessionSummary
    /// One page of a session's chatlog, in order (administrators only).
    /// - Throws: ``FleetError/forbidden(_:)`` for other users, ``FleetError/sessionNotFound(_:)``.
    func chatlog(sessionID: Int64, page: PageRequest) async throws -> Page<ChatlogEntry>
    /// Drops the chatlog of sessions started before `before` (failed ones: before `failedBefore`), keeping the
    /// session records; returns how many messages went (local store, administrators).
    func pruneChatlogs(before: Date, failedBefore: Date?) async throws -> Int

    // MARK: Settings and credentials

    /// The store's settings (local store only).
    func settings() async throws -> [FleetSetting: String]
    /// Sets or (with `nil`) removes a setting (local store only, administrators).
    func setSetting(_ key: FleetSetting, to value: String?) async throws
    /// A phone's sync credentials, if it has any yet.
    func credentials(uuid: String) async throws -> SyncCredentials?
    /// Sets a phone's sync credentials; a `nil` password is generated, a `nil` name kept or derived.
    func setCredentials(uuid: String, username: String?, password: String?) async throws -> SyncCredentials
}

extension Fleet {
    /// One request per phone (a remote fleet: the server sends through its own gateway).
    public func push(_ job: PushJob, batch: PushBatch, next: () async throws -> PushTarget?,
                     emit: (PushOutcome) throws -> Void) async throws -> PushBatch.Summary {
        try await batch.run(kind: job.kind, next: next, work: { target in
            switch job {
            case .setup(var request):
                if let pin = target.pin { request.pincode = pin }
                if let imsi = target.imsi { request.imsi = imsi }
                return try await self.provision(uuid: target.uuid, request: request)
            case .alert(let request):
                return try await self.alert(uuid: target.uuid, request: request)
            }
        }, emit: emit)
    }

    /// All clients the filter selects, fetched a page at a time.
    public func clients(_ filter: ClientFilter = ClientFilter(), limit: Int? = nil, pageSize: Int = 500) -> PagedSequence<Client> {
        PagedSequence(pageSize: pageSize, limit: limit) { request in
            try await self.clients(filter, page: request)
        }
    }

    /// All pushes the filter selects, a page at a time.
    public func pushes(_ filter: PushFilter, limit: Int? = nil) -> PagedSequence<PushRecord> {
        PagedSequence(pageSize: 500, limit: limit) { request in try await self.pushes(filter, page: request) }
    }

    /// All users, a page at a time.
    public func allUsers() -> PagedSequence<User> {
        PagedSequence { request in try await self.users(page: request) }
    }

    /// All synced datastores the filter selects, a page at a time.
    public func datastores(_ filter: DatastoreFilter = DatastoreFilter(), limit: Int? = nil) -> PagedSequence<SyncedDatastore> {
        PagedSequence(limit: limit) { request in try await self.datastores(filter, page: request) }
    }

    /// All sessions the filter selects, a page at a time.
    public func sessions(_ filter: SessionFilter = SessionFilter(), limit: Int? = nil) -> PagedSequence<SessionSummary> {
        PagedSequence(pageSize: 1000, limit: limit) { request in try await self.sessions(filter, page: request) }
    }

    /// A session's whole chatlog, a page at a time.
    public func chatlog(sessionID: Int64) -> PagedSequence<ChatlogEntry> {
        PagedSequence(pageSize: 100) { request in try await self.chatlog(sessionID: sessionID, page: request) }
    }

    /// The whole model catalogue, a page at a time.
    public func allModels() -> PagedSequence<PhoneModel> {
        PagedSequence { request in try await self.models(page: request) }
    }
}
