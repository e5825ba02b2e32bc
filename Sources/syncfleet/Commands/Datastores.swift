import ArgumentParser
import FleetKit

struct Datastores: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the datastores phones registered on their first sync.",
        discussion: """
            Per phone and dataclass: the phone's own name for the datastore, the server URI it \
            syncs with, the content types its DevInf gave, the anchors of the last completed \
            sync, the item count and the time of the last sync.
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(help: ArgumentHelp("Only this client's datastores.", valueName: "uuid"))
    var client: String?

    @Option(help: ArgumentHelp("Only this dataclass: Contacts, Calendar, Tasks or Notes.", valueName: "dataclass"))
    var dataclass: String?

    @Option(help: ArgumentHelp("At most this many.", valueName: "n"))
    var limit: Int?

    func run() async throws {
        let context = CommandContext(globals)
        var filter = DatastoreFilter(clientUUID: client)
        if let dataclass {
            guard let parsed = Dataclass(parsing: dataclass) else { throw ValidationError("--dataclass takes Contacts, Calendar, Tasks or Notes") }
            filter.dataclass = parsed
        }
        try await context.print(context.fleet().datastores(filter, limit: limit))
    }
}
