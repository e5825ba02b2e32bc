import FleetKit
import FleetServer
import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import Testing

/// One scenario, run against LocalFleet and against RemoteFleet talking to a real server on
/// 127.0.0.1: both must give the same transcript (results and error messages, uuids replaced).
@Suite("Fleet conformance: local and remote")
struct ConformanceTests {
    /// Runs every operation of the Fleet protocol and writes down what happened.
    static func scenario(_ fleet: any Fleet) async -> [String] {
        var log: [String] = []
        var uuids: [String: String] = [:]
        func name(_ uuid: String) -> String {
            if uuids[uuid] == nil { uuids[uuid] = "<client-\(uuids.count + 1)>" }
            return uuids[uuid]!
        }
        func record(_ label: String, _ body: () async throws -> String) async {
            do { log.append("\(label): \(try await body())") } catch {
                var message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                for (uuid, alias) in uuids { message = message.replacingOccurrences(of: uuid, with: alias) }
                log.append("\(label): error: \(message)")
            }
        }
        func describe(_ client: Client) -> String {
            "\(name(client.uuid)) \(client.title) \(client.phoneNumber) \(client.modelUUID) \(client.imei ?? "-") \(client.timezone) "
                + "\(DatastoreBinding.formatList(client.datastores)) owner=\(client.userName)/\(client.userEmail) setup=\(client.setup?.name ?? "-")"
        }
        var first = ""
        await record("register") {
            let result = try await fleet.register(Registration(phoneNumber: "+47 909 81 948", model: "112", timezone: "Europe/Oslo"))
            first = result.client.uuid
            return "\(result.outcome) \(describe(result.client))"
        }
        await record("register again") {
            let result = try await fleet.register(Registration(phoneNumber: "0047 90981948", model: "Nokia 5310 XpressMusic"))
            return "\(result.outcome) \(describe(result.client))"
        }
        await record("same number, other model") {
            let result = try await fleet.register(Registration(phoneNumber: "+4790981948", model: "56", imei: "49015420323751"))
            return "\(result.outcome) \(describe(result.client))"
        }
        for (label, registration) in [
            ("no country code", Registration(phoneNumber: "90981948", model: "112")),
            ("bad imei", Registration(phoneNumber: "+4790981948", model: "112", imei: "490154203237519")),
            ("seed timezone", Registration(phoneNumber: "+4790981948", model: "112", timezone: "Europe/Oslo\"")),
            ("unknown model", Registration(phoneNumber: "+4790981948", model: "Nokia 6223")),
            ("ambiguous model", Registration(phoneNumber: "+4790981948", model: "Nokia 6233")),
        ] {
            await record(label) { describe(try await fleet.register(registration).client) }
        }
        for index in 0..<7 {
            await record("register \(index)") {
                let result = try await fleet.register(Registration(phoneNumber: "+4791\(String(format: "%06d", index))", model: "242"))
                return "\(result.outcome) \(describe(result.client))"
            }
        }
        await record("list in pages of 3") { try await collect(fleet.clients(pageSize: 3)).map { name($0.uuid) }.joined(separator: " ") }
        await record("list by phone") { try await collect(fleet.clients(ClientFilter(phoneNumber: "+47 90981948"))).map(describe).joined(separator: " | ") }
        await record("list by model") { try await collect(fleet.clients(ClientFilter(modelUUID: "242"))).count.description }
        await record("show") { describe(try await fleet.client(uuid: first)) }
        await record("show unknown") { describe(try await fleet.client(uuid: "00000000-0000-4000-8000-000000000000")) }
        await record("setup") {
            let setup = try await fleet.provision(uuid: first, request: ProvisionRequest(pincode: "1234"))
            return "\(setup.name ?? "-") \(setup.pincode ?? "-") \(setup.status.rawValue)"
        }
        await record("setup with a bad pin") { try await fleet.provision(uuid: first, request: ProvisionRequest(pincode: "12x4")).status.rawValue }
        await record("setup of an unknown phone") {
            try await fleet.provision(uuid: "00000000-0000-4000-8000-000000000000", request: ProvisionRequest(pincode: "1234")).status.rawValue
        }
        await record("show after setup") { describe(try await fleet.client(uuid: first)) }
        await record("sync") { try await fleet.alert(uuid: first, request: AlertRequest()).status.rawValue }
        await record("pushes") {
            try await collect(fleet.pushes(PushFilter())).map { "\($0.kind.rawValue) \(name($0.clientUUID)) \($0.status.rawValue) \($0.parts.count)" }
                .joined(separator: ", ")
        }
        await record("queued setups") { try await collect(fleet.pushes(PushFilter(kind: .setup, status: .queued))).count.description }
        await record("undelivered") { try await collect(fleet.pushes(PushFilter(undelivered: true))).count.description }
        await record("pushes of an unknown phone") {
            try await collect(fleet.pushes(PushFilter(clientUUID: "00000000-0000-4000-8000-000000000000"))).count.description
        }
        await record("funnel") {
            try await fleet.funnel(user: nil).map { "\($0.title) \($0.stages.map(String.init).joined(separator: "/"))" }.joined(separator: ", ")
        }
        await record("never synced") { try await collect(fleet.clients(ClientFilter(neverSynced: true))).count.description }
        await record("synced lately") {
            try await collect(fleet.clients(ClientFilter(syncedSince: Date(timeIntervalSince1970: 1_000_000_000)))).count.description
        }
        await record("delete with one unknown") {
            try await fleet.deleteClients(uuids: [first, "00000000-0000-4000-8000-000000000000"])
            return "deleted"
        }
        await record("delete") { try await fleet.deleteClients(uuids: [first]); return "deleted" }
        await record("count") { try await collect(fleet.clients()).count.description }
        await record("resolve by title") { try await fleet.resolveModel("nokia 5800 xpressmusic").modelUUID }
        await record("users") { try await collect(fleet.allUsers()).map { "\($0.name) \($0.email) \($0.isAdmin)" }.joined(separator: ", ") }
        await record("models") { try await collect(fleet.allModels()).count.description }
        await record("updated") { try await fleet.clientsUpdated(ClientFilter()).map(Timestamp.rfc3339) ?? "none" }
        return log
    }

