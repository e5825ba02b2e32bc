import ArgumentParser
import FleetKit
import FleetServer
import Foundation
import Hummingbird
import Logging
import SyncML

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the ObexCode SyncML REST API on the store.",
        discussion: """
            Routes under /v2/services/syncml/ as the ObexCode document has them: GET and POST \
            on the clients, GET and DELETE on one client (PUT and PATCH answer 405: clients \
            are not edited), POST /{uuid}/setup/ and /{uuid}/sync/ (sent through --gateway, \
            or the gateway setting; recorded as queued without one), /sessions/ and \
            /datastores/, and GET /dlr, where the gateway reports delivery (its URL is the \
            dlr-url setting, else this server's own address). Every request needs HTTP Basic credentials of a \
            user of the store; users see their own phones, administrators everyone's. One \
            line per request goes to stderr; SIGINT or SIGTERM stops the server after the \
            requests in flight.

            It is also the SyncML DS server (1.0, 1.1, 1.2; XML and WBXML) phones sync with: \
            POST on --sync-path, authenticated with each phone's sync credentials (set by \
            provision or clients credentials; syncml:auth-basic or syncml:auth-md5). Datastore \
            URIs: contacts, calendar, tasks and notes, with the aliases card, cal, task, note \
            and addressbook. Every session and message is recorded (sessions, chatlog, \
            datastores). Conflicts, where a phone changes what another phone of the user \
            changed since its last sync: server-wins (the default), client-wins, newest-wins \
            or duplicate.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var push: PushOptions

    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Option(help: ArgumentHelp("Path of the SyncML endpoint phones post to.", valueName: "path"))
    var syncPath = "/sync"

    @Option(help: ArgumentHelp("Seconds a SyncML session may sit idle before it is recorded as abandoned.", valueName: "seconds"))
    var sessionTimeout: Int = 300

    @Option(help: ArgumentHelp("Authentication asked of a phone that sends none or wrong credentials: md5 or basic (both are accepted).",
                               valueName: "scheme"))
    var syncAuth = "md5"

    @Option(help: ArgumentHelp(
        "Conflict policy, for every datastore or one (contacts=client-wins): server-wins, client-wins, newest-wins, duplicate. Repeatable.",
        valueName: "[dataclass=]policy"))
    var conflictPolicy: [String] = []

    @Option(help: ArgumentHelp("Drop the chatlog (message bodies) of sessions older than this many days, hourly; the session records stay.",
                               valueName: "days"))
    var keepChatlog: Int?

    @Option(help: ArgumentHelp("Keep failed sessions' chatlogs this many days instead (with --keep-chatlog).", valueName: "days"))
    var keepFailed: Int?

    func validate() throws {
        if let keepChatlog, keepChatlog < 0 { throw ValidationError("--keep-chatlog takes a number of days (0 or more)") }
        if let keepFailed {
            guard keepChatlog != nil else { throw ValidationError("--keep-failed goes with --keep-chatlog") }
            if keepFailed < 0 { throw ValidationError("--keep-failed takes a number of days (0 or more)") }
        }
    }

    /// Prunes old chatlogs now and every hour, while the server runs.
    static func retention(_ store: LocalFleet, keep: Int, keepFailed: Int?, console: Console) async {
        while !Task.isCancelled {
            let now = Date()
            let day: TimeInterval = 86_400
            do {
                let dropped = try await store.pruneChatlogs(before: now.addingTimeInterval(-Double(keep) * day),
                                                            failedBefore: keepFailed.map { now.addingTimeInterval(-Double($0) * day) })
                if dropped > 0 { console.note("retention: \(dropped) chatlog message(s) older than \(keep) day(s) dropped") }
            } catch {
                console.note("retention: the chatlog could not be pruned: \(error.localizedDescription)")
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }

    func syncConfiguration() throws -> SyncServerConfiguration {
        var configuration = SyncServerConfiguration()
        guard let challenge = SyncAuthType.allCases.first(where: { $0.name == syncAuth.lowercased() }) else {
            throw ValidationError("--sync-auth takes md5 or basic, not \(syncAuth)")
        }
        configuration.challenge = challenge
        for entry in conflictPolicy {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            let policies = ConflictPolicy.allCases.map(\.rawValue).joined(separator: ", ")
            guard let policy = ConflictPolicy(rawValue: parts.last!.lowercased()) else {
                throw ValidationError("--conflict-policy \(entry): the policy is one of \(policies)")
            }
            if parts.count == 2 {
                guard let dataclass = SyncDataclass(uri: parts[0]) else {
                    throw ValidationError("--conflict-policy \(entry): \(parts[0]) is not contacts, calendar, tasks or notes")
                }
                configuration.conflictPolicies[dataclass] = policy
            } else {
                configuration.defaultConflictPolicy = policy
            }
        }
        return configuration
    }

    func run() async throws {
        let context = CommandContext(globals)
        if context.remoteURL != nil { throw ValidationError("serve works on a local store; drop --remote") }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen takes HOST:PORT, e.g. 127.0.0.1:8080")
        }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard var store = try context.fleet() as? LocalFleet else { throw ValidationError("serve needs a local store") }
        store.push = try context.pushConfiguration(push, store: store)
        if try store.settingsNow()[.dlrURL] == nil {
            let reachable = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
            let bracketed = reachable.contains(":") ? "[\(reachable)]" : reachable
            store.push.deliveryReportURL = "http://\(bracketed):\(port)\(APIServer.basePath)/dlr"
        }
        let fleet = store
        let baseURL = globals.baseURL ?? context.environment["SYNCFLEET_BASE_URL"]
        var logger = Logger(label: "syncfleet.serve")
        logger.logLevel = globals.quiet ? .warning : .notice
        guard sessionTimeout > 0 else { throw ValidationError("--session-timeout takes a number of seconds above 0") }
        let stale = try await fleet.closeStaleSessions(reason: "the server stopped during the session")
        if stale > 0 { context.console.note("\(stale) session(s) left open by an earlier server recorded as failed") }
        var syncLogger = logger
        syncLogger[metadataKey: "endpoint"] = "sync"
        var endpoint = SyncEndpoint(store: fleet, configuration: try syncConfiguration(), path: syncPath,
                                    sessionTimeout: TimeInterval(sessionTimeout), logger: syncLogger)
        // The RespURI phones are sent on to: the sync URL they were given, when it names this endpoint.
        if let url = try fleet.push.syncURL ?? fleet.settingsNow()[.syncURL], url.hasSuffix(endpoint.path) { endpoint.publicURL = url }
        let sync = endpoint
        let server = APIServer(backend: fleet, baseURL: baseURL, sync: sync, logger: logger)
        let console = context.console
        let app = server.application(host: host, port: port) { channel in
            if let address = channel.localAddress {
                console.note("serving \(APIServer.basePath)/ and SyncML on \(sync.path) on \(address) (store \(fleet.path))")
            }
        }
        let expiry = Task { await sync.runExpiry() }
        defer { expiry.cancel() }
        let keep = keepChatlog, keepFailed = self.keepFailed
        let retention = Task {
            guard let keep else { return }
            await Self.retention(fleet, keep: keep, keepFailed: keepFailed, console: console)
        }
        defer { retention.cancel() }
        try await app.runService()
        expiry.cancel()
        await sync.expireSessions(now: .distantFuture, reason: "the server stopped")
        try fleet.close()
    }
}
