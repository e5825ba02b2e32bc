/// The rules of a setup's fields, shared by `provision` and the API's setup endpoint.
public enum SetupRequest {
    /// The setup name used when a request names none.
    public static let defaultName = "SyncServer"
}

extension SetupRequest {
    /// Checks a PIN: 1 to 16 digits (what phones let a user type).
    public static func validatePincode(_ text: String) throws(FieldError) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.count <= 16, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError(field: "pincode", value: text, reason: "a PIN has 1 to 16 digits")
        }
        return value
    }

    /// Checks a setup name: 1 to 32 printable characters (phones show it as the profile name).
    public static func validateName(_ text: String) throws(FieldError) -> String {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty, value.count <= 32, !value.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw FieldError(field: "setup", value: text, reason: "a setup name has 1 to 32 printable characters")
        }
        return value
    }
}