    @Test("LocalFleet and RemoteFleet over a live server give the same transcript")
    func sameTranscript() async throws {
        let local = try await APIFixture(clock: { Date(timeIntervalSince1970: 1_237_287_115) })
        defer { local.remove() }
        let admin = try #require(try await local.fleet.authenticate(name: "admin", password: "admin-password"))
        let localTranscript = await Self.scenario(local.fleet.acting(as: admin))

        let served = try await APIFixture(clock: { Date(timeIntervalSince1970: 1_237_287_115) })
        defer { served.remove() }
        let remoteTranscript = try await served.app.test(.live) { client in
            let remote = try RemoteFleet(url: "http://127.0.0.1:\(client.port!)", user: "admin", password: "admin-password")
            return await Self.scenario(remote)
        }
        #expect(localTranscript.count == remoteTranscript.count)
        for (mine, theirs) in zip(localTranscript, remoteTranscript) {
            #expect(mine == theirs)
        }
        // The transcript is not trivially equal: it holds successes and errors.
        #expect(localTranscript.contains { $0.hasPrefix("register: created <client-1> Nokia 5310 XpressMusic +4790981948") })
        #expect(localTranscript.contains { $0.contains("error: invalid phone_number") })
        #expect(localTranscript.contains { $0 == "count: 8" })
        #expect(localTranscript.contains { $0 == "pushes: setup <client-1> queued 0, alert <client-1> queued 0" })
        #expect(localTranscript.contains { $0.hasPrefix("funnel: Nokia 5310 XpressMusic 1/0/0/0/0") })
    }

    @Test("remote: a wrong password and an unreachable server are reported clearly")
    func remoteFailures() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.live) { client in
            let wrong = try RemoteFleet(url: "http://127.0.0.1:\(client.port!)/v2/services/syncml/", user: "admin", password: "nope")
            await #expect {
                try await collect(wrong.clients())
            } throws: { error in
                guard case FleetError.remote(401, let message) = error else { return false }
                return message.contains("authentication failed")
            }
        }
        let nowhere = try RemoteFleet(url: "http://127.0.0.1:9", user: "admin", password: "x", timeout: .seconds(2), retries: 1)
        await #expect(throws: FleetError.self) { try await collect(nowhere.clients()) }
        #expect(throws: FleetError.self) { try RemoteFleet(url: "ftp://example.com", user: "a", password: "b") }
        #expect(try RemoteFleet.normalize("http://h:1") == "http://h:1/v2/services/syncml/")
        #expect(try RemoteFleet.normalize("http://h:1/v2/services/syncml") == "http://h:1/v2/services/syncml/")
    }
}

/// Counts requests, for the retry test.
actor Counter {
    var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}

@Suite("RemoteFleet retries")
struct RetryTests {
    @Test("idempotent requests are retried through 503 and 429 (Retry-After); a POST of a sync is sent once")
    func retries() async throws {
        let gets = Counter(), posts = Counter()
        let router = Router()
        router.get("/v2/services/syncml") { _, _ -> Response in
            switch await gets.next() {
            case 1: return Response(status: .serviceUnavailable)
            case 2: return Response(status: .tooManyRequests, headers: [.retryAfter: "0"])
            default:
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "[]")))
            }
        }
        router.post("/v2/services/syncml/:uuid/sync") { _, _ -> Response in
            _ = await posts.next()
            return Response(status: .serviceUnavailable)
        }
        var quiet = Logger(label: "syncfleet.tests")
        quiet.logLevel = .warning
        try await Application(router: router, logger: quiet).test(.live) { client in
            let remote = try RemoteFleet(url: "http://127.0.0.1:\(client.port!)", user: "admin", password: "x")
            #expect(try await collect(remote.clients()).isEmpty)
            #expect(await gets.value == 3)
            await #expect(throws: FleetError.self) { try await remote.alert(uuid: "00000000-0000-4000-8000-000000000000", request: AlertRequest()) }
            #expect(await posts.value == 1)
        }
    }
}

func collect<S: AsyncSequence>(_ sequence: S) async throws -> [S.Element] {
    var items: [S.Element] = []
    for try await item in sequence { items.append(item) }
    return items
}
