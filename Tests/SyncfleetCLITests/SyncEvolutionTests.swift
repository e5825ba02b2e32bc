import Foundation
import GRDB
import Testing
import TestSupport

/// `serve` as the SyncML server of the real SyncEvolution client (libsynthesis, the engine
/// many phones of the era shipped), over HTTP on loopback.
@Suite("SyncEvolution against serve", .serialized)
struct SyncEvolutionTests {
    /// A store with phones and their sync credentials, and `serve` on it.
    struct Server: @unchecked Sendable {
        let cli: CLI
        let process: Process
        let port: Int
        var url: String { "http://127.0.0.1:\(port)/sync" }

        static func start(phones: [String], extra: [String] = []) throws -> Server {
            let cli = try CLI()
            // Runs off the cooperative pool (offloaded), so failures throw instead of expecting.
            @discardableResult
            func must(_ arguments: [String], input: String = "") throws -> CLI.Result {
                let result = try cli.run(arguments, input: input)
                guard result.status == 0 else {
                    throw SyncEvolutionClient.Failure(description: "syncfleet \(arguments.joined(separator: " ")): \(result.stderr)")
                }
                return result
            }
            try must(["users", "add", "admin", "--email", "support@obexcode.com", "--admin"], input: "correct horse battery\n")
            try must(["models", "import", repositoryRoot.appendingPathComponent("samples/models.csv").path])
            for (index, username) in phones.enumerated() {
                let registered = try must(["register", "--phone", "+479000\(String(format: "%04d", index))", "--model", "112",
                                           "--timezone", "Europe/Oslo", "--format", "csv"])
                let uuid = String(registered.stdout.split(separator: "\n")[1].split(separator: ",")[0])
                let file = cli.directory.appendingPathComponent("pw-\(username)")
                try Data("pass-\(username)\n".utf8).write(to: file)
                try must(["clients", "credentials", uuid, "--username", username, "--password-file", file.path])
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
    func convergence() async throws {
        guard SyncEvolutionClient.available() else { return }
        let server = try await offloaded { try Server.start(phones: ["alice", "bob"]) }
        defer { server.stop() }
        let a = try server.client("a", username: "alice")
        let b = try server.client("b", username: "bob", properties: ["enableWBXML=1"])
        for index in 0..<10 {
            try a.writeContact("c\(index).vcf", name: "Person \(index)", phone: "+4791000\(String(format: "%03d", index))")
        }
        let slow = try await a.syncAsync("slow", password: "pass-alice")
        #expect(slow.exitStatus == 0 && slow.status == 200, "\(slow.log)")
        #expect(slow.mode == "slow")
        #expect(slow.stat("remote-added") == 10)

        let refresh = try await b.syncAsync("refresh-from-server", password: "pass-bob")
        #expect(refresh.status == 200, "\(refresh.log)")
        #expect(refresh.mode == "refresh-from-remote")
        #expect(refresh.stat("local-added") == 10)
        #expect(try b.contactSummary() == a.contactSummary())

        try a.writeContact("c1.vcf", name: "Person 1", phone: "+4799999999")
        try FileManager.default.removeItem(at: a.contacts.appendingPathComponent("c2.vcf"))
        try a.writeContact("new.vcf", name: "Person New", phone: "+4798888888")
        let aTwoWay = try await a.syncAsync("two-way", password: "pass-alice")
        #expect(aTwoWay.status == 200 && aTwoWay.mode == "two-way", "\(aTwoWay.log)")
        #expect(aTwoWay.stat("remote-added") == 1 && aTwoWay.stat("remote-updated") == 1 && aTwoWay.stat("remote-removed") == 1)
        let bTwoWay = try await b.syncAsync("two-way", password: "pass-bob")
        #expect(bTwoWay.status == 200 && bTwoWay.mode == "two-way", "\(bTwoWay.log)")
        #expect(bTwoWay.stat("local-added") == 1 && bTwoWay.stat("local-updated") == 1 && bTwoWay.stat("local-removed") == 1)
        #expect(bTwoWay.stat("local-any-reject") == 0 && bTwoWay.stat("remote-any-reject") == 0)
        let summary = try b.contactSummary()
        #expect(summary == (try a.contactSummary()))
        #expect(summary["Person 1"] == "+4799999999" && summary["Person 2"] == nil && summary["Person New"] == "+4798888888")

        // Nothing left to move: a two-way sync on either side changes nothing.
        let quiet = try await a.syncAsync("two-way", password: "pass-alice")
        #expect(quiet.mode == "two-way" && quiet.stat("local-added") + quiet.stat("local-updated") + quiet.stat("local-removed") == 0)

        let sessions = try server.sessions()
        let described = sessions.map { "\($0["id"] as Int64? ?? 0) \($0["deviceID"] as String? ?? "") \($0["status"] as String? ?? "") in \($0["messagesIn"] as Int? ?? 0) \($0["error"] as String? ?? "")" }
        #expect(sessions.count == 5, "\(described.joined(separator: "\n"))")
        #expect(sessions.allSatisfy { $0["status"] as String? == "ok" })
        #expect(sessions.map { $0["encoding"] as String? } == ["xml", "wbxml", "xml", "wbxml", "xml"])
        #expect(sessions.allSatisfy { $0["authType"] as String? == "md5" && ($0["messagesIn"] as Int? ?? 0) >= 2 })
        let perStore = try await server.database().read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM syncSessionDatastore ORDER BY sessionID")
        }
        #expect(perStore.map { $0["syncType"] as Int? } == [201, 205, 200, 200, 200])
        #expect(perStore[0]["addedIn"] as Int? == 10 && perStore[1]["addedOut"] as Int? == 10)
        #expect(perStore[3]["addedOut"] as Int? == 1 && perStore[3]["replacedOut"] as Int? == 1 && perStore[3]["deletedOut"] as Int? == 1)
        let datastores = try await server.database().read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM syncDatastore ORDER BY id")
        }
        #expect(datastores.count == 2)
        #expect(datastores.allSatisfy { $0["itemCount"] as Int? == 10 && $0["localURI"] as String? == "./addressbook" }, "\(datastores)")
        let chatlog = try await server.database().read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chatlogMessage WHERE xml LIKE '%<SyncML%'")
        }
        #expect((chatlog ?? 0) >= 20)
    }

