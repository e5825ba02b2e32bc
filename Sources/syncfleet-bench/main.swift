// syncfleet-bench: throughput and memory benchmarks, printed (never asserted by tests).
//
//   swift build -c release && .build/release/syncfleet-bench list [--count 100000]
//
//   .build/release/syncfleet-bench wbxml [--rounds 200]
//   .build/release/syncfleet-bench api [--requests 2000] [--count 100000]
//   .build/release/syncfleet-bench import [--count 100000]
//   .build/release/syncfleet-bench push [--count 20000] [--sent 10000] [--parallel 32]
//   .build/release/syncfleet-bench sessions [--count 1000000]
//
// `list` fills a store with --count clients, then runs the built `syncfleet clients list`
// as a user would (stdout to /dev/null) for csv and ndjson, and prints rows per second
// and the child's peak memory. It lists a tenth of the clients too: streaming shows as
// the same peak memory for both sizes.
import AsyncHTTPClient
import FleetKit
import FleetServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import WBXML

#if canImport(Glibc)
import Glibc
#endif

/// Where the benchmark finds the built `syncfleet` (beside itself) and the repository (for samples/ and the corpus).
enum BenchPaths {
    static let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    static var syncfleet: String { products.appendingPathComponent("syncfleet").path }
    static let repository: URL = {
        var url = products
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url
    }()
}

struct Measurement {
    var seconds: Double
    var peakKiB: Int
    /// The child's user and system CPU time.
    var cpuSeconds: Double = 0
}

