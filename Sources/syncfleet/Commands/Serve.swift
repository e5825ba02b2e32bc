import ArgumentParser
import FleetKit
import FleetServer
import Foundation
import Hummingbird
import Logging

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
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var push: PushOptions

    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

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
        let server = APIServer(backend: fleet, baseURL: baseURL, logger: logger)
        let console = context.console
        let app = server.application(host: host, port: port) { channel in
            if let address = channel.localAddress {
                console.note("serving \(APIServer.basePath)/ on \(address) (store \(fleet.path))")
            }
        }
        try await app.runService()
        try fleet.close()
    }
}
