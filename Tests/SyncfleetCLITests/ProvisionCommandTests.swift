import Foundation
import GRDB
import PhonePush
import Testing
@testable import FleetKit

/// provision, alert, settings and clients credentials as a user runs them, with the
/// directory gateway (the Kannel path is in KannelCommandTests).
@Suite("syncfleet provision and alert")
struct ProvisionCommandTests {
    /// A seeded store with `count` phones of model 112 and the sync URL set.
    static func store(phones count: Int) throws -> CLI {
        let cli = try CLI()
        try cli.seed()
        var text = "phone,model\n"
        for index in 0..<count { text += "+4742\(String(format: "%06d", index)),112\n" }
        let file = cli.directory.appendingPathComponent("phones.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try cli.ok(["import-csv", file.path, "--format", "csv", "-q"])
        try cli.ok(["settings", "set", "sync-url", "http://sync.example.net/sync"])
        return cli
    }

    static func rows(_ csv: String) -> [[String: String]] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test("import-csv | provision --from -: one result per phone, files per SMS, re-run skips, --force resends")
    func pipeline() throws {
        let cli = try Self.store(phones: 5)
        defer { cli.remove() }
        let imported = try cli.ok(["clients", "list", "--format", "ndjson"]).stdout
        let spool = cli.directory.appendingPathComponent("sms").path
        let first = try cli.run(["provision", "--from", "-", "--pin", "1234", "--gateway", "dir:\(spool)", "--format", "csv"], input: imported)
        #expect(first.status == 0, "\(first.stderr)")
        let rows = Self.rows(first.stdout)
        #expect(rows.count == 5 && rows.allSatisfy { $0["status"] == "sent" && $0["format"] == "oma-cp/userpin" })
        #expect(first.stderr.contains("5 phones: 5 sent"))
        let files = try FileManager.default.contentsOfDirectory(atPath: spool)
        #expect(files.count == rows.reduce(0) { $0 + Int($1["messages"]!)! })
        #expect(files.allSatisfy { $0.hasSuffix(".bin") && $0.contains(".setup.") })
        let dash = try cli.run(["provision", "-", "--pin", "1234", "--gateway", "dir:\(spool)", "--format", "csv"], input: imported)
        #expect(dash.status == 0 && Self.rows(dash.stdout).count == 5)
        let again = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(spool)", "--format", "csv"])
        #expect(Self.rows(again.stdout).allSatisfy { $0["status"] == "skipped" })
        let forced = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(spool)", "--format", "csv", "--force"])
        #expect(Self.rows(forced.stdout).allSatisfy { $0["status"] == "sent" })
        // The client entry shows the setup as the seed does.
        let uuid = rows[0]["uuid"]!
        #expect(try cli.ok(["clients", "show", uuid, "--format", "atom"]).stdout.contains("<setup sent=\"2009-03-17 10:51:55\">SyncServer</setup>"))
    }

    @Test("killed with SIGKILL half-way, a re-run sends only to the phones not sent yet")
    func killAndResume() throws {
        let cli = try Self.store(phones: 400)
        defer { cli.remove() }
        let spool = cli.directory.appendingPathComponent("sms")
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["provision", "--all", "--pin", "1234", "--gateway", "dir:\(spool.path)", "--format", "csv", "--parallel", "4"]
        process.environment = cli.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if ((try? FileManager.default.contentsOfDirectory(atPath: spool.path))?.count ?? 0) > 200 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let fleet = try LocalFleet.open(path: cli.storePath, mode: .mustExist)
        defer { try? fleet.close() }
        let before = try fleet.pushCounts()
        #expect(before.sent > 0 && before.sent < 400, "killed after \(before.sent) phones")

        let rerun = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(spool.path)", "--format", "csv"])
        let statuses = Self.rows(rerun.stdout).map { $0["status"]! }
        #expect(statuses.count == 400)
        #expect(statuses.filter { $0 == "skipped" }.count == before.sent)
        #expect(statuses.filter { $0 == "sent" }.count == 400 - before.sent)
        let after = try fleet.pushCounts()
        #expect(after.sent == 400 && after.clientsWithTwoSent == 0)
    }

    @Test("the mistakes: no sync URL, a bad gateway, no phones named, an unknown uuid, remote-only flags")
    func mistakes() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        let uuid = try cli.ok(["register", "--phone", "+4790000001", "--model", "112", "--format", "csv"]).stdout
            .split(separator: "\n")[1].split(separator: ",")[0]
        let spool = "dir:\(cli.directory.path)/sms"
        let noURL = try cli.run(["provision", String(uuid), "--pin", "1234", "--gateway", spool])
        #expect(noURL.status == 2 && noURL.stderr.contains("no sync-url is set: pass --sync-url, set SYNCFLEET_SYNC_URL"))
        let badGateway = try cli.run(["provision", String(uuid), "--pin", "1234", "--gateway", "smpp://x", "--sync-url", "http://s/sync"])
        #expect(badGateway.status == 2 && badGateway.stderr.contains("bad gateway address"))
        let none = try cli.run(["provision", "--pin", "1234"])
        #expect(none.status == 2 && none.stderr.contains("name the phones one way"))
        let unknown = try cli.run(["provision", "00000000-0000-4000-8000-000000000000", "--pin", "1234", "--gateway", spool,
                                   "--sync-url", "http://s/sync", "--format", "csv"])
        #expect(unknown.status == 5 && unknown.stdout.contains(",invalid,") && unknown.stdout.contains("no client 00000000"))
        let badPin = try cli.run(["provision", String(uuid), "--pin", "12a4"])
        #expect(badPin.status != 0 && badPin.stderr.contains("PIN"))
        let badSetting = try cli.run(["settings", "set", "sync-url", "not a url"])
        #expect(badSetting.status == 3 && badSetting.stderr.contains("sync-url"))
        let remote = try cli.run(["provision", "--all", "--remote", "http://127.0.0.1:9", "--user", "admin", "--gateway", spool],
                                 environment: ["SYNCFLEET_PASSWORD": "x"])
        #expect(remote.status == 2 && remote.stderr.contains("are the server's with --remote"))
    }

