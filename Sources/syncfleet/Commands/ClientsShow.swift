import ArgumentParser
import FleetKit

struct ClientsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one client.")

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The client's uuid.", valueName: "uuid"))
    var uuid: String

    func run() async throws {
        let context = CommandContext(globals)
        let client = try await context.fleet().client(uuid: uuid)
        try context.print(single: client)
    }
}
