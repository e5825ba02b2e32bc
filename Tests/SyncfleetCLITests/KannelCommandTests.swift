import Foundation
import GRDB
import PhonePush
import Testing
import TestSupport
import WBXML
@testable import FleetKit

/// provision and alert through a real Kannel with its fake SMS centre: what reaches the
/// SMS centre decodes back (UDH → WSP → WBXML → XML, MAC checked with the PIN), refusals
/// and outages are recorded, and serve records Kannel's delivery reports.
@Suite("syncfleet provision and alert through Kannel", .serialized)
struct KannelCommandTests {
    static func rows(_ csv: String) -> [[String: String]] { ProvisionCommandTests.rows(csv) }

    /// A seeded store with one phone of each kind: OMA CP + SAN 1.2, OMA CP + SyncML 1.1 alert, Nokia OTA.
    static func store() throws -> (CLI, [String: String]) {
        let cli = try CLI()
        try cli.seed()
        var phones: [String: String] = [:]
        for (number, model) in [("+4790000201", "112"), ("+4790000202", "242"), ("+4790000203", "119")] {
            let out = try cli.ok(["register", "--phone", number, "--model", model, "--format", "csv"]).stdout
            phones[number] = String(out.split(separator: "\n")[1].split(separator: ",")[0])
        }
        try cli.ok(["settings", "set", "sync-url", "http://127.0.0.1:8080/sync"])
        return (cli, phones)
    }

    /// The WSP pushes that reached one number, in order: a single SMS is one push; the
    /// parts of a concatenated one run from sequence 1 to its total.
    static func pushes(_ kannel: KannelLoopback, to number: String) throws -> [WSPPush] {
        var pushes: [WSPPush] = []
        var group: [SMS] = []
        for captured in kannel.captured() where captured.to == number {
            let sms = SMS(udh: captured.udh, userData: captured.data)
            guard sms.udh.count == 12 else {
                pushes.append(try WSPPush.decode(try SMSReassembler.join([sms]).payload))
                continue
            }
            group.append(sms)
            if Int(sms.udh[11]) == Int(sms.udh[10]) {
                pushes.append(try WSPPush.decode(try SMSReassembler.join(group).payload))
                group = []
            }
        }
        return pushes
    }

    @Test("setups and alerts reach the SMS centre signed and decodable; a second provision sends nothing")
    func provisionAndAlert() throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let (cli, phones) = try Self.store()
        defer { cli.remove() }
        let result = try cli.ok(["provision", "--all", "--pin", "2468", "--gateway", kannel.gatewayURL(), "--format", "csv", "--show-credentials"])
        let rows = Self.rows(result.stdout)
        #expect(rows.count == 3 && rows.allSatisfy { $0["status"] == "sent" })
        let total = rows.reduce(0) { $0 + Int($1["messages"]!)! }
        _ = try kannel.waitForMessages(count: total)
        for row in rows {
            let number = row["phone_number"]!
            let push = try #require(try Self.pushes(kannel, to: number).first)
            if row["format"] == "nokia-ota" {
                #expect(push.contentType == .registered(0x020B))
                let xml = XMLRenderer().render(try WBXMLDecoder(forcedLanguage: .nokiaSyncSettings).decode(push.body))
                #expect(xml.contains("<Username>\(row["sync_username"]!)</Username>"))
            } else {
                #expect(push.contentType == .wellKnown(0x36) && push.sec == 1)
                #expect(push.mac == (try ProvisioningSecurity.userPIN("2468").macText(for: push.body)))
                let xml = String(decoding: try Oracle.run("wbxml2xml", input: push.body), as: UTF8.self)
                #expect(xml.contains(row["sync_username"]!) && xml.contains(row["sync_password"]!) && xml.contains("http://127.0.0.1:8080/sync"))
            }
        }
        let before = kannel.captured().count
        let again = try cli.ok(["provision", "--all", "--pin", "2468", "--gateway", kannel.gatewayURL(), "--format", "csv"])
        #expect(Self.rows(again.stdout).allSatisfy { $0["status"] == "skipped" })

