import Crypto
import FleetKit
import Foundation
import Hummingbird

/// HTTP Basic authentication against the users of the store.
///
/// No or wrong credentials are answered 401 with a `WWW-Authenticate` challenge.
/// Passwords are checked by the store (salted PBKDF2, compared in constant time);
/// a successful check is remembered for a minute under the SHA-256 of the header, so
/// that a client making many requests does not pay a key derivation for each.
public struct BasicAuthenticator: RouterMiddleware {
    public typealias Context = FleetRequestContext
    let backend: any FleetBackend
    let cache: LoginCache

    /// Paths answered without credentials (they carry their own secret).
    let openPaths: Set<String>

    public init(backend: any FleetBackend, openPaths: Set<String> = []) {
        self.openPaths = openPaths
        self.backend = backend
        self.cache = LoginCache()
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], let (name, password) = Self.credentials(header) else {
            throw Self.challenge("credentials required")
        }
        let key = Array(SHA256.hash(data: Data(header.utf8)))
        var user = await cache.user(for: key)
        if user == nil {
            user = try await backend.authenticate(name: name, password: password)
            if let user { await cache.remember(user, for: key) }
        }
        guard let user else { throw Self.challenge("wrong user name or password") }
        var context = context
        context.user = user
        return try await next(request, context)
    }

    static func challenge(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"SyncFleet\", charset=\"UTF-8\""], message: message)
    }

    /// `Basic base64(name:password)` → (name, password).
    static func credentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

/// Remembers recent successful logins (at most a thousand, for a minute each).
actor LoginCache {
    private var entries: [[UInt8]: (user: User, expires: Date)] = [:]

    func user(for key: [UInt8]) -> User? {
        guard let entry = entries[key] else { return nil }
        if entry.expires < Date() {
            entries[key] = nil
            return nil
        }
        return entry.user
    }

    func remember(_ user: User, for key: [UInt8]) {
        if entries.count >= 1000 { entries.removeAll() }
        entries[key] = (user, Date().addingTimeInterval(60))
    }
}
