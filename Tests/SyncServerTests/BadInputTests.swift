import Foundation
import SyncML
import Testing
import TestSupport
import WBXML

@Suite("SyncML server: bad input")
struct BadInputTests {
    @Test("what is not SyncML gets HTTP 400 or 415 with the reason, and a failed session records it")
    func unreadable() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        let cases: [([UInt8], String?, Int, String)] = [
            (Array("<SyncML><SyncHdr>".utf8), "application/vnd.syncml+xml", 400, "not well-formed"),
            (Array("<html/>".utf8), "application/vnd.syncml+xml; charset=UTF-8", 400, "not a SyncML message"),
            ([0x03, 0x01, 0x6A, 0x00, 0x45, 0x99], "application/vnd.syncml+wbxml", 400, "WBXML"),
            (Array("<SyncML><SyncBody/></SyncML>".utf8), nil, 400, "no SyncHdr"),
            (Array("hello".utf8), "text/plain", 415, "Content-Type"),
            (Array("<!DOCTYPE x [<!ENTITY a 'b'>]><SyncML/>".utf8), "application/vnd.syncml+xml", 400, "entities cannot be declared"),
        ]
        for (bytes, type, status, reason) in cases {
            phone.state = nil
            let response = try await phone.sendRaw(bytes, contentType: type)
            #expect(response.exchange.httpStatus == status)
            #expect(String(decoding: response.bytes, as: UTF8.self).contains(reason), "\(reason)")
        }
        let sessions = try SessionRecords(phone).sessions()
        #expect(sessions.count == cases.count)
        #expect(sessions.allSatisfy { $0["status"] as String? == "failed" && ($0["error"] as String?) != nil })
    }

    @Test("SyncML with faults gets SyncML statuses: 505 for VerDTD, 408 for a lost session, 404 for one unknown datastore only, 406/400 for commands")
    func statuses() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        phone.version = "3.0"
        let version = try await phone.send(phone.message(Snippet.alert(200, next: "1"), cred: phone.basicCred))
        #expect(version.headerStatus == 505)
        phone.version = "1.2"

        phone.newSession()
        phone.messageID = 4
        let lost = try await phone.send(phone.message(Snippet.alert(200, next: "1"), cred: phone.basicCred))
        #expect(lost.headerStatus == 408)

        phone.newSession()
        let alerts = Snippet.alert(200, target: "card", source: "./c", next: "1") + Snippet.alert(200, target: "./Bookmarks", source: "./b", next: "1")
        let mixed = try await phone.send(phone.message(alerts, cred: phone.basicCred))
        #expect(mixed.statuses("Alert") == [508, 404])
        #expect(mixed.alerts.count == 1)

        let commands = Snippet.item("Add", luid: "1", data: "not a card at all") + Snippet.item("Add", luid: "2", data: Snippet.vcard("X"), type: "image/png")
            + "<Copy><CmdID>\(Snippet.nextID())</CmdID><Item><Source><LocURI>1</LocURI></Source></Item></Copy>"
            + "<Frobnicate><CmdID>\(Snippet.nextID())</CmdID></Frobnicate>"
            + Snippet.item("Delete", luid: "nope")
        let answer = try await phone.send(phone.message(Snippet.sync(commands, target: "card", source: "./c")))
        #expect(answer.statuses("Add") == [415, 415])
        #expect(answer.statuses("Copy") == [406])
        #expect(answer.statuses("Frobnicate") == [400])
        #expect(answer.statuses("Delete") == [211])
        let sync = try await phone.send(phone.message(Snippet.sync("", target: "./Bookmarks")))
        #expect(sync.statuses("Sync").first == 404)

        let records = try SessionRecords(phone)
        let session = try #require(try records.sessions().last)
        let stores = try records.datastores(session: session["id"])
        #expect(stores.map { $0["status"] as Int? } == [508, 404])
        #expect(stores.first?["rejectedIn"] as Int? == 4)
        #expect(session["status"] as String? == "failed")
        #expect((session["error"] as String?)?.contains("Bookmarks") == true)
    }

    @Test("a message sent again gets the same answer; abandoned sessions are recorded as failed")
    func resendAndAbandon() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        let first = try await phone.start(201, next: "1")
        phone.messageID -= 1
        let again = try await phone.send(phone.message(Snippet.alert(201, next: "1"), cred: phone.basicCred))
        #expect(again.bytes == first.bytes)
        var state = try #require(phone.state)
        let record = state.abandon(now: Date(), timeout: 300)
        #expect(record.status == .failed)
        #expect(record.error?.contains("abandoned") == true)
    }

    @Test("random bytes and mutated messages never crash the engine: each gets an answer")
    func mutations() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        let base = Array(phone.message(Snippet.alert(201, next: "1") + Snippet.sync(Snippet.item("Add", luid: "1", data: Snippet.vcard("A"))),
                                       cred: phone.basicCred).utf8)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            var bytes = base
            for _ in 0..<(1 + round % 8) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            phone.state = nil
            let response = try await phone.sendRaw(bytes, contentType: round % 2 == 0 ? "application/vnd.syncml+xml" : nil)
            #expect([200, 400, 415].contains(response.exchange.httpStatus))
        }
    }
}

@Suite("SyncML server: WBXML")
struct WBXMLSessionTests {
    @Test("a WBXML session: answers in WBXML that libwbxml's wbxml2xml reads, DevInf as a nested document")
    func wbxmlSession() async throws {
        guard Oracle.available() else { return }
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        phone.encoding = .wbxml
        let get = "<Get><CmdID>\(Snippet.nextID())</CmdID><Meta><Type xmlns='syncml:metinf'>application/vnd.syncml-devinf+xml</Type></Meta><Item><Target><LocURI>./devinf12</LocURI></Target></Item></Get>"
        let first = try await phone.start(201, next: "1", extra: get)
        #expect(first.exchange.contentType == "application/vnd.syncml+wbxml")
        #expect(first.headerStatus == 212)
        let xml = String(decoding: try Oracle.run("wbxml2xml", input: first.bytes), as: UTF8.self)
        #expect(xml.contains("<Man>SyncFleet</Man>"))
        #expect(xml.contains("<Data>201</Data>"))
        let (_, last, _) = try await phone.exchange(Snippet.item("Add", luid: "1", data: Snippet.vcard("Wendy")))
        #expect(last.statuses("Add") == [201])
        let decoded = String(decoding: try Oracle.run("wbxml2xml", input: last.bytes), as: UTF8.self)
        #expect(decoded.contains("<Final/>"))
        let session = try #require(try SessionRecords(phone).sessions().first)
        #expect(session["encoding"] as String? == "wbxml")
        #expect(session["status"] as String? == "ok")
        let chatlog = try SessionRecords(phone).chatlog(session: session["id"])
        #expect(chatlog.allSatisfy { ($0["xml"] as String?)?.contains("<SyncML") == true })
    }
}
