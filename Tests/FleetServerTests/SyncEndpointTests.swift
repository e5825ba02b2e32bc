import FleetKit
import FleetServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncML
import Testing

@Suite("SyncML endpoint over HTTP")
struct SyncEndpointTests {
    static func message(msgID: Int, cred: String?, body: String, device: String = "IMEI:490154203237518") -> ByteBuffer {
        let credElement = cred.map {
            "<Cred><Meta><Type xmlns='syncml:metinf'>syncml:auth-basic</Type><Format xmlns='syncml:metinf'>b64</Format></Meta><Data>\($0)</Data></Cred>"
        } ?? ""
        return ByteBuffer(string: """
            <SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>SyncML/1.2</VerProto><SessionID>7</SessionID>\
            <MsgID>\(msgID)</MsgID><Target><LocURI>http://127.0.0.1/sync</LocURI></Target><Source><LocURI>\(device)</LocURI></Source>\
            \(credElement)</SyncHdr><SyncBody>\(body)<Final/></SyncBody></SyncML>
            """)
    }

    static let alert = "<Alert><CmdID>1</CmdID><Data>201</Data><Item><Target><LocURI>Calendar</LocURI></Target><Source><LocURI>C:Calendar</LocURI></Source>"
        + "<Meta><Anchor xmlns='syncml:metinf'><Next>1</Next></Anchor></Meta></Item></Alert>"
    static let sync = "<Sync><CmdID>2</CmdID><Target><LocURI>Calendar</LocURI></Target><Source><LocURI>C:Calendar</LocURI></Source>"
        + "<Add><CmdID>3</CmdID><Meta><Type xmlns='syncml:metinf'>text/x-vcalendar</Type></Meta><Item><Source><LocURI>7</LocURI></Source>"
        + "<Data>BEGIN:VCALENDAR&#13;\nVERSION:1.0&#13;\nBEGIN:VEVENT&#13;\nSUMMARY:Dentist&#13;\nEND:VEVENT&#13;\nEND:VCALENDAR&#13;\n</Data></Item></Add></Sync>"

