/// SyncML status codes (OMA SyncML Representation Protocol 1.2, §10) and their meaning in words.
public enum SyncMLStatus {
    public static let inProgress = 101
    public static let ok = 200
    public static let itemAdded = 201
    public static let acceptedForProcessing = 202
    public static let authenticationAccepted = 212
    public static let chunkedItemAccepted = 213
    public static let conflictResolvedWithMerge = 207
    public static let conflictResolvedClientWins = 208
    public static let conflictResolvedWithServerData = 419
    public static let conflictResolvedWithDuplicate = 209
    public static let deleteWithoutArchive = 210
    public static let itemNotDeleted = 211
    public static let alreadyExists = 418
    public static let badRequest = 400
    public static let invalidCredentials = 401
    public static let forbidden = 403
    public static let notFound = 404
    public static let commandNotAllowed = 405
    public static let optionalFeatureNotSupported = 406
    public static let missingCredentials = 407
    public static let requestTimeout = 408
    public static let incompleteCommand = 412
    public static let requestEntityTooLarge = 413
    public static let unsupportedMediaType = 415
    public static let sizeMismatch = 424
    public static let commandFailed = 500
    public static let notImplemented = 501
    public static let serviceUnavailable = 503
    public static let versionNotSupported = 505
    public static let processingError = 506
    public static let refreshRequired = 508
    public static let serverFailure = 511

    /// What a status code means, in words a user can act on.
    public static func meaning(_ code: Int) -> String {
        switch code {
        case 101: "in progress"
        case 200: "OK"
        case 201: "item added"
        case 202: "accepted for processing"
        case 203: "non-authoritative response"
        case 204: "no content"
        case 205: "reset content"
        case 206: "partial content"
        case 207: "conflict resolved with merge"
        case 208: "conflict resolved with client's command winning"
        case 209: "conflict resolved with duplicate"
        case 210: "delete without archive"
        case 211: "item not deleted: not found"
        case 212: "authentication accepted"
        case 213: "chunked item accepted and buffered"
        case 214: "operation cancelled"
        case 215: "not executed"
        case 216: "atomic roll back OK"
        case 300: "multiple choices"
        case 400: "bad request: the command could not be read"
        case 401: "invalid credentials: wrong user name or password"
        case 403: "forbidden"
        case 404: "not found: no such datastore or item"
        case 405: "command not allowed"
        case 406: "optional feature not supported"
        case 407: "missing credentials: authentication is required"
        case 408: "request timeout: the session expired"
        case 409: "conflict"
        case 410: "gone"
        case 411: "size required"
        case 412: "incomplete command"
        case 413: "request entity too large"
        case 415: "unsupported media type or format"
        case 416: "requested size too big"
        case 417: "retry later"
        case 418: "already exists"
        case 419: "conflict resolved with server data"
        case 420: "device full"
        case 424: "size mismatch: a large object arrived incomplete"
        case 500: "command failed"
        case 501: "command not implemented"
        case 503: "service unavailable"
        case 505: "SyncML DTD version not supported"
        case 506: "processing error"
        case 508: "refresh required: anchors do not match, a slow sync is needed"
        case 510: "datastore failure"
        case 511: "server failure"
        case 512: "synchronization failed"
        case 513: "protocol version not supported"
        case 514: "operation cancelled"
        default: code >= 200 && code < 300 ? "success (\(code))" : "error \(code)"
        }
    }

    /// Whether a code says the command succeeded.
    public static func isSuccess(_ code: Int) -> Bool { (200..<300).contains(code) }
}

/// SyncML alert codes for synchronization (OMA DS Protocol 1.2, §12.2).
public enum SyncAlert: Int, Sendable, Codable, CaseIterable {
    case twoWay = 200
    case slow = 201
    case oneWayFromClient = 202
    case refreshFromClient = 203
    case oneWayFromServer = 204
    case refreshFromServer = 205
    case twoWayByServer = 206
    case oneWayFromClientByServer = 207
    case refreshFromClientByServer = 208
    case oneWayFromServerByServer = 209
    case refreshFromServerByServer = 210

    /// The sync a server-alerted answer (206–210) stands for.
    public var initiated: SyncAlert {
        switch self {
        case .twoWayByServer: .twoWay
        case .oneWayFromClientByServer: .oneWayFromClient
        case .refreshFromClientByServer: .refreshFromClient
        case .oneWayFromServerByServer: .oneWayFromServer
        case .refreshFromServerByServer: .refreshFromServer
        default: self
        }
    }

    /// A short name: `two-way`, `slow`, `refresh-from-server` …
    public var name: String {
        switch self.initiated {
        case .twoWay: "two-way"
        case .slow: "slow"
        case .oneWayFromClient: "one-way-from-client"
        case .refreshFromClient: "refresh-from-client"
        case .oneWayFromServer: "one-way-from-server"
        case .refreshFromServer: "refresh-from-server"
        default: "alert \(rawValue)"
        }
    }

    /// Whether the client sends its changes.
    public var clientSends: Bool { ![.oneWayFromServer, .refreshFromServer].contains(initiated) }
    /// Whether the server sends its changes.
    public var serverSends: Bool { ![.oneWayFromClient, .refreshFromClient].contains(initiated) }

    /// Alert codes that are not syncs.
    public static let nextMessage = 222
}
