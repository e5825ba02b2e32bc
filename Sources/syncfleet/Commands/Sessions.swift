import ArgumentParser
import FleetKit
import Foundation

struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, export and explain the SyncML sessions serve recorded; prune old chatlogs.",
        discussion: """
            Every session a phone ran against serve is recorded: the phone, the times, the \
            SyncML version and encoding, per datastore the sync asked for and done with the \
            items moved each way, bytes and messages, and how it ended. Users see their own \
            phones' sessions; administrators everyone's.
            """,
        subcommands: [SessionsList.self, SessionsExport.self, SessionsExplain.self, SessionsPrune.self])
}

/// The filters `sessions list` and `sessions export` share.
struct SessionFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this client's sessions.", valueName: "uuid"))
    var client: String?

    @Option(help: ArgumentHelp("Only sessions started at or after this time (2026-11-30 or 2026-11-30T10:00:00Z).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only sessions started before this time.", valueName: "date"))
    var until: String?

    @Option(help: ArgumentHelp("Only sessions that ended so: ok, failed (or active).", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("At most this many sessions.", valueName: "n"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let status, !["ok", "failed", "active"].contains(status) { throw ValidationError("--status takes ok, failed or active") }
        for (flag, value) in [("--since", since), ("--until", until)] {
            if let value, Timestamp.parse(value) == nil {
                throw ValidationError("\(flag) \(value) is not a date: write 2026-11-30 or 2026-11-30T10:00:00Z")
            }
        }
    }

    func filter(_ context: CommandContext) -> SessionFilter {
        SessionFilter(clientUUID: client, user: context.remoteURL == nil ? context.userName : nil,
                      since: since.flatMap(Timestamp.parse), until: until.flatMap(Timestamp.parse), status: status)
    }
}

struct SessionsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List sessions, oldest first, one line each (--user narrows to one user's phones).")

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var filters: SessionFilterOptions

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        try await context.print(fleet.sessions(filters.filter(context), limit: filters.limit))
    }
}

struct SessionsExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export sessions for reporting: one row per session and datastore, streamed.",
        discussion: """
            Columns (csv; the same names in json and ndjson): session_id, client_uuid, \
            phone_number, model, user, start, end, duration_s, syncml_version, encoding, auth, \
            datastore, local_datastore, sync_type, requested_sync_type, alert_status, added_in, \
            replaced_in, deleted_in, added_out, replaced_out, deleted_out, rejected_in, \
            rejected_out, bytes_in, bytes_out, messages_in, messages_out, status, error. "in" is \
            from the phone to the server. A session without a datastore is one row with those \
            columns empty. Rows are written as they are read, in constant memory.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var filters: SessionFilterOptions

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        try await context.print(SessionExportSequence(fleet.sessions(filters.filter(context), limit: filters.limit)))
    }
}

struct SessionsExplain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say in words what happened in a session and why it failed, citing message and command.",
        discussion: "Reads the session and its chatlog (so, administrators only).")

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The session's id (sessions list).", valueName: "id"))
    var id: Int64

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet()
        let session = try await fleet.session(id: id)
        var chatlog: [ChatlogEntry] = []
        for try await entry in fleet.chatlog(sessionID: id) { chatlog.append(entry) }
        FileHandle.standardOutput.write(Data(SessionExplanation(session: session, chatlog: chatlog).text.utf8))
    }
}

struct SessionsPrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Drop the chatlogs of old sessions, keeping the session records (local store).")

    @OptionGroup var globals: GlobalOptions

    @Option(help: ArgumentHelp("Drop the chatlogs of sessions started before this date.", valueName: "date"))
    var before: String

    @Option(help: ArgumentHelp("Keep failed sessions' chatlogs unless they started before this (earlier) date.", valueName: "date"))
    var keepFailedUntil: String?

    func run() async throws {
        let context = CommandContext(globals)
        guard let date = Timestamp.parse(before) else { throw ValidationError("--before \(before) is not a date: write 2026-11-30") }
        let failed = try keepFailedUntil.map { text in
            guard let date = Timestamp.parse(text) else { throw ValidationError("--keep-failed-until \(text) is not a date") }
            return date
        }
        let dropped = try await context.fleet().pruneChatlogs(before: date, failedBefore: failed)
        context.console.note("\(dropped) chatlog message(s) dropped; the session records stay")
    }
}
