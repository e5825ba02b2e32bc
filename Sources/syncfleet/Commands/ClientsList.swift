import ArgumentParser
import FleetKit

struct ClientsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List clients, streaming, in registration order.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: ArgumentHelp("Only clients with this phone number.", valueName: "number"))
    var phone: String?

    @Option(help: ArgumentHelp("Only clients of this model (model_uuid or title).", valueName: "model"))
    var model: String?

    @Option(help: ArgumentHelp("At most this many clients.", valueName: "n"))
    var limit: Int?

    @Flag(name: .customLong("never-synced"), help: "Only phones that never synced successfully.")
    var neverSynced = false

    @Option(name: .customLong("synced-since"), help: ArgumentHelp("Only phones with a successful sync since this time (2026-11-30 or 2026-11-30T10:00:00Z).", valueName: "date"))
    var syncedSince: String?

    @Option(name: .customLong("not-synced-since"), help: ArgumentHelp("Only phones without a successful sync since this time (never-synced ones too).", valueName: "date"))
    var notSyncedSince: String?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        for (flag, value) in [("--synced-since", syncedSince), ("--not-synced-since", notSyncedSince)] {
            if let value, Timestamp.parse(value) == nil {
                throw ValidationError("\(flag) \(value) is not a date: write 2026-11-30 or 2026-11-30T10:00:00Z")
            }
        }
    }

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        // Remotely --user is the login, and the server shows that user's phones (an administrator's: all).
        var filter = ClientFilter(user: context.remoteURL == nil ? context.userName : nil, phoneNumber: phone, neverSynced: neverSynced,
                                  syncedSince: syncedSince.flatMap(Timestamp.parse), notSyncedSince: notSyncedSince.flatMap(Timestamp.parse))
        if let model { filter.modelUUID = try await fleet.resolveModel(model).modelUUID }
        let updated = context.format == .atom ? try await fleet.clientsUpdated(filter) : nil
        try await context.print(fleet.clients(filter, limit: limit), feedUpdated: updated)
    }
}
