import Foundation
import GRDB
import PhonePush

extension LocalFleet {
    /// Sends (or, without a gateway, queues) sync settings to one phone.
    ///
    /// A phone whose last setup was sent is skipped unless `force`; a setup left
    /// `sending` by a killed run counts as not sent, so a re-run sends it.
    public func provision(uuid: String, request: ProvisionRequest) async throws -> PushOutcome {
        // One setup per phone at a time in this process (two API requests at once): taken
        // before the store is read, so the second sees the first's result.
        let key = path + "\u{0}" + uuid.lowercased()
        guard await SetupsInFlight.shared.begin(key) else {
            return PushOutcome(clientUUID: uuid.lowercased(), kind: .setup, status: .skipped,
                               error: "a setup for this phone is being sent already")
        }
        do {
            // One phone's bad request is an error of the call, as the API answers it (400).
            _ = try request.name.map(SetupRequest.validateName)
            _ = try request.pincode.map(SetupRequest.validatePincode)
            let outcome = try await pushOne(uuid: uuid, .setup(request))
            await SetupsInFlight.shared.end(key)
            return outcome
        } catch {
            await SetupsInFlight.shared.end(key)
            throw error
        }
    }

    /// Sends (or, without a gateway, queues) a server alert to one phone: a DS 1.2 SAN,
    /// or the SyncML 1.1 package 0 for phones whose model says so.
    public func alert(uuid: String, request: AlertRequest) async throws -> PushOutcome {
        try await pushOne(uuid: uuid, .alert(request))
    }

    /// Setups or alerts for many phones at fleet speed (``PushPipeline``).
    public func push(_ job: PushJob, batch: PushBatch, next: () async throws -> PushTarget?,
                     emit: (PushOutcome) throws -> Void) async throws -> PushBatch.Summary {
        try await PushPipeline(store: self, push: push, batch: batch, clock: clock).run(job, next: next, emit: emit)
    }

    private func pushOne(uuid: String, _ job: PushJob) async throws -> PushOutcome {
        guard try await !pushPhones(uuids: [uuid.lowercased()]).isEmpty else { throw FleetError.clientNotFound([uuid]) }
        var target: PushTarget? = PushTarget(uuid: uuid)
        var result: PushOutcome?
        _ = try await push(job, batch: PushBatch(parallel: 1), next: { defer { target = nil }; return target }, emit: { result = $0 })
        guard let result else { throw FleetError.clientNotFound([uuid]) }
        return result
    }

    /// Records a delivery report from the gateway; `false` when no SMS has that id.
    ///
    /// Kannel's types: 1 delivered, 2 undelivered, 4 buffered, 8 accepted by the SMSC,
    /// 16 rejected by the SMSC. The request's state is the worst news of its parts.
    public func recordDeliveryReport(messageID: String, type: Int) async throws -> Bool {
        guard let report = PushDelivery(kannelType: type) else { return false }
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
            if let current = (row["delivery"] as String?).flatMap(PushDelivery.init(rawValue:)), current.rank >= report.rank { return true }
            try db.execute(sql: "UPDATE pushMessage SET delivery = ?, reported = ? WHERE id = ?", arguments: [report.rawValue, now, messageID])
            let (table, key): (String, Int64?) = row["setupID"] != nil ? ("setup", row["setupID"]) : ("alertRequest", row["alertID"])
            let column = table == "setup" ? "setupID" : "alertID"
            let parts = try String?.fetchAll(db, sql: "SELECT delivery FROM pushMessage WHERE \(column) = ?", arguments: [key])
            let overall = PushDelivery.overall(parts.map { $0.flatMap(PushDelivery.init(rawValue:)) })
            try db.execute(sql: "UPDATE \(table) SET delivery = ? WHERE id = ?", arguments: [overall.rawValue, key])
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

}


/// The phones whose setup this process is sending now.
actor SetupsInFlight {
    static let shared = SetupsInFlight()
    private var keys: Set<String> = []

    func begin(_ key: String) -> Bool { keys.insert(key).inserted }
    func end(_ key: String) { keys.remove(key) }
}
