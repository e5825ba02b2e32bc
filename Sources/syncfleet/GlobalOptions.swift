import ArgumentParser
import FleetKit

/// Options every command takes, before or after the subcommand name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The SQLite store (default: $SYNCFLEET_STORE, else $XDG_DATA_HOME/syncfleet/fleet.sqlite).",
        valueName: "path"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp(
        "Work against this ObexCode API endpoint (or server root) instead of the local store (default: $SYNCFLEET_REMOTE).",
        valueName: "url"))
    var remote: String?

    @Option(name: .long, help: ArgumentHelp(
        "Act for this user: narrows listings and owns new phones; with --remote, the login (default: $SYNCFLEET_USER).",
        valueName: "name"))
    var user: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp(
        "Read a password from the first line of this file: the login with --remote (else $SYNCFLEET_PASSWORD), the new user's for a local `users add`.",
        valueName: "path"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "Output format: table, tsv, csv, json, ndjson or atom (default: table on a terminal, tsv otherwise).",
        valueName: "format"))
    var format: OutputFormat?

    @Option(name: .customLong("base-url"), help: ArgumentHelp(
        "Base URL of ids and links in Atom output (default: $SYNCFLEET_BASE_URL, else \(AtomContext.defaultBaseURL)).",
        valueName: "url"))
    var baseURL: String?

    @Flag(name: .shortAndLong, help: "Print no notes or progress on stderr, only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print what is done on stderr.")
    var verbose = false
}

extension OutputFormat: ExpressibleByArgument {}
