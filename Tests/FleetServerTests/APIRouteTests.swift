import FleetKit
import FleetServer
import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import Testing

/// A store with an administrator, a user and the sample catalogue, and the API over it.
struct APIFixture {
    let directory: URL
    let fleet: LocalFleet
    let app: Application<RouterResponder<FleetRequestContext>>

    static let base = "/v2/services/syncml"
    static let admin = "Basic " + Data("admin:admin-password".utf8).base64EncodedString()
    static let frank = "Basic " + Data("frank:frank-password".utf8).base64EncodedString()

    init(clock: @escaping @Sendable () -> Date = { Date() }) async throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        fleet = try LocalFleet.open(path: directory.appendingPathComponent("fleet.sqlite").path, mode: .createIfMissing, clock: clock)
        _ = try await fleet.addUser(NewUser(name: "admin", email: "support@obexcode.com", password: "admin-password", isAdmin: true))
        _ = try await fleet.addUser(NewUser(name: "frank", email: "frank@example.com", password: "frank-password", isAdmin: false))
        _ = try await fleet.importModels(ModelCatalog.read(path: root.appendingPathComponent("samples/models.csv").path))
        // Request lines and server notices would only clutter the test output.
        var quiet = Logger(label: "syncfleet.tests")
        quiet.logLevel = .warning
        let server = APIServer(backend: fleet, baseURL: "http://api.obexcode.com/v2/services/syncml/",
                               sync: SyncEndpoint(store: fleet, logger: quiet), logger: quiet)
        app = Application(router: server.router(), logger: quiet)
    }

    func remove() {
        try? fleet.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The seed's create request body.
    static func createBody(phone: String = "+4798765432", model: String = "02978288-537f-102b-beff-000ea60275d1") -> ByteBuffer {
        ByteBuffer(string: """
            <entry xmlns="http://www.w3.org/2005/Atom" xmlns:oc="http://schemas.obexcode.com/syncserver/2009">
              <oc:client>
                <oc:phone_number>\(phone)</oc:phone_number>
                <oc:model_uuid>\(model)</oc:model_uuid>
                <oc:timezone>Europe/Paris</oc:timezone>
              </oc:client>
            </entry>
            """)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

@Suite("API routes")
struct APIRouteTests {
    @Test("GET /pushes/ and /status: bad filters and an unknown or another user's client are 400/404 before any body; a user sees only their own")
    func pushesRoutes() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.router) { client in
            let created = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: [.authorization: APIFixture.admin],
                                                   body: APIFixture.createBody())
            let uuid = String(try #require(created.headers[.location]).split(separator: "/").last!)
            let setup = ByteBuffer(string: "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:oc=\"http://schemas.obexcode.com/syncserver/2009\"><oc:pincode>1234</oc:pincode></entry>")
            #expect(try await client.execute(uri: APIFixture.base + "/\(uuid)/setup/", method: .post, headers: [.authorization: APIFixture.admin],
                                             body: setup).status == .created)
            let json: HTTPFields = [.authorization: APIFixture.admin, .accept: "application/json"]
            let all = try await client.execute(uri: APIFixture.base + "/pushes/", method: .get, headers: json)
            #expect(all.status == .ok && all.text.contains("\"status\":\"queued\"") && all.text.contains(uuid))
            for path in ["/pushes/?client=00000000-0000-4000-8000-000000000000", "/pushes/?client=\(uuid)&limit=5"] {
                let frank = try await client.execute(uri: APIFixture.base + path, method: .get, headers: [.authorization: APIFixture.frank])
                #expect(frank.status == .notFound, "\(path) for another user")
            }
            #expect(try await client.execute(uri: APIFixture.base + "/pushes/?status=lost", method: .get, headers: json).status == .badRequest)
            #expect(try await client.execute(uri: APIFixture.base + "/pushes/?kind=sms", method: .get, headers: json).status == .badRequest)
            #expect(try await client.execute(uri: APIFixture.base + "/?synced_since=yesterday", method: .get, headers: json).status == .badRequest)
            let franksPushes = try await client.execute(uri: APIFixture.base + "/pushes/", method: .get,
                                                        headers: [.authorization: APIFixture.frank, .accept: "application/json"])
            #expect(franksPushes.status == .ok && !franksPushes.text.contains(uuid))
            let status = try await client.execute(uri: APIFixture.base + "/status", method: .get, headers: json)
            #expect(status.status == .ok && status.text.contains("\"registered\":1"))
            let franksStatus = try await client.execute(uri: APIFixture.base + "/status", method: .get,
                                                        headers: [.authorization: APIFixture.frank, .accept: "application/json"])
            #expect(franksStatus.text == "[]" || !franksStatus.text.contains("\"registered\":1"))
        }
    }

    @Test("no or wrong credentials: 401 with a Basic challenge")
    func authentication() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.router) { client in
            let none = try await client.execute(uri: APIFixture.base + "/", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            let wrong = "Basic " + Data("admin:guess".utf8).base64EncodedString()
            #expect(try await client.execute(uri: APIFixture.base + "/", method: .get, headers: [.authorization: wrong]).status == .unauthorized)
            let garbage: HTTPFields = [.authorization: "Basic !!!"]
            #expect(try await client.execute(uri: APIFixture.base + "/", method: .get, headers: garbage).status == .unauthorized)
            #expect(try await client.execute(uri: APIFixture.base + "/", method: .get, headers: [.authorization: APIFixture.admin]).status == .ok)
        }
    }

    @Test("create: 201 with Location and the seed's entry; again: 200 with the same client")
    func create() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.router) { client in
            let created = try await client.execute(uri: APIFixture.base + "/", method: .post,
                                                   headers: [.authorization: APIFixture.admin, .contentType: "application/atom+xml"],
                                                   body: APIFixture.createBody())
            #expect(created.status == .created)
            #expect(created.headers[.contentType] == "application/atom+xml")
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("http://api.obexcode.com/v2/services/syncml/"))
            #expect(created.text.contains("<title>Nokia 6233</title>"))
            #expect(created.text.contains("<model_uuid>02978288-537f-102b-beff-000ea60275d1</model_uuid>"))
            #expect(created.text.contains("<timezone>Europe/Paris</timezone>"))
            #expect(created.text.contains("<setup sent=\"\" />"))
            let again = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: [.authorization: APIFixture.admin],
                                                 body: APIFixture.createBody())
            #expect(again.status == .ok)
            #expect(again.headers[.location] == location)
            let uuid = String(location.split(separator: "/").last!)
            let entry = try await client.execute(uri: APIFixture.base + "/" + uuid, method: .get, headers: [.authorization: APIFixture.admin])
            #expect(entry.status == .ok)
            #expect(entry.text.hasPrefix("<entry xmlns=\"http://www.w3.org/2005/Atom\">"))
            let json = try await client.execute(uri: APIFixture.base + "/" + uuid, method: .get,
                                                headers: [.authorization: APIFixture.admin, .accept: "application/json"])
            #expect(json.headers[.contentType] == "application/json")
            let object = try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [String: Any]
            #expect(object?["uuid"] as? String == uuid)
        }
    }

    @Test("the default namespace form of the entry works as the prefixed one")
    func defaultNamespace() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.router) { client in
            let body = ByteBuffer(string: """
                <entry xmlns="http://www.w3.org/2005/Atom"><title>ignored</title>
                  <client xmlns="http://schemas.obexcode.com/syncserver/2009"><phone_number>+4790981948</phone_number>
                  <model_uuid>112</model_uuid><unknown>ignored</unknown></client></entry>
                """)
            let response = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: [.authorization: APIFixture.frank], body: body)
            #expect(response.status == .created)
            #expect(response.text.contains("<name>frank</name>"))
        }
    }

    @Test("users see only their own phones: another user's client is 404; administrators see all")
    func isolation() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.router) { client in
            let created = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: [.authorization: APIFixture.admin],
                                                   body: APIFixture.createBody())
            let uuid = String(try #require(created.headers[.location]).split(separator: "/").last!)
            #expect(try await client.execute(uri: APIFixture.base + "/" + uuid, method: .get, headers: [.authorization: APIFixture.frank]).status == .notFound)
            #expect(try await client.execute(uri: APIFixture.base + "/" + uuid, method: .delete, headers: [.authorization: APIFixture.frank]).status == .notFound)
            #expect(try await client.execute(uri: APIFixture.base + "/" + uuid + "/setup/", method: .post, headers: [.authorization: APIFixture.frank],
                                             body: ByteBuffer(string: "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:oc=\"http://schemas.obexcode.com/syncserver/2009\"><oc:pincode>1</oc:pincode></entry>")).status == .notFound)
            let franksFeed = try await client.execute(uri: APIFixture.base + "/", method: .get, headers: [.authorization: APIFixture.frank])
            #expect(!franksFeed.text.contains(uuid))
            _ = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: [.authorization: APIFixture.frank],
                                         body: APIFixture.createBody(phone: "+4790000001", model: "112"))
            let adminFeed = try await client.execute(uri: APIFixture.base + "/", method: .get, headers: [.authorization: APIFixture.admin])
            #expect(adminFeed.text.components(separatedBy: "<entry>").count == 3)
            #expect(try await client.execute(uri: APIFixture.base + "/sessions/1/chatlog/", method: .get, headers: [.authorization: APIFixture.frank]).status == .forbidden)
            #expect(try await client.execute(uri: APIFixture.base + "/" + uuid, method: .delete, headers: [.authorization: APIFixture.admin]).status == .ok)
            #expect(try await client.execute(uri: APIFixture.base + "/" + uuid, method: .get, headers: [.authorization: APIFixture.admin]).status == .notFound)
        }
    }

    @Test("setup: 201 with the generated id, pincode and setup; sync: 200 and empty; both recorded")
    func setupAndSync() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.router) { client in
            let created = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: [.authorization: APIFixture.admin],
                                                   body: APIFixture.createBody())
            let uuid = String(try #require(created.headers[.location]).split(separator: "/").last!)
            let setup = try await client.execute(
                uri: APIFixture.base + "/\(uuid)/setup/", method: .post, headers: [.authorization: APIFixture.admin],
                body: ByteBuffer(string: """
                    <entry xmlns="http://www.w3.org/2005/Atom"
                           xmlns:oc="http://schemas.obexcode.com/syncserver/2009">
                      <oc:pincode>1234</oc:pincode>
                    </entry>
                    """))
            #expect(setup.status == .created)
            #expect(setup.text.contains("<id>http://api.obexcode.com/v2/services/syncml/\(uuid)/setup/1/</id>"))
            #expect(setup.text.contains("<oc:pincode>1234</oc:pincode>"))
            #expect(setup.text.contains("<oc:setup sent=\"\">SyncServer</oc:setup>"))
            let sync = try await client.execute(uri: APIFixture.base + "/\(uuid)/sync/", method: .post, headers: [.authorization: APIFixture.admin])
            #expect(sync.status == .ok)
            #expect(sync.body.readableBytes == 0)
            let entry = try await client.execute(uri: APIFixture.base + "/" + uuid, method: .get, headers: [.authorization: APIFixture.admin])
            #expect(entry.text.contains("<setup sent=\"\">SyncServer</setup>"))
            let badPin = try await client.execute(uri: APIFixture.base + "/\(uuid)/setup/", method: .post, headers: [.authorization: APIFixture.admin],
                                                  body: ByteBuffer(string: "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:oc=\"http://schemas.obexcode.com/syncserver/2009\"><oc:pincode>12a4</oc:pincode></entry>"))
            #expect(badPin.status == .badRequest)
            #expect(badPin.text.contains("pincode"))
        }
    }

    @Test("bad requests: 400 with a reason, hostile XML refused, 405 with Allow, 413, 404")
    func badRequests() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        try await fixture.app.test(.router) { client in
            let auth: HTTPFields = [.authorization: APIFixture.admin]
            let broken = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: auth, body: ByteBuffer(string: "<entry><oops"))
            #expect(broken.status == .badRequest)
            #expect(broken.text.contains("not well-formed"))
            let notAtom = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: auth, body: ByteBuffer(string: "<client/>"))
            #expect(notAtom.status == .badRequest)
            #expect(notAtom.text.contains("not an Atom <entry>"))
            let laughs = """
                <?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <entry xmlns="http://www.w3.org/2005/Atom">&b;</entry>
                """
            let hostile = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: auth, body: ByteBuffer(string: laughs))
            #expect(hostile.status == .badRequest)
            let external = "<!DOCTYPE e SYSTEM \"file:///etc/passwd\"><entry xmlns=\"http://www.w3.org/2005/Atom\"/>"
            let ext = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: auth, body: ByteBuffer(string: external))
            #expect(ext.status == .badRequest)
            #expect(!ext.text.contains("root:"))
            let invalid = try await client.execute(uri: APIFixture.base + "/", method: .post, headers: auth,
                                                   body: APIFixture.createBody(phone: "90981948"))
            #expect(invalid.status == .badRequest)
            #expect(invalid.text.contains("country code is missing"))
            let put = try await client.execute(uri: APIFixture.base + "/00000000-0000-4000-8000-000000000000", method: .put, headers: auth)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, DELETE")
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 200_000)
            #expect(try await client.execute(uri: APIFixture.base + "/", method: .post, headers: auth, body: big).status == .contentTooLarge)
            #expect(try await client.execute(uri: APIFixture.base + "/nothing/here/at/all", method: .get, headers: auth).status == .notFound)
            #expect(try await client.execute(uri: "/elsewhere", method: .get, headers: auth).status == .notFound)
            #expect(try await client.execute(uri: APIFixture.base + "/datastores/Agenda", method: .get, headers: auth).status == .notFound)
        }
    }

    @Test("a real server on 127.0.0.1 streams the feed and the datastore links resolve")
    func live() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        for index in 0..<50 {
            _ = try await fixture.fleet.register(Registration(phoneNumber: "+47900\(String(format: "%05d", index))", model: "56", user: "frank"))
        }
        try await fixture.app.test(.live) { client in
            let feed = try await client.execute(uri: APIFixture.base + "/", method: .get, headers: [.authorization: APIFixture.frank])
            #expect(feed.status == .ok)
            #expect(feed.text.components(separatedBy: "<entry>").count == 51)
            #expect(feed.text.hasSuffix("</feed>\n"))
            // Datastores appear on a phone's first sync (SyncEndpointTests); none has synced yet.
            let stores = try await client.execute(uri: APIFixture.base + "/datastores/Notes", method: .get, headers: [.authorization: APIFixture.frank])
            #expect(stores.status == .ok)
            #expect(stores.text.contains("<title>SyncML Datastores</title>") && !stores.text.contains("<entry>"))
            let sessions = try await client.execute(uri: APIFixture.base + "/sessions/", method: .get, headers: [.authorization: APIFixture.frank])
            #expect(sessions.status == .ok)
            #expect(sessions.text.contains("<title>SyncML Sessions</title>"))
        }
    }
}
