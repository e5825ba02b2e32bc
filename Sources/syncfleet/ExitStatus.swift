import ArgumentParser
import FleetKit
import PhonePush

/// The exit statuses of `syncfleet`, as the manual documents them.
enum ExitStatus: Int32 {
    case success = 0
    case failure = 1
    case usage = 2
    case invalidInput = 3
    case notFound = 4
    /// A batch ran, and some of its items were invalid or failed.
    case partial = 5
    case forbidden = 6

    /// The status an error ends the command with.
    static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is FieldError, is PushError:
            return .invalidInput
        case let error as GatewayError:
            if case .invalidAddress = error { return .usage }
            return .failure
        case let error as FleetError:
            switch error {
            case .invalid, .unknownModel, .ambiguousModel, .badInput, .userExists, .noUsers: return .invalidInput
            case .ownerRequired, .settingMissing, .localOnly: return .usage
            case .clientNotFound, .userNotFound, .storeNotFound, .sessionNotFound: return .notFound
            case .forbidden: return .forbidden
            case .notAStore, .schemaTooNew: return .failure
            case .remote(let status, _):
                switch status {
                case 400, 409, 413, 422: return .invalidInput
                case 401, 403: return .forbidden
                case 404: return .notFound
                default: return .failure
                }
            }
        default:
            return .failure
        }
    }
}
