import Foundation
import GRDB
import Testing
@testable import FleetKit

@Suite("LocalFleet: the store file")
struct LocalFleetStoreTests {
    @Test("a missing store is refused for reading and created for writing, with WAL and foreign keys")
    func createOnWrite() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/dir/fleet.sqlite").path
        #expect(throws: FleetError.self) { try LocalFleet.open(path: path, mode: .mustExist) }
        #expect(!FileManager.default.fileExists(atPath: path))

        let fleet = try LocalFleet.open(path: path, mode: .createIfMissing)
        #expect(FileManager.default.fileExists(atPath: path))
        let (journal, foreignKeys, appID) = try await fleet.database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try Int32.fetchOne(db, sql: "PRAGMA application_id"))
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        #expect(appID == Schema.applicationID)
        try fleet.close()
        // Reopening an existing store works in both modes.
        try LocalFleet.open(path: path, mode: .mustExist).close()
    }

    @Test("every lookup a command makes has an index")
    func indexes() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let plans: [String] = try await fixture.fleet.database.read { db in
            let queries = [
                "SELECT id FROM client WHERE uuid = 'x'",
                "SELECT id FROM client WHERE userID = 1 AND id > 0 ORDER BY id",
                "SELECT id FROM client WHERE phoneNumber = '+4790981948'",
                "SELECT id FROM client WHERE modelUUID = '112'",
                "SELECT id FROM client WHERE userID = 1 AND phoneNumber = '+1' AND modelUUID = '1' AND imei = ''",
                "SELECT id FROM client WHERE userID = 1 AND phoneNumber = '+1'",
                "SELECT max(id) FROM setup WHERE clientID = 1",
                "SELECT * FROM clientDatastore WHERE clientID IN (1, 2) ORDER BY clientID, position",
                "SELECT * FROM phoneModel WHERE titleKey = 'nokia 6233'",
                "SELECT id FROM user WHERE name = 'admin' COLLATE NOCASE",
            ]
            return try queries.map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        for plan in plans {
            #expect(!plan.contains("SCAN"), "full scan: \(plan)")
        }
    }

    @Test("a file that is not SQLite, or another application's database, is refused")
    func notAStore() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = directory.appendingPathComponent("notes.txt").path
        try "just some text, not a database at all, long enough to fill a header page".write(toFile: text, atomically: true, encoding: .utf8)
        #expect {
            try LocalFleet.open(path: text, mode: .mustExist)
        } throws: { error in
            guard case FleetError.notAStore = error else { return false }
            return true
        }

        let other = directory.appendingPathComponent("other.sqlite").path
        try await DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        #expect {
            try LocalFleet.open(path: other, mode: .createIfMissing)
        } throws: { error in
            guard case FleetError.notAStore(_, let reason) = error else { return false }
            return reason.contains("another application")
        }
    }

    @Test("a store from a newer schema is refused with the unknown steps named")
    func newerSchema() async throws {
        let fixture = try await StoreFixture.make(users: [], models: false)
        defer { fixture.remove() }
        try await fixture.fleet.database.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        try fixture.fleet.close()
        #expect {
            try LocalFleet.open(path: fixture.path, mode: .mustExist)
        } throws: { error in
            guard case FleetError.schemaTooNew(_, let unknown) = error else { return false }
            return unknown == ["v9-from-the-future"] && error.localizedDescription.contains("newer SyncFleet")
        }
    }
}
