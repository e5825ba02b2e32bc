import Foundation
import GRDB
import PhonePush
import Testing
@testable import FleetKit

/// The operator's loop: dry runs that write nothing, generated names, pushes with their
/// delivery reports, the funnel, the phones that did not sync, and sending again to the
/// ones never delivered.
@Suite("syncfleet pushes, status and the undelivered")
struct FleetLoopTests {
    static let rows = ProvisionCommandTests.rows

    /// Rows of each push table (tests only).
    static func counts(_ cli: CLI) throws -> [String: Int] {
        let fleet = try LocalFleet.open(path: cli.storePath, mode: .mustExist)
        defer { try? fleet.close() }
        return try fleet.database.read { db in
            var counts: [String: Int] = [:]
            for table in ["setup", "alertRequest", "pushMessage", "syncCredential"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")
            }
            return counts
        }
    }

    @Test("a dry run writes nothing, whatever the gateway: none, dir:, or -")
    func dryRunWritesNothing() throws {
        let cli = try ProvisionCommandTests.store(phones: 20)
        defer { cli.remove() }
        let empty = ["setup": 0, "alertRequest": 0, "pushMessage": 0, "syncCredential": 0]
        let spool = "dir:\(cli.directory.path)/sms"
        for gateway in [[], ["--gateway", spool], ["--gateway", "-"]] {
            let setups = try cli.ok(["provision", "--all", "--pin", "1234", "--dry-run", "--format", "csv"] + gateway)
            if gateway.last != "-" {
                #expect(Self.rows(setups.stdout).count == 20 && Self.rows(setups.stdout).allSatisfy { $0["status"] == "dry-run" })
            }
            #expect(setups.stderr.contains("20 dry-run"))
            let alerts = try cli.ok(["alert", "--all", "--dry-run", "--format", "csv"] + gateway)
            #expect(alerts.stderr.contains("20 dry-run"))
            #expect(try Self.counts(cli) == empty, "after a dry run with \(gateway)")
        }
        // Without a gateway, a real run queues (the seed API's behaviour); a dry run did not.
        let queued = try cli.ok(["provision", "--all", "--pin", "1234", "--format", "csv"])
        #expect(Self.rows(queued.stdout).allSatisfy { $0["status"] == "queued" })
        #expect(try Self.counts(cli)["setup"] == 20)
    }

