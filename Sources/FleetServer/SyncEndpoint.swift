import Foundation
import Hummingbird
import Logging
import NIOCore
import Crypto
import SyncML

/// The SyncML DS endpoint of `serve`: `POST` on the sync path, XML or WBXML, sessions kept
/// between requests by the token in their `RespURI`.
public struct SyncEndpoint: Sendable {
    /// Where phones post (`/sync`).
    public var path: String
    /// How long a session may sit idle before it is recorded as abandoned.
    public var sessionTimeout: TimeInterval
    let engine: SyncServer
    let store: any SyncStore
    let sessions = SyncSessions()
    let logger: Logger
    /// The endpoint's URL as phones reach it (behind a proxy, say); `nil` builds it from each request's `Host`.
    public var publicURL: String?

    public init(store: any SyncStore, configuration: SyncServerConfiguration = SyncServerConfiguration(), path: String = "/sync",
                sessionTimeout: TimeInterval = 300, logger: Logger = Logger(label: "syncfleet.sync")) {
        self.store = store
        self.engine = SyncServer(configuration: configuration)
        self.path = path.hasPrefix("/") ? path : "/" + path
        self.sessionTimeout = sessionTimeout
        self.logger = logger
    }

    /// Handles one request of a phone.
    func handle(_ request: Request, context: FleetRequestContext) async throws -> Response {
        var request = request
        let limit = engine.configuration.maxMsgSize + 64 * 1024
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            return Self.text(.contentTooLarge, "the message is larger than the server's MaxMsgSize (\(engine.configuration.maxMsgSize) bytes)")
        }
        let body = Array(buffer.readableBytesView)
        var token = request.uri.queryParameters.get("s")
        // A first message sent again (its answer was late or lost) goes to the session it started,
        // which answers it again, rather than starting a second session.
        let firstHash = token == nil ? SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined() : nil
        var resending = false
        if let firstHash, let known = await sessions.token(forFirstMessage: firstHash) {
            token = known
            resending = true
        }
        var existing: SyncSessionState?
        if let current = token {
            switch await sessions.checkout(current) {
            case .busy: return Self.text(.serviceUnavailable, "the session is handling another message; send again")
            case .none: existing = nil
            case .state(let state):
                existing = state
                if resending && !state.isAtFirstMessage {
                    // That session went on: these bytes start a new one.
                    await sessions.checkin(state)
                    existing = nil
                    token = nil
                }
            }
        }
        let host = request.head.authority ?? "127.0.0.1"
        let endpoint = publicURL ?? "http://\(host)\(path)"
        let contentType = request.headers[.contentType]
        let engine = self.engine
        let now = Date()
        let session = existing
        let exchange: SyncExchange
        do {
            exchange = try await store.perform { tx in
                try engine.handle(body, contentType: contentType, state: session, endpoint: endpoint, now: now, transaction: tx)
            }
        } catch {
            if let existing { await sessions.checkin(existing) }
            logger.error("sync message failed: \(error)")
            return Self.text(.internalServerError, "the message could not be processed: \(error.localizedDescription)")
        }
        if let state = exchange.state {
            if existing == nil, let firstHash { await sessions.remember(firstMessage: firstHash, token: state.token) }
            await sessions.checkin(state)
        } else if let token {
            await sessions.release(token)
        }
        var headers = HTTPFields()
        headers[.contentType] = exchange.contentType
        return Response(status: HTTPResponse.Status(code: exchange.httpStatus), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: exchange.body)))
    }

    /// Records the sessions idle too long as abandoned; returns how many.
    @discardableResult
    public func expireSessions(now: Date = Date(), reason: String? = nil) async -> Int {
        let expired = await sessions.expire(now: now, timeout: sessionTimeout)
        let timeout = sessionTimeout
        for var state in expired where state.record.status == .active || !state.isFinished {
            let record = state.abandon(now: Date(), timeout: timeout, reason: reason)
            let id = state.recordID
            do {
                try await store.perform { tx in try tx.updateSession(id: id, record) }
            } catch {
                logger.error("could not record abandoned session \(id): \(error)")
            }
        }
        return expired.count
    }

    /// Expires idle sessions every few seconds until cancelled.
    public func runExpiry() async {
        let interval = max(1, min(30, sessionTimeout / 4))
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(interval))
            await expireSessions()
        }
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
