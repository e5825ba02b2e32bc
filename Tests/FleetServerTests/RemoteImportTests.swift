import FleetKit
import FleetServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Answers 503 to the first `failures` requests, then lets them through: a server in trouble for a while.
struct Unavailable: RouterMiddleware {
    typealias Context = FleetRequestContext
    let counter: Counter
    let failures: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if await counter.next() <= failures {
            return Response(status: .serviceUnavailable, headers: [.retryAfter: "0"])
        }
        return try await next(request, context)
    }
}

@Suite("import-csv against a remote API")
struct RemoteImportTests {
    @Test("a server answering 503 for a while: every row is registered, none twice")
    func throughUnavailability() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let file = fixture.directory.appendingPathComponent("phones.csv").path
        var text = "msisdn;handset;tz\n"
        for index in 0..<300 { text += "+4742\(String(format: "%06d", index));Nokia 5800 XpressMusic;Europe/Oslo\n" }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        var quiet = Logger(label: "syncfleet.tests")
        quiet.logLevel = .warning
        let counter = Counter()
        let server = APIServer(backend: fixture.fleet, logger: quiet)
        let app = Application(router: server.router(inFront: Unavailable(counter: counter, failures: 12)), logger: quiet)
        try await app.test(.live) { client in
            let remote = try RemoteFleet(url: "http://127.0.0.1:\(client.port!)", user: "frank", password: "frank-password")
            var results: [ImportResult] = []
            let summary = try await CSVImporter(parallel: 8).run(fleet: remote, open: {
                try ImportColumns.open(path: file, delimiter: nil, overrides: [:])
            }) { results.append($0) }
            #expect(summary.created == 300)
            #expect(summary.failed == 0)
            #expect(results.map(\.line) == Array(2...301))
            #expect(await counter.value > 300 + 12 - 1)
        }
        let stored = try await collect(fixture.fleet.clients())
        #expect(stored.count == 300)
        #expect(Set(stored.map(\.phoneNumber)).count == 300)
        #expect(stored.allSatisfy { $0.userName == "frank" })
    }
}
