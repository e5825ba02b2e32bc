import Logging

/// Prints the library's log messages on stderr as `syncfleet: message`; `--verbose` lowers the level to debug.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.isEmpty ? "" : " (" + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + ")"
        let prefix = event.level >= .warning ? "\(event.level): " : ""
        Console.writeError("syncfleet: \(prefix)\(event.message)\(details)\n")
    }

    /// Installs the handler once, at the level the options ask for.
    static func bootstrap(verbose: Bool, quiet: Bool) {
        LoggingSystem.bootstrap { _ in
            StderrLogHandler(logLevel: verbose ? .debug : (quiet ? .error : .warning))
        }
    }
}
