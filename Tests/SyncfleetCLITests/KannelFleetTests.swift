import Foundation
import GRDB
import Testing
import TestSupport
@testable import FleetKit

/// Fleet pushes through a real Kannel when things go wrong: a run killed half-way, the SMS
/// centre down, bearerbox restarted, sendsms answering 503. What reached the fake SMS centre
/// is counted per phone: every phone gets its setup, and only a phone the re-run names as
/// "may have been sent" can get it twice.
@Suite("syncfleet provision through Kannel when things go wrong", .serialized)
struct KannelFleetTests {
    static let rows = ProvisionCommandTests.rows
    /// SMS per setup of model 112 (OMA CP, three datastores).
    static let partsPerSetup = 3

    /// Complete setups that reached the fake SMS centre, per phone number: the parts of one push
    /// share a concatenation reference (UDH octet 9), and a push is complete when every part
    /// (1 to the total in octet 10) arrived. A part sent twice is joined once by the phone.
    static func setupsPerPhone(_ kannel: KannelLoopback) -> [String: Int] {
        var parts: [String: [UInt8: Set<UInt8>]] = [:]
        var totals: [String: [UInt8: UInt8]] = [:]
        for sms in kannel.captured() where sms.udh.count == 12 {
            parts[sms.to, default: [:]][sms.udh[9], default: []].insert(sms.udh[11])
            totals[sms.to, default: [:]][sms.udh[9]] = sms.udh[10]
        }
        return parts.mapValues { _ in 0 }.merging(parts.map { phone, references in
            (phone, references.filter { reference, seen in seen.count == Int(totals[phone]![reference]!) }.count)
        }) { $1 }
    }

