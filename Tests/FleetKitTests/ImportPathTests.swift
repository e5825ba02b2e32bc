import Foundation
import GRDB
import Testing
@testable import FleetKit

/// What the fast import path rests on: fast validation that agrees with the careful one,
/// time-ordered uuids, multi-row inserts that tell created from existing, and datastores
/// stored only when a phone has its own.
@Suite("Import path: fast checks, uuids, grouped inserts, model datastores")
struct ImportPathTests {
    /// Strings over the characters numbers and IMEIs are written with, some of them wrong.
    static func samples(count: Int, alphabet: [String], length: ClosedRange<Int>) -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            (0..<Int.random(in: length, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
    }

    @Test("the ASCII fast paths agree with the careful checks on every input")
    func fastPathsAgree() {
        let digits = (0...9).map(String.init)
        let phones = ["+47 909 81 948", "0047 90981948", "+44 (0)20 7946 0958", "+1 (555) 010.0199", "004790", "+0123456789",
                      "+47-909-81-948", "+4790981948\t", " +4790981948", "00 47 909 81 948", "+47 909 81 948 (0)"]
            + Self.samples(count: 5_000, alphabet: digits + digits + ["+", "0", "0", " ", "-", ".", "/", "(", ")", "\t", "e", "E"], length: 0...18)
            + zip(Self.samples(count: 5_000, alphabet: ["+", "00", "", "+0", "0", " +", "+ "], length: 1...1),
                  Self.samples(count: 5_000, alphabet: digits + digits + digits + [" ", "-", ".", "(0)", "(", ")", "/"], length: 6...18))
                .map { $0 + $1 }
        let fastPhones = Self.agreement(phones, fast: PhoneNumber.plainASCII, careful: { try PhoneNumber.normalizeCarefully($0, field: "phone_number") },
                                        full: { try PhoneNumber.normalize($0) })
        #expect(fastPhones > 1_000, "the fast path took too few of the samples to be checked")

        let imeis = ["490154203237518", "49015420323751", "49-015420-323751-8", "490154203237519", "4901542032375180", "35 209900 176148 1"]
            + Self.samples(count: 5_000, alphabet: digits + digits + [" ", "-", "/", ".", "a"], length: 0...17)
        let fastIMEIs = Self.agreement(imeis, fast: IMEI.plainASCII, careful: { try IMEI.normalizeCarefully($0, field: "imei") },
                                       full: { try IMEI.normalize($0) })
        #expect(fastIMEIs > 10, "the fast path took too few of the samples to be checked")
    }

    /// Checks that where `fast` answers, `careful` gives the same, and that `full` always
    /// answers as `careful` does; returns how many texts the fast path took.
    static func agreement(_ texts: [String], fast: (String) -> String?, careful: (String) throws -> String?,
                          full: (String) throws -> String?) -> Int {
        var taken = 0
        for text in texts {
            let expected = try? careful(text)
            if let plain = fast(text) {
                taken += 1
                #expect(expected == plain, "\(text): fast \(plain), careful \(String(describing: expected))")
            }
            #expect((try? full(text)) == expected, "\(text)")
        }
        return taken
    }

    @Test("client uuids are RFC 9562 version 7: time first, increasing, unique")
    func uuids() throws {
        var generator = ClientUUIDGenerator()
        let now = Date(timeIntervalSince1970: 1_796_000_000.123)
        let made = (0..<20_000).map { _ in generator.next(now: now) }
        #expect(Set(made).count == made.count)
        #expect(made == made.sorted(), "uuids made in the same millisecond must still increase")
        for uuid in made.prefix(100) {
            let parsed = try #require(UUID(uuidString: uuid))
            #expect(parsed.uuidString.lowercased() == uuid)
            let bytes = Array(uuid.replacingOccurrences(of: "-", with: ""))
            #expect(bytes[12] == "7", "version nibble of \(uuid)")
            #expect("89ab".contains(bytes[16]), "variant of \(uuid)")
        }
        // The first 48 bits are the milliseconds (20,000 uuids overflow the 12-bit sequence into later ones).
        let millis = UInt64(made[0].replacingOccurrences(of: "-", with: "").prefix(12), radix: 16)!
        #expect(millis == 1_796_000_000_123)
        let later = generator.next(now: now.addingTimeInterval(60))
        #expect(UInt64(later.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16)! == 1_796_000_060_123)
    }

    @Test("grouped inserts: new rows, rows already stored and repeated rows in one batch each get the right outcome")
    func groupedOutcomes() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let fleet = fixture.fleet
        func registration(_ number: Int) -> Registration {
            Registration(phoneNumber: "+4791\(String(format: "%06d", number))", model: number % 2 == 0 ? "112" : "Nokia 5800 XpressMusic")
        }
        // 50 stored before; the batch has 200 rows: every fourth an earlier one, and row 150 repeats row 10.
        let earlier = try await fleet.registerBatch((0..<50).map { registration($0 * 4) })
        let stored = try Dictionary(uniqueKeysWithValues: earlier.enumerated().map { ($0.offset * 4, try $0.element.get().client.uuid) })
        var batch = (0..<200).map(registration)
        batch[150] = registration(10)
        let results = try await fleet.registerBatch(batch)
        var created: [Int: String] = [:]
        for (index, result) in results.enumerated() {
            let outcome = try result.get()
            if index == 150 {
                #expect(outcome.outcome == .exists && outcome.client.uuid == created[10] ?? stored[10], "row 150 repeats row 10")
            } else if let uuid = stored[index] {
                #expect(outcome.outcome == .exists && outcome.client.uuid == uuid, "row \(index) was stored before")
            } else {
                #expect(outcome.outcome == .created, "row \(index)")
                created[index] = outcome.client.uuid
            }
            #expect(outcome.client.phoneNumber == "+4791\(String(format: "%06d", index == 150 ? 10 : index))")
        }
        #expect(created.count == 149)  // 200 rows: 50 stored before, row 150 a repeat of row 10 (new)
        let count = try await fleet.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM client") }
        #expect(count == 50 + created.count)
        // Created clients read back with their uuid, number and model.
        for (index, uuid) in created.prefix(20) {
            let client = try await fleet.client(uuid: uuid)
            #expect(client.phoneNumber == "+4791\(String(format: "%06d", index))")
            #expect(client.modelUUID == (index % 2 == 0 ? "112" : "56"))
        }
        // The import path says the same, without reading clients back.
        let bulk = try BulkRegistration(fleet: fleet)
        let again = try await bulk.write(fleet.prepare(batch)).results
        try await bulk.finish()
        #expect(try again.map { try $0.get().outcome }.allSatisfy { $0 == .exists })
        #expect(try again.enumerated().allSatisfy { index, result in
            try result.get().uuid == (index == 150 ? created[10] : created[index] ?? stored[index])
        })
    }

    @Test("datastores are the model's unless a phone has its own; stores made before keep what differs")
    func modelDatastores() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let fleet = fixture.fleet
        let model = try await fleet.resolveModel("112")
        let plain = try await fleet.register(Registration(phoneNumber: "+4790000001", model: "112")).client
        let own = [DatastoreBinding(dataclass: .contacts, name: "./Contacts/Private")]
        let custom = try await fleet.register(Registration(phoneNumber: "+4790000002", model: "112", datastores: own)).client
        let same = try await fleet.register(Registration(phoneNumber: "+4790000003", model: "112", datastores: model.datastores)).client
        #expect(plain.datastores == model.datastores)
        #expect(custom.datastores == own)
        #expect(same.datastores == model.datastores)
        let rows = try await fleet.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM clientDatastore") }
        #expect(rows == 1, "only the phone with datastores of its own has rows")
        #expect(try await fleet.client(uuid: plain.uuid).datastores == model.datastores)
        #expect(try await fleet.client(uuid: custom.uuid).datastores == own)
        // A fix to the catalogue reaches the phones that follow their model, not the one with its own.
        var fixed = model
        fixed.datastores = [DatastoreBinding(dataclass: .contacts, name: "addressbook")]
        _ = try await fleet.importModels([fixed])
        #expect(try await fleet.client(uuid: plain.uuid).datastores == fixed.datastores)
        #expect(try await fleet.client(uuid: same.uuid).datastores == fixed.datastores)
        #expect(try await fleet.client(uuid: custom.uuid).datastores == own)
    }

    /// A store migrated only up to `migration`, with one user, model `m1` and clients with
    /// `ids` (uuid `uuid-ID`, number `+479000000ID`, updated ID); `more` adds rows. Opening it
    /// with ``LocalFleet`` runs the later migrations.
    static func oldStore(in directory: URL, upTo migration: String, clients ids: [Int],
                         more: @escaping @Sendable (Database) throws -> Void) async throws -> String {
        let path = directory.appendingPathComponent("\(migration).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: migration)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO user (id, name, email, passwordHash, isAdmin, created) VALUES (1, 'admin', 'a@example.com', 'x', 1, 0)")
            try db.execute(sql: "INSERT INTO phoneModel VALUES ('m1', 'Phone', 'phone', 'Maker', '1.2', 1, 'oma-cp')")
            for id in ids {
                try db.execute(sql: "INSERT INTO client (id, uuid, userID, modelUUID, phoneNumber, imei, timezone, published, updated) VALUES (?, ?, 1, 'm1', ?, '', 'UTC', 0, ?)",
                               arguments: [id, "uuid-\(id)", "+479000000\(id)", id])
            }
            try more(db)
        }
        try queue.close()
        return path
    }

    @Test("migrating a store that copied the model's datastores per phone keeps only the ones that differ")
    func datastoreMigration() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A store as v4 left it: every phone with a copy of its datastores.
        let path = try await Self.oldStore(in: directory, upTo: "v4-sync", clients: [1, 2, 3]) { db in
            try db.execute(sql: "INSERT INTO modelDatastore VALUES ('m1', 0, 'Contacts', 'Contacts'), ('m1', 1, 'Calendar', 'Calendar')")
            // 1: the model's list; 2: another name; 3: the model's list in another order.
            try db.execute(sql: """
                INSERT INTO clientDatastore VALUES (1, 0, 'Contacts', 'Contacts'), (1, 1, 'Calendar', 'Calendar'),
                  (2, 0, 'Contacts', 'Private'), (2, 1, 'Calendar', 'Calendar'),
                  (3, 0, 'Calendar', 'Calendar'), (3, 1, 'Contacts', 'Contacts')
                """)
        }
        let fleet = try LocalFleet.open(path: path, mode: .mustExist)
        let left = try await fleet.database.read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT clientID FROM clientDatastore ORDER BY clientID")
        }
        #expect(left == [2, 3])
        let first = try await fleet.client(uuid: "uuid-1")
        #expect(first.datastores.map(\.name) == ["Contacts", "Calendar"])
        #expect(try await fleet.client(uuid: "uuid-2").datastores.map(\.name) == ["Private", "Calendar"])
        #expect(try await fleet.client(uuid: "uuid-3").datastores.map(\.name) == ["Calendar", "Contacts"])
        try fleet.close()
    }

    @Test("the client table rebuilt with its key led by the number keeps ids, uuids, references and the id sequence")
    func clientKeyMigration() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try await Self.oldStore(in: directory, upTo: "v5-model-datastores", clients: [1, 2, 5, 7]) { db in
            try db.execute(sql: "DELETE FROM client WHERE id = 7")   // the sequence stays at 7
            try db.execute(sql: "INSERT INTO setup (clientID, name, state, created) VALUES (5, 'setup', 'sent', 0)")
            try db.execute(sql: "INSERT INTO clientDatastore VALUES (2, 0, 'Contacts', 'Private')")
        }
        let fleet = try LocalFleet.open(path: path, mode: .mustExist)
        defer { try? fleet.close() }
        let (rows, indexes, sequence, problems) = try await fleet.database.read { db in
            (try Row.fetchAll(db, sql: "SELECT id, uuid, phoneNumber, updated FROM client ORDER BY id").map { "\($0[0] as Int64) \($0[1] as String) \($0[2] as String) \($0[3] as Int64)" },
             try Row.fetchAll(db, sql: "SELECT name FROM pragma_index_list('client')").map { $0[0] as String }.sorted(),
             try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'client'"),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
        #expect(rows == ["1 uuid-1 +4790000001 1", "2 uuid-2 +4790000002 2", "5 uuid-5 +4790000005 5"])
        #expect(!indexes.contains("client_on_phoneNumber"))
        #expect(indexes.contains("client_on_modelUUID") && indexes.contains("client_on_updated") && indexes.contains("client_on_userID_id"))
        let uniqueKeys = try await fleet.database.read { db in
            try String.fetchAll(db, sql: """
                SELECT group_concat(name, ',') FROM (
                    SELECT il.name AS indexName, ii.name FROM pragma_index_list('client') il JOIN pragma_index_info(il.name) ii
                    WHERE il."unique" = 1 ORDER BY il.name, ii.seqno)
                GROUP BY indexName
                """)
        }
        #expect(Set(uniqueKeys) == ["uuid", "phoneNumber,userID,modelUUID,imei"])
        #expect(sequence == 7)
        #expect(problems == 0)
        #expect(try await fleet.client(uuid: "uuid-2").datastores.map(\.name) == ["Private"])
        // References still lead to the rebuilt table: deleting a client takes its setup along.
        let new = try await fleet.register(Registration(phoneNumber: "+4790000009", model: "m1")).client
        let newID = try await fleet.database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM client WHERE uuid = ?", arguments: [new.uuid]) }
        #expect(newID == 8, "ids of deleted clients are not given again")
        try await fleet.deleteClients(uuids: ["uuid-5"])
        let setups = try await fleet.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM setup") }
        #expect(setups == 0)
    }

    @Test("a bad line further on: every row before it is registered and reported, then the error names the line", arguments: [0.0, 60.0])
    func readErrorAfterCommits(commitInterval: Double) async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let file = fixture.directory.appendingPathComponent("broken.csv").path
        var text = "phone,model\n"
        for index in 0..<35 { text += "+4792\(String(format: "%06d", index)),56\n" }
        text += "\"+4792999999,56\n+4792888888,56\n"   // a quote opened on line 37 and never closed
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let importer = CSVImporter(localChunkSize: 10, commitInterval: commitInterval)
        var reported: [ImportResult] = []
        do {
            _ = try await importer.run(fleet: fixture.fleet, open: { try ImportColumns.open(path: file, delimiter: nil, overrides: [:]) }) {
                reported.append($0)
            }
            Issue.record("the unclosed quote was not reported")
        } catch let FleetError.badInput(file: name, line: line, message: message) {
            #expect(name == file && line == 37 && message.contains("never closed"))
        }
        let stored = try await fixture.fleet.database.read { db in try String.fetchSet(db, sql: "SELECT uuid FROM client") }
        #expect(Set(reported.compactMap(\.uuid)) == stored, "every reported row is stored, and every stored row reported")
        #expect(reported.allSatisfy { $0.status == .created })
        #expect(reported.map(\.line) == Array(2...36), "the 35 rows before the bad line, whole chunks or not")
    }
}
