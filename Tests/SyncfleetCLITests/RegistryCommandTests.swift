import Foundation
import Testing

@Suite("syncfleet: registry commands as a user runs them")
struct RegistryCommandTests {
    /// Three phones from the seed document.
    func seededWithPhones() throws -> CLI {
        let cli = try CLI()
        try cli.seed()
        try cli.ok(["register", "--phone", "+47 909 81 948", "--model", "112", "--timezone", "Europe/Oslo"])
        try cli.ok(["register", "--phone", "+47 900 66 951", "--model", "Nokia 5800 XpressMusic", "--timezone", "Europe/Oslo"])
        try cli.ok(["register", "--phone", "0047 98765432", "--model", "02978288-537f-102b-beff-000ea60275d1",
                    "--timezone", "Europe/Paris", "--imei", "49-015420-323751-8"])
        return cli
    }

    @Test("clients list: golden atom, json, ndjson and csv")
    func golden() throws {
        let cli = try seededWithPhones()
        defer { cli.remove() }
        let base = ["--base-url", "http://api.obexcode.com/v2/services/syncml/"]
        for format in ["atom", "json", "ndjson", "csv"] {
            let result = try cli.ok(["clients", "list", "--format", format] + base)
            #expect(result.stderr.isEmpty)
            try expectGolden(stableUUIDs(result.stdout), "clients-list.\(format)")
        }
        let first = try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\t").first.map(String.init) ?? ""
        let show = try cli.ok(["clients", "show", first, "--format", "atom"] + base)
        try expectGolden(stableUUIDs(show.stdout), "clients-show.atom")
    }

    @Test("global options work before and after the subcommand name")
    func globalOptionsAnywhere() throws {
        let cli = try seededWithPhones()
        defer { cli.remove() }
        let store = cli.storePath
        let variants = [
            ["--store", store, "--format", "csv", "clients", "list"],
            ["clients", "list", "--store", store, "--format", "csv"],
            ["--store", store, "clients", "--format", "csv", "list"],
            ["--format", "csv", "clients", "list", "--store", store],
        ]
        let outputs = try variants.map { try cli.run($0, environment: ["SYNCFLEET_STORE": "/nonexistent/store.sqlite"]) }
        for output in outputs {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout == outputs[0].stdout)
        }
        #expect(outputs[0].stdout.split(separator: "\n").count == 4)
        // --store beats SYNCFLEET_STORE, which beats the default.
        let viaEnvironment = try cli.run(["clients", "list", "--format", "csv"])
        #expect(viaEnvironment.stdout == outputs[0].stdout)
        let missing = try cli.run(["clients", "list"], environment: ["SYNCFLEET_STORE": cli.directory.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("no store at"))
        #expect(!FileManager.default.fileExists(atPath: cli.directory.appendingPathComponent("none.sqlite").path))
    }

    @Test("registering again prints the same client and says so on stderr")
    func idempotentRegister() throws {
        let cli = try seededWithPhones()
        defer { cli.remove() }
        let first = try cli.ok(["register", "--phone", "+4790981948", "--model", "112", "--format", "json"])
        #expect(first.stderr.contains("is registered already as"))
        let listed = try cli.ok(["clients", "list", "--format", "ndjson"]).stdout
        #expect(listed.split(separator: "\n").count == 3)
        #expect(listed.hasPrefix(first.stdout.trimmingCharacters(in: .newlines)))
        // Same number, another model: a new client.
        let other = try cli.ok(["register", "--phone", "+4790981948", "--model", "242", "--format", "json"])
        #expect(other.stderr.isEmpty)
        #expect(try cli.ok(["clients", "list", "--format", "ndjson"]).stdout.split(separator: "\n").count == 4)
    }

