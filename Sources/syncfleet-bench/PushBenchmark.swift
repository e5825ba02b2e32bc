import AsyncHTTPClient
import FleetKit
import Foundation
import PhonePush

/// `provision` and `alert` as cron runs them, on a store of --count phones and on one ten
/// times larger (pushing --count of its phones, spread over it: the cost per phone must not
/// grow with the store): --dry-run (build, sign, segment) and to dir: (and the store's
/// group commits). Then --sent phones through a real Kannel on loopback, beside Kannel alone:
/// the same sendsms requests as a plain HTTP load at the same concurrency, in the same run.
func pushBenchmark(count: Int, sent: Int, parallel: Int) async throws {
    let repository = BenchPaths.repository
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-bench-push-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    func store(_ name: String, phones: Int) async throws -> String {
        let path = directory.appendingPathComponent(name).path
        try await makeStore(at: path, count: phones, repository: repository.path)
        let fleet = try LocalFleet.open(path: path, mode: .mustExist)
        try await fleet.setSetting(.syncURL, to: "http://sync.example.net:8080/sync")
        try fleet.close()
        return path
    }
    /// `count` uuids spread evenly over the store, as a --from file.
    func spread(_ path: String, total: Int) async throws -> String {
        let fleet = try LocalFleet.open(path: path, mode: .mustExist)
        defer { try? fleet.close() }
        let step = max(1, total / count)
        var text = "uuid\n", index = 0
        for try await client in fleet.clients() {
            if index % step == 0 { text += client.uuid + "\n" }
            index += 1
        }
        let file = path + ".targets.csv"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    let cores = ProcessInfo.processInfo.activeProcessorCount
    let environment = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]
    print("provision and alert of \(count) phones, release build, \(cores) cores, --parallel \(parallel)")
    let sizes = [count, count * 10]
    var stores: [Int: String] = [:]
    for size in sizes { stores[size] = try await store("fleet-\(size).sqlite", phones: size) }
    var targets: [Int: [String]] = [:]
    for size in sizes {
        targets[size] = size == count ? ["--all"] : ["--from", try await spread(stores[size]!, total: size)]
    }
    print("  " + pad("", 30) + pad("store of \(count)", 28) + pad("store of \(count * 10), \(count) of them", 32))
    func row(_ label: String, goal: String, _ arguments: (Int) -> [String], fresh: Bool) async throws {
        var cells: [String] = []
        for size in sizes {
            var path = stores[size]!
            if fresh {
                // A run that records needs a store without earlier pushes.
                path = directory.appendingPathComponent("copy-\(size).sqlite").path
                try? FileManager.default.removeItem(atPath: path)
                try FileManager.default.copyItem(atPath: stores[size]!, toPath: path)
            }
            let spool = directory.appendingPathComponent("spool").path
            try? FileManager.default.removeItem(atPath: spool)
            let m = try measure(BenchPaths.syncfleet, arguments(size).map { $0 == "SPOOL" ? "dir:\(spool)" : $0 } + targets[size]!
                                    + ["--store", path, "--parallel", String(parallel), "--format", "csv", "--quiet"], environment: environment)
            cells.append(String(format: "%7.0f phones/s %5.1f MiB", Double(count) / m.seconds, Double(m.peakKiB) / 1024))
            try? FileManager.default.removeItem(atPath: spool)
        }
        print("  " + pad(label, 30) + pad(cells[0], 28) + pad(cells[1], 32) + "goal " + goal)
    }
    try await row("provision --dry-run", goal: ">= 20,000", { _ in ["provision", "--pin", "1234", "--dry-run"] }, fresh: false)
    try await row("alert --dry-run", goal: ">= 20,000", { _ in ["alert", "--dry-run"] }, fresh: false)
    // The floor of dir:: the same files written by a plain loop (write, rename), one process, one thread.
    let floor = try fileFloor(directory: directory.appendingPathComponent("floor"), files: count * 3)
    print("  " + pad("plain loop, \(count * 3) files", 30) + String(format: "%7.0f files/s (%.0f phones/s at 3 SMS a setup)", floor, floor / 3))
    try await row("provision --gateway dir:", goal: ">= 5,000", { _ in ["provision", "--pin", "1234", "--gateway", "SPOOL"] }, fresh: true)
    try await row("alert --gateway dir:", goal: ">= 5,000", { _ in ["alert", "--gateway", "SPOOL"] }, fresh: true)

    guard sent > 0 else { return }
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/bearerbox") else {
        print("through Kannel: skipped (install Debian's kannel and kannel-extras)")
        return
    }
    try await kannelBenchmark(directory: directory, sent: sent, parallel: parallel, store: store)
}

