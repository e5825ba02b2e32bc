import ArgumentParser
import FleetKit
import PhonePush

struct Settings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show and change the store's settings (sync URL, server id, gateway, …).",
        discussion: """
            provision, alert and serve read these when no flag or environment variable \
            says otherwise. Keys: \(FleetSetting.allCases.map(\.rawValue).joined(separator: ", ")). \
            Settings live in the local store; run this where the store is.
            """,
        subcommands: [SettingsList.self, SettingsSet.self, SettingsUnset.self],
        defaultSubcommand: SettingsList.self)
}

extension FleetSetting: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

struct SettingsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print every setting (secrets masked).")

    @OptionGroup var globals: GlobalOptions

    @Flag(name: .customLong("show-secrets"), help: "Print the gateway and access point passwords too.")
    var showSecrets = false

    func run() async throws {
        let context = CommandContext(globals)
        let values = try await context.fleet().settings()
        for key in FleetSetting.allCases {
            var value = values[key] ?? "-"
            if key.isSecret && !showSecrets && values[key] != nil { value = key == .gateway ? GatewayAddress.redacted(value) : "********" }
            print("\(key.rawValue)\t\(value)\t\(key.summary)")
        }
    }
}

struct SettingsSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a setting (checked before it is stored).")

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The setting.", valueName: "key"))
    var key: FleetSetting

    @Argument(help: ArgumentHelp("Its value.", valueName: "value"))
    var value: String

    func run() async throws {
        try await CommandContext(globals).fleet(creating: true).setSetting(key, to: value)
    }
}

struct SettingsUnset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove a setting (its default applies again).")

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The setting.", valueName: "key"))
    var key: FleetSetting

    func run() async throws {
        try await CommandContext(globals).fleet().setSetting(key, to: nil)
    }
}
