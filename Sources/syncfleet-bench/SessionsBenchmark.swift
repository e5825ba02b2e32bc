import Foundation

/// `sessions export --format csv` of --count recorded sessions (one datastore each) beside
/// `sqlite3 -csv` of the equivalent join in the same run (the floor), and at a tenth of the
/// size, with the peak memory of each: streaming shows as the same peak for both sizes.
func sessionsBenchmark(count: Int) async throws {
    let syncfleet = BenchPaths.syncfleet
    guard FileManager.default.isExecutableFile(atPath: syncfleet) else {
        throw BenchError("\(syncfleet) is missing: build both products first (swift build -c release)")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-bench-sessions-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    print("sessions export: \(count) sessions, release build at \(syncfleet)")
    let query = """
        SELECT s.id, s.clientUUID, c.phoneNumber, m.title, u.name, s.started, s.ended, s.ended - s.started, s.version, s.encoding,
          s.authType, d.serverURI, d.localURI, d.syncType, d.requested, d.status, d.addedIn, d.replacedIn, d.deletedIn, d.addedOut,
          d.replacedOut, d.deletedOut, d.rejectedIn, d.rejectedOut, s.bytesIn, s.bytesOut, s.messagesIn, s.messagesOut, s.status, s.error
        FROM syncSession s LEFT JOIN client c ON c.id = s.clientID LEFT JOIN phoneModel m ON m.uuid = c.modelUUID
        LEFT JOIN user u ON u.id = s.userID LEFT JOIN syncSessionDatastore d ON d.sessionID = s.id ORDER BY s.id, d.position
        """
    for size in [max(1, count / 10), count] {
        let store = directory.appendingPathComponent("sessions-\(size).sqlite").path
        let fill = DispatchTime.now()
        try await makeStore(at: store, count: 1000, repository: BenchPaths.repository.path)
        let sql = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(size))
            INSERT INTO syncSession (id, clientID, clientUUID, userID, username, deviceID, syncmlSessionID, started, ended, version,
              encoding, authType, bytesIn, bytesOut, messagesIn, messagesOut, status, error)
            SELECT i, (i % 1000) + 1, (SELECT uuid FROM client WHERE id = (i % 1000) + 1), 1, 'phone-' || (i % 1000), 'IMEI:35' || i,
              CAST(i AS TEXT), 1796000000 + i * 10.0, 1796000000 + i * 10.0 + 3.5, '1.2', 'wbxml', 'md5', 12000, 4000, 3, 3,
              CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'ok' END,
              CASE WHEN i % 20 = 0 THEN '401 invalid credentials: wrong password for sync user phone' ELSE NULL END FROM n;
            INSERT INTO syncSessionDatastore (sessionID, position, serverURI, localURI, dataclass, requested, syncType, status, addedIn,
              replacedIn, deletedIn, addedOut, replacedOut, deletedOut, rejectedIn, rejectedOut, completed)
            SELECT id, 0, 'contacts', './contacts', 'contacts', 200, 200, 200, 3, 1, 0, 2, 0, 0, 0, 0, 1 FROM syncSession;
            """
        _ = try measure("/usr/bin/sqlite3", [store, sql], environment: ["PATH": "/usr/bin:/bin"])
        let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - fill.uptimeNanoseconds) / 1e9
        print(String(format: "  store of %8d sessions made in %6.2f s", size, fillSeconds))
        let environment = ["SYNCFLEET_STORE": store, "PATH": "/usr/bin:/bin"]
        _ = try measure(syncfleet, ["sessions", "export", "--format", "csv"], environment: environment)  // warm the page cache
        var ours: Measurement?, floor: Measurement?
        for _ in 0..<3 {
            let run = try measure(syncfleet, ["sessions", "export", "--format", "csv"], environment: environment)
            if ours == nil || run.seconds < ours!.seconds { ours = run }
            let base = try measure("/usr/bin/sqlite3", ["-csv", "-header", store, query], environment: environment)
            if floor == nil || base.seconds < floor!.seconds { floor = base }
        }
        print(String(format: "  %8d sessions: export %6.2f s (%8.0f rows/s, peak %5.1f MiB); sqlite3 -csv %6.2f s (peak %5.1f MiB); ratio %.2f",
                     size, ours!.seconds, Double(size) / ours!.seconds, Double(ours!.peakKiB) / 1024, floor!.seconds,
                     Double(floor!.peakKiB) / 1024, ours!.seconds / floor!.seconds))
    }
    print("  (goal: ratio within 1.5; flat memory: the peak of both sizes about the same)")
}
