import Foundation
import Testing

/// The real SyncEvolution client (Debian's `syncevolution`), driven through
/// `scripts/syncevolution-client` with its own state directory.
public struct SyncEvolutionClient: Sendable {
    public let directory: URL
    public var contacts: URL { directory.appendingPathComponent("contacts") }

    static let script = repositoryRoot.appendingPathComponent("scripts/syncevolution-client").path

    /// Whether the client can run here; under CI a missing client is a failure, not a skip.
    public static func available(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let tools = ["/usr/bin/syncevolution", "/usr/bin/gcc"]
        if tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("syncevolution or gcc is missing: install Debian's syncevolution and gcc (the README's test command does)",
                         sourceLocation: sourceLocation)
        }
        return false
    }

    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: contacts, withIntermediateDirectories: true)
    }

    /// Configures the client for a server URL, user name and device id; `properties` override the defaults
    /// (SyncML 1.2, XML, md5, vCard 3.0, datastore `contacts`).
    public func configure(url: String, username: String, deviceID: String, properties: [String] = []) throws {
        let result = try Self.run([directory.path, "configure", url, username, deviceID] + properties, password: "")
        guard result.status == 0 else {
            let log = (try? String(contentsOf: directory.appendingPathComponent("configure.log"), encoding: .utf8)) ?? ""
            throw Failure(description: "syncevolution --configure failed (\(result.status)): \(log)")
        }
    }

    /// Runs one sync (`slow`, `two-way`, `refresh-from-server` …) and reads its `status.ini`.
    public func sync(_ mode: String, password: String, properties: [String] = [], timeout: Int = 60) throws -> SyncResult {
        let result = try Self.run([directory.path, "sync", mode] + properties, password: password, timeout: timeout)
        var values: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let equals = line.range(of: " = ") else { continue }
            values[String(line[..<equals.lowerBound])] = String(line[equals.upperBound...])
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("sync.log"), encoding: .utf8)) ?? ""
        return SyncResult(exitStatus: result.status, values: values, log: log)
    }

    /// Starts a sync without waiting for it (to kill it half-way).
    public func start(_ mode: String, password: String, properties: [String] = []) throws -> Process {
        let process = Self.process([directory.path, "sync", mode] + properties, password: password, timeout: 120)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Writes a vCard 3.0 contact file.
    public func writeContact(_ file: String, name: String, phone: String, note: String? = nil) throws {
        var card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(name)\r\nN:\(name);;;;\r\nTEL;TYPE=CELL:\(phone)\r\n"
        if let note { card += "NOTE:\(note)\r\n" }
        card += "END:VCARD\r\n"
        try Data(card.utf8).write(to: contacts.appendingPathComponent(file))
    }

    /// The contacts as `FN → TEL` (what survives every server), read from the files.
    public func contactSummary() throws -> [String: String] {
        var summary: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: contacts.path) {
            let text = try String(contentsOf: contacts.appendingPathComponent(file), encoding: .utf8)
            let lines = text.replacingOccurrences(of: "\r\n ", with: "").split(whereSeparator: \.isNewline)
            let name = lines.first { $0.hasPrefix("FN:") }.map { String($0.dropFirst(3)) } ?? "?"
            let tel = lines.first { $0.hasPrefix("TEL") }.flatMap { $0.split(separator: ":").last.map(String.init) } ?? ""
            summary[name] = tel
        }
        return summary
    }

    static func process(_ arguments: [String], password: String, timeout: Int = 60) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SYNC_PASSWORD"] = password
        environment["SYNC_TIMEOUT"] = String(timeout)
        process.environment = environment
        return process
    }

    static func run(_ arguments: [String], password: String, timeout: Int = 60) throws -> (status: Int32, output: String) {
        let process = process(arguments, password: password, timeout: timeout)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }
}

/// What one sync reported (`status.ini`).
public struct SyncResult: Sendable {
    public var exitStatus: Int32
    public var values: [String: String]
    /// What the client printed.
    public var log: String

    /// The sync's status (200 on success).
    public var status: Int? { values["status"].flatMap { Int($0) } }
    /// The mode the datastore synced in (`slow`, `two-way`, `refresh-from-remote` …).
    public var mode: String? { values["source-addressbook-mode"] }
    /// A statistic, e.g. `local-added`, `remote-updated`, `local-any-reject`.
    public func stat(_ name: String) -> Int {
        Int(values["source-addressbook-stat-\(name)-total"] ?? values["source-addressbook-stat-\(name)"] ?? "0") ?? 0
    }
}

extension SyncEvolutionClient {
    /// ``sync(_:password:properties:timeout:)`` off the cooperative pool.
    public func syncAsync(_ mode: String, password: String, properties: [String] = [], timeout: Int = 60) async throws -> SyncResult {
        try await offloaded { try self.sync(mode, password: password, properties: properties, timeout: timeout) }
    }
}
