import Foundation
import GRDB
import PhonePush
import Testing
import WBXML
@testable import FleetKit

/// provision and alert on a real store, through the directory gateway: what lands in the
/// files decodes back to what was meant, and the store records it.
@Suite("Provisioning and alerts on the local store")
struct PushTests {
    /// A store with phones of three kinds and a directory gateway.
    struct Fixture {
        let store: StoreFixture
        var fleet: LocalFleet
        let spool: URL
        let modern: String   // Nokia 5310 (112): SyncML 1.2, SAN 1.2, OMA CP
        let older: String    // Nokia 6233 (242): SyncML 1.1, no SAN 1.2
        let ota: String      // Nokia 6230 (119): Nokia OTA settings

        static func make(syncURL: String? = "http://sync.example.net:8080/sync") async throws -> Fixture {
            let store = try await StoreFixture.make()
            var fleet = store.fleet
            let spool = store.directory.appendingPathComponent("sms")
            fleet.push = PushConfiguration(gateway: try DirectoryGateway(path: spool.path),
                                           retry: RetryPolicy(attempts: 2, initialDelay: .milliseconds(1)))
            if let syncURL { try await fleet.setSetting(.syncURL, to: syncURL) }
            func add(_ number: String, _ model: String) async throws -> String {
                try await fleet.register(Registration(phoneNumber: number, model: model, user: "admin")).client.uuid
            }
            return Fixture(store: store, fleet: fleet, spool: spool, modern: try await add("+4790000001", "112"),
                           older: try await add("+4790000002", "242"), ota: try await add("+4790000003", "119"))
        }

        /// The SMS written for a phone, joined back into the WSP PDU.
        func pushes(_ uuid: String, _ kind: PushMessage.Kind) throws -> WSPPush {
            let files = try FileManager.default.contentsOfDirectory(atPath: spool.path)
                .filter { $0.hasPrefix("\(uuid).\(kind.rawValue).") }.sorted()
            let parts = try files.map { file -> SMS in
                let octets = Array(try Data(contentsOf: spool.appendingPathComponent(file)))
                let udhLength = Int(octets[0]) + 1
                return SMS(udh: Array(octets[0..<udhLength]), userData: Array(octets[udhLength...]))
            }
            return try WSPPush.decode(try SMSReassembler.join(parts).payload)
        }
    }

