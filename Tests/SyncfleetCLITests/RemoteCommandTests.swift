import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `syncfleet serve` as a process on 127.0.0.1, and the commands against it with --remote.
@Suite("syncfleet --remote against syncfleet serve")
struct RemoteCommandTests {
    /// A free TCP port on 127.0.0.1 (bound, read, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `syncfleet serve` and waits (at most 20 s) until it says it is serving.
    static func startServer(_ cli: CLI, port: Int, extra: [String] = []) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--base-url", "http://api.obexcode.com/v2/services/syncml/"] + extra
        process.environment = cli.environment
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var seen = ""
        while Date() < deadline && !seen.contains("serving") {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard seen.contains("serving") else {
            process.terminate()
            throw ServerError(output: seen)
        }
        return (process, stderr)
    }

    struct ServerError: Error { var output: String }

    @Test("every command gives the same output remotely as locally; SIGTERM stops the server cleanly")
    func sameOutput() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        try cli.ok(["register", "--phone", "+47 909 81 948", "--model", "112", "--timezone", "Europe/Oslo"])
        try cli.ok(["register", "--phone", "+47 900 66 951", "--model", "56", "--imei", "490154203237518"])
        let port = try Self.freePort()
        let (server, serverOutput) = try Self.startServer(cli, port: port)
        defer { if server.isRunning { server.terminate() } }
        let remote = ["--remote", "http://127.0.0.1:\(port)", "--user", "admin"]
        let password = ["SYNCFLEET_PASSWORD": "correct horse battery"]
        let base = ["--base-url", "http://api.obexcode.com/v2/services/syncml/"]
        for format in ["csv", "json", "ndjson", "tsv", "atom"] {
            let local = try cli.ok(["clients", "list", "--format", format] + base)
            let viaAPI = try cli.run(["clients", "list", "--format", format] + base + remote, environment: password)
            #expect(viaAPI.status == 0, "\(viaAPI.stderr)")
            #expect(viaAPI.stdout == local.stdout, "clients list --format \(format)")
        }
        // The operator's loop reads the same remotely: pushes, the funnel, who never synced.
        try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(cli.directory.path)/sms", "--sync-url", "http://s/sync"])
        for command in [["pushes", "list"], ["pushes", "list", "--status", "sent", "--kind", "setup"], ["status"],
                        ["clients", "list", "--never-synced"], ["clients", "list", "--synced-since", "2009-01-01"]] {
            for format in ["csv", "json"] {
                let local = try cli.ok(command + ["--format", format])
                let viaAPI = try cli.run(command + ["--format", format] + remote, environment: password)
                #expect(viaAPI.status == 0, "\(viaAPI.stderr)")
                #expect(viaAPI.stdout == local.stdout, "\(command.joined(separator: " ")) --format \(format)")
            }
        }
        #expect(Self.rowCount(try cli.ok(["pushes", "list", "--format", "csv"]).stdout) == 2)
        let uuid = try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\t")[0]
        #expect(try cli.run(["clients", "show", String(uuid), "--format", "json"] + remote, environment: password).stdout
                == cli.ok(["clients", "show", String(uuid), "--format", "json"]).stdout)
        #expect(try cli.run(["users", "list", "--format", "csv"] + remote, environment: password).stdout
                == cli.ok(["users", "list", "--format", "csv"]).stdout)
        #expect(try cli.run(["users", "list", "--format", "csv"] + remote, environment: password).stdout.contains("admin"))
        #expect(try cli.run(["models", "list", "--format", "csv"] + remote, environment: password).stdout
                == cli.ok(["models", "list", "--format", "csv"]).stdout)
        // Administration works remotely too: the catalogue, and a new user (password on stdin).
        let models = try cli.run(["models", "import", repositoryRoot.appendingPathComponent("samples/models.csv").path] + remote, environment: password)
        #expect(models.status == 0, "\(models.stderr)")
        #expect(models.stderr.contains("0 models added, 40 updated"))
        let newUser = try cli.run(["users", "add", "olga", "--email", "olga@example.com", "--format", "csv"] + remote,
                                  input: "olga's password\n", environment: password)
        #expect(newUser.status == 0, "\(newUser.stderr)")
        #expect(newUser.stdout.contains(",olga,olga@example.com,false,"))
        let olga = try cli.run(["clients", "list", "--format", "csv", "--remote", "http://127.0.0.1:\(port)", "--user", "olga"],
                               environment: ["SYNCFLEET_PASSWORD": "olga's password"])
        #expect(olga.status == 0)
        #expect(olga.stdout.split(separator: "\n").count == 1)
        let notAdmin = try cli.run(["users", "add", "mallory", "--email", "m@example.com", "--remote", "http://127.0.0.1:\(port)", "--user", "olga"],
                                   input: "mallory's password\n", environment: ["SYNCFLEET_PASSWORD": "olga's password"])
        #expect(notAdmin.status == 6)
        // A spreadsheet through the API, with requests in parallel; again: all exist.
        let sheet = repositoryRoot.appendingPathComponent("samples/phones-excel.csv").path
        let imported = try cli.run(["import-csv", sheet, "--format", "csv", "--parallel", "4"] + remote, environment: password)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.split(separator: "\n").dropFirst().filter { $0.contains(",created,") }.count == 25)
        let reimported = try cli.run(["import-csv", sheet, "--format", "csv"] + remote, environment: password)
        #expect(reimported.stdout.split(separator: "\n").dropFirst().filter { $0.contains(",exists,") }.count == 25)
        // Registration: the same validation messages and exit statuses.
        let bad = try cli.run(["register", "--phone", "+4790981948", "--model", "Nokia 6233"] + remote, environment: password)
        #expect(bad.status == 3)
        #expect(bad.stderr.contains("is ambiguous"))
        let again = try cli.run(["register", "--phone", "+4790981948", "--model", "112", "--format", "csv"] + remote, environment: password)
        #expect(again.status == 0)
        #expect(again.stderr.contains("is registered already"))
        let wrong = try cli.run(["clients", "list"] + remote, environment: ["SYNCFLEET_PASSWORD": "wrong"])
        #expect(wrong.status == 6)
        #expect(wrong.stderr.contains("authentication failed"))
        let missing = try cli.run(["clients", "delete", "00000000-0000-4000-8000-000000000000"] + remote, environment: password)
        #expect(missing.status == 4)
        try cli.ok(["clients", "delete", String(uuid)] + remote + ["--password-file", Self.passwordFile(cli)])
        #expect(try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\n").count == 26)

        server.terminate()  // SIGTERM
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        let log = String(decoding: serverOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("GET /v2/services/syncml/"))
        // The store is closed and consistent: a local command reads it.
        #expect(try cli.ok(["clients", "list", "--format", "csv"]).stdout.split(separator: "\n").count == 27)
    }

    static func rowCount(_ csv: String) -> Int { csv.split(separator: "\n").count - 1 }

    static func passwordFile(_ cli: CLI) throws -> String {
        let path = cli.directory.appendingPathComponent("admin-password").path
        try "correct horse battery\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
