import ArgumentParser
import FleetKit

struct ModelsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the model catalogue by model_uuid.")

    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let context = CommandContext(globals)
        try await context.print(context.fleet().allModels())
    }
}
