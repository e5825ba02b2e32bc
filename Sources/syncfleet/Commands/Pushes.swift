import ArgumentParser
import FleetKit
import Foundation
import PhonePush

struct Pushes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What was sent to phones: setups and alerts, the gateway's answers and the delivery reports.",
        subcommands: [PushesList.self])
}

struct PushesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List setups and alerts (setups first, each oldest first), with every SMS and its delivery report.",
        discussion: """
            status: queued (no gateway yet), sending (a run stopped while sending it: may have \
            been sent), sent (the gateway accepted it, no final report yet), delivered (every SMS \
            reported delivered), failed (refused by the gateway, or reported undelivered or \
            rejected), expired (sent, no final report after 48 hours). Columns (csv; the same \
            names in json): kind, id, uuid, phone_number, status, state, delivery, created, sent, \
            format, messages, attempts, gateway, answer, error, parts (1:delivered;2:accepted; \
            json: an array of part, message_id, delivery, reported).
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(help: ArgumentHelp("setup or alert.", valueName: "kind"))
    var kind: PushMessage.Kind?

    @Option(help: ArgumentHelp("queued, sending, sent, delivered, failed or expired.", valueName: "status"))
    var status: PushStatus?

    @Option(help: ArgumentHelp("Only this client's pushes.", valueName: "uuid"))
    var client: String?

    @Option(help: ArgumentHelp("Only pushes made at or after this time (2026-11-30 or 2026-11-30T10:00:00Z).", valueName: "date"))
    var since: String?

    @Flag(help: "Only each phone's newest push of its kind, when it is not known delivered (what --undelivered resends).")
    var undelivered = false

    @Option(help: ArgumentHelp("At most this many pushes.", valueName: "n"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let since, Timestamp.parse(since) == nil {
            throw ValidationError("--since \(since) is not a date: write 2026-11-30 or 2026-11-30T10:00:00Z")
        }
    }

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        let filter = PushFilter(kind: kind, status: status, clientUUID: client, since: since.flatMap(Timestamp.parse), undelivered: undelivered)
        try await context.print(fleet.pushes(filter, limit: limit))
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The fleet's funnel: registered → setup sent → delivered → first sync → synced in the last 7 days.",
        discussion: """
            One row per model and one for all models (the last), with counts and, in the table, \
            the share of the registered phones. Columns (csv; the same names in json): \
            model_uuid (empty on the row of all models), title, registered, setup_sent, \
            delivered, first_sync, synced_7d. --user narrows to one user's phones.
            """)

    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        let rows = try await fleet.funnel(user: context.remoteURL == nil ? context.userName : nil)
        let writer = context.writer(for: FunnelRow.self)
        for row in rows + [FunnelRow.total(rows)] { try writer.write(row) }
        try writer.finish()
    }
}

extension PushMessage.Kind: ExpressibleByArgument {}
extension PushStatus: ExpressibleByArgument {}
