import ArgumentParser
import FleetKit
import PhonePush
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command works with, made once from the global options and the environment:
/// the fleet, the output format and the console. Precedence: flags > environment > defaults.
struct CommandContext {
    let options: GlobalOptions
    let environment: [String: String]
    let console: Console
    let sink: OutputSink

    init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.options = options
        self.environment = environment
        self.console = Console(quiet: options.quiet)
        self.sink = OutputSink()
    }

    /// The store path: `--store`, else `SYNCFLEET_STORE`, else the XDG data directory.
    var storePath: String {
        if let store = options.store, !store.isEmpty { return store }
        if let store = environment["SYNCFLEET_STORE"], !store.isEmpty { return store }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return dataHome + "/syncfleet/fleet.sqlite"
    }

    /// The user named by `--user` or `SYNCFLEET_USER`.
    var userName: String? {
        options.user ?? environment["SYNCFLEET_USER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The output format: `--format`, else table on a terminal and tsv otherwise.
    var format: OutputFormat {
        if let format = options.format { return format }
        return sink.isTerminal ? .table : .tsv
    }

    /// Ids and links of Atom output: `--base-url`, `SYNCFLEET_BASE_URL`, the remote endpoint, or the default.
    var atom: AtomContext {
        let remote = remoteURL.flatMap { try? RemoteFleet.normalize($0) }
        return AtomContext(baseURL: options.baseURL ?? environment["SYNCFLEET_BASE_URL"] ?? remote ?? AtomContext.defaultBaseURL)
    }

    /// The clock: `SYNCFLEET_NOW` (RFC 3339) fixes it, for reproducible output.
    var clock: @Sendable () -> Date {
        if let text = environment["SYNCFLEET_NOW"], let fixed = Timestamp.parse(text) {
            return { fixed }
        }
        return { Date() }
    }

    /// The API endpoint of `--remote` or `SYNCFLEET_REMOTE`, if any.
    var remoteURL: String? {
        options.remote ?? environment["SYNCFLEET_REMOTE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the fleet: the remote API when one is named, else the local store.
    /// Commands that only read never create a local store.
    func fleet(creating: Bool = false) throws -> any Fleet {
        if let url = remoteURL {
            guard let user = userName else {
                throw ValidationError("--remote needs the login: --user NAME (or SYNCFLEET_USER)")
            }
            let password: String
            if let file = options.passwordFile {
                password = try PasswordInput.read(file: file, prompt: "")
            } else if let value = environment["SYNCFLEET_PASSWORD"] {
                password = value
            } else {
                throw ValidationError("--remote needs the password of \(user): SYNCFLEET_PASSWORD or --password-file PATH")
            }
            return try RemoteFleet(url: url, user: user, password: password)
        }
        let path = storePath
        return try LocalFleet.open(path: path, mode: creating ? .createIfMissing : .mustExist,
                                   defaultUser: userName, clock: clock)
    }

    /// Opens the fleet for sending to phones: the local store with its push
    /// configuration (flags, then environment, then the store's settings), or the
    /// remote API, whose server sends through its own gateway.
    func fleet(push options: PushOptions) throws -> any Fleet {
        if remoteURL != nil {
            if options.namesSendingSide {
                throw ValidationError("--gateway, --sync-url and --provider-id are the server's with --remote (serve takes them)")
            }
            return try fleet()
        }
        guard var local = try fleet() as? LocalFleet else { return try fleet() }
        local.push = try pushConfiguration(options, store: local)
        return local
    }

    /// Whether the fleet's gateway prints SMS on stdout (`-`), which then leaves no room for results.
    func printsSMS(_ fleet: any Fleet) -> Bool {
        (fleet as? LocalFleet)?.push.gateway is HexGateway
    }

    /// The push configuration of `options` over the environment and `store`'s settings.
    func pushConfiguration(_ options: PushOptions, store: LocalFleet) throws -> PushConfiguration {
        func pick(_ flag: String?, _ variable: String) -> String? {
            flag ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        let settings = try blockingSettings(store)
        var configuration = PushConfiguration(
            syncURL: pick(options.syncURL, "SYNCFLEET_SYNC_URL"), providerID: pick(options.providerID, "SYNCFLEET_PROVIDER_ID"),
            retry: RetryPolicy(attempts: options.attempts))
        configuration.sixteenBitReference = options.longReference
        if let address = pick(options.gateway, "SYNCFLEET_GATEWAY") ?? settings[.gateway] {
            let lock = NSLock()
            configuration.gateway = try PushConfiguration.gateway(try GatewayAddress(parsing: address)) { line in
                lock.withLock {
                    var bytes = Array((line + "\n").utf8)[...]
                    while !bytes.isEmpty {
                        let written = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
                        // A reader that went away (`| head`) ends the command quietly, as for listings.
                        if written < 0 { if errno == EINTR { continue }; exit(0) }
                        bytes = bytes.dropFirst(written)
                    }
                }
            }
        }
        return configuration
    }

    /// The store's settings, read before any task runs.
    private func blockingSettings(_ store: LocalFleet) throws -> [FleetSetting: String] {
        try store.settingsNow()
    }

    /// A writer for records of type `R` in the chosen format.
    func writer<R: OutputRecord>(for _: R.Type, shape: RecordWriter<R>.Shape = .list, feedUpdated: Date? = nil) -> RecordWriter<R> {
        RecordWriter<R>(format: format, sink: sink, shape: shape, atom: atom, feedUpdated: feedUpdated)
    }

    /// Streams every element of `records` to stdout.
    func print<S: AsyncSequence>(_ records: S, feedUpdated: Date? = nil) async throws where S.Element: OutputRecord {
        let writer = writer(for: S.Element.self, feedUpdated: feedUpdated)
        for try await record in records {
            try writer.write(record)
        }
        try writer.finish()
    }

    /// Prints one record.
    func print<R: OutputRecord>(single record: R) throws {
        let writer = writer(for: R.self, shape: .single)
        try writer.write(record)
        try writer.finish()
    }
}