    @Test("--dry-run records and sends nothing but shows the SMS; --gateway - prints them as hex")
    func dryRunAndHex() throws {
        let cli = try Self.store(phones: 2)
        defer { cli.remove() }
        let hex = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "-", "--dry-run"])
        let lines = hex.stdout.split(separator: "\n")
        #expect(lines.count >= 4 && lines.allSatisfy { $0.split(separator: " ").count == 6 && $0.contains(" setup ") })
        let first = lines[0].split(separator: " ")
        let udh = Hex.bytes(String(first[4]))!, data = Hex.bytes(String(first[5]))!
        #expect(udh.count + data.count <= 140 && Array(udh.prefix(7)) == [0x0B, 0x05, 0x04, 0x0B, 0x84, 0x0B, 0x84])
        let wide = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "-", "--dry-run", "--long-reference"])
        let wideUDH = Hex.bytes(String(wide.stdout.split(separator: "\n")[0].split(separator: " ")[4]))!
        #expect(Array(wideUDH.prefix(9)) == [0x0C, 0x05, 0x04, 0x0B, 0x84, 0x0B, 0x84, 0x08, 0x04])
        // Nothing was recorded: a real run sends to both.
        let real = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(cli.directory.path)/sms", "--format", "csv"])
        #expect(Self.rows(real.stdout).allSatisfy { $0["status"] == "sent" })
    }

    @Test("clients credentials: generated and printed, or read from a file; the setup then carries them")
    func credentials() throws {
        let cli = try Self.store(phones: 1)
        defer { cli.remove() }
        let uuid = Self.rows(try cli.ok(["clients", "list", "--format", "csv"]).stdout)[0]["uuid"]!
        let generated = try cli.ok(["clients", "credentials", uuid])
        #expect(generated.stdout.contains("username\tsf") && generated.stdout.contains("password\t"))
        let file = cli.directory.appendingPathComponent("pw")
        try "Phone-Secret-1\n".write(to: file, atomically: true, encoding: .utf8)
        let set = try cli.ok(["clients", "credentials", uuid, "--username", "phone-one", "--password-file", file.path])
        #expect(set.stdout == "username\tphone-one\n")
        let shown = try cli.ok(["provision", uuid, "--pin", "1234", "--gateway", "dir:\(cli.directory.path)/sms", "--show-credentials", "--format", "json"])
        #expect(shown.stdout.contains("\"sync_username\":\"phone-one\"") && shown.stdout.contains("\"sync_password\":\"Phone-Secret-1\""))
        let tooLong = try cli.run(["clients", "credentials", uuid], input: String(repeating: "x", count: 23) + "\n")
        #expect(tooLong.status == 3 && tooLong.stderr.contains("22"))
    }

    @Test("alert --rate spaces the phones out; SAN 1.2 files decode")
    func alertRate() throws {
        let cli = try Self.store(phones: 6)
        defer { cli.remove() }
        let spool = cli.directory.appendingPathComponent("sms")
        let start = Date()
        let result = try cli.ok(["alert", "--all", "--gateway", "dir:\(spool.path)", "--rate", "20/s", "--format", "csv", "--sync-type", "refresh-from-server"])
        #expect(Date().timeIntervalSince(start) >= 0.25)  // 6 starts at 20/s: at least 5 intervals of 50 ms
        let rows = Self.rows(result.stdout)
        #expect(rows.count == 6 && rows.allSatisfy { $0["status"] == "sent" && $0["format"] == "san-1.2" })
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: spool.path).first)
        let octets = Array(try Data(contentsOf: spool.appendingPathComponent(file)))
        let push = try WSPPush.decode(Array(octets[7...]))
        let san = try ServerAlertedNotification.decode(push.body)
        #expect(san.syncs.allSatisfy { $0.type == .refreshFromServer } && san.syncs.count == 3)
    }
}

