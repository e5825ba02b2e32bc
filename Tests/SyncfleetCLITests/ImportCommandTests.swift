import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("syncfleet import-csv")
struct ImportCommandTests {
    let samples = repositoryRoot.appendingPathComponent("samples")

    /// A store with the users the sample spreadsheets name, and the catalogue.
    func store() throws -> CLI {
        let cli = try CLI()
        try cli.ok(["users", "add", "ops", "--email", "ops@example.com", "--admin"], input: "ops-password\n")
        try cli.ok(["users", "add", "field", "--email", "field@example.com"], input: "field-password\n")
        try cli.ok(["models", "import", samples.appendingPathComponent("models.csv").path])
        return cli
    }

    @Test("the spreadsheet of defects gives exactly the documented report, exit status 5")
    func badRows() throws {
        let cli = try store()
        defer { cli.remove() }
        let result = try cli.run(["import-csv", samples.appendingPathComponent("phones-bad.csv").path, "--format", "csv"])
        #expect(result.status == 5)
        let expected = try String(contentsOf: samples.appendingPathComponent("phones-bad.expected.csv"), encoding: .utf8)
        #expect(stableUUIDs(result.stdout) == expected)
        #expect(result.stderr.contains("13 rows: 2 created, 1 exist, 10 invalid, 0 failed"))
    }

    @Test("1,000 rows in mixed formats register; the same file again creates nothing and reports exists")
    func idempotent() throws {
        let cli = try store()
        defer { cli.remove() }
        let file = samples.appendingPathComponent("phones.csv").path
        let first = try cli.ok(["import-csv", file, "--format", "csv"])
        let statuses = first.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        #expect(statuses.count == 1000)
        #expect(statuses.allSatisfy { $0 == "created" })
        let again = try cli.ok(["import-csv", file, "--format", "ndjson"])
        let lines = again.stdout.split(separator: "\n")
        #expect(lines.count == 1000)
        #expect(lines.allSatisfy { $0.contains("\"status\":\"exists\"") })
        #expect(try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\n").count == 1000)
        // Uuids of the first run come back the second time, row for row.
        let uuids1 = first.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        let uuids2 = lines.map { line -> Substring in
            let start = line.range(of: "\"uuid\":\"")!.upperBound
            return line[start..<line[start...].firstIndex(of: "\"")!]
        }
        #expect(uuids1 == uuids2)
    }

