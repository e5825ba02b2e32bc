import Foundation
import Testing

/// A real Kannel (bearerbox, smsbox and the fake SMS centre) on 127.0.0.1, started by
/// `scripts/kannel-loopback`, and what reached its fake SMS centre.
public final class KannelLoopback: @unchecked Sendable {
    public let directory: URL
    public let sendsmsPort: Int
    public let user = "fleet"
    public let password = "fleet-secret"

    /// One SMS as fakesmsc logged it.
    public struct Captured: Sendable, Hashable {
        public var from: String
        public var to: String
        public var udh: [UInt8]
        public var data: [UInt8]
    }

    static let script = repositoryRoot.appendingPathComponent("scripts/kannel-loopback").path

    /// Whether Kannel can run here; under CI a missing Kannel is a failure, not a skip.
    public static func available(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let parts = ["/usr/sbin/bearerbox", "/usr/sbin/smsbox", "/usr/lib/kannel/test/fakesmsc"]
        if parts.allSatisfy(FileManager.default.isExecutableFile(atPath:)) { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("Kannel is missing: install Debian's kannel and kannel-extras (the README's test command does)",
                         sourceLocation: sourceLocation)
        }
        return false
    }

    /// Starts a Kannel on free ports (a few tries), or throws with its logs.
    public static func start(queueLimit: Int? = nil) throws -> KannelLoopback {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kannel-\(UUID().uuidString)")
        var lastError = ""
        for _ in 0..<5 {
            let base = Int.random(in: 200...600) * 50
            let (status, output) = try run([script, "start", directory.path, String(base), "fleet", "fleet-secret"],
                                           environment: queueLimit.map { ["KANNEL_QUEUE_LIMIT": String($0)] } ?? [:])
            if status == 0, let field = output.split(separator: " ").first(where: { $0.hasPrefix("sendsms=") }),
               let port = Int(field.dropFirst("sendsms=".count).trimmingCharacters(in: .whitespacesAndNewlines)) {
                return KannelLoopback(directory: directory, sendsmsPort: port)
            }
            lastError = output
            _ = try? run([script, "stop", directory.path])
        }
        throw KannelError(message: "Kannel did not start: \(lastError)")
    }

    init(directory: URL, sendsmsPort: Int) {
        self.directory = directory
        self.sendsmsPort = sendsmsPort
    }

    /// The `--gateway` of this Kannel; another password makes Kannel refuse.
    public func gatewayURL(password: String? = nil) -> String {
        "kannel://\(user):\(password ?? self.password)@127.0.0.1:\(sendsmsPort)"
    }

    /// Stops the fake SMS centre (bearerbox queues what comes meanwhile), or starts it again.
    public func stopSMSC() throws { try script("stop-smsc") }
    public func startSMSC() throws { try script("start-smsc") }
    /// Kills bearerbox (SIGKILL) and starts it again with the SMS centre; smsbox reconnects.
    public func restartBearerbox() throws { try script("restart-bearerbox") }

    private func script(_ command: String) throws {
        let (status, output) = try Self.run([Self.script, command, directory.path])
        guard status == 0 else { throw KannelError(message: "kannel-loopback \(command): \(output)") }
    }

    public func stop() {
        _ = try? Self.run([Self.script, "stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Every SMS fakesmsc has logged so far, in order.
    public func captured() -> [Captured] {
        let log = (try? String(contentsOf: directory.appendingPathComponent("fakesmsc.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line -> Captured? in
            guard line.contains("Got message"), let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">") else { return nil }
            let fields = line[line.index(after: open)..<close].split(separator: " ").map(String.init)
            guard fields.count >= 4 else { return nil }
            var udh: [UInt8] = []
            var data: [UInt8] = []
            var index = 2
            while index + 1 < fields.count {
                switch fields[index] {
                case "udh": udh = Self.decode(fields[index + 1])
                case "data": data = Self.decode(fields[index + 1])
                default: break
                }
                index += 2
            }
            return Captured(from: fields[0], to: fields[1], udh: udh, data: data)
        }
    }

    /// Waits (at most `timeout` seconds) until at least `count` SMS were captured.
    public func waitForMessages(count: Int, timeout: Double = 20) throws -> [Captured] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let messages = captured()
            if messages.count >= count { return messages }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw KannelError(message: "fakesmsc got \(captured().count) SMS, not \(count), within \(timeout) s")
    }

    /// Sends an HTTP GET to smsbox (sendota, sendsms); returns status and body.
    public func get(_ pathAndQuery: String) throws -> (Int, String) {
        try Self.http("GET \(pathAndQuery) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", port: sendsmsPort)
    }

    /// Sends an HTTP POST to smsbox with headers and a body.
    public func post(_ path: String, headers: [(String, String)], body: Data) throws -> (Int, String) {
        var request = "POST \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        return try Self.http(request, body: body, port: sendsmsPort)
    }

    /// Kannel's URL encoding: `+` is a space, `%XX` an octet.
    static func decode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "+") { out.append(0x20) }
            else if byte == UInt8(ascii: "%"), bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else { out.append(byte) }
        }
        return out
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Output goes to a file, not a pipe: the daemons the script leaves running must not
        // be able to hold our end open.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kannel-script-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: file) }
        let handle = try FileHandle(forWritingTo: file)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }

    /// A tiny HTTP/1.0 client over a socket (loopback only; Kannel closes after the answer).
    static func http(_ head: String, body: Data = Data(), port: Int) throws -> (Int, String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw KannelError(message: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw KannelError(message: "cannot connect to 127.0.0.1:\(port)") }
        let request = Array(head.utf8) + Array(body)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
            // Done once the headers and Content-Length octets of body are in (Kannel may keep the line open).
            let text = String(decoding: response, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let headers = text[..<end.lowerBound].lowercased()
                if let line = headers.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
                   text.utf8.distance(from: end.upperBound.samePosition(in: text.utf8)!, to: text.utf8.endIndex) >= length {
                    break
                }
            }
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, bodyText)
    }
}

public struct KannelError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
