import ArgumentParser
import FleetKit
import PhonePush

/// Options of the commands that send to phones (`provision`, `alert`, `serve`):
/// where the SMS go and what the settings say. Flags beat the environment, which
/// beats the store's settings.
struct PushOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Where the SMS go: kannel://USER:PASSWORD@HOST:PORT, dir:PATH or - (default: $SYNCFLEET_GATEWAY, else the gateway setting).",
        valueName: "url"))
    var gateway: String?

    @Option(name: .customLong("sync-url"), help: ArgumentHelp(
        "The URL phones sync with (default: $SYNCFLEET_SYNC_URL, else the sync-url setting).", valueName: "url"))
    var syncURL: String?

    @Option(name: .customLong("provider-id"), help: ArgumentHelp(
        "The server id phones store and alerts repeat (default: $SYNCFLEET_PROVIDER_ID, else the provider-id setting, else syncfleet).",
        valueName: "id"))
    var providerID: String?

    @Option(help: ArgumentHelp("Attempts per phone when the gateway fails for a while (connection errors, 5xx).", valueName: "n"))
    var attempts = 4

    @Flag(name: .customLong("long-reference"), help: "Join the SMS of a long push with a 16-bit reference (IEI 0x08) instead of an 8-bit one.")
    var longReference = false

    func validate() throws {
        if !(1...20).contains(attempts) { throw ValidationError("--attempts takes 1 to 20") }
        if let syncURL { _ = try FleetSetting.syncURL.validate(syncURL) }
        if let providerID { _ = try FleetSetting.providerID.validate(providerID) }
    }

    /// Whether anything here names the sending side (meaningless with --remote).
    var namesSendingSide: Bool { gateway != nil || syncURL != nil || providerID != nil }
}

/// `--rate 50/s` or `--rate 50`.
struct Rate: ExpressibleByArgument {
    var perSecond: Double

    init?(argument: String) {
        var text = argument.lowercased()
        if text.hasSuffix("/s") { text.removeLast(2) }
        guard let value = Double(text), value > 0, value <= 100_000 else { return nil }
        perSecond = value
    }
}

/// `--from FILE|-`, `--all` or uuids: the phones a batch works on.
struct TargetOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Client uuids, or - to read the phones from stdin (as --from -).", valueName: "uuid"))
    var uuids: [String] = []

    @Flag(help: "Every phone (of --user, when given).")
    var all = false

    @Option(help: ArgumentHelp(
        "Read the phones from a file (- for stdin): the CSV, TSV or NDJSON that import-csv or clients list print (a uuid column; optional pin and imsi).",
        valueName: "file"))
    var from: String?

    @Flag(help: "Phones whose newest push of this kind was never reported delivered (sending, sent, failed or expired).")
    var undelivered = false

    @Option(name: .customLong("older-than"), help: ArgumentHelp(
        "With --undelivered: only pushes made at least this long ago (30m, 2h, 1d; default 1h), so that late reports can arrive.",
        valueName: "duration"))
    var olderThan: PushAge?

    @Option(help: ArgumentHelp("Phones worked on at once (a kill -9 leaves at most this many 'may have been sent').", valueName: "n"))
    var parallel = 32

    @Option(help: ArgumentHelp("Start at most this many phones per second (e.g. 50/s).", valueName: "n/s"))
    var rate: Rate?

    /// The file to read phones from: `--from`, or a lone `-` among the arguments.
    var source: String? { from ?? (uuids == ["-"] ? "-" : nil) }

    func validate() throws {
        if uuids.count > 1 && uuids.contains("-") { throw ValidationError("- (stdin) stands alone, without uuids") }
        let sources = (uuids.isEmpty ? 0 : 1) + (all ? 1 : 0) + (from == nil ? 0 : 1) + (undelivered ? 1 : 0)
        if sources != 1 { throw ValidationError("name the phones one way: uuids, --all, --from FILE or --undelivered") }
        if olderThan != nil && !undelivered { throw ValidationError("--older-than goes with --undelivered") }
        if !(1...256).contains(parallel) { throw ValidationError("--parallel takes 1 to 256") }
    }
}

/// `--older-than 30m|2h|1d|90s`.
struct PushAge: ExpressibleByArgument {
    var seconds: Double

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = argument.last.flatMap({ units[$0] }), let value = Double(argument.dropLast()), value >= 0 else { return nil }
        seconds = value * unit
    }
}
