import PhonePush
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

/// The JSON answer of `POST /{uuid}/setup/` and `/sync/`: the seed's fields and the outcome's.
struct PushOutcomeDTO: Decodable {
    var id: String?
    var uuid: String
    var phone_number: String?
    var status: String
    var pincode: String?
    var setup: String?
    var format: String?
    var messages: Int?
    var octets: Int?
    var sent: String?
    var attempts: Int?
    var pin_to_type: String?
    var error: String?

    func outcome(kind: PushMessage.Kind) throws -> PushOutcome {
        guard let status = PushOutcome.Status(rawValue: status) else {
            throw FleetError.remote(status: 0, message: "the server answered with an unknown status '\(status)'")
        }
        let requestID = id.flatMap { $0.split(separator: "/").last.flatMap { Int64($0) } }
        return PushOutcome(clientUUID: uuid, phoneNumber: phone_number ?? "", kind: kind, status: status, requestID: requestID,
                           name: setup, pincode: pincode, pinToType: pin_to_type, messages: messages ?? 0, octets: octets ?? 0,
                           format: format, sent: sent.flatMap(Timestamp.parse), attempts: attempts ?? 0, error: error)
    }
}

/// A synced datastore in the API's JSON.
struct SyncedDatastoreDTO: Decodable {
    var client_uuid: String
    var phone_number: String
    var dataclass: String
    var local_uri: String
    var display_name: String?
    var server_uri: String
    var content_types: [String]
    var client_anchor: String?
    var server_anchor: String?
    var items: Int
    var created: String
    var last_sync: String?

    func datastore() -> SyncedDatastore {
        SyncedDatastore(clientUUID: client_uuid, phoneNumber: phone_number, dataclass: Dataclass(parsing: dataclass) ?? .contacts,
                        localURI: local_uri, displayName: display_name, serverURI: server_uri, contentTypes: content_types,
                        clientAnchor: client_anchor, serverAnchor: server_anchor, itemCount: items,
                        created: Timestamp.parse(created) ?? Date(timeIntervalSince1970: 0), lastSync: last_sync.flatMap(Timestamp.parse))
    }
}

/// A session in the API's JSON.
struct SessionDTO: Decodable {
    struct Store: Decodable {
        var server_uri: String
        var local_uri: String
        var dataclass: String?
        var requested: Int
        var sync_type: Int
        var alert_status: Int
        var completed: Bool
        var added_in: Int, replaced_in: Int, deleted_in: Int
        var added_out: Int, replaced_out: Int, deleted_out: Int
        var rejected_in: Int, rejected_out: Int
    }
    var session_id: Int64
    var client_uuid: String?
    var phone_number: String?
    var model: String?
    var user: String?
    var sync_username: String?
    var device_id: String
    var start: String
    var end: String?
    var syncml_version: String
    var encoding: String
    var auth: String?
    var bytes_in: Int, bytes_out: Int, messages_in: Int, messages_out: Int
    var status: String
    var error: String?
    var datastores: [Store]

    func session() -> SessionSummary {
        let started = Timestamp.parse(start) ?? Date(timeIntervalSince1970: 0)
        return SessionSummary(id: session_id, clientUUID: client_uuid, phoneNumber: phone_number, model: model, user: user, username: sync_username,
                       deviceID: device_id, started: started,
                       ended: end.flatMap(Timestamp.parse),
                       version: syncml_version, encoding: encoding, authType: auth, bytesIn: bytes_in, bytesOut: bytes_out,
                       messagesIn: messages_in, messagesOut: messages_out, status: status, error: error,
                       datastores: datastores.map {
                           SessionDatastore(serverURI: $0.server_uri, localURI: $0.local_uri, dataclass: $0.dataclass, requested: $0.requested,
                                            syncType: $0.sync_type, alertStatus: $0.alert_status, addedIn: $0.added_in, replacedIn: $0.replaced_in,
                                            deletedIn: $0.deleted_in, addedOut: $0.added_out, replacedOut: $0.replaced_out,
                                            deletedOut: $0.deleted_out, rejectedIn: $0.rejected_in, rejectedOut: $0.rejected_out,
                                            completed: $0.completed)
                       })
    }
}

/// A chatlog message in the API's JSON.
struct ChatlogDTO: Decodable {
    var session_id: Int64
    var sequence: Int
    var direction: String
    var time: String
    var content_type: String
    var raw_base64: String
    var xml: String?

    func entry() -> ChatlogEntry {
        ChatlogEntry(sessionID: session_id, sequence: sequence, direction: direction, time: Timestamp.parse(time) ?? Date(timeIntervalSince1970: 0),
                     contentType: content_type, raw: Data(base64Encoded: raw_base64) ?? Data(), xml: xml)
    }
}

/// A push as `GET /pushes/` answers it in JSON.
struct PushRecordDTO: Decodable {
    struct Part: Decodable {
        var part: Int
        var message_id: String
        var delivery: String?
        var reported: String?
    }
    var kind: String
    var id: Int64
    var uuid: String
    var phone_number: String
    var status: String
    var state: String
    var delivery: String?
    var created: String
    var sent: String?
    var format: String?
    var messages: Int
    var attempts: Int
    var gateway: String?
    var answer: String?
    var error: String?
    var parts: [Part]

    func record() throws -> PushRecord {
        guard let kind = PushMessage.Kind(rawValue: kind), let status = PushStatus(rawValue: status), let state = PushState(rawValue: state),
              let created = Timestamp.parse(created) else {
            throw FleetError.remote(status: 200, message: "a push the client cannot read (\(kind) \(id))")
        }
        return PushRecord(kind: kind, id: id, clientUUID: uuid, phoneNumber: phone_number, status: status, state: state,
                          delivery: delivery.flatMap(PushDelivery.init(rawValue:)), created: created, sent: sent.flatMap(Timestamp.parse),
                          format: format, messages: messages, attempts: attempts, gateway: gateway, answer: answer, error: error,
                          parts: parts.map { PushRecord.Part(number: $0.part, messageID: $0.message_id,
                                                             delivery: $0.delivery.flatMap(PushDelivery.init(rawValue:)),
                                                             reported: $0.reported.flatMap(Timestamp.parse)) })
    }
}

/// A funnel row as `GET /status` answers it in JSON.
struct FunnelRowDTO: Decodable {
    var model_uuid: String?
    var title: String
    var registered: Int
    var setup_sent: Int
    var delivered: Int
    var first_sync: Int
    var synced_7d: Int

    var row: FunnelRow {
        FunnelRow(modelUUID: model_uuid, title: title, registered: registered, setupSent: setup_sent, delivered: delivered,
                  synced: first_sync, syncedRecently: synced_7d)
    }
}
