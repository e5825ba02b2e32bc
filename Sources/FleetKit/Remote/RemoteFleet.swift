import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A ``Fleet`` behind the ObexCode REST API (`syncfleet serve`, or any server that speaks it).
///
/// Requests go through AsyncHTTPClient's shared, pooled client, with timeouts. Requests
/// that may be repeated safely (GET, DELETE, and `POST /` of a registration, which the
/// server answers idempotently) are retried with exponential backoff on connection errors,
/// 5xx answers and 429 (honouring `Retry-After`); others are sent once. Listings are read
/// a page at a time (`?limit=` and the `next` link), so memory stays flat.
public struct RemoteFleet: Fleet {
    /// The API endpoint, ending in `/v2/services/syncml/`.
    public let endpoint: String
    let authorization: String
    let timeout: TimeAmount
    let retries: Int

    /// - Parameters:
    ///   - url: the endpoint as the ObexCode document prints it, or a server root (completed to `/v2/services/syncml/`).
    public init(url: String, user: String, password: String, timeout: Duration = .seconds(30), retries: Int = 4) throws {
        endpoint = try Self.normalize(url)
        authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.retries = retries
    }

    /// `http://host:port` → `http://host:port/v2/services/syncml/`; a full endpoint keeps its path.
    public static func normalize(_ url: String) throws -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw FleetError.invalid(FieldError(field: "--remote", value: url, reason: "not an http:// or https:// URL"))
        }
        var path = components.path
        if path.isEmpty || path == "/" { path = "/v2/services/syncml/" }
        if !path.hasSuffix("/") { path += "/" }
        var rebuilt = components
        rebuilt.path = path
        rebuilt.query = nil
        return rebuilt.string ?? url
    }

    // MARK: HTTP

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Sends a request; retries it when `idempotent`, as described on the type.
    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String? = nil,
              accept: String = "application/json", idempotent: Bool) async throws -> Answer {
        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: endpoint + path)
            request.method = method
            request.headers.add(name: "Authorization", value: authorization)
            request.headers.add(name: "Accept", value: accept)
            request.headers.add(name: "User-Agent", value: "syncfleet")
            if let body {
                request.body = .bytes(ByteBuffer(bytes: body))
                request.headers.add(name: "Content-Type", value: contentType ?? "application/atom+xml")
            }
            var retryAfter: Double?
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: timeout)
                let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
                let status = Int(response.status.code)
                if idempotent && attempt <= retries && (status >= 500 || status == 429) {
                    retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
                } else {
                    return Answer(status: status, headers: response.headers, body: bytes)
                }
            } catch let error as HTTPClientError where idempotent && attempt <= retries && Self.isTransient(error) {
                retryAfter = nil
            } catch let error as HTTPClientError {
                throw FleetError.remote(status: 0, message: "\(endpoint): \(Self.describe(error))")
            } catch let error where idempotent && attempt <= retries && Self.isConnectionError(error) {
                retryAfter = nil
            } catch {
                throw FleetError.remote(status: 0, message: "\(endpoint): \(error)")
            }
            let backoff = min(retryAfter ?? 0.2 * pow(2, Double(attempt - 1)), 30)
            try await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
        }
    }

    static func isTransient(_ error: HTTPClientError) -> Bool {
        error == .connectTimeout || error == .remoteConnectionClosed || error == .readTimeout || error == .deadlineExceeded
    }

    /// Connection refused or reset (NIO's errors, which AsyncHTTPClient passes through).
    static func isConnectionError(_ error: any Error) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("connect") || text.contains("refused") || text.contains("reset")
    }

    static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .connectTimeout: return "connection timed out"
        case .readTimeout, .deadlineExceeded: return "the server did not answer in time"
        case .remoteConnectionClosed: return "the server closed the connection"
        default: return String(describing: error)
        }
    }

    /// The answer's body when the status is one of `expected`; otherwise the error it stands for.
    func expect(_ answer: Answer, _ expected: Set<Int>) throws -> Data {
        if expected.contains(answer.status) { return Data(answer.body.readableBytesView) }
        var message = String(buffer: answer.body)
        if let object = try? JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any],
           let error = object["error"] as? [String: Any], let text = error["message"] as? String {
            message = text
        }
        if answer.status == 401 {
            message = "\(endpoint): authentication failed (\(message)); check --user and the password (SYNCFLEET_PASSWORD or --password-file)"
        }
        throw FleetError.remote(status: answer.status, message: message)
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw FleetError.remote(status: 0, message: "\(endpoint): the answer is not what the API sends (\(error))")
        }
    }

    static func query(_ items: [String: String?]) -> String {
        let parts = items.compactMap { key, value in value.map { "\(key)=\(APIQuery.escape($0))" } }.sorted()
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// The `after` value of a `Link: <…after=X…>; rel="next"` header.
    static func nextCursor(_ headers: HTTPHeaders) -> String? {
        guard let link = headers.first(name: "Link"), link.contains("rel=\"next\""),
              let start = link.firstIndex(of: "<"), let end = link.firstIndex(of: ">"),
              let components = URLComponents(string: String(link[link.index(after: start)..<end])) else { return nil }
        return components.queryItems?.first { $0.name == "after" }?.value
    }
}

/// Percent-encoding for query values and path parts of the API.
public enum APIQuery {
    /// `value` with everything but unreserved characters percent-encoded.
    public static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}