        let alerts = Self.rows(try cli.ok(["alert", "--all", "--gateway", kannel.gatewayURL(), "--format", "csv"]).stdout)
        #expect(Set(alerts.map { $0["format"]! }) == ["san-1.2", "san-1.1"])
        _ = try kannel.waitForMessages(count: before + alerts.reduce(0) { $0 + Int($1["messages"]!)! })
        let san = try #require(try Self.pushes(kannel, to: "+4790000201").last)
        #expect(san.contentType == .wellKnown(0x4E) && san.applicationID == 5)
        #expect(try ServerAlertedNotification.decode(san.body).serverID == "syncfleet")
        let legacy = try #require(try Self.pushes(kannel, to: "+4790000202").last)
        #expect(legacy.contentType == .registered(0x0303))
        #expect(String(decoding: try Oracle.run("wbxml2xml", input: legacy.body), as: UTF8.self).contains("<Data>206</Data>"))
        _ = phones
    }

    @Test("a refusing gateway and one that is down fail the phones with the reason, exit 5; a re-run sends just those")
    func failures() throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let (cli, _) = try Self.store()
        defer { cli.remove() }
        let refused = try cli.run(["provision", "--all", "--pin", "1234", "--gateway", kannel.gatewayURL(password: "wrong"), "--format", "csv"])
        #expect(refused.status == 5)
        #expect(Self.rows(refused.stdout).allSatisfy {
            $0["status"] == "failed" && $0["attempts"] == "1" && $0["error"]!.contains("HTTP 403 Authorization failed for sendsms")
        })
        let down = "kannel://fleet:x@127.0.0.1:\(kannel.sendsmsPort + 100)"
        let unreachable = try cli.run(["provision", "--all", "--pin", "1234", "--gateway", down, "--attempts", "2", "--format", "csv"])
        #expect(unreachable.status == 5 && unreachable.stderr.contains("3 failed"))
        #expect(Self.rows(unreachable.stdout).allSatisfy { $0["status"] == "failed" && $0["attempts"] == "2" && $0["error"]!.contains("unreachable") })
        #expect(kannel.captured().isEmpty)
        let retry = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", kannel.gatewayURL(), "--format", "csv"])
        #expect(Self.rows(retry.stdout).allSatisfy { $0["status"] == "sent" })
    }

    @Test("serve sends the seed's setup and sync requests through its gateway and records Kannel's delivery reports")
    func serveWithDeliveryReports() throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let (cli, phones) = try Self.store()
        defer { cli.remove() }
        let port = try RemoteCommandTests.freePort()
        let (server, _) = try RemoteCommandTests.startServer(cli, port: port, extra: ["--gateway", kannel.gatewayURL()])
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        let remote = ["--remote", "http://127.0.0.1:\(port)", "--user", "admin"]
        let password = ["SYNCFLEET_PASSWORD": "correct horse battery"]
        let uuid = phones["+4790000201"]!
        let setup = try cli.run(["provision", uuid, "--pin", "1234", "--format", "csv"] + remote, environment: password)
        #expect(setup.status == 0, "\(setup.stderr)")
        let row = try #require(Self.rows(setup.stdout).first)
        #expect(row["status"] == "sent" && row["format"] == "oma-cp/userpin")
        let messages = Int(row["messages"]!)!
        _ = try kannel.waitForMessages(count: messages)
        let skipped = try cli.run(["provision", uuid, "--pin", "1234", "--format", "csv"] + remote, environment: password)
        #expect(Self.rows(skipped.stdout).first?["status"] == "skipped")
        let alert = try cli.run(["alert", uuid, "--format", "csv"] + remote, environment: password)
        #expect(Self.rows(alert.stdout).first?["status"] == "sent")

        // The fake SMS centre's reports (accepted, then delivered) come back to serve's /dlr.
        let fleet = try LocalFleet.open(path: cli.storePath, mode: .mustExist)
        defer { try? fleet.close() }
        let id = Int64(row["id"]!)!
        let deadline = Date().addingTimeInterval(20)
        var state: String?
        while Date() < deadline {
            state = try fleet.database.read { db in try String.fetchOne(db, sql: "SELECT delivery FROM setup WHERE id = ?", arguments: [id]) }
            if state == "delivered" { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(state == "delivered")
        let reported = try fleet.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM pushMessage WHERE setupID = ? AND delivery = 'delivered'", arguments: [id])
        }
        #expect(reported == messages)
    }
}
