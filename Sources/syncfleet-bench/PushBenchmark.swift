import FleetKit
import Foundation

/// `provision` of --count phones with `--dry-run --gateway dir:` (building and signing OMA CP
/// pushes, writing their SMS as files) at --parallel 1 and with every core; then --sent phones
/// through a real Kannel on loopback (scripts/kannel-loopback) at --parallel 1 and 16.
func pushBenchmark(count: Int, sent: Int) async throws {
    let syncfleet = BenchPaths.syncfleet
    let repository = BenchPaths.repository
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-bench-push-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]

    func store(_ name: String, phones: Int) async throws -> String {
        let path = directory.appendingPathComponent(name).path
        try await makeStore(at: path, count: phones, repository: repository.path)
        let fleet = try LocalFleet.open(path: path, mode: .mustExist)
        try await fleet.setSetting(.syncURL, to: "http://sync.example.net:8080/sync")
        try fleet.close()
        return path
    }

    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("provision --dry-run --gateway dir: (build, sign, segment, write), \(count) phones, release build, \(cores) cores")
    let built = try await store("build.sqlite", phones: count)
    var rates: [Int: Double] = [:]
    for parallel in [1, max(8, cores * 4)] {
        let spool = directory.appendingPathComponent("spool-\(parallel)").path
        let m = try measure(syncfleet, ["provision", "--all", "--pin", "1234", "--dry-run", "--gateway", "dir:\(spool)",
                                        "--store", built, "--parallel", String(parallel), "--format", "csv", "--quiet"],
                            environment: environment)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: spool).count) ?? 0
        rates[parallel] = Double(count) / m.seconds
        print(String(format: "  --parallel %2d: %6.2f s, %7.0f messages/s (%d SMS files), peak %5.1f MiB",
                     parallel, m.seconds, Double(count) / m.seconds, files, Double(m.peakKiB) / 1024))
        try? FileManager.default.removeItem(atPath: spool)
    }
    print(String(format: "  --parallel %d (every core busy): %.2f× --parallel 1", max(8, cores * 4), rates[max(8, cores * 4)]! / rates[1]!))

    guard sent > 0 else { return }
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/bearerbox") else {
        print("through Kannel: skipped (install Debian's kannel and kannel-extras)")
        return
    }
    let kannelDirectory = directory.appendingPathComponent("kannel").path
    let script = repository.appendingPathComponent("scripts/kannel-loopback").path
    let base = 30_000 + Int(getpid() % 400) * 20
    let start = Process()
    start.executableURL = URL(fileURLWithPath: "/bin/bash")
    start.arguments = [script, "start", kannelDirectory, String(base), "bench", "bench-secret"]
    start.standardOutput = FileHandle.nullDevice
    try start.run()
    start.waitUntilExit()
    guard start.terminationStatus == 0 else { throw BenchError("Kannel did not start (see \(kannelDirectory))") }
    defer {
        let stop = Process()
        stop.executableURL = URL(fileURLWithPath: "/bin/bash")
        stop.arguments = [script, "stop", kannelDirectory]
        try? stop.run()
        stop.waitUntilExit()
    }
    print("provision through Kannel (sendsms, fakesmsc), \(sent) phones")
    var times: [Int: Double] = [:]
    for parallel in [1, 16] {
        let path = try await store("kannel-\(parallel).sqlite", phones: sent)
        let m = try measure(syncfleet, ["provision", "--all", "--pin", "1234", "--gateway", "kannel://bench:bench-secret@127.0.0.1:\(base + 3)",
                                        "--store", path, "--parallel", String(parallel), "--format", "csv", "--quiet"],
                            environment: environment)
        times[parallel] = m.seconds
        let fleet = try LocalFleet.open(path: path, mode: .mustExist)
        let sms = try await fleet.smsCount()
        try fleet.close()
        print(String(format: "  --parallel %2d: %6.2f s, %6.0f phones/s, %6.0f SMS/s (%d SMS)",
                     parallel, m.seconds, Double(sent) / m.seconds, Double(sms) / m.seconds, sms))
    }
    print(String(format: "  --parallel 16 is %.1f× --parallel 1", times[1]! / times[16]!))
}
