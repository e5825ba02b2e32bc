import Foundation
import GRDB
import Testing
@testable import FleetKit

@Suite("LocalFleet: users, models and clients")
struct LocalFleetRegistryTests {
    @Test("passwords are stored hashed and verified")
    func passwords() async throws {
        let fixture = try await StoreFixture.make(users: ["admin", "frank"], models: false)
        defer { fixture.remove() }
        let stored = try await fixture.fleet.database.read { db in
            try String.fetchAll(db, sql: "SELECT passwordHash FROM user ORDER BY id")
        }
        #expect(stored.count == 2)
        for hash in stored {
            #expect(hash.hasPrefix("pbkdf2-sha512$210000$"))
            #expect(!hash.contains("secret"))
        }
        #expect(stored[0] != stored[1])
        #expect(try await fixture.fleet.authenticate(name: "frank", password: "secret-frank")?.name == "frank")
        #expect(try await fixture.fleet.authenticate(name: "FRANK", password: "secret-frank") != nil)
        #expect(try await fixture.fleet.authenticate(name: "frank", password: "secret-admin") == nil)
        #expect(try await fixture.fleet.authenticate(name: "nobody", password: "secret-frank") == nil)
        await #expect(throws: FleetError.self) {
            try await fixture.fleet.addUser(NewUser(name: "Frank", email: "f@example.com", password: "12345678", isAdmin: false))
        }
        await #expect(throws: FieldError.self) {
            try await fixture.fleet.addUser(NewUser(name: "short", email: "s@example.com", password: "1234", isAdmin: false))
        }
    }

    @Test("registration is idempotent on user, number, model and IMEI")
    func idempotent() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let fleet = fixture.fleet
        let first = try await fleet.register(Registration(phoneNumber: "+47 909 81 948", model: "112", timezone: "Europe/Oslo"))
        #expect(first.outcome == .created)
        #expect(first.client.phoneNumber == "+4790981948")
        #expect(first.client.title == "Nokia 5310 XpressMusic")
        #expect(first.client.datastores.map(\.dataclass) == [.contacts, .calendar, .notes])

        let again = try await fleet.register(Registration(phoneNumber: "0047-90981948", model: "Nokia 5310 XpressMusic"))
        #expect(again.outcome == .exists)
        #expect(again.client.uuid == first.client.uuid)

        // Same number, other model: a new phone, a new client (as the seed asks).
        let newPhone = try await fleet.register(Registration(phoneNumber: "+4790981948", model: "56"))
        #expect(newPhone.outcome == .created)
        #expect(newPhone.client.uuid != first.client.uuid)
        #expect(newPhone.client.datastores.first?.name == "C:Contacts.cdb")

        // Same number and model with an IMEI is another natural key.
        let withIMEI = try await fleet.register(Registration(phoneNumber: "+4790981948", model: "112", imei: "490154203237518"))
        #expect(withIMEI.outcome == .created)
        let withIMEIAgain = try await fleet.register(Registration(phoneNumber: "+4790981948", model: "112", imei: "49015420323751"))
        #expect(withIMEIAgain.outcome == .exists)
        #expect(try await collect(fleet.clients()).count == 3)
    }

    @Test("a rejected registration writes nothing")
    func rejectedWritesNothing() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let fleet = fixture.fleet
        func counts() async throws -> [Int] {
            try await fleet.database.read { db in
                try ["client", "clientDatastore", "user", "phoneModel"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 }
            }
        }
        let before = try await counts()
        let bad: [Registration] = [
            Registration(phoneNumber: "90981948", model: "112"),
            Registration(phoneNumber: "+4790981948", model: "112", imei: "490154203237519"),
            Registration(phoneNumber: "+4790981948", model: "112", timezone: "Europe/Oslo\""),
            Registration(phoneNumber: "+4790981948", model: "Nokia 9999"),
            Registration(phoneNumber: "+4790981948", model: "Nokia 6233"),
            Registration(phoneNumber: "+4790981948", model: "112", user: "nobody"),
        ]
        for registration in bad {
            await #expect(throws: (any Error).self) { try await fleet.register(registration) }
        }
        #expect(try await counts() == before)
    }

    @Test("models: by uuid, by title, ambiguous titles, unknown with suggestions")
    func models() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let fleet = fixture.fleet
        #expect(try await fleet.resolveModel("242").title == "Nokia 6233")
        #expect(try await fleet.resolveModel("02978288-537f-102b-beff-000ea60275d1").title == "Nokia 6233")
        #expect(try await fleet.resolveModel("  nokia   5800 XPRESSMUSIC ").modelUUID == "56")
        await #expect {
            try await fleet.resolveModel("Nokia 6233")
        } throws: { error in
            guard case FleetError.ambiguousModel(_, let candidates) = error else { return false }
            return Set(candidates.map(\.modelUUID)) == ["242", "02978288-537f-102b-beff-000ea60275d1"]
        }
        await #expect {
            try await fleet.resolveModel("Nokia 5301 XpressMusic")
        } throws: { error in
            guard case FleetError.unknownModel(_, let suggestions, false) = error else { return false }
            return suggestions.first?.modelUUID == "112"
        }
        let all = try await collect(fleet.allModels())
        #expect(all.count >= 30)
        // Importing again updates instead of duplicating.
        let again = try await fleet.importModels(all)
        #expect(again.added == 0 && again.updated == all.count)
    }

    @Test("several users: the owner must be named; each user sees only their phones")
    func owners() async throws {
        let fixture = try await StoreFixture.make(users: ["admin", "frank", "olga"])
        defer { fixture.remove() }
        let fleet = fixture.fleet
        await #expect {
            try await fleet.register(Registration(phoneNumber: "+4790066951", model: "56"))
        } throws: { error in
            guard case FleetError.ownerRequired(let users) = error else { return false }
            return users == ["admin", "frank", "olga"]
        }
        let franks = try await fleet.register(Registration(phoneNumber: "+4790066951", model: "56", user: "frank")).client
        let olgas = try await fleet.register(Registration(phoneNumber: "+4790066951", model: "56", user: "olga")).client
        #expect(franks.uuid != olgas.uuid)
        #expect(try await collect(fleet.clients(ClientFilter(user: "frank"))).map(\.uuid) == [franks.uuid])

        let frank = try #require(try await fleet.authenticate(name: "frank", password: "secret-frank"))
        let asFrank = fleet.acting(as: frank)
        #expect(try await collect(asFrank.clients()).map(\.uuid) == [franks.uuid])
        await #expect(throws: FleetError.self) { try await asFrank.client(uuid: olgas.uuid) }
        await #expect(throws: FleetError.self) { try await asFrank.deleteClients(uuids: [olgas.uuid]) }
        await #expect(throws: FleetError.self) {
            try await asFrank.register(Registration(phoneNumber: "+4790066952", model: "56", user: "olga"))
        }
        #expect(try await collect(asFrank.allUsers()).map(\.name) == ["frank"])
        #expect(try await fleet.client(uuid: olgas.uuid).userName == "olga")
    }

    @Test("an empty store names the fix")
    func noUsers() async throws {
        let fixture = try await StoreFixture.make(users: [])
        defer { fixture.remove() }
        await #expect {
            try await fixture.fleet.register(Registration(phoneNumber: "+4790066951", model: "56"))
        } throws: { error in
            guard case FleetError.noUsers = error else { return false }
            return error.localizedDescription.contains("syncfleet users add")
        }
    }

    @Test("delete is all or nothing")
    func delete() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let fleet = fixture.fleet
        let a = try await fleet.register(Registration(phoneNumber: "+4790000001", model: "112")).client
        let b = try await fleet.register(Registration(phoneNumber: "+4790000002", model: "112")).client
        await #expect {
            try await fleet.deleteClients(uuids: [a.uuid, "00000000-0000-0000-0000-000000000000"])
        } throws: { error in
            guard case FleetError.clientNotFound(let missing) = error else { return false }
            return missing == ["00000000-0000-0000-0000-000000000000"]
        }
        #expect(try await collect(fleet.clients()).count == 2)
        try await fleet.deleteClients(uuids: [a.uuid.uppercased()])
        #expect(try await collect(fleet.clients()).map(\.uuid) == [b.uuid])
        let orphans = try await fleet.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM clientDatastore WHERE clientID NOT IN (SELECT id FROM client)")
        }
        #expect(orphans == 0)
    }

    @Test("listings page through in registration order without gaps or repeats")
    func paging() async throws {
        let fixture = try await StoreFixture.make()
        defer { fixture.remove() }
        let fleet = fixture.fleet
        var registered: [String] = []
        for index in 0..<23 {
            registered.append(try await fleet.register(Registration(phoneNumber: "+47900\(String(format: "%05d", index))", model: "112")).client.uuid)
        }
        for pageSize in [1, 5, 22, 23, 24, 500] {
            #expect(try await collect(fleet.clients(pageSize: pageSize)).map(\.uuid) == registered)
        }
        #expect(try await collect(fleet.clients(limit: 7, pageSize: 3)).map(\.uuid) == Array(registered.prefix(7)))
        #expect(try await collect(fleet.clients(ClientFilter(phoneNumber: "+47 900 00003"))).map(\.uuid) == [registered[3]])
        #expect(try await fleet.clientsUpdated(ClientFilter()) == Date(timeIntervalSince1970: 1_237_300_315))
    }
}