/// Runs `executable arguments…` with stdout to /dev/null; wall time and peak RSS (from wait4).
func measure(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Measurement {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    let start = DispatchTime.now()
    guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
        throw BenchError("cannot start \(executable)")
    }
    // Peak memory from /proc/PID/status (VmHWM), polled until the child exits: the child's own
    // high-water mark. (wait4's ru_maxrss would carry the benchmark's own size across exec.)
    var status: Int32 = 0
    var usage = rusage()
    var peak = 0
    while true {
        if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
            peak = max(peak, kib)
        }
        let done = wait4(pid, &status, WNOHANG, &usage)
        if done == pid { break }
        usleep(2000)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    guard status == 0 else { throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited with status \(status)") }
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return Measurement(seconds: seconds, peakKiB: peak, cpuSeconds: cpu)
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func makeStore(at path: String, count: Int, repository: String) async throws {
    try? FileManager.default.removeItem(atPath: path)
    let fleet = try LocalFleet.open(path: path, mode: .createIfMissing)
    _ = try await fleet.addUser(NewUser(name: "bench", email: "bench@example.com", password: "bench-password", isAdmin: true))
    let models = try ModelCatalog.read(path: repository + "/samples/models.csv")
    _ = try await fleet.importModels(models)
    var next = 0
    while next < count {
        let batch = (next..<min(count, next + 10_000)).map { index in
            Registration(phoneNumber: "+4790\(String(format: "%07d", index))", model: models[index % models.count].modelUUID,
                         timezone: "Europe/Oslo")
        }
        for result in try await fleet.registerBatch(batch) { _ = try result.get() }
        next += batch.count
    }
    try fleet.close()
}

func listBenchmark(count: Int) async throws {
    let syncfleet = BenchPaths.syncfleet
    guard FileManager.default.isExecutableFile(atPath: syncfleet) else {
        throw BenchError("\(syncfleet) is missing: build both products first (swift build -c release)")
    }
    let repository = BenchPaths.repository
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    print("clients list: \(count) clients, release build at \(syncfleet)")
    let small = max(1, count / 10)
    for (label, size) in [("small", small), ("full", count)] {
        let store = directory.appendingPathComponent("\(label).sqlite").path
        let fill = DispatchTime.now()
        try await makeStore(at: store, count: size, repository: repository.path)
        let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - fill.uptimeNanoseconds) / 1e9
        print(String(format: "  store of %7d clients made in %6.2f s (%8.0f registrations/s, batched)", size, fillSeconds, Double(size) / fillSeconds))
        for format in ["csv", "ndjson"] {
            let environment = ["SYNCFLEET_STORE": store, "PATH": "/usr/bin:/bin"]
            _ = try measure(syncfleet, ["clients", "list", "--format", format], environment: environment)  // warm the page cache
            var best: Measurement?
            for _ in 0..<3 {
                let run = try measure(syncfleet, ["clients", "list", "--format", format], environment: environment)
                if best == nil || run.seconds < best!.seconds { best = run }
            }
            let m = best!
            print(String(format: "  %-6@ %7d rows: %6.3f s  %9.0f rows/s  peak RSS %6.1f MiB",
                         format as NSString, size, m.seconds, Double(size) / m.seconds, Double(m.peakKiB) / 1024))
        }
    }
    print("  (flat memory: the peak RSS of both sizes should be about the same)")
}

/// Decodes the WBXML corpus with `syncfleet decode-wbxml` and with libwbxml's `wbxml2xml`, one
/// process per document for both (equal footing), and in-process with the codec alone.
func wbxmlBenchmark(rounds: Int) throws {
    let syncfleet = BenchPaths.syncfleet
    let repository = BenchPaths.repository
    let corpus = repository.appendingPathComponent("Tests/Fixtures/wbxml")
    let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".wbxml") }.sorted()
        .map { corpus.appendingPathComponent($0).path }
    let documents = try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
    let bytes = documents.reduce(0) { $0 + $1.count }
    print("WBXML: \(files.count) documents, \(bytes) bytes, \(rounds) rounds")

    // In-process: decode and render as XML.
    let start = DispatchTime.now()
    var rendered = 0
    for _ in 0..<rounds {
        for document in documents {
            rendered += XMLRenderer().render(try WBXMLDecoder().decode(document)).utf8.count
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let count = Double(rounds * documents.count)
    print(String(format: "  codec in-process:        %8.0f documents/s  %6.1f MB/s of WBXML", count / seconds, Double(bytes * rounds) / seconds / 1e6))

    // One process per document, ours and libwbxml's.
    guard FileManager.default.isExecutableFile(atPath: syncfleet) else { throw BenchError("\(syncfleet) is missing: swift build -c release") }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wbxml2xml") else { throw BenchError("wbxml2xml is missing: apt-get install libwbxml2-utils") }
    let processRounds = max(1, rounds / 20)
    let environment = ["PATH": "/usr/bin:/bin"]
    func time(_ run: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now()
        try run()
        return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
    let ours = try time {
        for _ in 0..<processRounds { for file in files { _ = try measure(syncfleet, ["decode-wbxml", file], environment: environment) } }
    }
    let theirs = try time {
        for _ in 0..<processRounds { for file in files { _ = try measure("/usr/bin/wbxml2xml", ["-o", "/dev/null", file], environment: environment) } }
    }
    let runs = Double(processRounds * files.count)
    print(String(format: "  syncfleet decode-wbxml:  %8.2f ms per document (a process each)", ours / runs * 1000))
    print(String(format: "  wbxml2xml (libwbxml):    %8.2f ms per document (a process each)", theirs / runs * 1000))
    print(String(format: "  ratio syncfleet/libwbxml: %.2f (below 1: faster than libwbxml)", ours / theirs))
    let batch = try time { _ = try measure(syncfleet, ["decode-wbxml"] + Array(repeating: files, count: processRounds).flatMap { $0 }, environment: environment) }
    print(String(format: "  decode-wbxml, all documents in one run: %8.3f ms per document", batch / runs * 1000))
}

/// Requests per second of the API's routes at concurrency 1, 8 and 64, beside a trivial route of
/// the same server in the same run; then `clients list --remote` of --count clients (time, peak memory).
func apiBenchmark(requests: Int, count: Int) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-bench-api-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let repository = BenchPaths.repository
    let store = directory.appendingPathComponent("api.sqlite").path
    try await makeStore(at: store, count: 1000, repository: repository.path)
    let fleet = try LocalFleet.open(path: store, mode: .mustExist)
    let someone = try requireValue(try await collect(fleet.clients(limit: 1)).first)
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    let router = APIServer(backend: fleet, baseURL: "http://bench/v2/services/syncml/", logger: logger).router()
    router.get("/trivial") { _, _ in "ok" }
    let portBox = PortBox()
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in await portBox.set(channel.localAddress?.port ?? 0) }, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        while port == 0 { try await Task.sleep(for: .milliseconds(20)); port = await portBox.port }
        let base = "http://127.0.0.1:\(port)"
        let auth = "Basic " + Data("bench:bench-password".utf8).base64EncodedString()
        var counter = 0
        let routes: [(String, @Sendable (Int) -> HTTPClientRequest)] = [
            // Through the same middleware (request log, authentication) as the API's routes.
            ("trivial route", { _ in
                var request = HTTPClientRequest(url: base + "/trivial")
                request.headers.add(name: "Authorization", value: auth)
                return request }),
            ("GET entry", { _ in
                var request = HTTPClientRequest(url: base + "/v2/services/syncml/" + someone.uuid)
                request.headers.add(name: "Authorization", value: auth)
                return request }),
            ("POST create", { index in
                var request = HTTPClientRequest(url: base + "/v2/services/syncml/")
                request.method = .POST
                request.headers.add(name: "Authorization", value: auth)
                request.body = .bytes(ByteBuffer(string: "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:oc=\"http://schemas.obexcode.com/syncserver/2009\"><oc:client><oc:phone_number>+4798\(String(format: "%07d", index))</oc:phone_number><oc:model_uuid>56</oc:model_uuid></oc:client></entry>"))
                return request }),
            ("GET feed (1,000+ clients)", { _ in
                var request = HTTPClientRequest(url: base + "/v2/services/syncml/")
                request.headers.add(name: "Authorization", value: auth)
                return request }),
        ]
        print("API: \(requests) requests per measurement (release build, loopback, one process)")
        var trivialRate: [Int: Double] = [:]
        for (name, make) in routes {
            for concurrency in [1, 8, 64] {
                let total = name.hasPrefix("GET feed") ? max(concurrency, requests / 20) : requests
                let start = DispatchTime.now()
                let base = counter
                try await withThrowingTaskGroup(of: Void.self) { workers in
                    for worker in 0..<concurrency {
                        workers.addTask {
                            var index = worker
                            while index < total {
                                let response = try await HTTPClient.shared.execute(make(base + index), timeout: .seconds(60))
                                _ = try await response.body.collect(upTo: 64 * 1024 * 1024)
                                guard response.status.code < 300 else { throw BenchError("\(name): HTTP \(response.status.code)") }
                                index += concurrency
                            }
                        }
                    }
                    try await workers.waitForAll()
                }
                counter += total
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                let rate = Double(total) / seconds
                if name == "trivial route" { trivialRate[concurrency] = rate }
                let ratio = trivialRate[concurrency].map { String(format: "%5.1f%% of the trivial route", rate / $0 * 100) } ?? ""
                print(String(format: "  %-26@ c=%-3d %9.0f requests/s  %@", name as NSString, concurrency, rate, ratio as NSString))
            }
        }
        group.cancelAll()
    }
    try fleet.close()
    try await remoteListBenchmark(count: max(1, count / 10), repository: repository.path, directory: directory)
    try await remoteListBenchmark(count: count, repository: repository.path, directory: directory)
    print("  (flat memory: the peak RSS of both sizes should be about the same)")
}

