import Foundation

/// Why a message for a phone could not be built or read back.
public enum PushError: Error, Sendable, Hashable, LocalizedError {
    /// A value is longer than phones accept (they drop such values silently, so we refuse them).
    case valueTooLong(field: String, limit: Int, length: Int)
    /// A required value is empty.
    case missingValue(field: String)
    /// A PIN that cannot key the chosen security method.
    case invalidPIN(String)
    /// An IMSI that is not 6 to 15 digits.
    case invalidIMSI(String)
    /// More than a SAN or an SMS concatenation can carry.
    case tooLarge(String)
    /// Bytes that do not decode as what they claim to be; `offset` is where reading stopped.
    case malformed(what: String, offset: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case .valueTooLong(let field, let limit, let length):
            "\(field) is \(length) characters; phones accept at most \(limit) (longer values are dropped silently)"
        case .missingValue(let field):
            "\(field) is empty"
        case .invalidPIN(let reason):
            "bad PIN: \(reason)"
        case .invalidIMSI(let value):
            "bad IMSI '\(value)': an IMSI has 6 to 15 digits"
        case .tooLarge(let reason):
            reason
        case .malformed(let what, let offset, let reason):
            "malformed \(what) at offset \(offset): \(reason)"
        }
    }
}