    @Test("a setup reaches the files as a signed OMA CP document with the phone's own credentials")
    func provisionOMACP() async throws {
        let f = try await Fixture.make()
        defer { f.store.remove() }
        let outcome = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "4711", revealCredentials: true))
        #expect(outcome.status == .sent && outcome.format == "oma-cp/userpin" && outcome.messages >= 2)
        let push = try f.pushes(f.modern, .setup)
        #expect(push.contentType == .wellKnown(0x36) && push.sec == 1)
        #expect(push.mac == (try ProvisioningSecurity.userPIN("4711").macText(for: push.body)))
        #expect(push.mac != (try ProvisioningSecurity.userPIN("4712").macText(for: push.body)))
        let xml = XMLRenderer().render(try WBXMLDecoder().decode(push.body))
        let credentials = try #require(try await f.fleet.credentials(uuid: f.modern))
        #expect(credentials == outcome.credentials)
        for expected in ["value=\"w5\"", "http://sync.example.net:8080/sync", "value=\"syncfleet\"", credentials.username,
                         credentials.password, "value=\"contacts\"", "value=\"text/x-vcard\"", "value=\"notes\"", "value=\"1.2\""] {
            #expect(xml.contains(expected), "\(expected) missing from \(xml)")
        }
        // The client's entry shows the setup as the seed's <setup sent="…">.
        let client = try await f.fleet.client(uuid: f.modern)
        #expect(client.setup?.name == "SyncServer" && client.setup?.sent != nil)
    }

    @Test("a sent setup is skipped, --force sends again with the same credentials, a killed 'sending' one is sent")
    func skipAndForce() async throws {
        let f = try await Fixture.make()
        defer { f.store.remove() }
        let first = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234"))
        let again = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234"))
        #expect(again.status == .skipped && again.requestID == first.requestID)
        let before = try await f.fleet.credentials(uuid: f.modern)
        let forced = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234", force: true))
        #expect(forced.status == .sent && forced.requestID != first.requestID)
        let after = try await f.fleet.credentials(uuid: f.modern)
        #expect(after == before)
        // A run killed between recording and sending leaves 'sending': the next run sends.
        try await f.fleet.database.write { db in try db.execute(sql: "UPDATE setup SET state = 'sending', sent = NULL") }
        #expect(try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234")).status == .sent)
    }

    @Test("a phone named three times in one batch gets one setup; the store file is its owner's only")
    func duplicatesInOneBatch() async throws {
        let f = try await Fixture.make()
        defer { f.store.remove() }
        var remaining = [f.modern, f.modern.uppercased(), f.modern][...]
        let fleet = f.fleet
        let summary = try await PushBatch(parallel: 3).run(kind: .setup, next: { remaining.popFirst().map { PushTarget(uuid: $0) } },
                                                           work: { try await fleet.provision(uuid: $0.uuid, request: ProvisionRequest(pincode: "1234")) },
                                                           emit: { _ in })
        #expect(summary.counts[.sent] == 1 && summary.counts[.skipped] == 2)
        let sent = try await fleet.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM setup WHERE state = 'sent'") }
        #expect(sent == 1)
        for file in [f.store.path, f.store.path + "-wal"] {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode.map { $0 & 0o077 } == 0, "\(file) is readable by others")
        }
    }

    @Test("NETWPIN signs with the IMSI; USERPINMAC tells the PIN to type; Nokia OTA models get sync settings")
    func securityAndFormats() async throws {
        let f = try await Fixture.make()
        defer { f.store.remove() }
        _ = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(security: .netwpin, imsi: "262011234567890"))
        let netw = try f.pushes(f.modern, .setup)
        let expectedMAC = try ProvisioningSecurity.networkPIN(imsi: "262011234567890").macText(for: netw.body)
        #expect(netw.sec == 0 && netw.mac == expectedMAC)

        let mac = try await f.fleet.provision(uuid: f.older, request: ProvisionRequest(pincode: "24680", security: .userpinmac))
        let pushed = try f.pushes(f.older, .setup)
        #expect(mac.pinToType == (try ProvisioningSecurity.userPINMAC("24680").pinToType(for: pushed.body)))
        #expect(XMLRenderer().render(try WBXMLDecoder().decode(pushed.body)).contains("value=\"1.1\""))

        let ota = try await f.fleet.provision(uuid: f.ota, request: ProvisionRequest(pincode: "1234"))
        #expect(ota.format == "nokia-ota")
        let syncset = try f.pushes(f.ota, .setup)
        #expect(syncset.contentType == .registered(0x020B))
        let xml = XMLRenderer().render(try WBXMLDecoder(forcedLanguage: .nokiaSyncSettings).decode(syncset.body))
        #expect(xml.contains("<HostAddr>http://sync.example.net/sync</HostAddr>") && xml.contains("<Port>8080</Port>"))

        let bad = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(security: .netwpin, force: true))
        #expect(bad.status == .invalid && bad.error?.contains("IMSI") == true)
    }

    @Test("without a sync URL provision refuses and names the setting; without a gateway it queues")
    func settingsAndQueue() async throws {
        let f = try await Fixture.make(syncURL: nil)
        defer { f.store.remove() }
        await #expect(throws: FleetError.self) { try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234")) }
        var queueing = f.fleet
        queueing.push = PushConfiguration()
        let queued = try await queueing.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234"))
        #expect(queued.status == .queued && queued.requestID != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.spool.path).isEmpty)
        await #expect(throws: FieldError.self) { try await f.fleet.setSetting(.syncURL, to: "ftp://x") }
    }

    @Test("alerts: a 1.2 SAN with a new session id each time and a valid digest; 1.1 phones get the WBXML alert")
    func alerts() async throws {
        let f = try await Fixture.make()
        defer { f.store.remove() }
        _ = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234"))
        let password = try #require(try await f.fleet.credentials(uuid: f.modern)).password
        var sessions: Set<UInt16> = []
        for _ in 0..<3 {
            let outcome = try await f.fleet.alert(uuid: f.modern, request: AlertRequest(datastores: ["cal"], syncType: .refreshFromServer))
            #expect(outcome.status == .sent && outcome.format == "san-1.2")
            let push = try f.pushes(f.modern, .alert)
            #expect(push.contentType == .wellKnown(0x4E) && push.applicationID == 5)
            let san = try ServerAlertedNotification.decode(push.body)
            #expect(san.serverID == "syncfleet")
            #expect(san.syncs == [.init(type: .refreshFromServer, contentType: 0x06, serverURI: "calendar")])
            #expect(try ServerAlertedNotification.isValid(push.body, password: password, nonce: []))
            sessions.insert(san.sessionID)
        }
        #expect(sessions.count == 3)
        let legacy = try await f.fleet.alert(uuid: f.older, request: AlertRequest())
        #expect(legacy.format == "san-1.1")
        let push = try f.pushes(f.older, .alert)
        #expect(push.contentType == .registered(0x0303))
        let xml = XMLRenderer().render(try WBXMLDecoder().decode(push.body))
        #expect(xml.contains("<Data>206</Data>") && xml.contains("http://sync.example.net:8080/sync"))
        let unknown = try await f.fleet.alert(uuid: f.older, request: AlertRequest(datastores: ["notes"]))
        #expect(unknown.status == .invalid)
    }

    @Test("transient gateway failures are retried; a refusal is not; both are recorded")
    func retries() async throws {
        let f = try await Fixture.make()
        defer { f.store.remove() }
        var fleet = f.fleet
        let flaky = ScriptedGateway(failures: [.unreachable(reason: "connection refused")])
        fleet.push = PushConfiguration(gateway: flaky, retry: RetryPolicy(attempts: 3, initialDelay: .milliseconds(1)))
        let sent = try await fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234"))
        #expect(sent.status == .sent && sent.attempts == 2)
        let refusing = ScriptedGateway(failures: Array(repeating: .refused(status: 403, answer: "Authorization failed for sendsms", part: 1), count: 5))
        fleet.push.gateway = refusing
        let refused = try await fleet.provision(uuid: f.older, request: ProvisionRequest(pincode: "1234"))
        #expect(refused.status == .failed && refused.attempts == 1 && refused.error?.contains("403") == true)
        let row = try await fleet.database.read { db in
            try Row.fetchOne(db, sql: "SELECT state, error, attempts FROM setup WHERE id = ?", arguments: [refused.requestID])
        }
        #expect(row?["state"] == "failed" && (row?["error"] as String?)?.contains("Authorization failed") == true)
        // The failed phone is not skipped next time.
        fleet.push.gateway = f.fleet.push.gateway
        #expect(try await fleet.provision(uuid: f.older, request: ProvisionRequest(pincode: "1234")).status == .sent)
    }

    @Test("delivery reports: per SMS, the request keeps the worst news, unknown ids are refused")
    func deliveryReports() async throws {
        let f = try await Fixture.make()
        defer { f.store.remove() }
        let outcome = try await f.fleet.provision(uuid: f.modern, request: ProvisionRequest(pincode: "1234"))
        let id = try #require(outcome.requestID)
        let ids = try await f.fleet.database.read { db in try String.fetchAll(db, sql: "SELECT id FROM pushMessage WHERE setupID = ? ORDER BY part", arguments: [id]) }
        #expect(ids.count == outcome.messages && ids.allSatisfy { $0.count == 32 })
        for messageID in ids { #expect(try await f.fleet.recordDeliveryReport(messageID: messageID, type: 8)) }
        #expect(try await f.fleet.deliveryState(kind: .setup, id: id) == "accepted")
        for messageID in ids.dropLast() { _ = try await f.fleet.recordDeliveryReport(messageID: messageID, type: 1) }
        #expect(try await f.fleet.deliveryState(kind: .setup, id: id) == "accepted")
        _ = try await f.fleet.recordDeliveryReport(messageID: ids.last!, type: 1)
        #expect(try await f.fleet.deliveryState(kind: .setup, id: id) == "delivered")
        _ = try await f.fleet.recordDeliveryReport(messageID: ids[0], type: 8)
        #expect(try await f.fleet.deliveryState(kind: .setup, id: id) == "delivered")
        let unknown = try await f.fleet.recordDeliveryReport(messageID: "0000", type: 1)
        #expect(!unknown)
    }

    @Test("batches keep input order, stay within --parallel, and turn errors into results")
    func batchOrder() async throws {
        let counter = InFlight()
        var remaining = (0..<40).map { PushTarget(line: $0 + 1, uuid: "u\($0)") }[...]
        var seen: [Int] = []
        let summary = try await PushBatch(parallel: 4).run(kind: .alert, next: { remaining.popFirst() }, work: { target in
            await counter.enter()
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...5)))
            await counter.leave()
            if target.uuid == "u7" { throw FleetError.clientNotFound(["u7"]) }
            return PushOutcome(clientUUID: target.uuid, kind: .alert, status: .sent, messages: 1)
        }, emit: { seen.append($0.line!) })
        #expect(seen == Array(1...40))
        let maximum = await counter.maximum
        #expect(maximum <= 4 && maximum >= 2)
        #expect(summary.counts[.sent] == 39 && summary.counts[.invalid] == 1 && summary.messages == 39)
    }

    @Test("--from reads CSV with uuid and pin columns, headerless TSV and NDJSON; rows without uuid are counted")
    func targetFiles() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let uuid = "3fe85584-12d9-11de-b2ce-002215064801"
        func read(_ text: String) throws -> ([PushTarget], Int) {
            let file = directory.appendingPathComponent(UUID().uuidString)
            try Data(text.utf8).write(to: file)
            let reader = try PushTargetReader(path: file.path)
            var targets: [PushTarget] = []
            while let target = try reader.next() { targets.append(target) }
            return (targets, reader.skippedWithoutUUID)
        }
        let (csv, csvSkipped) = try read("line,status,UUID,Pin\n2,created,\(uuid),0042\n3,invalid,,\n")
        #expect(csv == [PushTarget(line: 2, uuid: uuid, pin: "0042")] && csvSkipped == 1)
        let (tsv, tsvSkipped) = try read("2\tcreated\t\(uuid)\t+4790\n3\tinvalid\t-\t+4791\n")
        #expect(tsv.map(\.uuid) == [uuid] && tsvSkipped == 1)
        let (ndjson, _) = try read("{\"uuid\":\"\(uuid)\",\"imsi\":262011234567890}\n{oops\n{\"uuid\":null}\n")
        #expect(ndjson.count == 2 && ndjson[0].imsi == "262011234567890" && ndjson[1].problem?.contains(":2: not a JSON object") == true)
        #expect(throws: FleetError.self) { try read("phone,model\n+47,112\n") }
    }
}