    @Test("bad input: a clear message on stderr, exit status 3, nothing written", arguments: [
        (["--phone", "90981948", "--model", "112"], "invalid phone_number \"90981948\": the country code is missing"),
        (["--phone", "+47 9O981948", "--model", "112"], "character 'O' at position 6 is not a digit"),
        (["--phone", "+4790981948", "--model", "112", "--imei", "490154203237519"], "invalid imei \"490154203237519\": the check digit is 9"),
        (["--phone", "+4790981948", "--model", "112", "--timezone", "Europe/Oslo\""],
         "invalid timezone \"Europe/Oslo\\\"\": unexpected character '\"' at position 12"),
        (["--phone", "+4790981948", "--model", "Nokia 6223"], "unknown model \"Nokia 6223\"; did you mean Nokia 6233 (242)"),
        (["--phone", "+4790981948", "--model", "Nokia 6233"], "model \"Nokia 6233\" is ambiguous: 2 models have that title: 02978288-537f-102b-beff-000ea60275d1 (Nokia 6233, SyncML 1.1), 242 (Nokia 6233, SyncML 1.1)"),
        (["--phone", "+4790981948", "--model", "112", "--datastore", "Agenda=cal"], "unknown dataclass \"Agenda\""),
    ])
    func badInput(arguments: [String], message: String) throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        let result = try cli.run(["register"] + arguments)
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(try cli.ok(["clients", "list", "--format", "csv"]).stdout.split(separator: "\n").count == 1)
    }

    @Test("usage errors exit 2; unknown clients exit 4")
    func statuses() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        let usage = try cli.run(["register", "--phone", "+4790981948"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--model"))
        #expect(try cli.run(["clients", "list", "--format", "yaml"]).status == 2)
        #expect(try cli.run(["clients", "frobnicate"]).status == 2)
        let missing = try cli.run(["clients", "show", "00000000-0000-4000-8000-000000000000"])
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("no client 00000000-0000-4000-8000-000000000000"))
        #expect(try cli.run(["--help"]).status == 0)
        #expect(try cli.run(["clients", "--help"]).stdout.contains("no edit command, by design"))
    }

    @Test("several users: --user is required to register, narrows listings")
    func users() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        let passwordFile = cli.directory.appendingPathComponent("pw").path
        try "frank's password\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try cli.ok(["users", "add", "frank", "--email", "frank@example.com", "--password-file", passwordFile])
        let ambiguous = try cli.run(["register", "--phone", "+4790066951", "--model", "56"])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("--user NAME"))
        try cli.ok(["register", "--phone", "+4790066951", "--model", "56", "--user", "frank"])
        try cli.ok(["register", "--phone", "+4790066952", "--model", "56", "--user", "admin"])
        let franks = try cli.ok(["clients", "list", "--user", "frank", "--format", "csv"]).stdout
        #expect(franks.split(separator: "\n").count == 2)
        #expect(franks.contains("+4790066951"))
        let users = try cli.ok(["users", "list", "--format", "csv"]).stdout
        #expect(users == "user_id,name,email,admin,created\n1,admin,support@obexcode.com,true,2009-03-17T10:51:55Z\n2,frank,frank@example.com,false,2009-03-17T10:51:55Z\n")
        // The password never reaches the store in clear.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.storePath))
        #expect(bytes.range(of: Data("frank's password".utf8)) == nil)
        // A refused password creates no store.
        let fresh = cli.directory.appendingPathComponent("fresh.sqlite").path
        let short = try cli.run(["users", "add", "bob", "--email", "b@example.org", "--store", fresh], input: "short\n")
        #expect(short.status == 3)
        #expect(!FileManager.default.fileExists(atPath: fresh))
        let noPassword = try cli.run(["users", "add", "olga", "--email", "olga@example.com"])
        #expect(noPassword.status == 3)
        #expect(noPassword.stderr.contains("pipe it on stdin or name a file with --password-file"))
    }

    @Test("clients delete: by uuid and from stdin; all or nothing")
    func delete() throws {
        let cli = try seededWithPhones()
        defer { cli.remove() }
        let uuids = try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(uuids.count == 3)
        let partial = try cli.run(["clients", "delete", uuids[0], "11111111-1111-4111-8111-111111111111"])
        #expect(partial.status == 4)
        #expect(try cli.ok(["clients", "list", "--format", "tsv"]).stdout.split(separator: "\n").count == 3)
        let deleted = try cli.ok(["clients", "delete", uuids[0]])
        #expect(deleted.stderr.contains("deleted 1 client"))
        let rest = try cli.ok(["clients", "list", "--format", "tsv"]).stdout
        try cli.ok(["clients", "delete", "-"], input: rest)
        #expect(try cli.ok(["clients", "list", "--format", "tsv"]).stdout.isEmpty)
    }

    @Test("models list --format csv reads back with models import")
    func modelsRoundTrip() throws {
        let cli = try CLI()
        defer { cli.remove() }
        try cli.seed()
        let listed = try cli.ok(["models", "list", "--format", "csv"]).stdout
        let file = cli.directory.appendingPathComponent("models.csv").path
        try listed.write(toFile: file, atomically: true, encoding: .utf8)
        let again = try cli.ok(["models", "import", file])
        #expect(again.stderr.contains("0 models added, 40 updated"))
        #expect(try cli.ok(["models", "list", "--format", "csv"]).stdout == listed)
        let bad = try cli.run(["models", "import", fixtures.appendingPathComponent("csv/models-bad-version.csv").path])
        #expect(bad.status == 3)
        #expect(bad.stderr.contains("models-bad-version.csv:4: syncml_version"))
    }

    @Test("output to a closed pipe ends quietly")
    func brokenPipe() throws {
        let cli = try seededWithPhones()
        defer { cli.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "'\(CLI.binary.path)' models list --format csv | head -n 1"]
        process.environment = cli.environment
        let err = Pipe()
        let out = Pipe()
        process.standardError = err
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.hasPrefix("model_uuid,"))
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).isEmpty)
    }
}
