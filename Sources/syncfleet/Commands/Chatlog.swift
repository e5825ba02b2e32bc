import ArgumentParser
import FleetKit
import Foundation

struct Chatlog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the SyncML messages of a session (administrators only).",
        subcommands: [ChatlogDump.self])
}

struct ChatlogDump: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Every message of a session in order: direction, time, size, and the message as XML (WBXML decoded).",
        discussion: """
            Credentials are never shown: Cred data was overwritten before the message was \
            stored. --raw writes the bytes as they travelled instead: with --output DIR one \
            file per message (NNN-in.wbxml, NNN-out.xml …, for decode-wbxml or other tools), \
            else the bytes of each message one after the other on stdout.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The session's id (sessions list).", valueName: "session"))
    var session: Int64

    @Flag(help: "The bytes as they travelled instead of XML.")
    var raw = false

    @Option(help: ArgumentHelp("Only messages from the phone (in) or to it (out).", valueName: "in|out"))
    var direction: String?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("With --raw: write one file per message into this directory.", valueName: "dir"))
    var output: String?

    func validate() throws {
        if let direction, !["in", "out"].contains(direction) { throw ValidationError("--direction takes in or out") }
        if output != nil && !raw { throw ValidationError("--output goes with --raw") }
    }

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        if let output { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }
        let out = FileHandle.standardOutput
        var count = 0
        for try await entry in fleet.chatlog(sessionID: session) where direction == nil || entry.direction == direction {
            count += 1
            if raw {
                if let output {
                    let name = String(format: "%03d-%@.%@", entry.sequence, entry.direction, entry.isWBXML ? "wbxml" : "xml")
                    try entry.raw.write(to: URL(fileURLWithPath: output).appendingPathComponent(name))
                } else {
                    out.write(entry.raw)
                }
                continue
            }
            let way = entry.direction == "in" ? "in, from the phone" : "out, to the phone"
            out.write(Data("=== message \(entry.sequence) (\(way)) \(Timestamp.rfc3339(entry.time)), \(entry.raw.count) bytes, \(entry.contentType) ===\n".utf8))
            let xml = entry.xml ?? (entry.raw.isEmpty ? "(pruned)" : "(not readable as SyncML)")
            out.write(Data((xml.hasSuffix("\n") ? xml : xml + "\n").utf8))
        }
        if count == 0 { context.console.note("session \(session) has no messages\(direction.map { " \($0)" } ?? "") (pruned, or none recorded)") }
    }
}
