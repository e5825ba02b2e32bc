import FleetKit
import FleetServer
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Every request printed in the ObexCode document, replayed against a real server on 127.0.0.1
/// (with credentials added, and the body's real length), checked for status, content type and
/// the Atom structure of the document's own responses.
@Suite("The seed document's requests")
struct SeedReplayTests {
    static let seedDirectory: URL = {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Tests/Fixtures/seed")
    }()

    /// A printed request: method, path, headers as printed, body.
    struct PrintedRequest {
        var method: HTTPRequest.Method
        var path: String
        var headers: [(String, String)]
        var body: String

        init(_ name: String) throws {
            let text = try String(contentsOf: SeedReplayTests.seedDirectory.appendingPathComponent(name + ".http"), encoding: .utf8)
            let parts = text.components(separatedBy: "\n\n")
            var lines = parts[0].split(separator: "\n").map(String.init)
            let requestLine = lines.removeFirst().split(separator: " ")
            method = HTTPRequest.Method(String(requestLine[0]))!
            path = String(requestLine[1])
            headers = lines.map { line in
                let colon = line.firstIndex(of: ":")!
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            body = parts.count > 1 ? parts[1...].joined(separator: "\n\n").trimmingCharacters(in: .newlines) : ""
        }

        var fields: HTTPFields {
            var fields = HTTPFields()
            for (name, value) in headers where name.lowercased() != "content-length" {
                fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
            }
            fields[.authorization] = APIFixture.admin
            return fields
        }
    }

    /// The set of (namespace, path) of the elements of an XML document, and its attributes' paths.
    static func structure(_ xml: String) throws -> Set<String> {
        final class Walker: NSObject, XMLParserDelegate {
            var stack: [String] = []
            var paths: Set<String> = []
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                        qualifiedName qName: String?, attributes: [String: String] = [:]) {
                stack.append("{\(namespaceURI ?? "")}\(elementName)")
                let path = stack.joined(separator: "/")
                paths.insert(path)
                for name in attributes.keys where !name.hasPrefix("xmlns") { paths.insert(path + "@" + name) }
            }
            func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
                stack.removeLast()
            }
        }
        let walker = Walker()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = walker
        guard parser.parse() else { throw XMLStructureError(xml: xml) }
        return walker.paths
    }

    struct XMLStructureError: Error { var xml: String }

    static func printedResponse(_ name: String) throws -> String {
        try String(contentsOf: seedDirectory.appendingPathComponent(name + ".response.xml"), encoding: .utf8)
    }

    @Test("each request answers as the document says")
    func replay() async throws {
        let fixture = try await APIFixture()
        defer { fixture.remove() }
        // The clients the document's requests name, with their ids (as a migration would bring them).
        for (uuid, phone, model, zone) in [
            ("2fb295cc-0e50-11de-81c8-002215064801", "+4790981948", "112", "Europe/Oslo"),
            ("bfb81234-30a9-11de-b930-002215064801", "+4790066951", "56", "Europe/Oslo"),
            ("3fe85584-12d9-11de-b2ce-002215064801", "+4790066951", "242", "Europe/Oslo"),
            ("51d49c2c-3006-11de-afd4-002215064801", "+4790066952", "242", "Europe/Oslo"),
        ] {
            _ = try await fixture.fleet.register(Registration(phoneNumber: phone, model: model, timezone: zone, user: "admin", uuid: uuid))
        }
        try await fixture.app.test(.live) { client in
            func send(_ name: String) async throws -> TestResponse {
                let request = try PrintedRequest(name)
                return try await client.execute(uri: request.path, method: request.method, headers: request.fields,
                                                body: request.body.isEmpty ? nil : ByteBuffer(string: request.body))
            }
            let list = try await send("list-clients")
            #expect(list.status == .ok)
            #expect(list.headers[.contentType] == "application/atom+xml")
            #expect(try Self.structure(String(buffer: list.body)) == Self.structure(try Self.printedResponse("list-clients")))
            #expect(String(buffer: list.body).contains("<id>http://api.obexcode.com/v2/services/syncml/2fb295cc-0e50-11de-81c8-002215064801</id>"))

            let show = try await send("show-client")
            #expect(show.status == .ok)
            #expect(show.headers[.contentType] == "application/atom+xml")
            #expect(try Self.structure(String(buffer: show.body)) == Self.structure(try Self.printedResponse("show-client")))
            #expect(String(buffer: show.body).contains("<title>Nokia 6233</title>"))

            let create = try await send("create-client")
            #expect(create.status == .created)
            #expect(create.headers[.contentType] == "application/atom+xml")
            #expect(create.headers[.location]?.hasPrefix("http://api.obexcode.com/v2/services/syncml/") == true)
            // Our entry also lists the model's default datastores; everything the document shows is there.
            #expect(try Self.structure(String(buffer: create.body)).isSuperset(of: Self.structure(try Self.printedResponse("create-client"))))
            #expect(String(buffer: create.body).contains("<title>Nokia 6233</title>"))

            let delete = try await send("delete-client")
            #expect(delete.status == .ok)
            #expect(try await send("show-client").status == .notFound)

            let setup = try await send("setup")
            #expect(setup.status == .created)
            #expect(setup.headers[.contentType] == "application/atom+xml")
            #expect(try Self.structure(String(buffer: setup.body)) == Self.structure(try Self.printedResponse("setup")))
            #expect(String(buffer: setup.body).contains("/v2/services/syncml/51d49c2c-3006-11de-afd4-002215064801/setup/1/</id>"))

            let sync = try await send("sync")
            #expect(sync.status == .ok)
            #expect(sync.headers[.contentType] == "application/atom+xml")
            #expect(sync.body.readableBytes == 0)
        }
    }
}