    @Test("a spreadsheet export: BOM, ';', CRLF, a note with a line break, an unknown column reported once")
    func excel() throws {
        let cli = try store()
        defer { cli.remove() }
        let result = try cli.ok(["import-csv", samples.appendingPathComponent("phones-excel.csv").path, "--format", "csv"])
        let rows = result.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 25)
        #expect(rows.allSatisfy { $0.contains(",created,") })
        #expect(result.stderr.components(separatedBy: "ignoring column Notes").count == 2)
        // Line numbers are physical lines: a quoted line break moves the next row down one.
        let firstLines = rows.prefix(3).map { Int($0.split(separator: ",")[0])! }
        #expect(firstLines[0] == 2)
        #expect(firstLines == firstLines.sorted())
    }

    @Test("--strict writes nothing when any row is bad; --dry-run never writes")
    func strictAndDryRun() throws {
        let cli = try store()
        defer { cli.remove() }
        let bad = samples.appendingPathComponent("phones-bad.csv").path
        let strict = try cli.run(["import-csv", bad, "--strict", "--format", "csv"])
        #expect(strict.status == 5)
        #expect(strict.stderr.contains("nothing registered (--strict)"))
        #expect(strict.stdout.split(separator: "\n").count == 11)  // header + 10 invalid rows
        let dry = try cli.run(["import-csv", samples.appendingPathComponent("phones-excel.csv").path, "--dry-run", "--format", "csv"])
        #expect(dry.status == 0)
        #expect(dry.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains(",valid,") })
        #expect(try cli.ok(["clients", "list", "--format", "tsv"]).stdout.isEmpty)
        let good = try cli.run(["import-csv", samples.appendingPathComponent("phones-excel.csv").path, "--strict", "--format", "csv"])
        #expect(good.status == 0)
        #expect(try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\n").count == 25)
    }

    @Test("columns by alias or --map; a header without a phone column names the fix")
    func columns() throws {
        let cli = try store()
        defer { cli.remove() }
        let file = cli.directory.appendingPathComponent("odd.csv")
        try "Handy\tGerät\n+49 30 1234567\t56\n".write(to: file, atomically: true, encoding: .utf8)
        let missing = try cli.run(["import-csv", file.path])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("odd.csv:1: no phone number column"))
        let mapped = try cli.run(["import-csv", file.path, "--map", "Handy=phone", "--map", "Gerät=model", "--user", "field", "--format", "csv"])
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(mapped.stdout.contains("2,created,"))
    }

    @Test("a broken line: the rows before it are registered and printed, the error names the line, a re-run after the fix finishes")
    func brokenLine() throws {
        let cli = try store()
        defer { cli.remove() }
        let file = cli.directory.appendingPathComponent("broken.csv")
        let rows = (1...4).map { "+4790\(String(format: "%06d", $0)),56,Europe/Oslo" }
        try ("phone,model,tz\n" + rows[0...1].joined(separator: "\n") + "\n\"+4790,56\n" + rows[3] + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let broken = try cli.run(["import-csv", file.path, "--format", "csv", "--user", "field"])
        #expect(broken.status == 3)
        #expect(broken.stderr.contains("broken.csv:4: field 1: a quote opened here is never closed"), "\(broken.stderr)")
        #expect(broken.stderr.contains("2 created, 0 exist, 0 invalid before the error"))
        let printed = broken.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(printed.map { "\($0[0]),\($0[1])" } == ["2,created", "3,created"])
        let stored = try cli.ok(["clients", "list", "--format", "csv"]).stdout.split(separator: "\n").dropFirst()
        #expect(stored.count == 2)

        try ("phone,model,tz\n" + rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let fixed = try cli.ok(["import-csv", file.path, "--format", "csv", "--user", "field"])
        let statuses = fixed.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
        #expect(statuses == ["exists", "exists", "created", "created"])
        // The uuids printed before the error are the ones the re-run finds.
        #expect(fixed.stdout.split(separator: "\n")[1...2].map { $0.split(separator: ",")[2] } == printed.map { $0[2] })
    }

    @Test("killed with SIGKILL half-way, a re-run registers every row exactly once")
    func killAndResume() throws {
        let cli = try store()
        defer { cli.remove() }
        let file = cli.directory.appendingPathComponent("big.csv")
        var text = "phone,model,tz\n"
        // Transactions committed every 0.2 s: the kill lands with some rows committed and some not.
        for index in 0..<40_000 { text += "+4741\(String(format: "%06d", index)),56,Europe/Oslo\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["import-csv", file.path, "--format", "csv", "--user", "field", "--commit-interval", "0.2"]
        process.environment = cli.environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until some rows are done, then kill it where it stands.
        var seen = 0
        let deadline = Date().addingTimeInterval(60)
        while seen < 60_000 && Date() < deadline && process.isRunning {
            seen += out.fileHandleForReading.availableData.count
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let partial = try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\n").count
        #expect(partial > 0 && partial < 40_000, "killed after \(partial) rows")

        let rerun = try cli.ok(["import-csv", file.path, "--format", "csv", "--user", "field"])
        let statuses = rerun.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        #expect(statuses.count == 40_000)
        #expect(statuses.filter { $0 == "exists" }.count == partial)
        #expect(statuses.filter { $0 == "created" }.count == 40_000 - partial)
        let phones = try cli.ok(["clients", "list", "--format", "csv"]).stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[5] }
        #expect(phones.count == 40_000)
        #expect(Set(phones).count == 40_000)
    }
}
