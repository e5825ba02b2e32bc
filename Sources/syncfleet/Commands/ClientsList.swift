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

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        // Remotely --user is the login, and the server shows that user's phones (an administrator's: all).
        var filter = ClientFilter(user: context.remoteURL == nil ? context.userName : nil, phoneNumber: phone)
        if let model { filter.modelUUID = try await fleet.resolveModel(model).modelUUID }
        let updated = context.format == .atom ? try await fleet.clientsUpdated(filter) : nil
        try await context.print(fleet.clients(filter, limit: limit), feedUpdated: updated)
    }
}
