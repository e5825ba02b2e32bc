import Foundation

/// A setup (sync settings) recorded for a phone: what `POST /{uuid}/setup/` answers with.
public struct SetupRequest: Sendable, Hashable {
    /// The setup's number, the last part of its id (`…/setup/143/`).
    public var id: Int64
    public var clientUUID: String
    /// The profile name the phone shows (`SyncServer`).
    public var name: String
    /// The PIN the phone asks for before it installs the settings (OMA ProvSec USERPIN).
    public var pincode: String
    public var created: Date
    /// When it was sent; `nil` while it is queued.
    public var sent: Date?

    /// The setup name used when a request names none.
    public static let defaultName = "SyncServer"

    public init(id: Int64, clientUUID: String, name: String, pincode: String, created: Date, sent: Date?) {
        self.id = id
        self.clientUUID = clientUUID
        self.name = name
        self.pincode = pincode
        self.created = created
        self.sent = sent
    }
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
