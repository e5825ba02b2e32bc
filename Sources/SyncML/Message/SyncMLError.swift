import Foundation

/// Why a request could not be read as SyncML at all (answered with HTTP 400).
public enum SyncMLError: Error, Sendable, Equatable, LocalizedError {
    /// The body is not a SyncML message in the encoding it claims.
    case unreadable(String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let reason): reason
        }
    }
}