/// Kannel alone (the same requests as a plain HTTP load) beside `provision` and `alert` through it.
private func kannelBenchmark(directory: URL, sent: Int, parallel: Int,
                             store: (String, Int) async throws -> String) async throws {
    let kannelDirectory = directory.appendingPathComponent("kannel").path
    let script = BenchPaths.repository.appendingPathComponent("scripts/kannel-loopback").path
    let base = 30_000 + Int(getpid() % 400) * 20
    func kannel(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
    guard try kannel(["start", kannelDirectory, String(base), "bench", "bench-secret"]) == 0 else {
        throw BenchError("Kannel did not start (see \(kannelDirectory))")
    }
    defer { _ = try? kannel(["stop", kannelDirectory]) }
    let gateway = KannelGateway(configuration: .init(host: "127.0.0.1", port: base + 3, username: "bench", password: "bench-secret"))

    // Kannel alone: a setup's SMS (3 parts, as most phones' settings) for `sent` numbers, `parallel` requests at a time.
    let profile = DSProfile(name: "SyncServer", providerID: "syncfleet", serverURL: "http://sync.example.net:8080/sync", protocolVersion: "1.2",
                            authType: .basic, username: "sf00000000", password: "0123456789abcdef",
                            resources: SyncProfile.resources([DatastoreBinding(dataclass: .contacts, name: "Contacts"),
                                                              DatastoreBinding(dataclass: .calendar, name: "Calendar"),
                                                              DatastoreBinding(dataclass: .notes, name: "Notes")]))
    let segments = try PushMessage.provisioning(profile, security: try ProvisioningSecurity(method: .userpin, pin: "1234", imsi: nil))
        .segments(reference: 1)
    var urls: [String] = []
    for index in 0..<sent {
        for sms in segments { urls.append(gateway.requestURL(sms, to: "+4791\(String(format: "%06d", index))", messageID: "m\(index)", reportURL: nil)) }
    }
    print(String(format: "through Kannel (sendsms, fakesmsc), %d phones, --parallel %d", sent, parallel))
    var alone = 0.0
    for concurrency in [parallel, parallel * 3] {
        let (rate, cpu) = try await plainLoad(urls, concurrency: concurrency)
        alone = max(alone, rate)
        print("  " + pad("Kannel alone, \(concurrency) at a time", 32)
              + String(format: "%7.0f SMS/s (%d plain sendsms requests, %.0f µs CPU per request in the client)", rate, urls.count, cpu * 1e6))
    }
    for (label, command) in [("provision --gateway kannel://", ["provision", "--all", "--pin", "1234"]), ("alert --gateway kannel://", ["alert", "--all"])] {
        let path = try await store("kannel-\(command[0]).sqlite", sent)
        let m = try measure(BenchPaths.syncfleet, command + ["--gateway", "kannel://bench:bench-secret@127.0.0.1:\(base + 3)",
                                                             "--store", path, "--parallel", String(parallel), "--format", "csv", "--quiet"],
                            environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"])
        let fleet = try LocalFleet.open(path: path, mode: .mustExist)
        let sms = try await fleet.smsCount()
        try fleet.close()
        print("  " + pad(label, 32) + String(format: "%7.0f SMS/s (%d SMS, %.0f phones/s, %.0f µs CPU per SMS): %.2f× Kannel alone (goal >= 0.8)",
                                             Double(sms) / m.seconds, sms, Double(sent) / m.seconds, m.cpuSeconds * 1e6 / Double(sms),
                                             Double(sms) / m.seconds / alone))
    }
}

/// `text` padded with spaces to `width` characters.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

/// The requests as a plain HTTP load, `concurrency` at a time: requests per second, and the client's CPU seconds per request.
private func plainLoad(_ urls: [String], concurrency: Int) async throws -> (Double, Double) {
    var before = rusage()
    getrusage(RUSAGE_SELF.rawValue, &before)
    let start = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        func add() {
            let url = urls[next]
            next += 1
            group.addTask {
                let response = try await KannelGateway.httpClient.execute(HTTPClientRequest(url: url), timeout: .seconds(15))
                guard response.status.code == 202 else { throw BenchError("Kannel answered \(response.status.code)") }
                _ = try await response.body.collect(upTo: 4096)
            }
        }
        while next < min(concurrency, urls.count) { add() }
        while try await group.next() != nil { if next < urls.count { add() } }
    }
    let seconds = Date().timeIntervalSince(start)
    var after = rusage()
    getrusage(RUSAGE_SELF.rawValue, &after)
    func cpu(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    return (Double(urls.count) / seconds, (cpu(after) - cpu(before)) / Double(urls.count))
}

/// Files of 140 octets per second, written (write, close, rename) by a plain loop into a new directory.
func fileFloor(directory: URL, files: Int) throws -> Double {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let octets = [UInt8](repeating: 0x42, count: 140)
    let start = Date()
    for index in 0..<files {
        let target = directory.path + "/\(index).bin"
        let temporary = directory.path + "/.\(index).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot write \(temporary)") }
        _ = octets.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        rename(temporary, target)
    }
    return Double(files) / Date().timeIntervalSince(start)
}
