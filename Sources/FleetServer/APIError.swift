import FleetKit
import Foundation
import Hummingbird
import SyncML

/// Maps the errors of a ``Fleet`` to HTTP answers with a body that says what is wrong.
enum APIError {
    static func http(_ error: any Error) -> any Error {
        if error is HTTPError || error is any HTTPResponseError { return error }
        let message = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
        switch error {
        case is FieldError, is AtomReadError, is XMLReadError, is DecodingError:
            return HTTPError(.badRequest, message: message)
        case let fleet as FleetError:
            switch fleet {
            case .invalid, .unknownModel, .ambiguousModel, .badInput, .ownerRequired, .noUsers:
                return HTTPError(.badRequest, message: message)
            case .clientNotFound, .userNotFound, .sessionNotFound:
                return HTTPError(.notFound, message: message)
            case .forbidden:
                return HTTPError(.forbidden, message: message)
            case .userExists:
                return HTTPError(.conflict, message: message)
            case .remote(let status, _):
                return HTTPError(status == 0 ? .badGateway : HTTPResponse.Status(code: status), message: message)
            case .storeNotFound, .notAStore, .schemaTooNew:
                return HTTPError(.internalServerError, message: "the store is not available")
            case .settingMissing(let key, _, _):
                return HTTPError(.serviceUnavailable, message: "the server has no \(key) set; its operator sets it with `syncfleet settings set \(key) VALUE`")
            case .localOnly:
                return HTTPError(.notImplemented, message: message)
            }
        default:
            return HTTPError(.internalServerError, message: "internal error")
        }
    }
}