    @Test("POST /sync without API credentials: the RespURI token carries the session, and GET /datastores/ then lists the phone's datastore to its owner only")
    func sessionOverHTTP() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        let uuid = try await fixture.fleet.register(Registration(phoneNumber: "+4790981948", model: "56", imei: "490154203237518", user: "frank")).client.uuid
        _ = try await fixture.fleet.setCredentials(uuid: uuid, username: "frank-phone", password: "frank-sync-1")
        let cred = Data("frank-phone:frank-sync-1".utf8).base64EncodedString()
        try await fixture.app.test(.live) { client in
            let xml: HTTPFields = [.contentType: "application/vnd.syncml+xml; charset=UTF-8"]
            let first = try await client.execute(uri: "/sync", method: .post, headers: xml, body: Self.message(msgID: 1, cred: cred, body: Self.alert))
            #expect(first.status == .ok)
            #expect(first.headers[.contentType] == "application/vnd.syncml+xml")
            let text = String(buffer: first.body)
            #expect(text.contains("<Data>212</Data>"))
            let respURI = try #require(text.range(of: "<RespURI>").flatMap { start in
                text.range(of: "</RespURI>").map { String(text[start.upperBound..<$0.lowerBound]) }
            })
            #expect(respURI.contains("/sync?s="))
            // The first message sent again (its answer late): the same answer, no second session.
            let resent = try await client.execute(uri: "/sync", method: .post, headers: xml, body: Self.message(msgID: 1, cred: cred, body: Self.alert))
            #expect(String(buffer: resent.body) == text)
            let count = try await fixture.fleet.sessions(SessionFilter(), page: PageRequest(limit: 100)).items.count
            #expect(count == 1)

            let path = String(respURI[respURI.range(of: "/sync")!.lowerBound...])
            let second = try await client.execute(uri: path, method: .post, headers: xml, body: Self.message(msgID: 2, cred: nil, body: Self.sync))
            #expect(String(buffer: second.body).contains("<Cmd>Add</Cmd><SourceRef>7</SourceRef><Data>201</Data>"))

            let mine = try await client.execute(uri: APIFixture.base + "/datastores/Calendar", method: .get, headers: [.authorization: APIFixture.frank])
            #expect(mine.status == .ok)
            #expect(String(buffer: mine.body).contains(">C:Calendar</datastore>"))
            #expect(String(buffer: mine.body).contains("server=\"Calendar\""))
            let json = try await client.execute(uri: APIFixture.base + "/datastores/?client=\(uuid)&limit=5", method: .get,
                                                headers: [.authorization: APIFixture.frank, .accept: "application/json"])
            #expect(String(buffer: json.body).contains("\"local_uri\":\"C:Calendar\""))
            // A wrong password: a second, failed, session of frank's phone.
            let wrong = Data("frank-phone:not-it".utf8).base64EncodedString()
            let refused = try await client.execute(uri: "/sync", method: .post, headers: xml, body: Self.message(msgID: 1, cred: wrong, body: Self.alert))
            #expect(String(buffer: refused.body).contains("<Data>401</Data>"))
            // Sessions: an Atom feed with filters, paged with a next link.
            let sessions = try await client.execute(uri: APIFixture.base + "/sessions/?limit=1&client=\(uuid)", method: .get,
                                                    headers: [.authorization: APIFixture.frank])
            let feed = String(buffer: sessions.body)
            #expect(sessions.status == .ok)
            #expect(feed.contains("<title>SyncML Sessions</title>") && feed.contains("rel=\"next\""))
            #expect(feed.contains("<datastore dataclass=\"calendar\" local=\"C:Calendar\""))
            let failedOnly = try await client.execute(uri: APIFixture.base + "/sessions/?status=failed", method: .get,
                                                      headers: [.authorization: APIFixture.frank, .accept: "application/json"])
            #expect(String(buffer: failedOnly.body).contains("\"status\":\"failed\"") && !String(buffer: failedOnly.body).contains("\"status\":\"ok\""))
            let extreme = try await client.execute(uri: APIFixture.base + "/sessions/-9223372036854775808", method: .get,
                                                   headers: [.authorization: APIFixture.frank])
            #expect(extreme.status == .notFound)
            let badDataclass = try await client.execute(uri: APIFixture.base + "/datastores/?dataclass=bogus", method: .get,
                                                        headers: [.authorization: APIFixture.frank])
            #expect(badDataclass.status == .badRequest)
            let badFilter = try await client.execute(uri: APIFixture.base + "/sessions/?since=yesterday", method: .get,
                                                     headers: [.authorization: APIFixture.frank])
            #expect(badFilter.status == .badRequest)
            let others = try await client.execute(uri: APIFixture.base + "/datastores/", method: .get, headers: [.authorization: APIFixture.admin])
            #expect(String(buffer: others.body).contains("C:Calendar"), "administrators see every phone's")
            _ = try await fixture.fleet.addUser(NewUser(name: "gina", email: "g@example.com", password: "gina-password", isAdmin: false))
            let gina = "Basic " + Data("gina:gina-password".utf8).base64EncodedString()
            let hidden = try await client.execute(uri: APIFixture.base + "/datastores/", method: .get, headers: [.authorization: gina])
            #expect(!String(buffer: hidden.body).contains("C:Calendar"), "another user sees none of frank's")

            // No SyncML: 400 with the reason; another media type: 415; an expired token: SyncML 408.
            let garbage = try await client.execute(uri: "/sync", method: .post, headers: xml, body: ByteBuffer(string: "<oops"))
            #expect(garbage.status == .badRequest)
            let plain = try await client.execute(uri: "/sync", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "hi"))
            #expect(plain.status == .unsupportedMediaType)
            let lost = try await client.execute(uri: "/sync?s=unknown", method: .post, headers: xml, body: Self.message(msgID: 3, cred: nil, body: ""))
            #expect(String(buffer: lost.body).contains("<Data>408</Data>"))
        }
    }
}
