// syncfleet-bench: throughput and memory benchmarks, printed (never asserted by tests).
//
//   swift build -c release && .build/release/syncfleet-bench list [--count 100000]
//
// `list` fills a store with --count clients, then runs the built `syncfleet clients list`
// as a user would (stdout to /dev/null) for csv and ndjson, and prints rows per second
// and the child's peak memory. It lists a tenth of the clients too: streaming shows as
// the same peak memory for both sizes.
import FleetKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct Measurement {
    var seconds: Double
    var peakKiB: Int
}

/// Runs `executable arguments…` with stdout to /dev/null; wall time and peak RSS (from wait4).
func measure(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Measurement {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    let start = DispatchTime.now()
    guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
        throw BenchError("cannot start \(executable)")
    }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    guard status == 0 else { throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited with status \(status)") }
    return Measurement(seconds: seconds, peakKiB: usage.ru_maxrss)
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
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let syncfleet = here.appendingPathComponent("syncfleet").path
    guard FileManager.default.isExecutableFile(atPath: syncfleet) else {
        throw BenchError("\(syncfleet) is missing: build both products first (swift build -c release)")
    }
    var repository = here
    while !FileManager.default.fileExists(atPath: repository.appendingPathComponent("Package.swift").path), repository.path != "/" {
        repository.deleteLastPathComponent()
    }
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

let arguments = Array(CommandLine.arguments.dropFirst())
var count = 100_000
if let index = arguments.firstIndex(of: "--count"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    count = value
}
do {
    switch arguments.first {
    case "list", nil:
        try await listBenchmark(count: count)
    default:
        print("usage: syncfleet-bench list [--count N]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("syncfleet-bench: \(error)\n".utf8))
    exit(1)
}
