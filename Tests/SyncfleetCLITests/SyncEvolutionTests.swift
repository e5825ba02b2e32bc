import Foundation
import GRDB
import Testing
import TestSupport

/// `serve` as the SyncML server of the real SyncEvolution client (libsynthesis, the engine
/// many phones of the era shipped), over HTTP on loopback.
@Suite("SyncEvolution against serve", .serialized)
struct SyncEvolutionTests {
    /// A store with phones and their sync credentials, and `serve` on it.
    struct Server {
        let cli: CLI
        let process: Process
        let port: Int
        var url: String { "http://127.0.0.1:\(port)/sync" }

        static func start(phones: [String], extra: [String] = []) throws -> Server {
            let cli = try CLI()
            try cli.seed()
            for (index, username) in phones.enumerated() {
                let registered = try cli.ok(["register", "--phone", "+479000\(String(format: "%04d", index))", "--model", "112",
                                             "--timezone", "Europe/Oslo", "--format", "csv"])
                let uuid = String(registered.stdout.split(separator: "\n")[1].split(separator: ",")[0])
                let file = cli.directory.appendingPathComponent("pw-\(username)")
                try Data("pass-\(username)\n".utf8).write(to: file)
                try cli.ok(["clients", "credentials", uuid, "--username", username, "--password-file", file.path])
            }
            let port = try RemoteCommandTests.freePort()
            let (process, _) = try RemoteCommandTests.startServer(cli, port: port, extra: extra)
            return Server(cli: cli, process: process, port: port)
        }

        func client(_ name: String, username: String, properties: [String] = []) throws -> SyncEvolutionClient {
            let client = try SyncEvolutionClient(directory: cli.directory.appendingPathComponent("client-\(name)"))
            try client.configure(url: url, username: username, deviceID: "device-\(name)", properties: properties)
            return client
        }

        func database() throws -> DatabaseQueue {
            var configuration = Configuration()
            configuration.readonly = true
            return try DatabaseQueue(path: cli.storePath, configuration: configuration)
        }

        func sessions() throws -> [Row] {
            try database().read { try Row.fetchAll($0, sql: "SELECT * FROM syncSession ORDER BY id") }
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            cli.remove()
        }
    }