    @Test("SyncML 1.1 with basic authentication, and a large contact sent in chunks both ways")
    func legacyAndLargeObjects() async throws {
        guard SyncEvolutionClient.available() else { return }
        let server = try await offloaded { try Server.start(phones: ["carol", "dave"]) }
        defer { server.stop() }
        let c = try server.client("c", username: "carol", properties: ["SyncMLVersion=1.1", "clientAuthType=basic", "maxMsgSize=10000"])
        let note = String(repeating: "0123456789", count: 3000)
        try c.writeContact("big.vcf", name: "Big Note", phone: "+4793000000", note: note)
        try c.writeContact("small.vcf", name: "Small", phone: "+4793000001")
        let upload = try await c.syncAsync("slow", password: "pass-carol")
        #expect(upload.status == 200, "\(upload.log)")
        #expect(upload.stat("remote-added") == 2)

        let d = try server.client("d", username: "dave", properties: ["enableWBXML=1", "maxMsgSize=10000"])
        let download = try await d.syncAsync("refresh-from-server", password: "pass-dave")
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
        let chunks = try await server.database().read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chatlogMessage WHERE xml LIKE '%<MoreData/>%'")
        }
        #expect((chunks ?? 0) >= 4, "chunks went in and out")
    }

    @Test("failures are recorded: a wrong password (401), anchors lost on the server (508, slow, no duplicates), a client killed half-way")
    func failures() async throws {
        guard SyncEvolutionClient.available() else { return }
        let server = try await offloaded { try Server.start(phones: ["erin"], extra: ["--session-timeout", "2"]) }
        defer { server.stop() }
        let e = try server.client("e", username: "erin", properties: ["maxMsgSize=10000"])
        for index in 0..<600 {
            try e.writeContact("c\(index).vcf", name: "Contact \(index)", phone: "+4794\(String(format: "%06d", index))",
                               note: String(repeating: "n", count: 600))
        }
        let wrong = try await e.syncAsync("slow", password: "not-the-password")
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
            try await Task.sleep(for: .milliseconds(50))
        }
        let pkill = try Process.run(URL(fileURLWithPath: "/usr/bin/pkill"), arguments: ["-KILL", "-f", e.directory.path + "/logs"])
        pkill.waitUntilExit()
        running.waitUntilExit()
        let interrupted = try #require(try server.sessions().last)
        #expect((interrupted["messagesIn"] as Int? ?? 0) < 40, "the kill came too late to interrupt the sync")
        try await Task.sleep(for: .seconds(5))
        let killed = try #require(try server.sessions().last)
        #expect(killed["status"] as String? == "failed")
        #expect((killed["error"] as String?)?.contains("abandoned") == true, "\(killed)")

        // The next sync finishes the job: every contact exactly once.
        let rerun = try await e.syncAsync("slow", password: "pass-erin", timeout: 120)
        #expect(rerun.status == 200, "\(rerun.log)")
        let items = try await server.database().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM syncItem WHERE NOT deleted") }
        #expect(items == 600)

        // Anchors lost on the server: the client's two-way becomes a slow sync (508), and nothing is duplicated.
        let database = try DatabaseQueue(path: server.cli.storePath)
        try await database.write { try $0.execute(sql: "UPDATE syncDatastore SET clientAnchor = 'lost'") }
        try database.close()
        let recovered = try await e.syncAsync("two-way", password: "pass-erin", timeout: 120)
        #expect(recovered.status == 200, "\(recovered.log)")
        #expect(recovered.mode == "slow")
        let after = try await server.database().read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM syncItem WHERE NOT deleted") }
        #expect(after == 600)
        let last = try await server.database().read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM syncSessionDatastore ORDER BY sessionID DESC LIMIT 1")
        }
        #expect(last?["status"] as Int? == 508 && last?["syncType"] as Int? == 201 && last?["addedIn"] as Int? == 0)

        try await reporting(server, wrongPassword: refusedID, abandoned: Int64(try #require(interrupted["id"] as Int64?)))
    }

    /// `sessions`, `chatlog dump` and `datastores` on the sessions of `failures`, locally and through serve.
    func reporting(_ server: Server, wrongPassword: Int64, abandoned: Int64) async throws {
        let cli = server.cli
        let sessions = try server.sessions()
        let anchorLoss: Int64 = try #require(sessions.last?["id"])
        let list = try await cli.okAsync(["sessions", "list", "--format", "csv"])
        #expect(list.stdout.split(separator: "\n").count == sessions.count + 1)
        let failed = try await cli.okAsync(["sessions", "list", "--status", "failed", "--format", "ndjson"])
        #expect(failed.stdout.split(separator: "\n").count == sessions.filter { $0["status"] as String? == "failed" }.count)

        let export = try await cli.okAsync(["sessions", "export", "--format", "csv"])
        let rows = export.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0].joined(separator: ",") == "session_id,client_uuid,phone_number,model,user,start,end,duration_s,syncml_version,encoding,auth,datastore,local_datastore,sync_type,requested_sync_type,alert_status,added_in,replaced_in,deleted_in,added_out,replaced_out,deleted_out,rejected_in,rejected_out,bytes_in,bytes_out,messages_in,messages_out,status,error")
        let lossRow = try #require(rows.first { $0.first == String(anchorLoss) })
        #expect(lossRow[11] == "contacts" && lossRow[13] == "slow" && lossRow[14] == "two-way" && lossRow[15] == "508")
        #expect(lossRow[28] == "ok")

        let explainPassword = try await cli.okAsync(["sessions", "explain", String(wrongPassword)]).stdout
        #expect(explainPassword.contains("answered the SyncHdr with 401: invalid credentials"))
        #expect(explainPassword.contains("user name erin"))
        #expect(explainPassword.contains("Verdict: failed: 401 invalid credentials"))
        let explainAbandoned = try await cli.okAsync(["sessions", "explain", String(abandoned)]).stdout
        #expect(explainAbandoned.contains("stopped half-way"))
        let explainLoss = try await cli.okAsync(["sessions", "explain", String(anchorLoss)]).stdout
        #expect(explainLoss.contains("508 for the Alert of contacts"))
        #expect(explainLoss.contains("Last anchor"))
        #expect(explainLoss.contains("two-way asked, slow done"))
        #expect(explainLoss.contains("Verdict: the session completed."))
        #expect(try await cli.runAsync(["sessions", "explain", "999999"]).stderr.contains("no session 999999"))

        let dump = try await cli.okAsync(["chatlog", "dump", String(wrongPassword)]).stdout
        #expect(dump.contains("=== message 1 (in, from the phone)"))
        #expect(dump.contains("<Data>401</Data>"))
        #expect(!dump.contains("pass-erin") && !dump.contains("not-the-password"))
        let incoming = try await cli.okAsync(["chatlog", "dump", String(anchorLoss), "--direction", "in"]).stdout
        #expect(incoming.contains("(in, from the phone)") && !incoming.contains("(out, to the phone)"))
        let rawDirectory = cli.directory.appendingPathComponent("raw")
        try await cli.okAsync(["chatlog", "dump", String(anchorLoss), "--raw", "-o", rawDirectory.path])
        let files = try FileManager.default.contentsOfDirectory(atPath: rawDirectory.path).sorted()
        #expect(files.first == "001-in.xml")
        #expect(try String(contentsOf: rawDirectory.appendingPathComponent("002-out.xml"), encoding: .utf8).contains("<SyncML"))

        let stores = try await cli.okAsync(["datastores", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(stores.count == 2)
        #expect(stores[1].contains(",./addressbook,") && stores[1].contains(",600,"))

        // Through serve: the same listings; the chatlog only for administrators.
        try await cli.okAsync(["users", "add", "viewer", "--email", "viewer@example.com"], input: "viewer password\n")
        let remote = ["--remote", "http://127.0.0.1:\(server.port)"]
        let admin = ["SYNCFLEET_PASSWORD": "correct horse battery"]
        let remoteList = try await cli.runAsync(["sessions", "list", "--format", "csv", "--user", "admin"] + remote, environment: admin)
        #expect(remoteList.status == 0 && remoteList.stdout == list.stdout, "\(remoteList.stderr)\nLOCAL:\n\(list.stdout)\nREMOTE:\n\(remoteList.stdout)")
        let remoteExport = try await cli.runAsync(["sessions", "export", "--format", "csv", "--user", "admin"] + remote, environment: admin)
        #expect(remoteExport.stdout == export.stdout)
        let remoteDump = try await cli.runAsync(["chatlog", "dump", String(wrongPassword), "--user", "admin"] + remote, environment: admin)
        #expect(remoteDump.stdout == dump)
        let remoteStores = try await cli.runAsync(["datastores", "--format", "csv", "--user", "admin"] + remote, environment: admin)
        #expect(remoteStores.stdout.split(separator: "\n") == stores)
        let viewer = try await cli.runAsync(["chatlog", "dump", String(wrongPassword), "--user", "viewer"] + remote,
                                 environment: ["SYNCFLEET_PASSWORD": "viewer password"])
        #expect(viewer.status != 0 && viewer.stderr.contains("administrators only"))
        let viewerSessions = try await cli.runAsync(["sessions", "list", "--format", "csv", "--user", "viewer"] + remote,
                                         environment: ["SYNCFLEET_PASSWORD": "viewer password"])
        #expect(viewerSessions.stdout.split(separator: "\n").count == 1, "another user's phones' sessions stay hidden")

        // serve's retention: ok sessions' chatlogs older than 0 days go at start, failed ones are kept 30 days.
        server.process.terminate()
        server.process.waitUntilExit()
        let port = try RemoteCommandTests.freePort()
        let (retaining, _) = try await offloaded {
            try RemoteCommandTests.startServer(cli, port: port, extra: ["--keep-chatlog", "0", "--keep-failed", "30"])
        }
        defer { retaining.terminate(); retaining.waitUntilExit() }
        func messages(_ session: Int64) async throws -> Int {
            try await server.database().read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chatlogMessage WHERE sessionID = ?", arguments: [session]) ?? 0
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while try await messages(anchorLoss) > 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try await messages(anchorLoss) == 0)
        #expect(try await messages(wrongPassword) > 0, "failed sessions keep their chatlog longer")

        // Retention: the bodies go, the records stay.
        let pruned = try await cli.okAsync(["sessions", "prune", "--before", "2100-01-01"])
        #expect(pruned.stderr.contains("chatlog message(s) dropped"))
        #expect(try await cli.okAsync(["chatlog", "dump", String(anchorLoss)]).stderr.contains("has no messages"))
        #expect(try await cli.okAsync(["sessions", "list", "--format", "csv"]).stdout == list.stdout)
    }
}
