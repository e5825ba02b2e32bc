import Foundation
import Testing
@testable import FleetKit
#if canImport(FoundationXML)
import FoundationXML
#endif

private let sample = Client(
    uuid: "2fb295cc-0e50-11de-81c8-002215064801", userID: 1, userName: "admin", userEmail: "support@obexcode.com",
    title: "Nokia 5310 XpressMusic", phoneNumber: "+4790981948", modelUUID: "112", imei: nil, timezone: "Europe/Oslo",
    datastores: [DatastoreBinding(dataclass: .calendar, name: "Calendar"), DatastoreBinding(dataclass: .contacts, name: "Con;tacts, \"A&B\"")],
    setup: SetupRecord(name: "SyncServer", sent: Timestamp.parse("2009-03-13T13:25:43Z")),
    published: Timestamp.parse("2009-03-11T16:20:42Z")!, updated: Timestamp.parse("2009-03-13T13:25:43Z")!)

@Suite("Output")
struct OutputTests {
    func render(_ format: OutputFormat, shape: RecordWriter<Client>.Shape = .list, _ clients: [Client]) throws -> String {
        let sink = OutputSink.memory()
        let writer = RecordWriter<Client>(format: format, sink: sink, shape: shape,
                                          atom: AtomContext(baseURL: "http://api.obexcode.com/v2/services/syncml"),
                                          feedUpdated: clients.map(\.updated).max())
        for client in clients { try writer.write(client) }
        try writer.finish()
        return sink.capturedText
    }

    @Test("timestamps format and parse as RFC 3339 and the seed's setup form")
    func timestamps() throws {
        let date = try #require(Timestamp.parse("2009-03-13T13:25:43Z"))
        #expect(Timestamp.rfc3339(date) == "2009-03-13T13:25:43Z")
        #expect(Timestamp.setupForm(date) == "2009-03-13 13:25:43")
        #expect(Timestamp.parse("2009-03-13 13:25:43") == date)
        #expect(Timestamp.parse("2009-03-13T15:25:43+02:00") == date)
        #expect(Timestamp.parse("2009-03-13T13:25:43.250Z") == date.addingTimeInterval(0.25))
        #expect(Timestamp.rfc3339Milliseconds(date.addingTimeInterval(0.25)) == "2009-03-13T13:25:43.250Z")
        #expect(Timestamp.rfc3339(date.addingTimeInterval(0.25)) == "2009-03-13T13:25:43Z")
        #expect(Timestamp.rfc3339(Timestamp.parse("2000-02-29")!) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.parse("2009-13-01") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
        for seconds in stride(from: -86_400 * 800, to: 86_400 * 40_000, by: 86_399 * 37) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(Timestamp.parse(Timestamp.rfc3339(date)) == date)
        }
    }

    @Test("csv quotes what it must and keeps the documented columns")
    func csv() throws {
        let text = try render(.csv, [sample])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "uuid,title,user_id,user,user_email,phone_number,model_uuid,imei,timezone,datastores,setup,setup_sent,published,updated")
        #expect(lines[1] == "2fb295cc-0e50-11de-81c8-002215064801,Nokia 5310 XpressMusic,1,admin,support@obexcode.com,+4790981948,112,,Europe/Oslo,\"Calendar=Calendar;Contacts=Con\\;tacts, \"\"A&B\"\"\",SyncServer,2009-03-13T13:25:43Z,2009-03-11T16:20:42Z,2009-03-13T13:25:43Z")
        #expect(try DatastoreBinding.parseList("Calendar=Calendar;Contacts=Con\\;tacts, \"A&B\"") == sample.datastores)
    }

    @Test("json is an array, ndjson a line per record, both parse back")
    func json() throws {
        let array = try render(.json, [sample, sample])
        let parsed = try JSONSerialization.jsonObject(with: Data(array.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?.first?["phone_number"] as? String == "+4790981948")
        #expect((parsed?.first?["setup"] as? [String: Any])?["sent"] as? String == "2009-03-13T13:25:43Z")
        #expect(parsed?.first?["imei"] is NSNull)
        #expect(try render(.json, []) == "[]\n")
        let lines = try render(.ndjson, [sample, sample]).split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines { #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any]) }
        #expect(JSONValue.string("a\u{1}\"\\\n").serialized() == "\"a\\u0001\\\"\\\\\\n\"")
    }

    @Test("atom: the seed's feed shape, namespaces and escaping")
    func atom() throws {
        let feed = try render(.atom, [sample])
        #expect(feed.hasPrefix("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <author>\n    <name>SyncFleet</name>\n  </author>\n  <id>http://api.obexcode.com/v2/services/syncml/</id>\n"))
        #expect(feed.contains("  <updated>2009-03-13T13:25:43Z</updated>\n  <entry>\n"))
        #expect(feed.contains("      <setup sent=\"2009-03-13 13:25:43\">SyncServer</setup>\n"))
        #expect(feed.contains("<datastore dataclass=\"Contacts\" href=\"http://api.obexcode.com/v2/services/syncml/datastores/Contacts\">Con;tacts, &quot;A&amp;B&quot;</datastore>"))
        #expect(feed.contains("      <imei />\n"))
        // Well-formed, with the client elements in the ObexCode namespace.
        let collector = ElementCollector()
        let parser = XMLParser(data: Data(feed.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.elements.first == "http://www.w3.org/2005/Atom feed")
        #expect(collector.elements.contains("http://schemas.obexcode.com/syncserver/2009 phone_number"))
        #expect(collector.elements.contains("http://www.w3.org/2005/Atom published"))

        let entry = try render(.atom, shape: .single, [sample])
        #expect(entry.hasPrefix("<entry xmlns=\"http://www.w3.org/2005/Atom\">\n  <author>\n"))
        #expect(entry.hasSuffix("  </client>\n</entry>\n"))
    }

    @Test("table sizes its columns; tsv has no header and no padding")
    func table() throws {
        let table = try render(.table, [sample])
        let lines = table.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("UUID                                  MODEL"))
        let tsv = try render(.tsv, [sample])
        #expect(tsv == "2fb295cc-0e50-11de-81c8-002215064801\tNokia 5310 XpressMusic\t+4790981948\t-\tEurope/Oslo\tadmin\tSyncServer (2009-03-13 13:25:43)\t2009-03-11T16:20:42Z\n")
    }
}

final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append("\(namespaceURI ?? "") \(elementName)")
    }
}
