import ArgumentParser
import FleetKit

struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register a phone and print the new client.",
        discussion: """
            The phone number is stored in E.164 form (spaces, dashes, dots and \
            parentheses are dropped; a leading 00 becomes +). The model is a model_uuid \
            or a title from `syncfleet models list`. Registering the same phone again \
            (same user, number, model and IMEI) prints the existing client and says so on \
            stderr. Clients cannot be edited: a new phone is registered as a new client, \
            even when the number stays the same.
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(help: ArgumentHelp("The phone number, with its country code (+47 909 81 948).", valueName: "number"))
    var phone: String

    @Option(help: ArgumentHelp("The phone model: its model_uuid or title.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The IMEI: 15 digits (or 14 without the check digit).", valueName: "imei"))
    var imei: String?

    @Option(help: ArgumentHelp("An IANA time zone (default: UTC).", valueName: "zone"))
    var timezone: String?

    @Option(name: .customLong("datastore"), help: ArgumentHelp(
        "A datastore instead of the model's defaults, as Dataclass=name (repeatable).", valueName: "class=name"))
    var datastores: [String] = []

    func run() async throws {
        let context = CommandContext(globals)
        let bindings = try datastores.isEmpty ? nil : datastores.flatMap { try DatastoreBinding.parseList($0, field: "--datastore") }
        let fleet = try context.fleet()
        let result = try await fleet.register(Registration(
            phoneNumber: phone, model: model, imei: imei, timezone: timezone,
            user: context.remoteURL == nil ? context.userName : nil, datastores: bindings))
        if result.outcome == .exists {
            let client = result.client
            context.console.note("\(client.phoneNumber) (\(client.title)) is registered already as \(client.uuid); nothing changed")
            if let zone = timezone, (try? TimeZoneName.normalize(zone)) != client.timezone {
                context.console.warn("the existing client keeps its time zone \(client.timezone): clients are not edited; delete and register it again to change it")
            }
        }
        try context.print(single: result.client)
    }
}