/// `syncfleet clients list --remote` of `count` clients served by `syncfleet serve`: time and peak memory of the CLI.
func remoteListBenchmark(count: Int, repository: String, directory: URL) async throws {
    let syncfleet = BenchPaths.syncfleet
    let store = directory.appendingPathComponent("remote-\(count).sqlite").path
    try await makeStore(at: store, count: count, repository: repository)
    let port = 20_000 + Int(getpid() % 20_000) + count % 997
    let server = try await startServe(store: store, port: port)
    defer { server.terminate() }
    let environment = ["PATH": "/usr/bin:/bin", "SYNCFLEET_PASSWORD": "bench-password"]
    let arguments = ["clients", "list", "--remote", "http://127.0.0.1:\(port)", "--user", "bench"]
    for format in ["csv", "ndjson"] {
        let m = try measure(syncfleet, arguments + ["--format", format], environment: environment)
        print(String(format: "  clients list --remote, %d clients, %@: %6.2f s  %8.0f rows/s  peak RSS %6.1f MiB",
                     count, format as NSString, m.seconds, Double(count) / m.seconds, Double(m.peakKiB) / 1024))
    }
}

/// `import-csv` of --count rows beside two floors measured in the same run:
/// - the issue's floor, `sqlite3 .import` of the same file into a bare table (parsing and
///   inserting four text columns, no validation, no keys);
/// - the same-schema floor: sqlite3 reading the file into a temporary table and inserting
///   the same rows into a copy of the store's `client` table (its unique keys and indexes)
///   in one statement: the SQLite work an import cannot avoid, without validation.
/// Then peak memory at a tenth and at all rows (flat), and a remote import of
/// min(count/10, 10,000) rows at --parallel 1 and 16.
///
/// The sheet is what spreadsheets export: numbers in four spellings and in no particular
/// order, models by uuid and by title over the sample catalogue, IMEIs on half the rows,
/// time zones in mixed case or missing.
func importBenchmark(count: Int) async throws {
    let syncfleet = BenchPaths.syncfleet
    let repository = BenchPaths.repository
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-bench-import-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let models = try ModelCatalog.read(path: repository.path + "/samples/models.csv")
    // Titles that name one model (two models share "Nokia 6233"; such a row is refused).
    let uniqueTitles = Set(Dictionary(grouping: models, by: { $0.title.lowercased() }).filter { $0.value.count == 1 }.map(\.key))
    func sheet(_ rows: Int, offset: Int = 0) throws -> String {
        let path = directory.appendingPathComponent("phones-\(rows)-\(offset).csv").path
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot write \(path)") }
        defer { try? handle.close() }
        // Numbers in a scrambled order: index × a prime, modulo the row count (a bijection).
        let step = rows % 7919 == 0 ? 1 : 7919
        let zones = ["Europe/Oslo", "europe/paris", "UTC", "", "America/New_York"]
        var text = "Phone Number,Model,IMEI,Time Zone\n"
        text.reserveCapacity(1 << 20)
        for index in 0..<rows {
            let number = String(format: "%07d", (index * step) % rows + offset)
            let phone: String
            switch index % 4 {
            case 0: phone = "+47 4\(number.prefix(3)) \(number.dropFirst(3))"
            case 1: phone = "0047 4\(number)"
            case 2: phone = "+47-4\(number.prefix(2))-\(number.dropFirst(2).prefix(2))-\(number.dropFirst(4))"
            default: phone = "+474\(number)"
            }
            let model = models[index % models.count]
            var imei = ""
            if index % 2 == 0 {
                let digits = "35" + String(format: "%012d", index + offset)
                imei = digits + String(IMEI.checkDigit(digits.compactMap(\.wholeNumberValue)))
            }
            let modelText = index % 3 == 0 && uniqueTitles.contains(model.title.lowercased()) ? "\"\(model.title)\"" : model.modelUUID
            text += "\(phone),\(modelText),\(imei),\(zones[index % zones.count])\n"
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(text.utf8))
        return path
    }
    func emptyStore(_ name: String) async throws -> String {
        let path = directory.appendingPathComponent(name).path
        try await makeStore(at: path, count: 0, repository: repository.path)
        return path
    }
    print("import-csv: \(count) rows, release build")
    let environment = ["PATH": "/usr/bin:/bin"]
    for rows in [max(1, count / 10), count] {
        let file = try sheet(rows)
        let store = try await emptyStore("import-\(rows).sqlite")
        let ours = try measure(syncfleet, ["import-csv", file, "--store", store, "--format", "csv", "--quiet"], environment: environment)
        let bareDB = directory.appendingPathComponent("bare-\(rows).sqlite").path
        let bare = try measure("/usr/bin/sqlite3", [bareDB, ".import --csv \(file) t"], environment: environment)
        let schemaDB = try await emptyStore("schema-\(rows).sqlite")
        let schema = try measure("/usr/bin/sqlite3", [
            schemaDB, "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -16384",
            "CREATE TEMP TABLE t (phone, model, imei, tz)", ".import --csv --skip 1 \(file) t",
            """
            INSERT OR IGNORE INTO client (uuid, userID, modelUUID, phoneNumber, imei, timezone, published, updated)
            SELECT lower(hex(randomblob(16))), 1,
                   coalesce((SELECT uuid FROM phoneModel WHERE uuid = t.model),
                            (SELECT uuid FROM phoneModel WHERE titleKey = lower(t.model))),
                   replace(replace(replace(t.phone, ' ', ''), '-', ''), '0047', '+47'), t.imei, t.tz, 0, 0
            FROM t
            """,
        ], environment: environment)
        print(String(format: "  %8d rows: import-csv %6.2f s (%7.0f rows/s, peak %5.1f MiB)", rows, ours.seconds,
                     Double(rows) / ours.seconds, Double(ours.peakKiB) / 1024))
        print(String(format: "                  sqlite3 .import into a bare table %6.2f s: ratio %5.2f (goal 2)", bare.seconds, ours.seconds / bare.seconds))
        print(String(format: "                  sqlite3 into the store's client table %6.2f s: ratio %5.2f", schema.seconds, ours.seconds / schema.seconds))
    }
    print("  (flat memory: the peak of both sizes should be about the same)")
    // Remote, through syncfleet serve.
    let remoteRows = max(1, min(count / 10, 10_000))
    let store = try await emptyStore("remote.sqlite")
    let port = 30_000 + Int(getpid() % 20_000)
    let server = try await startServe(store: store, port: port)
    defer { server.terminate() }
    var times: [Int: Double] = [:]
    for parallel in [1, 16] {
        let file = try sheet(remoteRows, offset: parallel * 1_000_000)
        let m = try measure(syncfleet, ["import-csv", file, "--remote", "http://127.0.0.1:\(port)", "--user", "bench",
                                        "--parallel", String(parallel), "--format", "csv", "--quiet"],
                            environment: environment.merging(["SYNCFLEET_PASSWORD": "bench-password"]) { $1 })
        times[parallel] = m.seconds
        print(String(format: "  remote, %d rows, --parallel %2d: %6.2f s (%6.0f rows/s)", remoteRows, parallel, m.seconds, Double(remoteRows) / m.seconds))
    }
    print(String(format: "  --parallel 16 is %.1f× --parallel 1", times[1]! / times[16]!))
}

