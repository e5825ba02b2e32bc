import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// A fresh random password: 16 characters (phones accept at most 22), drawn from bytes of
    /// the C library's generator (glibc 2.36+ and Darwin: one call, no system call per character).
    public static func generatePassword() -> String {
        // Bytes below 220 (4 × 55) map evenly onto the alphabet; the others are drawn again.
        let limit = UInt8(alphabet.count * (256 / alphabet.count))
        var characters: [Character] = []
        characters.reserveCapacity(16)
        var bytes = [UInt8](repeating: 0, count: 32)
        while characters.count < 16 {
            bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
            for byte in bytes where byte < limit && characters.count < 16 {
                characters.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(characters)
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