    @Test("two phones converge: slow sync (XML), refresh from server (WBXML), then +1 ~1 -1 two-way; every session recorded")
    func convergence() throws {
        guard SyncEvolutionClient.available() else { return }
        let server = try Server.start(phones: ["alice", "bob"])
        defer { server.stop() }
        let a = try server.client("a", username: "alice")
        let b = try server.client("b", username: "bob", properties: ["enableWBXML=1"])
        for index in 0..<10 {
            try a.writeContact("c\(index).vcf", name: "Person \(index)", phone: "+4791000\(String(format: "%03d", index))")
        }
        let slow = try a.sync("slow", password: "pass-alice")
        #expect(slow.exitStatus == 0 && slow.status == 200, "\(slow.log)")
        #expect(slow.mode == "slow")
        #expect(slow.stat("remote-added") == 10)

        let refresh = try b.sync("refresh-from-server", password: "pass-bob")
        #expect(refresh.status == 200, "\(refresh.log)")
        #expect(refresh.mode == "refresh-from-remote")
        #expect(refresh.stat("local-added") == 10)
        #expect(try b.contactSummary() == a.contactSummary())

        try a.writeContact("c1.vcf", name: "Person 1", phone: "+4799999999")
        try FileManager.default.removeItem(at: a.contacts.appendingPathComponent("c2.vcf"))
        try a.writeContact("new.vcf", name: "Person New", phone: "+4798888888")
        let aTwoWay = try a.sync("two-way", password: "pass-alice")
        #expect(aTwoWay.status == 200 && aTwoWay.mode == "two-way", "\(aTwoWay.log)")
        #expect(aTwoWay.stat("remote-added") == 1 && aTwoWay.stat("remote-updated") == 1 && aTwoWay.stat("remote-removed") == 1)
        let bTwoWay = try b.sync("two-way", password: "pass-bob")
        #expect(bTwoWay.status == 200 && bTwoWay.mode == "two-way", "\(bTwoWay.log)")
        #expect(bTwoWay.stat("local-added") == 1 && bTwoWay.stat("local-updated") == 1 && bTwoWay.stat("local-removed") == 1)
        #expect(bTwoWay.stat("local-any-reject") == 0 && bTwoWay.stat("remote-any-reject") == 0)
        let summary = try b.contactSummary()
        #expect(summary == (try a.contactSummary()))
        #expect(summary["Person 1"] == "+4799999999" && summary["Person 2"] == nil && summary["Person New"] == "+4798888888")

        // Nothing left to move: a two-way sync on either side changes nothing.
        let quiet = try a.sync("two-way", password: "pass-alice")
        #expect(quiet.mode == "two-way" && quiet.stat("local-added") + quiet.stat("local-updated") + quiet.stat("local-removed") == 0)

        let sessions = try server.sessions()
        #expect(sessions.count == 5)
        #expect(sessions.allSatisfy { $0["status"] as String? == "ok" })
        #expect(sessions.map { $0["encoding"] as String? } == ["xml", "wbxml", "xml", "wbxml", "xml"])
        #expect(sessions.allSatisfy { $0["authType"] as String? == "md5" && ($0["messagesIn"] as Int? ?? 0) >= 2 })
        let perStore = try server.database().read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM syncSessionDatastore ORDER BY sessionID")
        }
        #expect(perStore.map { $0["syncType"] as Int? } == [201, 205, 200, 200, 200])
        #expect(perStore[0]["addedIn"] as Int? == 10 && perStore[1]["addedOut"] as Int? == 10)
        #expect(perStore[3]["addedOut"] as Int? == 1 && perStore[3]["replacedOut"] as Int? == 1 && perStore[3]["deletedOut"] as Int? == 1)
        let datastores = try server.database().read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM syncDatastore ORDER BY id")
        }
        #expect(datastores.count == 2)
        #expect(datastores.allSatisfy { $0["itemCount"] as Int? == 10 && $0["localURI"] as String? == "./addressbook" }, "\(datastores)")
        let chatlog = try server.database().read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chatlogMessage WHERE xml LIKE '%<SyncML%'")
        }
        #expect((chatlog ?? 0) >= 20)
    }

    @Test("SyncML 1.1 with basic authentication, and a large contact sent in chunks both ways")
    func legacyAndLargeObjects() throws {
        guard SyncEvolutionClient.available() else { return }
        let server = try Server.start(phones: ["carol", "dave"])
        defer { server.stop() }
        let c = try server.client("c", username: "carol", properties: ["SyncMLVersion=1.1", "clientAuthType=basic", "maxMsgSize=10000"])
        let note = String(repeating: "0123456789", count: 3000)
        try c.writeContact("big.vcf", name: "Big Note", phone: "+4793000000", note: note)
        try c.writeContact("small.vcf", name: "Small", phone: "+4793000001")
        let upload = try c.sync("slow", password: "pass-carol")
        #expect(upload.status == 200, "\(upload.log)")
        #expect(upload.stat("remote-added") == 2)

        let d = try server.client("d", username: "dave", properties: ["enableWBXML=1", "maxMsgSize=10000"])
        let download = try d.sync("refresh-from-server", password: "pass-dave")
        #expect(download.status == 200, "\(download.log)")
        #expect(download.stat("local-added") == 2)
        let received = try FileManager.default.contentsOfDirectory(atPath: d.contacts.path).map {
            try String(contentsOf: d.contacts.appendingPathComponent($0), encoding: .utf8)
        }
        #expect(received.contains { $0.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\n ", with: "").contains(note) })

        let sessions = try server.sessions()
        #expect(sessions.map { $0["version"] as String? } == ["1.1", "1.2"])
        #expect(sessions.map { $0["authType"] as String? } == ["basic", "md5"])
        #expect(sessions.allSatisfy { ($0["messagesOut"] as Int? ?? 0) >= 4 }, "the large object took several messages")
        let chunks = try server.database().read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chatlogMessage WHERE xml LIKE '%<MoreData/>%'")
        }
        #expect((chunks ?? 0) >= 4, "chunks went in and out")
    }

    @Test("failures are recorded: a wrong password (401), anchors lost on the server (508, slow, no duplicates), a client killed half-way")
    func failures() throws {
        guard SyncEvolutionClient.available() else { return }
        let server = try Server.start(phones: ["erin"], extra: ["--session-timeout", "2"])
        defer { server.stop() }
        let e = try server.client("e", username: "erin", properties: ["maxMsgSize=10000"])
        for index in 0..<600 {
            try e.writeContact("c\(index).vcf", name: "Contact \(index)", phone: "+4794\(String(format: "%06d", index))",
                               note: String(repeating: "n", count: 600))
        }
        let wrong = try e.sync("slow", password: "not-the-password")
        #expect(wrong.exitStatus != 0)
        #expect(wrong.status == 401 || wrong.log.contains("401"), "\(wrong.log)")
        let refused = try #require(try server.sessions().last)
        #expect(refused["status"] as String? == "failed")
        #expect((refused["error"] as String?)?.contains("wrong password for sync user erin") == true)

        // Killed half-way through its upload: the session is recorded as abandoned once idle.
        let running = try e.start("slow", password: "pass-erin")
        let deadline = Date().addingTimeInterval(30)
        let refusedID: Int64 = refused["id"]
        while Date() < deadline {
            let current = try server.sessions().last { ($0["id"] as Int64) > refusedID }
            if (current?["messagesIn"] as Int? ?? 0) >= 3 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let pkill = try Process.run(URL(fileURLWithPath: "/usr/bin/pkill"), arguments: ["-KILL", "-f", e.directory.path + "/logs"])
        pkill.waitUntilExit()
        running.waitUntilExit()
        let interrupted = try #require(try server.sessions().last)
        #expect((interrupted["messagesIn"] as Int? ?? 0) < 40, "the kill came too late to interrupt the sync")
        Thread.sleep(forTimeInterval: 5)
        let killed = try #require(try server.sessions().last)
        #expect(killed["status"] as String? == "failed")
        #expect((killed["error"] as String?)?.contains("abandoned") == true, "\(killed)")

        // The next sync finishes the job: every contact exactly once.
        let rerun = try e.sync("slow", password: "pass-erin", timeout: 120)
        #expect(rerun.status == 200, "\(rerun.log)")
        let items = try server.database().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM syncItem WHERE NOT deleted") }
        #expect(items == 600)

        // Anchors lost on the server: the client's two-way becomes a slow sync (508), and nothing is duplicated.
        let database = try DatabaseQueue(path: server.cli.storePath)
        try database.write { try $0.execute(sql: "UPDATE syncDatastore SET clientAnchor = 'lost'") }
        try database.close()
        let recovered = try e.sync("two-way", password: "pass-erin", timeout: 120)
        #expect(recovered.status == 200, "\(recovered.log)")
        #expect(recovered.mode == "slow")
        let after = try server.database().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM syncItem WHERE NOT deleted") }
        #expect(after == 600)
        let last = try server.database().read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM syncSessionDatastore ORDER BY sessionID DESC LIMIT 1")
        }
        #expect(last?["status"] as Int? == 508 && last?["syncType"] as Int? == 201 && last?["addedIn"] as Int? == 0)
    }
}
