import Foundation

/// The errors a ``Fleet`` reports, each with a message that says what to do.
public enum FleetError: Error, Sendable, LocalizedError {
    /// A value did not validate.
    case invalid(FieldError)
    /// No model is known by that id or title; `suggestions` are the closest titles.
    case unknownModel(String, suggestions: [PhoneModel], catalogueEmpty: Bool)
    /// A title matches more than one model.
    case ambiguousModel(String, candidates: [PhoneModel])
    /// No client with that uuid (or not one the caller may see).
    case clientNotFound([String])
    /// No user of that name.
    case userNotFound(String, known: [String])
    /// A user of that name exists already.
    case userExists(String)
    /// The store has several users and the command must name one.
    case ownerRequired(users: [String])
    /// The store has no users to own a phone.
    case noUsers
    /// The store file does not exist.
    case storeNotFound(path: String)
    /// The file is not a SyncFleet store.
    case notAStore(path: String, reason: String)
    /// The store was written by a newer SyncFleet.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// A data file (CSV, …) is wrong at a given place.
    case badInput(file: String, line: Int?, message: String)
    /// The caller may not do this.
    case forbidden(String)
    /// The remote API refused or failed a request (HTTP status, 0 when it could not be reached).
    case remote(status: Int, message: String)
    /// A setting the command needs is not set anywhere.
    case settingMissing(key: String, flag: String, environment: String)
    /// The operation needs the local store (it is not part of the API).
    case localOnly(String)
    /// No recorded session has this id (or the caller may not see it).
    case sessionNotFound(Int64)

    public var errorDescription: String? {
        switch self {
        case .invalid(let error):
            return error.errorDescription
        case .unknownModel(let name, let suggestions, let empty):
            if empty {
                return "unknown model \(FieldError.quote(name)): the model catalogue is empty; import one with `syncfleet models import samples/models.csv`"
            }
            let hint = suggestions.isEmpty ? "" :
                "; did you mean " + suggestions.map { "\($0.title) (\($0.modelUUID))" }.joined(separator: ", ") + "?"
            return "unknown model \(FieldError.quote(name))\(hint) (`syncfleet models list` shows the catalogue)"
        case .ambiguousModel(let name, let candidates):
            let list = candidates.map { "\($0.modelUUID) (\($0.title), SyncML \($0.syncMLVersion.rawValue))" }
                .joined(separator: ", ")
            return "model \(FieldError.quote(name)) is ambiguous: \(candidates.count) models have that title: \(list); name one by its model_uuid"
        case .clientNotFound(let uuids):
            return uuids.count == 1 ? "no client \(uuids[0])" : "no clients \(uuids.joined(separator: ", "))"
        case .userNotFound(let name, let known):
            let hint = known.isEmpty ? "; add one with `syncfleet users add NAME --email E`" :
                " (users: \(known.prefix(10).joined(separator: ", "))\(known.count > 10 ? ", …" : ""))"
            return "no user \(FieldError.quote(name))\(hint)"
        case .userExists(let name):
            return "user \(FieldError.quote(name)) exists already"
        case .ownerRequired(let users):
            return "the store has \(users.count) users (\(users.prefix(5).joined(separator: ", "))\(users.count > 5 ? ", …" : "")); say which one owns the phone with --user NAME"
        case .noUsers:
            return "the store has no users to own a phone; add one first with `syncfleet users add NAME --email E`"
        case .storeNotFound(let path):
            return "no store at \(path); it is created by the first write (`syncfleet users add …` or `syncfleet models import …`), or name another with --store PATH or SYNCFLEET_STORE"
        case .notAStore(let path, let reason):
            return "\(path) is not a SyncFleet store: \(reason)"
        case .schemaTooNew(let path, let unknown):
            return "the store \(path) was written by a newer SyncFleet (schema steps unknown to this version: \(unknown.joined(separator: ", "))); use that version or a newer one"
        case .badInput(let file, let line, let message):
            if let line { return "\(file):\(line): \(message)" }
            return "\(file): \(message)"
        case .forbidden(let message):
            return message
        case .remote(_, let message):
            return message
        case .settingMissing(let key, let flag, let environment):
            return "no \(key) is set: pass \(flag), set \(environment), or store it with `syncfleet settings set \(key) VALUE`"
        case .sessionNotFound(let id):
            return "no session \(id): list them with syncfleet sessions list"
        case .localOnly(let what):
            return "\(what) works on the local store only; run it where the store is (the server's host), without --remote"
        }
    }
}
