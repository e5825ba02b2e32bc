import ArgumentParser
import FleetKit
import PhonePush

struct Alert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask phones to sync now (Server Alerted Notification over WAP Push SMS).",
        discussion: """
            Sends an OMA DS 1.2 SAN (package #0: digest, ui-mode, server id, one entry per \
            datastore with sync type, content type and server URI), or the SyncML 1.1 WBXML \
            alert to phones whose model takes no 1.2 SAN; --san-version overrides the \
            catalogue. Every alert has its own session id. Alerts are not deduplicated: each \
            run sends again; --rate spaces them out. With --remote, each phone is a \
            POST /{uuid}/sync/ and the server sends through its own gateway.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var targets: TargetOptions
    @OptionGroup var push: PushOptions

    @Option(name: .customLong("datastore"), help: ArgumentHelp("Sync only this datastore (contacts, calendar, tasks, notes); repeatable.", valueName: "name"))
    var datastores: [String] = []

    @Option(name: .customLong("sync-type"), help: ArgumentHelp(
        "two-way, one-way-from-client, refresh-from-client, one-way-from-server or refresh-from-server (or 206-210).", valueName: "type"))
    var syncType: ServerAlertedNotification.SyncType = .twoWay

    @Option(help: ArgumentHelp("How the phone involves its user: background, informative, interactive or not-specified.", valueName: "mode"))
    var ui: ServerAlertedNotification.UIMode = .background

    @Option(name: .customLong("san-version"), help: ArgumentHelp("1.2 (binary SAN) or 1.1 (SyncML WBXML alert) for every phone.", valueName: "version"))
    var sanVersion: String?

    @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Build only; record and send nothing.")
    var dryRun = false

    func validate() throws {
        if let sanVersion, sanVersion != "1.1" && sanVersion != "1.2" { throw ValidationError("--san-version takes 1.1 or 1.2") }
        for store in datastores where Dataclass(parsing: store) == nil {
            throw ValidationError("--datastore \(store): not a datastore (contacts, calendar, tasks, notes)")
        }
    }

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet(push: push)
        let request = AlertRequest(datastores: datastores, syncType: syncType, uiMode: ui, sanVersion: sanVersion, dryRun: dryRun)
        let runner = PushRunner(context: context, targets: targets, kind: .alert)
        try await runner.run(fleet: fleet, printsResults: !context.printsSMS(fleet), job: .alert(request))
    }
}

extension ServerAlertedNotification.SyncType: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
}

extension ServerAlertedNotification.UIMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
}
