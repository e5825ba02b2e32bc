import Crypto
import Foundation
import WBXML

/// The SyncML authentication schemes (OMA SyncML RepPro 1.2 §5.6).
public enum SyncAuthType: String, Sendable, Codable, CaseIterable {
    case basic = "syncml:auth-basic"
    case md5 = "syncml:auth-md5"

    /// A short name: `basic`, `md5`.
    public var name: String { self == .basic ? "basic" : "md5" }
}

/// Checks SyncML credentials. Hand-written: the two digest forms are SyncML's own and no
/// library implements them; the hash itself is swift-crypto's MD5.
public enum SyncAuthentication {
    /// `B64(user:password)`.
    public static func basic(username: String, password: String) -> String {
        Base64.encode(Array("\(username):\(password)".utf8))
    }

    /// The SyncML 1.1/1.2 digest: `B64(MD5(B64(MD5(user:password)):nonce))`.
    public static func md5(username: String, password: String, nonce: [UInt8]) -> String {
        let inner = Base64.encode(Array(Insecure.MD5.hash(data: Array("\(username):\(password)".utf8))))
        return Base64.encode(Array(Insecure.MD5.hash(data: Array(inner.utf8) + [0x3A] + nonce)))
    }

    /// The SyncML 1.0 digest: `B64(MD5(user:password:nonce))`.
    public static func md5v10(username: String, password: String, nonce: [UInt8]) -> String {
        Base64.encode(Array(Insecure.MD5.hash(data: Array("\(username):\(password):".utf8) + nonce)))
    }

    /// A new random nonce: 16 letters and digits (about 95 bits).
    ///
    /// Not arbitrary bytes: libsynthesis (SyncEvolution, many phones) keeps the decoded nonce as a
    /// C string, so a nonce with a NUL byte is cut there and the phone's digest never matches.
    public static func newNonce() -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
    }

    /// Compares two strings in time that does not depend on where they differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for index in 0..<max(x.count, y.count) {
            let p = index < x.count ? x[index] : 0
            let q = index < y.count ? y[index] : 0
            difference |= p ^ q
        }
        return difference == 0
    }

    /// What a `Cred` element says.
    public struct Credential: Sendable, Equatable {
        public var type: SyncAuthType
        /// The data as sent (base64 text).
        public var data: String
        /// For basic: the user name and password it carries.
        public var basicPair: (username: String, password: String)? {
            guard type == .basic, let bytes = Base64.decode(data), let text = String(bytes: bytes, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else { return nil }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }

        public static func == (lhs: Credential, rhs: Credential) -> Bool { lhs.type == rhs.type && lhs.data == rhs.data }

        /// Reads a `Cred`; `nil` when the type is unknown or the data missing.
        public init?(_ cred: WBXMLElement) {
            let typeName = (cred.value("Meta", "Type") ?? SyncAuthType.basic.rawValue).lowercased()
            guard let type = SyncAuthType(rawValue: typeName), let data = cred.value("Data") else { return nil }
            self.type = type
            self.data = data
        }
    }

    /// Whether a credential proves `password` for `username`, given the nonce the client was issued.
    public static func verify(_ credential: Credential, username: String, password: String, nonce: [UInt8]) -> Bool {
        switch credential.type {
        case .basic:
            guard let pair = credential.basicPair else { return false }
            let nameMatches = constantTimeEquals(pair.username.lowercased(), username.lowercased())
            let passwordMatches = constantTimeEquals(pair.password, password)
            return nameMatches && passwordMatches
        case .md5:
            let v11 = constantTimeEquals(credential.data, md5(username: username, password: password, nonce: nonce))
            let v10 = constantTimeEquals(credential.data, md5v10(username: username, password: password, nonce: nonce))
            return v11 || v10
        }
    }
}
