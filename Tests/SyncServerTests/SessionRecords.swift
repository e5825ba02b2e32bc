import Foundation
import GRDB

/// Reads what the server recorded, straight from the SQLite file.
struct SessionRecords {
    let queue: DatabaseQueue

    init(_ harness: SyncHarness) throws {
        queue = try DatabaseQueue(path: harness.directory.appendingPathComponent("fleet.sqlite").path)
    }

    func sessions() throws -> [Row] {
        try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM syncSession ORDER BY id") }
    }

    func datastores(session: Int64) throws -> [Row] {
        try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM syncSessionDatastore WHERE sessionID = ? ORDER BY position", arguments: [session]) }
    }

    func chatlog(session: Int64) throws -> [Row] {
        try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM chatlogMessage WHERE sessionID = ? ORDER BY sequence", arguments: [session]) }
    }

    func liveItems() throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "SELECT CAST(data AS TEXT) FROM syncItem WHERE NOT deleted ORDER BY id") }
    }

    func int(_ sql: String) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }
}
