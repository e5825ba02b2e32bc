import Foundation
import GRDB

extension LocalFleet {
    public func requestSetup(uuid: String, pincode: String, name: String?) async throws -> SetupRequest {
        let pin = try SetupRequest.validatePincode(pincode)
        let setupName = try name.map(SetupRequest.validateName) ?? SetupRequest.defaultName
        let now = Self.seconds(clock())
        let clientID = try await visibleClientID(uuid)
        return try await database.write { db in
            try db.execute(
                sql: "INSERT INTO setup (clientID, name, state, created, pincode) VALUES (?, ?, 'queued', ?, ?)",
                arguments: [clientID, setupName, now, pin])
            try db.execute(sql: "UPDATE client SET updated = ? WHERE id = ?", arguments: [now, clientID])
            return SetupRequest(id: db.lastInsertedRowID, clientUUID: uuid.lowercased(), name: setupName, pincode: pin,
                                created: Self.date(now), sent: nil)
        }
    }

    public func requestSync(uuid: String) async throws {
        let now = Self.seconds(clock())
        let clientID = try await visibleClientID(uuid)
        try await database.write { db in
            try db.execute(sql: "INSERT INTO alertRequest (clientID, state, created) VALUES (?, 'queued', ?)",
                           arguments: [clientID, now])
        }
    }

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
