import Foundation

// The JSON the API answers with (the documented `--format json` fields), read back into domain types.

struct ClientDTO: Decodable {
    struct Store: Decodable {
        var dataclass: String
        var name: String
    }

    struct Setup: Decodable {
        var name: String
        var sent: String?
    }

    var uuid: String
    var title: String
    var user_id: Int64
    var user: String
    var user_email: String?
    var phone_number: String
    var model_uuid: String
    var imei: String?
    var timezone: String
    var datastores: [Store]
    var setup: Setup?
    var published: String
    var updated: String

    func client() throws -> Client {
        guard let published = Timestamp.parse(published), let updated = Timestamp.parse(updated) else {
            throw FleetError.remote(status: 0, message: "the API answered a client with unreadable times")
        }
        return Client(
            uuid: uuid, userID: user_id, userName: user, userEmail: user_email ?? "", title: title, phoneNumber: phone_number,
            modelUUID: model_uuid, imei: imei, timezone: timezone,
            datastores: datastores.compactMap { store in Dataclass(parsing: store.dataclass).map { DatastoreBinding(dataclass: $0, name: store.name) } },
            setup: setup.map { SetupRecord(name: $0.name, sent: $0.sent.flatMap(Timestamp.parse)) },
            published: published, updated: updated)
    }
}

struct UserDTO: Decodable {
    var user_id: Int64
    var name: String
    var email: String
    var admin: Bool
    var created: String

    func user() throws -> User {
        User(id: user_id, name: name, email: email, isAdmin: admin, created: Timestamp.parse(created) ?? Date(timeIntervalSince1970: 0))
    }
}

struct SetupDTO: Decodable {
    var id: String
    var pincode: String
    var setup: String
    var sent: String?
}
