import Foundation

/// Why a gateway did not take an SMS.
public enum GatewayError: Error, Sendable, Hashable, LocalizedError {
    /// The gateway answered and said no (wrong password, bad number): retrying will not help.
    case refused(status: Int, answer: String, part: Int)
    /// The gateway answered with a temporary failure (HTTP 5xx, 429): retry later.
    case temporary(status: Int, answer: String, part: Int)
    /// No answer at all (connection refused, timeout) for SMS `part`: retry later.
    case unreachable(reason: String, part: Int = 1)
    /// The gateway address itself is wrong.
    case invalidAddress(String)
    /// Writing the SMS out failed (directory gateway).
    case writeFailed(String)

    /// Whether a later attempt may succeed.
    public var isTransient: Bool {
        switch self {
        case .temporary, .unreachable: true
        case .refused, .invalidAddress, .writeFailed: false
        }
    }

    /// How many SMS of the push the gateway took before this error (a retry sends the rest).
    public var acceptedParts: Int {
        switch self {
        case .refused(_, _, let part), .temporary(_, _, let part), .unreachable(_, let part): part - 1
        case .invalidAddress, .writeFailed: 0
        }
    }

    public var errorDescription: String? {
        switch self {
        case .refused(let status, let answer, let part):
            "gateway refused SMS \(part): HTTP \(status) \(answer.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .temporary(let status, let answer, let part):
            "gateway failed SMS \(part) for now: HTTP \(status) \(answer.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .unreachable(let reason, _):
            "gateway unreachable: \(reason)"
        case .invalidAddress(let reason):
            "bad gateway address: \(reason)"
        case .writeFailed(let reason):
            "could not write SMS: \(reason)"
        }
    }
}
