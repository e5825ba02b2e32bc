import ArgumentParser
import FleetKit

struct ModelsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add or update phone models from a CSV file; creates the store when there is none.",
        discussion: """
            Columns (by header name, any order): model_uuid, title, manufacturer, \
            syncml_version (1.0/1.1/1.2), san_1_2 (yes/no), provisioning (oma-cp or \
            nokia-ota), datastores (Contacts=C:Contacts.cdb;Calendar=C:Calendar). Other \
            columns are ignored. The file is checked whole first: one bad row and nothing \
            is imported. Importing again updates the models by model_uuid. `models list \
            --format csv` prints a file this command reads back.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The CSV file, or - for stdin.", valueName: "file"))
    var file: String

    func run() async throws {
        let context = CommandContext(globals)
        let models = try ModelCatalog.read(path: file)
        let (added, updated) = try await context.fleet(creating: true).importModels(models)
        context.console.note("\(file): \(added) models added, \(updated) updated")
    }
}
