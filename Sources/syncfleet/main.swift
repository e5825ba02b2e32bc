import ArgumentParser
import FleetKit
import Foundation
import PhonePush

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an async command (through a generic, so that its async `run()` is the one called).
func runAsync<C: AsyncParsableCommand>(_ command: C) async throws {
    var command = command
    try await command.run()
}

// Entry point: parse, run, and map errors to the documented exit statuses
// (ArgumentParser's own usage status, 64, becomes 2 as the manual says).
signal(SIGPIPE, SIG_IGN)
let rawArguments = CommandLine.arguments.dropFirst()
StderrLogHandler.bootstrap(verbose: rawArguments.contains("-v") || rawArguments.contains("--verbose"),
                           quiet: rawArguments.contains("-q") || rawArguments.contains("--quiet"))
nonisolated(unsafe) var parsedCommand: (any ParsableCommand.Type)?
do {
    var command = try SyncFleetCommand.parseAsRoot()
    parsedCommand = type(of: command)
    if let asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(asyncCommand)
    } else {
        try command.run()
    }
} catch let error as OutputError where error.isBrokenPipe {
    exit(0)
} catch let error as FleetError {
    Console.error(error.localizedDescription)
    exit(ExitStatus.of(error).rawValue)
} catch let error as FieldError {
    Console.error(error.localizedDescription)
    exit(ExitStatus.invalidInput.rawValue)
} catch let error as GatewayError {
    Console.error(error.localizedDescription)
    exit(ExitStatus.of(error).rawValue)
} catch let error as PushError {
    Console.error(error.localizedDescription)
    exit(ExitStatus.of(error).rawValue)
} catch {
    let code = SyncFleetCommand.exitCode(for: error)
    if code == .validationFailure {
        // A check that failed in a command's run() shows that command's usage, not the root's.
        let message = parsedCommand.map { $0.fullMessage(for: error) } ?? SyncFleetCommand.fullMessage(for: error)
        Console.writeError(message + "\n")
        exit(ExitStatus.usage.rawValue)
    }
    if code == .success || error is CleanExit || error is ExitCode {
        SyncFleetCommand.exit(withError: error)
    }
    let message = (error as? LocalizedError)?.errorDescription ?? SyncFleetCommand.fullMessage(for: error)
    Console.error(message.isEmpty ? String(describing: error) : message)
    exit(ExitStatus.failure.rawValue)
}
