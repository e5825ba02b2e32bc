import ArgumentParser
import FleetKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ImportCSV: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-csv",
        abstract: "Register the phones of a spreadsheet (CSV), one result per row.",
        discussion: """
            Columns are found by header name, case and spacing ignored: phone (msisdn, \
            phone_number), model (model_uuid, or a title such as Nokia 6233), imei, timezone \
            (tz), user; --map COLUMN=FIELD names others. The delimiter (',', ';' or tab) is \
            detected from the header. The file streams; every value stays text. Each row is \
            checked as `register` checks it. Re-running the same file creates nothing new \
            and reports each row as exists, so an interrupted import is finished by running \
            it again. Results (line, status, uuid, phone_number, model, error) go to stdout; \
            a summary to stderr. Exit status 5 when any row was invalid or failed.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The CSV file, or - for stdin.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The delimiter: ',', ';' or 'tab' (default: detected).", valueName: "char"))
    var delimiter: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("Read a column as a field (phone, model, imei, timezone, user).", valueName: "column=field"))
    var mappings: [String] = []

    @Flag(help: "Check every row first and register nothing if any row is bad.")
    var strict = false

    @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Check and report only; register nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Requests in flight against a remote API.", valueName: "n"))
    var parallel = 8

    @Option(help: ArgumentHelp(
        "Local store: commit at most this often (seconds); other writers of the store wait about this long.",
        valueName: "seconds"))
    var commitInterval: Double = 2

    func validate() throws {
        if strict && dryRun { throw ValidationError("--strict and --dry-run exclude each other") }
        if strict && file == "-" { throw ValidationError("--strict reads the file twice; give a file, not stdin") }
        if !(1...256).contains(parallel) { throw ValidationError("--parallel takes 1 to 256") }
        if !(0...60).contains(commitInterval) { throw ValidationError("--commit-interval takes 0 to 60 seconds") }
    }

    func run() async throws {
        let context = CommandContext(globals)
        var overrides: [String: String] = [:]
        for mapping in mappings {
            let parts = mapping.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--map takes COLUMN=FIELD, not \(mapping)") }
            overrides[String(parts[0])] = String(parts[1])
        }
        let separator: UInt8?
        switch delimiter {
        case nil: separator = nil
        case "tab", "\\t", "\t": separator = 0x09
        case let value? where value.utf8.count == 1: separator = value.utf8.first
        case let value?: throw ValidationError("--delimiter takes one character or 'tab', not \(value)")
        }
        let fleet = try context.fleet()
        let importer = CSVImporter(mode: strict ? .strict : (dryRun ? .dryRun : .register), parallel: parallel,
                                   commitInterval: commitInterval, defaultUser: context.remoteURL == nil ? context.userName : nil)
        let console = context.console
        let path = file
        var reported = false
        var currentReader: CSVTableReader?
        func open() throws -> (CSVTableReader, ImportColumns) {
            let (reader, columns) = try ImportColumns.open(path: path, delimiter: separator, overrides: overrides)
            currentReader = reader
            if !reported && !columns.unknown.isEmpty {
                console.warn("\(path): ignoring column\(columns.unknown.count == 1 ? "" : "s") \(columns.unknown.joined(separator: ", "))")
            }
            reported = true
            return (reader, columns)
        }
        let writer = context.writer(for: ImportResult.self)
        let start = Date()
        let progress = Progress(show: !globals.quiet && isatty(2) == 1, total: path == "-" ? nil : Self.fileSize(path))
        var reportedSoFar = ImportSummary()
        let summary: ImportSummary
        do {
            summary = try await importer.run(fleet: fleet, open: open) { result in
                try writer.write(result)
                reportedSoFar.count(result.status)
                progress.row(bytes: currentReader?.bytesRead)
            }
        } catch {
            // The rows reported so far are registered: they reach stdout before the error.
            progress.finish()
            try? writer.finish()
            if reportedSoFar.rows > 0 {
                console.note("\(path): \(reportedSoFar.created) created, \(reportedSoFar.exists) exist, "
                             + "\(reportedSoFar.invalid) invalid before the error; fix it and run the same command again")
            }
            throw error
        }
        progress.finish()
        try writer.finish()
        let seconds = Date().timeIntervalSince(start)
        var parts = ["\(summary.created) created", "\(summary.exists) exist", "\(summary.invalid) invalid", "\(summary.failed) failed"]
        if dryRun { parts = ["\(summary.valid) valid", "\(summary.invalid) invalid"] }
        if strict && summary.invalid > 0 { parts.append("nothing registered (--strict)") }
        console.note(String(format: "%@: %d rows: %@ in %.1f s (%.0f rows/s)", path, summary.rows, parts.joined(separator: ", "),
                            seconds, Double(summary.rows) / max(seconds, 0.001)))
        if summary.invalid + summary.failed > 0 { throw ExitCode(ExitStatus.partial.rawValue) }
    }
}

extension ImportCSV {
    static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }
}

/// A progress line on stderr (rows, rows/s, ETA), only on a terminal, redrawn at most 5 times a second.
final class Progress {
    let show: Bool
    let total: Int?
    let start = Date()
    var rows = 0
    var lastDraw = Date.distantPast

    init(show: Bool, total: Int?) {
        self.show = show
        self.total = total
    }

    func row(bytes: Int?) {
        rows += 1
        guard show, Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        var line = String(format: "\r%d rows, %.0f rows/s", rows, Double(rows) / elapsed)
        if let total, let bytes, total > 0, bytes > 0 {
            let fraction = min(Double(bytes) / Double(total), 1)
            let eta = elapsed / fraction - elapsed
            line += String(format: ", %3.0f%%, ETA %.0f s", fraction * 100, eta)
        }
        Console.writeError(line + "   ")
    }

    func finish() {
        if show && rows > 0 { Console.writeError("\r\u{1B}[K") }
    }
}
