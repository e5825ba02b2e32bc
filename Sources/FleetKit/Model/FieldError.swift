import Foundation

/// A value that failed validation: which field, what value, and why.
public struct FieldError: Error, Sendable, Hashable, LocalizedError {
    /// The field as the user knows it (`phone_number`, `imei`, `timezone`, …).
    public var field: String
    /// The value as it was given.
    public var value: String
    /// Why it was refused, in words a user can act on.
    public var reason: String

    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var errorDescription: String? {
        "invalid \(field) \(Self.quote(value)): \(reason)"
    }

    /// Quotes a value for a message so that stray spaces and quotes stay visible.
    static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u{%X}", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
