import Foundation
import Testing
import TestSupport

/// Runs the built `syncfleet` binary as a user would, and captures what it prints.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The directory with the built products (the test bundle sits beside them).
    static let productsDirectory: URL = {
        if let explicit = ProcessInfo.processInfo.environment["SYNCFLEET_BIN"] {
            return URL(fileURLWithPath: explicit).deletingLastPathComponent()
        }
        var candidates: [URL] = []
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            candidates.append(url)
            if url.lastPathComponent == ".build" { break }
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("syncfleet").path) {
            return candidate
        }
        return repositoryRoot.appendingPathComponent(".build/debug")
    }()

    static var binary: URL { productsDirectory.appendingPathComponent("syncfleet") }

    let directory: URL
    var environment: [String: String]

    /// A CLI with its own store in a fresh directory and a fixed clock.
    init(now: String = "2009-03-17T10:51:55Z") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        environment = [
            "PATH": "/usr/bin:/bin",
            "HOME": directory.path,
            "SYNCFLEET_STORE": directory.appendingPathComponent("fleet.sqlite").path,
            "SYNCFLEET_NOW": now,
        ]
    }

    var storePath: String { environment["SYNCFLEET_STORE"]! }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Runs `syncfleet arguments…` with `input` on stdin.
    @discardableResult
    func run(_ arguments: [String], input: String = "", stdin: Data? = nil, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = directory
        let stdout = Pipe(), stderr = Pipe(), stdinPipe = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdinPipe
        try process.run()
        stdinPipe.fileHandleForWriting.write(stdin ?? Data(input.utf8))
        try stdinPipe.fileHandleForWriting.close()
        // Read both pipes while the process runs, so that a full pipe cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        group.enter()
        DispatchQueue.global().async { out = stdout.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { err = stderr.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs and expects success.
    @discardableResult
    func ok(_ arguments: [String], input: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let result = try run(arguments, input: input)
        #expect(result.status == 0, "syncfleet \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// A store with the sample catalogue and one administrator.
    func seed() throws {
        try ok(["users", "add", "admin", "--email", "support@obexcode.com", "--admin"], input: "correct horse battery\n")
        try ok(["models", "import", repositoryRoot.appendingPathComponent("samples/models.csv").path])
    }
}

extension CLI {
    /// ``run(_:input:stdin:environment:)`` off the cooperative pool.
    func runAsync(_ arguments: [String], input: String = "", environment extra: [String: String] = [:]) async throws -> Result {
        let cli = self
        return try await offloaded { try cli.run(arguments, input: input, environment: extra) }
    }

    /// ``ok(_:input:sourceLocation:)`` off the cooperative pool.
    @discardableResult
    func okAsync(_ arguments: [String], input: String = "", sourceLocation: SourceLocation = #_sourceLocation) async throws -> Result {
        let result = try await runAsync(arguments, input: input)
        #expect(result.status == 0, "syncfleet \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }
}

let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")

/// Whether golden files are to be written instead of compared (`SYNCFLEET_UPDATE_GOLDEN=1 swift test`).
let updateGolden = ProcessInfo.processInfo.environment["SYNCFLEET_UPDATE_GOLDEN"] == "1"

/// Compares `actual` with the golden file `name`, or writes it when updating.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = fixtures.appendingPathComponent("golden/" + name)
    if updateGolden {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "differs from Tests/Fixtures/golden/\(name) (SYNCFLEET_UPDATE_GOLDEN=1 rewrites it)", sourceLocation: sourceLocation)
}

/// Replaces random client uuids with `<uuid-N>` in order of first appearance.
func stableUUIDs(_ text: String) -> String {
    let pattern = try! NSRegularExpression(pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
    var names: [String: String] = [:]
    var result = text
    for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        let uuid = String(text[Range(match.range, in: text)!])
        if names[uuid] == nil { names[uuid] = "<uuid-\(names.count + 1)>" }
    }
    for (uuid, name) in names { result = result.replacingOccurrences(of: uuid, with: name) }
    return result
}