    @Test("phones registered in the same millisecond get distinct, unrelated names; a hand-set name stays")
    func usernames() throws {
        let cli = try ProvisionCommandTests.store(phones: 300)
        defer { cli.remove() }
        let uuid = Self.rows(try cli.ok(["clients", "list", "--format", "csv", "--limit", "1"]).stdout)[0]["uuid"]!
        let file = cli.directory.appendingPathComponent("pw")
        try "Hand-Set-1\n".write(to: file, atomically: true, encoding: .utf8)
        try cli.ok(["clients", "credentials", uuid, "--username", "front-desk", "--password-file", file.path])
        let result = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(cli.directory.path)/sms",
                                 "--show-credentials", "--format", "csv"])
        let rows = Self.rows(result.stdout)
        let names = rows.map { $0["sync_username"]! }
        #expect(rows.count == 300 && Set(names).count == 300)
        #expect(rows.first { $0["uuid"] == uuid }?["sync_username"] == "front-desk")
        let generated = names.filter { $0 != "front-desk" }
        let pattern = try NSRegularExpression(pattern: "^sf[0-9a-hjkmnpqrstv-z]{8}$")
        #expect(generated.allSatisfy { pattern.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil })
        // v7 uuids of one import share their leading digits; the names do not.
        #expect(Set(generated.map { $0.prefix(5) }).count > 250)
        // A name once sent stays: provisioning again (forced) keeps every name.
        let again = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", "dir:\(cli.directory.path)/sms",
                                "--show-credentials", "--force", "--format", "csv"])
        #expect(Self.rows(again.stdout).map { $0["sync_username"]! } == names)
    }

    @Test("pushes list shows every SMS with its report; status counts the funnel; clients list finds who did not sync; --undelivered resends")
    func loop() async throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        var phones: [String] = []
        for (index, model) in ["112", "112", "112", "112", "119", "119"].enumerated() {
            let out = try cli.ok(["register", "--phone", "+479000030\(index)", "--model", model, "--format", "csv"]).stdout
            phones.append(String(out.split(separator: "\n")[1].split(separator: ",")[0]))
        }
        try cli.ok(["settings", "set", "sync-url", "http://sync.example.net/sync"])
        let spool = "dir:\(cli.directory.path)/sms"
        #expect(Self.rows(try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", spool, "--format", "csv"]).stdout)
            .allSatisfy { $0["status"] == "sent" })

        // What the SMS centre reports: phone 0 delivered, phone 1 rejected, phone 2 accepted (still on its way).
        struct Listed: Decodable {
            struct Part: Decodable { var part: Int; var message_id: String; var delivery: String? }
            var uuid: String; var status: String; var messages: Int; var parts: [Part]; var answer: String?
        }
        let listed = try JSONDecoder().decode([Listed].self, from: Data(try cli.ok(["pushes", "list", "--format", "json"]).stdout.utf8))
        #expect(listed.count == 6 && listed.allSatisfy { $0.status == "sent" && $0.parts.count == $0.messages && $0.answer?.contains(".bin") == true })
        let byPhone = Dictionary(uniqueKeysWithValues: listed.map { ($0.uuid, $0) })
        let fleet = try LocalFleet.open(path: cli.storePath, mode: .mustExist)
        defer { try? fleet.close() }
        for part in byPhone[phones[0]]!.parts { #expect(try await fleet.recordDeliveryReport(messageID: part.message_id, type: 1)) }
        #expect(try await fleet.recordDeliveryReport(messageID: byPhone[phones[1]]!.parts[0].message_id, type: 16))
        #expect(try await fleet.recordDeliveryReport(messageID: byPhone[phones[2]]!.parts[0].message_id, type: 8))

        let delivered = Self.rows(try cli.ok(["pushes", "list", "--status", "delivered", "--format", "csv"]).stdout)
        #expect(delivered.map { $0["uuid"]! } == [phones[0]])
        #expect(delivered[0]["parts"] == (1...byPhone[phones[0]]!.messages).map { "\($0):delivered" }.joined(separator: ";"))
        #expect(Self.rows(try cli.ok(["pushes", "list", "--status", "failed", "--format", "csv"]).stdout).map { $0["uuid"]! } == [phones[1]])
        #expect(Self.rows(try cli.ok(["pushes", "list", "--status", "sent", "--format", "csv"]).stdout).count == 4)
        #expect(try cli.ok(["pushes", "list", "--client", phones[2], "--format", "csv"]).stdout.contains(",1:accepted;2:-"))
        // Two days on, the ones without a final report have expired.
        let later = try cli.run(["pushes", "list", "--status", "expired", "--format", "csv"], environment: ["SYNCFLEET_NOW": "2009-03-20T10:00:00Z"])
        #expect(Self.rows(later.stdout).count == 4)
        #expect(try cli.run(["pushes", "list", "--kind", "alert", "--format", "csv"]).stdout.split(separator: "\n").count == 1)

        // Sessions: phone 0 synced yesterday, phone 4 ten days ago, phone 1 failed.
        let sessionPhones = phones
        try await fleet.database.write { db in
            for (phone, days, status) in [(0, 1.0, "ok"), (4, 10.0, "ok"), (1, 0.5, "failed")] {
                let clientID = try Int64.fetchOne(db, sql: "SELECT id FROM client WHERE uuid = ?", arguments: [sessionPhones[phone]])!
                try db.execute(sql: """
                    INSERT INTO syncSession (clientID, clientUUID, deviceID, syncmlSessionID, started, ended, version, encoding, status)
                    VALUES (?, ?, 'IMEI:1', '1', ?, ?, '1.2', 'wbxml', ?)
                    """, arguments: [clientID, sessionPhones[phone], 1_237_287_115.0 - days * 86_400, 1_237_287_115.0 - days * 86_400 + 5, status])
            }
        }
        let funnel = Self.rows(try cli.ok(["status", "--format", "csv"]).stdout)
        #expect(funnel.last?["title"] == "all models")
        #expect(funnel.last.map { [$0["registered"], $0["setup_sent"], $0["delivered"], $0["first_sync"], $0["synced_7d"]] }
                == [["6", "6", "1", "2", "1"]].first!.map { Optional($0) })
        #expect(funnel.first { $0["model_uuid"] == "119" }.map { [$0["registered"]!, $0["first_sync"]!, $0["synced_7d"]!] } == ["2", "1", "0"])
        #expect(try cli.ok(["status"]).stdout.contains("1 (16.7%)"))
        func selected(_ flags: [String]) throws -> Set<String> {
            Set(Self.rows(try cli.ok(["clients", "list", "--format", "csv"] + flags).stdout).map { $0["uuid"]! })
        }
        #expect(try selected(["--never-synced"]) == Set([phones[1], phones[2], phones[3], phones[5]]))
        #expect(try selected(["--synced-since", "2009-03-15"]) == [phones[0]])
        #expect(try selected(["--not-synced-since", "2009-03-15"]) == Set(phones).subtracting([phones[0]]))

        // The cron job: send again to the phones never reported delivered (older than an hour), and only to them.
        let undelivered = try cli.run(["provision", "--undelivered", "--pin", "1234", "--gateway", spool, "--format", "csv"],
                                      environment: ["SYNCFLEET_NOW": "2009-03-17T12:00:00Z"])
        let resent = Self.rows(undelivered.stdout)
        #expect(Set(resent.map { $0["uuid"]! }) == Set(phones.dropFirst()) && resent.allSatisfy { $0["status"] == "sent" })
        let young = try cli.run(["provision", "--undelivered", "--older-than", "2h", "--pin", "1234", "--gateway", spool, "--format", "csv"],
                                environment: ["SYNCFLEET_NOW": "2009-03-17T11:51:55Z"])
        #expect(young.status == 0 && Self.rows(young.stdout).isEmpty && young.stderr.contains("nothing to do"))
        #expect(Self.rows(try cli.ok(["pushes", "list", "--undelivered", "--format", "csv"]).stdout).count == 5)
        let alerts = try cli.ok(["alert", "--undelivered", "--gateway", spool, "--format", "csv"])
        #expect(Self.rows(alerts.stdout).isEmpty)
        let mistake = try cli.run(["provision", "--all", "--older-than", "1h", "--pin", "1234"])
        #expect(mistake.status == 2 && mistake.stderr.contains("--older-than goes with --undelivered"))
    }

    @Test("a model's alert content type and ports come from the catalogue; bad values are refused with their line")
    func alertPushParameters() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        let catalogue = cli.directory.appendingPathComponent("models.csv")
        try """
            model_uuid,title,manufacturer,syncml_version,san_1_2,provisioning,datastores,san_content_type,alert_port,alert_source_port
            900,Odd Phone,Acme,1.2,yes,oma-cp,Contacts=Contacts,0x44,2949,9201
            901,Plain Phone,Acme,1.2,yes,oma-cp,Contacts=Contacts,,,

            """.write(to: catalogue, atomically: true, encoding: .utf8)
        try cli.ok(["models", "import", catalogue.path])
        let listed = Self.rows(try cli.ok(["models", "list", "--format", "csv"]).stdout)
        #expect(listed.first { $0["model_uuid"] == "900" }.map { [$0["san_content_type"]!, $0["alert_port"]!, $0["alert_source_port"]!] }
                == ["0x44", "2949", "9201"])
        #expect(listed.first { $0["model_uuid"] == "901" }?["san_content_type"] == "0x4E")
        for (number, model) in [("+4790000401", "900"), ("+4790000402", "901")] {
            try cli.ok(["register", "--phone", number, "--model", model])
        }
        let spool = cli.directory.appendingPathComponent("sms")
        try cli.ok(["alert", "--all", "--gateway", "dir:\(spool.path)", "--sync-url", "http://s/sync"])
        var seen: [[UInt8]: WSPPush] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: spool.path) {
            let octets = Array(try Data(contentsOf: spool.appendingPathComponent(file)))
            seen[Array(octets[3..<7])] = try WSPPush.decode(Array(octets[7...]))
        }
        #expect(seen[[0x0B, 0x85, 0x23, 0xF1]]?.contentType == .wellKnown(0x44))
        #expect(seen[[0x0B, 0x84, 0x23, 0xF0]]?.contentType == .wellKnown(0x4E))
        try "model_uuid,title,manufacturer,syncml_version,san_1_2,provisioning,datastores,san_content_type\n902,X,Acme,1.2,yes,oma-cp,Contacts=C,0x45\n"
            .write(to: catalogue, atomically: true, encoding: .utf8)
        let bad = try cli.run(["models", "import", catalogue.path])
        #expect(bad.status != 0 && bad.stderr.contains("models.csv:2: san_content_type: a SAN travels as 0x4E or 0x44"))
    }

    @Test("a setting missing half-way ends the run, after the phones already sent are recorded and reported")
    func endsAfterInFlight() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        var text = "phone,model\n"
        for index in 0..<300 { text += "+4743\(String(format: "%06d", index)),112\n" }
        text += "+4743999999,242\n"  // SyncML 1.1 alerts carry the sync URL, which is not set
        let file = cli.directory.appendingPathComponent("phones.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try cli.ok(["import-csv", file.path, "-q"])
        let run = try cli.run(["alert", "--all", "--gateway", "dir:\(cli.directory.path)/sms", "--format", "csv"])
        #expect(run.status == 2 && run.stderr.contains("sync-url"))
        let reported = Self.rows(run.stdout)
        #expect(reported.count >= 256 && reported.allSatisfy { $0["status"] == "sent" }, "\(reported.count) reported")
        let recorded = Self.rows(try cli.ok(["pushes", "list", "--kind", "alert", "--format", "csv"]).stdout)
        #expect(recorded.count == reported.count && recorded.allSatisfy { $0["status"] == "sent" })
    }
}