    /// Waits until the fake SMS centre has `count` SMS and no more arrive for a second (at most `timeout` s).
    static func settle(_ kannel: KannelLoopback, count: Int, timeout: Double = 60) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = kannel.captured().count, quietSince = Date()
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            let now = kannel.captured().count
            if now != seen { (seen, quietSince) = (now, Date()) }
            if seen >= count && Date().timeIntervalSince(quietSince) > 1 { break }
        }
        return seen
    }

    /// `provision --all` started in the background, its output in files.
    static func start(_ cli: CLI, _ arguments: [String]) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["provision", "--all", "--pin", "1234", "--format", "csv"] + arguments
        process.environment = cli.environment
        let output = cli.directory.appendingPathComponent("run-\(UUID().uuidString).csv")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    static func waitFor(_ kannel: KannelLoopback, atLeast count: Int, while process: Process, timeout: Double = 60) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning && kannel.captured().count < count { Thread.sleep(forTimeInterval: 0.01) }
    }

    @Test("kill -9 in the middle of provision --all, then again: every phone once, but the at most --parallel 'may have been sent'")
    func killAndResume() throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let cli = try ProvisionCommandTests.store(phones: 600)
        defer { cli.remove() }
        let (process, _) = try Self.start(cli, ["--gateway", kannel.gatewayURL(), "--parallel", "8"])
        Self.waitFor(kannel, atLeast: 300, while: process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let before = Self.settle(kannel, count: 0, timeout: 10)
        #expect(before >= 300 && before < 1800, "killed after \(before) SMS")

        let rerun = try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", kannel.gatewayURL(), "--parallel", "8", "--format", "csv"])
        let rows = Self.rows(rerun.stdout)
        #expect(rows.count == 600 && rows.allSatisfy { $0["status"] == "sent" || $0["status"] == "skipped" })
        let noted = Set(rows.filter { $0["note"]?.contains("may have been sent") == true }.map { $0["phone_number"]! })
        #expect(noted.count <= 8, "\(noted.count) phones may have been sent")
        let total = Self.settle(kannel, count: 1800)
        let perPhone = Self.setupsPerPhone(kannel)
        #expect(perPhone.count == 600, "\(perPhone.count) phones got SMS (\(total) SMS)")
        #expect(perPhone.values.allSatisfy { $0 >= 1 })
        let twice = Set(perPhone.filter { $0.value > 1 }.map(\.key))
        #expect(twice.isSubset(of: noted), "got more than one setup without a note: \(twice.subtracting(noted))")
        // The store agrees: one sent setup per phone, nothing left sending.
        let fleet = try LocalFleet.open(path: cli.storePath, mode: .mustExist)
        defer { try? fleet.close() }
        let states = try fleet.database.read { db in
            try Row.fetchAll(db, sql: "SELECT state, count(DISTINCT clientID) FROM setup WHERE id IN (SELECT max(id) FROM setup GROUP BY clientID) GROUP BY state")
                .map { "\($0[0] as String) \($0[1] as Int)" }
        }
        #expect(states == ["sent 600"])
    }

    @Test("the SMS centre down half-way: Kannel queues, every phone is sent with Kannel's answer, and gets its setup once when it is back")
    func smscDown() throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let cli = try ProvisionCommandTests.store(phones: 200)
        defer { cli.remove() }
        let (process, output) = try Self.start(cli, ["--gateway", kannel.gatewayURL(), "--parallel", "4", "--rate", "40/s"])
        Self.waitFor(kannel, atLeast: 90, while: process)
        try kannel.stopSMSC()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rows = Self.rows(try String(contentsOf: output, encoding: .utf8))
        #expect(rows.count == 200 && rows.allSatisfy { $0["status"] == "sent" })
        let pushes = Self.rows(try cli.ok(["pushes", "list", "--format", "csv"]).stdout)
        #expect(pushes.contains { $0["answer"]?.contains("Queued for later delivery") == true },
                "no phone was queued by Kannel: \(Set(pushes.map { $0["answer"] ?? "" }).prefix(3)), \(kannel.captured().count) SMS at the centre")
        try kannel.startSMSC()
        _ = Self.settle(kannel, count: 600)
        // The SMS centre was killed (a crash): an SMS it was reading at that moment goes with it, as
        // with a real one, and Kannel counts it sent. Every other phone gets its setup exactly once; none twice.
        let perPhone = Self.setupsPerPhone(kannel)
        #expect(perPhone.count == 200 && perPhone.values.allSatisfy { $0 <= 1 } && perPhone.values.filter { $0 == 0 }.count <= 1,
                "\(perPhone.filter { $0.value != 1 })")
        let captured = kannel.captured().count
        #expect(captured <= 200 * Self.partsPerSetup && captured >= 200 * Self.partsPerSetup - 1)
    }

    @Test("bearerbox restarted half-way: every phone ends sent or failed with the gateway's answer; a re-run finishes; none twice")
    func bearerboxRestart() throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let cli = try ProvisionCommandTests.store(phones: 200)
        defer { cli.remove() }
        let (process, output) = try Self.start(cli, ["--gateway", kannel.gatewayURL(), "--parallel", "4", "--attempts", "2", "--rate", "40/s"])
        Self.waitFor(kannel, atLeast: 90, while: process)
        try kannel.restartBearerbox()
        process.waitUntilExit()
        let rows = Self.rows(try String(contentsOf: output, encoding: .utf8))
        #expect(rows.count == 200 && rows.allSatisfy { $0["status"] == "sent" || ($0["status"] == "failed" && !$0["error"]!.isEmpty) })
        let failed = Self.rows(try cli.ok(["pushes", "list", "--status", "failed", "--format", "csv"]).stdout)
        #expect(failed.count == rows.filter { $0["status"] == "failed" }.count)
        let rerun = Self.rows(try cli.ok(["provision", "--all", "--pin", "1234", "--gateway", kannel.gatewayURL(), "--format", "csv"]).stdout)
        #expect(rerun.filter { $0["status"] == "sent" }.count == failed.count)
        _ = Self.settle(kannel, count: 600)
        let perPhone = Self.setupsPerPhone(kannel)
        #expect(perPhone.count == 200, "\(perPhone.count) phones got their setup")
        let notOnce = perPhone.filter { $0.value != 1 }
        #expect(notOnce.isEmpty, "phones without exactly one setup: \(notOnce)")
    }

    @Test("sendsms answering 503 (bearerbox's queue full): those phones fail with the answer; --undelivered finishes once the gateway is back")
    func serviceUnavailable() throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start(queueLimit: 60)
        defer { kannel.stop() }
        let cli = try ProvisionCommandTests.store(phones: 60)
        defer { cli.remove() }
        // Delivery reports come back to serve, on the same store.
        let port = try RemoteCommandTests.freePort()
        let (server, _) = try RemoteCommandTests.startServer(cli, port: port)
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        try cli.ok(["settings", "set", "dlr-url", "http://127.0.0.1:\(port)/v2/services/syncml/dlr"])
        try kannel.stopSMSC()
        let first = try cli.run(["provision", "--all", "--pin", "1234", "--gateway", kannel.gatewayURL(), "--attempts", "1", "--format", "csv"])
        let rows = Self.rows(first.stdout)
        let failed = rows.filter { $0["status"] == "failed" }
        #expect(first.status == 5 && rows.count == 60)
        #expect(!failed.isEmpty && failed.allSatisfy { $0["error"]!.contains("503") }, "\(rows.map { $0["error"] ?? "" })")
        let listed = Self.rows(try cli.ok(["pushes", "list", "--status", "failed", "--format", "csv"]).stdout)
        #expect(Set(listed.map { $0["uuid"]! }) == Set(failed.map { $0["uuid"]! }))
        // The SMS centre is back: the queued ones go out and are reported delivered; then the cron job finishes the rest.
        try kannel.startSMSC()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !Self.rows(try cli.ok(["pushes", "list", "--status", "sent", "--format", "csv"]).stdout).isEmpty {
            Thread.sleep(forTimeInterval: 0.2)
        }
        // A minute later (the store's clock is fixed): every push of the first run is older than --older-than 0s.
        let cron = try cli.run(["provision", "--undelivered", "--older-than", "0s", "--pin", "1234", "--gateway", kannel.gatewayURL(),
                                "--format", "csv"], environment: ["SYNCFLEET_NOW": "2009-03-17T10:52:55Z"])
        #expect(cron.status == 0, "\(cron.stderr)")
        let resent = Self.rows(cron.stdout)
        #expect(Set(resent.map { $0["uuid"]! }) == Set(failed.map { $0["uuid"]! }) && resent.allSatisfy { $0["status"] == "sent" })
        _ = Self.settle(kannel, count: 60 * Self.partsPerSetup)
        let perPhone = Self.setupsPerPhone(kannel)
        #expect(perPhone.count == 60 && perPhone.values.allSatisfy { $0 == 1 }, "\(perPhone.filter { $0.value != 1 })")
    }
}
