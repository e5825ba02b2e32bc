import ArgumentParser
import FleetKit

struct UsersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users by name.")

    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let context = CommandContext(globals)
        try await context.print(context.fleet().allUsers())
    }
}