/// A gateway that fails as scripted, then accepts: for the retry logic only (the real
/// gateways are tested against Kannel and the file system).
final class ScriptedGateway: SMSGateway, @unchecked Sendable {
    private var failures: [GatewayError]
    private let lock = NSLock()
    init(failures: [GatewayError]) { self.failures = failures }
    var name: String { "scripted" }

    func send(_ messages: [SMS], to phoneNumber: String, envelope: PushEnvelope) async throws(GatewayError) -> [GatewayReceipt] {
        let failure: GatewayError? = lock.withLock { failures.isEmpty ? nil : failures.removeFirst() }
        if let failure { throw failure }
        return envelope.messageIDs.map { GatewayReceipt(messageID: $0, answer: "0: Accepted for delivery") }
    }
}

actor InFlight {
    var current = 0
    var maximum = 0
    func enter() { current += 1; maximum = max(maximum, current) }
    func leave() { current -= 1 }
}

/// What `provision --undelivered` sends over `--remote`: the setup entry carries it to the server.
@Suite("setup entries")
struct SetupEntryTests {
    @Test("oc:undelivered, oc:force and oc:dry_run read back from the entry RemoteFleet writes")
    func flags() throws {
        let entry = """
            <entry xmlns="http://www.w3.org/2005/Atom" xmlns:oc="http://schemas.obexcode.com/syncserver/2009">\
            <oc:pincode>1234</oc:pincode><oc:undelivered>true</oc:undelivered></entry>
            """
        let request = try AtomEntryReader.setup(from: Data(entry.utf8))
        #expect(request.undeliveredOnly && !request.force && !request.dryRun && request.pincode == "1234")
        let plain = try AtomEntryReader.setup(from: Data(entry.replacingOccurrences(of: "<oc:undelivered>true</oc:undelivered>", with: "").utf8))
        #expect(!plain.undeliveredOnly)
    }
}
