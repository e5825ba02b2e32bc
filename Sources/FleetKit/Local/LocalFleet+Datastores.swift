import Foundation
import GRDB

extension LocalFleet {
    public func datastores(_ filter: DatastoreFilter, page: PageRequest) async throws -> Page<SyncedDatastore> {
        let after = page.after.flatMap { Int64($0) } ?? 0
        let limit = page.limit
        let onlyUser = isAdmin ? nil : actingUser?.id
        return try await database.read { db in
            var sql = """
                SELECT d.*, c.uuid, c.phoneNumber FROM syncDatastore d JOIN client c ON c.id = d.clientID
                WHERE d.id > ?
                """
            var arguments: StatementArguments = [after]
            if let onlyUser {
                sql += " AND c.userID = ?"
                arguments += [onlyUser]
            }
            if let uuid = filter.clientUUID {
                sql += " AND c.uuid = ?"
                arguments += [uuid.lowercased()]
            }
            if let dataclass = filter.dataclass {
                sql += " AND d.dataclass = ?"
                arguments += [dataclass.rawValue.lowercased()]
            }
            sql += " ORDER BY d.id LIMIT ?"
            arguments += [limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = rows.prefix(limit).map { row in
                let types: String = row["contentTypes"]
                return SyncedDatastore(
                    clientUUID: row["uuid"], phoneNumber: row["phoneNumber"],
                    dataclass: Dataclass(parsing: row["dataclass"]) ?? .contacts, localURI: row["localURI"],
                    displayName: row["displayName"], serverURI: row["serverURI"],
                    contentTypes: types.split(separator: ",").map(String.init), clientAnchor: row["clientAnchor"],
                    serverAnchor: row["serverAnchor"], itemCount: row["itemCount"], created: Self.date(row["created"]),
                    lastSync: (row["lastSync"] as Int64?).map(Self.date))
            }
            let lastID: Int64? = rows.prefix(limit).last?["id"]
            return Page(items: Array(items), next: rows.count > limit ? lastID.map(String.init) : nil)
        }
    }
}
