import GRDB

// Records: one plain value type per table, as the store holds it.
// Times are whole seconds since 1970 (UTC), so that `sqlite3` can read them with
// `datetime(published, 'unixepoch')`.

struct UserRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "user"
    var id: Int64?
    var name: String
    var email: String
    var passwordHash: String
    var isAdmin: Bool
    var created: Int64

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct PhoneModelRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "phoneModel"
    var uuid: String
    var title: String
    var titleKey: String
    var manufacturer: String
    var syncmlVersion: String
    var acceptsSAN12: Bool
    var provisioning: String
    var sanContentType: Int
    var alertPort: Int
    var alertSourcePort: Int
}

struct ModelDatastoreRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "modelDatastore"
    var modelUUID: String
    var position: Int
    var dataclass: String
    var name: String
}
