import Foundation

/// The credentials a phone uses towards the SyncML server: per client, generated at
/// first provisioning (or set by `clients credentials`), checked when the phone syncs.
///
/// The password is kept retrievable in the store, because a setup sent again must carry
/// it; the store's files are set to mode 0600 when it is opened.
public struct SyncCredentials: Sendable, Hashable, Codable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Letters and digits that cannot be confused on a phone keypad or a printout.
    static let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// A fresh random password: 16 characters (phones accept at most 22).
    public static func generatePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Checks a hand-set user name and password against what phones accept.
    public static func validate(username: String, password: String) throws(FieldError) {
        guard !username.isEmpty, username.count <= 80, !username.contains(where: { $0.isWhitespace || $0 == ":" }) else {
            throw FieldError(field: "username", value: username, reason: "1 to 80 characters without spaces or ':'")
        }
        guard !password.isEmpty, password.count <= 22 else {
            throw FieldError(field: "password", value: String(repeating: "*", count: password.count),
                             reason: "1 to 22 characters (longer passwords are dropped by Nokia phones)")
        }
    }
}