extension LocalFleet {
    /// How many setups were sent, and how many phones got more than one (tests only).
    func pushCounts() throws -> (sent: Int, clientsWithTwoSent: Int) {
        try database.read { db in
            let sent = try Int.fetchOne(db, sql: "SELECT count(*) FROM setup WHERE state = 'sent'") ?? 0
            let twice = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT clientID FROM setup WHERE state = 'sent' GROUP BY clientID HAVING count(*) > 1)") ?? 0
            return (sent, twice)
        }
    }
}

/// decode-push reads back what the dir: and - gateways wrote.
@Suite("syncfleet decode-push")
struct DecodePushCommandTests {
    @Test("files of dir: and hex lines of - decode to the document; the MAC and the SAN digest are checked")
    func decode() throws {
        let cli = try ProvisionCommandTests.store(phones: 1)
        defer { cli.remove() }
        let spool = cli.directory.appendingPathComponent("sms").path
        try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(spool)"])
        try cli.ok(["alert", "--all", "--gateway", "dir:\(spool)"])
        let shown = try cli.ok(["decode-push", spool, "--pin", "1234"])
        #expect(shown.stdout.contains("content type application/vnd.wap.connectivity-wbxml, SEC USERPIN"))
        #expect(shown.stdout.contains("# MAC verified with the USERPIN key"))
        #expect(shown.stdout.contains("<parm name=\"APPID\" value=\"w5\"/>"))
        #expect(shown.stdout.contains("# SAN version 1.2, ui-mode background, initiated by server"))
        #expect(shown.stdout.contains("206 two-way contacts"))
        let wrong = try cli.run(["decode-push", spool, "--pin", "9999"])
        #expect(wrong.status == 3 && wrong.stdout.contains("MAC does NOT match"))

        let hex = try cli.ok(["provision", "--all", "--pin", "4321", "--gateway", "-", "--dry-run"]).stdout
        let fromStdin = try cli.run(["decode-push", "-", "--pin", "4321"], input: hex)
        #expect(fromStdin.status == 0 && fromStdin.stdout.contains("# MAC verified"))
        let garbage = try cli.run(["decode-push", "-"], input: "not hex\n")
        #expect(garbage.status != 0 && garbage.stderr.contains("hex line 1"))
    }
}
