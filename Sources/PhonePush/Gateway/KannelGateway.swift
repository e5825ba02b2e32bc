import AsyncHTTPClient
import Foundation
import NIOCore

/// Sends binary SMS through Kannel's HTTP interface (`/cgi-bin/sendsms` on smsbox),
/// one request per SMS: `udh` (with UDHL), `text` (the user data), `coding=1`, and
/// delivery reports to `serve` when a report URL is known.
///
/// The push is segmented here, not by Kannel: Kannel's sendsms-user defaults cut long
/// messages silently, and only a client that segments controls the concatenation reference.
public struct KannelGateway: SMSGateway {
    /// Where smsbox listens and who we are to it.
    public struct Configuration: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String
        /// Sender address; Kannel's `global-sender` when absent.
        public var from: String?
        /// Route through this SMSC id.
        public var smsc: String?
        /// Delivery report kinds: 1 delivered, 2 not delivered, 4 buffered, 8 SMSC accepted, 16 SMSC rejected.
        public var dlrMask: Int

        public init(host: String, port: Int, username: String, password: String, from: String? = nil,
                    smsc: String? = nil, dlrMask: Int = 31) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.from = from
            self.smsc = smsc
            self.dlrMask = dlrMask
        }
    }

    public let configuration: Configuration
    let client: HTTPClient
    let timeout: TimeAmount

    /// The HTTP client of gateways: a refused connection fails at once (the caller's retry
    /// policy decides what happens next, instead of the client retrying until its timeout),
    /// and enough connections for a wide batch.
    public static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public init(configuration: Configuration, client: HTTPClient = KannelGateway.httpClient, timeout: TimeAmount = .seconds(15)) {
        self.configuration = configuration
        self.client = client
        self.timeout = timeout
    }

    public var name: String { "kannel \(configuration.host):\(configuration.port)" }

    public func send(_ messages: [SMS], to phoneNumber: String, envelope: PushEnvelope) async throws(GatewayError) -> [GatewayReceipt] {
        var receipts: [GatewayReceipt] = []
        for (index, sms) in messages.enumerated() {
            let id = index < envelope.messageIDs.count ? envelope.messageIDs[index] : "\(envelope.clientUUID)-\(index + 1)"
            let url = requestURL(sms, to: phoneNumber, messageID: id, reportURL: envelope.deliveryReportURL)
            let status: Int, answer: String
            do {
                (status, answer) = try await get(url)
            } catch .unreachable(let reason, _) {
                throw .unreachable(reason: reason, part: index + 1)
            }
            switch status {
            case 200..<300:
                receipts.append(GatewayReceipt(messageID: id, answer: answer.trimmingCharacters(in: .whitespacesAndNewlines),
                                               queued: answer.hasPrefix("3:")))
            case 429, 500..<600:
                throw .temporary(status: status, answer: answer, part: index + 1)
            default:
                throw .refused(status: status, answer: answer, part: index + 1)
            }
        }
        return receipts
    }

    /// The sendsms GET for one SMS.
    /// The sendsms URL of one SMS (benchmarks replay these as a plain HTTP load).
    public func requestURL(_ sms: SMS, to phoneNumber: String, messageID: String, reportURL: String?) -> String {
        var query: [(String, String)] = [
            ("username", Self.escape(configuration.username)),
            ("password", Self.escape(configuration.password)),
            ("to", Self.escape(phoneNumber)),
            ("udh", Self.escape(sms.udh)),
            ("text", Self.escape(sms.userData)),
            ("coding", "1"),
        ]
        if let from = configuration.from { query.append(("from", Self.escape(from))) }
        if let smsc = configuration.smsc { query.append(("smsc", Self.escape(smsc))) }
        if let reportURL, configuration.dlrMask > 0 {
            let separator = reportURL.contains("?") ? "&" : "?"
            // %d (report type) and %A (SMSC answer) are Kannel's escapes, filled in when it calls back.
            let callback = reportURL + separator + "id=\(messageID)&type=%d&answer=%A"
            query.append(("dlr-mask", String(configuration.dlrMask)))
            query.append(("dlr-url", Self.escape(callback)))
        }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(configuration.port)/cgi-bin/sendsms?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    func get(_ url: String) async throws(GatewayError) -> (Int, String) {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), String(buffer: body))
        } catch {
            let text = "\(error)"
            let reason = text.contains("Connection refused") ? "connection refused"
                : text.lowercased().contains("timeout") || text.lowercased().contains("timed out") ? "no answer in time" : text
            throw .unreachable(reason: "\(configuration.host):\(configuration.port): \(reason)")
        }
    }

    /// Percent-encodes every octet outside `A-Z a-z 0-9 . _ ~ -` (a bare `+` would be a space to Kannel).
    static func escape(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if unreserved[Int(byte)] {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let unreserved: [Bool] = (0...255).map { value in
        let byte = UInt8(value)
        return (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || Array("._~-".utf8).contains(byte)
    }

    static func escape(_ text: String) -> String { escape(Array(text.utf8)) }
}
