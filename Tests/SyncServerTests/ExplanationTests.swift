import FleetKit
import Foundation
import SyncML
import Testing

@Suite("sessions explain")
struct ExplanationTests {
    func explain(_ phone: SyncHarness, session: Int64) async throws -> String {
        let summary = try await phone.fleet.session(id: session)
        let chatlog = try await collect(phone.fleet.chatlog(sessionID: session))
        return SessionExplanation(session: summary, chatlog: chatlog).text
    }

    @Test("refused items both ways, an unknown datastore, a first sync's 508 and an unsupported command, each cited")
    func findings() async throws {
        var phone = try await SyncHarness.make()
        defer { phone.remove() }
        _ = try await phone.start(201, next: "1")
        _ = try await phone.exchange(Snippet.item("Add", luid: "1", data: Snippet.vcard("Ann")))
        var tablet = try await phone.secondPhone()
        let alerts = Snippet.alert(200, target: "contacts", source: "./c", next: "t1") + Snippet.alert(200, target: "./Bookmarks", source: "./b", next: "1")
        _ = try await tablet.send(tablet.message(alerts, cred: tablet.basicCred))
        let bad = Snippet.item("Add", luid: "x", data: "garbage") + Snippet.item("Add", luid: "y", data: "more garbage")
            + "<Copy><CmdID>\(Snippet.nextID())</CmdID><Item><Source><LocURI>x</LocURI></Source></Item></Copy>"
        let answer = try await tablet.send(tablet.message(Snippet.sync(bad, source: "./c")))
        // The tablet refuses the server's Add of Ann (device full).
        let refusal = answer.acknowledgement(code: 420)
        _ = try await tablet.send(tablet.message(refusal))

        let text = try await explain(tablet, session: 2)
        #expect(text.contains("508 for the Alert of contacts"))
        #expect(text.contains("first sync of the datastore"))
        #expect(text.contains("the server refused the phone's Alert") && text.contains("(./Bookmarks) with 404"))
        #expect(text.contains("The server refused 2 of the phone's Add commands with 415"))
        #expect(text.contains("the server refused the phone's Copy") && text.contains("406"))
        #expect(text.contains("The phone refused 1 of the server's Add commands with 420"))
        #expect(text.contains("two-way asked, slow done (unexpected slow sync"))
        #expect(text.contains("Verdict: failed"))
        let ok = try await explain(phone, session: 1)
        #expect(ok.contains("Verdict: the session completed."))
        #expect(ok.contains("slow sync; from the phone +1 ~0 -0"))
    }
}

func collect<S: AsyncSequence>(_ sequence: S) async throws -> [S.Element] {
    var items: [S.Element] = []
    for try await item in sequence { items.append(item) }
    return items
}