/// Starts the built `syncfleet serve` on `store` and waits (at most 20 s) until it accepts connections.
func startServe(store: String, port: Int) async throws -> Process {
    let server = Process()
    server.executableURL = URL(fileURLWithPath: BenchPaths.syncfleet)
    server.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--quiet"]
    server.environment = ["SYNCFLEET_STORE": store, "PATH": "/usr/bin:/bin"]
    server.standardError = FileHandle.nullDevice
    try server.run()
    for _ in 0..<200 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if connected == 0 { return server }
        try await Task.sleep(for: .milliseconds(100))
    }
    server.terminate()
    throw BenchError("syncfleet serve did not listen on 127.0.0.1:\(port) within 20 s")
}

actor PortBox {
    var port = 0
    func set(_ value: Int) { port = value }
}

func collect<S: AsyncSequence>(_ sequence: S) async throws -> [S.Element] {
    var items: [S.Element] = []
    for try await item in sequence { items.append(item) }
    return items
}

func requireValue<T>(_ value: T?) throws -> T {
    guard let value else { throw BenchError("missing value") }
    return value
}

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .warning
    return handler
}
let arguments = Array(CommandLine.arguments.dropFirst())
var count = 100_000
if let index = arguments.firstIndex(of: "--count"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    count = value
}
do {
    switch arguments.first {
    case "list", nil:
        try await listBenchmark(count: count)
    case "api":
        var requests = 2000
        if let index = arguments.firstIndex(of: "--requests"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
            requests = value
        }
        try await apiBenchmark(requests: requests, count: count)
    case "import":
        try await importBenchmark(count: count)
    case "push":
        func option(_ name: String, _ value: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let given = Int(arguments[index + 1]) else { return value }
            return given
        }
        try await pushBenchmark(count: arguments.contains("--count") ? count : 20_000, sent: option("--sent", 10_000),
                                parallel: option("--parallel", 32))
    case "sessions":
        try await sessionsBenchmark(count: count)
    case "wbxml":
        var rounds = 200
        if let index = arguments.firstIndex(of: "--rounds"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
            rounds = value
        }
        try wbxmlBenchmark(rounds: rounds)
    default:
        print("usage: syncfleet-bench list [--count N] | import [--count N] | sessions [--count N] | push [--count N] [--sent N] [--parallel N] | wbxml [--rounds N] | api [--requests N] [--count N]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("syncfleet-bench: \(error)\n".utf8))
    exit(1)
}
