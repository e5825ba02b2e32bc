import FleetKit
import Foundation
import Synchronization
import SyncML
import TestSupport
import WBXML

/// A SyncML server on a real SQLite store with one phone, driven message by message as a phone would.
struct SyncHarness {
    let directory: URL
    let fleet: LocalFleet
    var server: SyncServer
    var state: SyncSessionState?
    var clientUUID = ""
    var username = "alice-phone"
    var password = "secret-alice-1"
    var deviceID = "IMEI:490154203237518"
    var encoding: SyncMLEncoding = .xml
    var version = "1.2"
    var now = Date(timeIntervalSince1970: 1_796_000_000)
    var messageID = 0

    static func make(configuration: SyncServerConfiguration = SyncServerConfiguration(), imei: String? = "490154203237518") async throws -> SyncHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fleet = try LocalFleet.open(path: directory.appendingPathComponent("fleet.sqlite").path, mode: .createIfMissing)
        _ = try await fleet.addUser(NewUser(name: "alice", email: "alice@example.com", password: "secret-alice", isAdmin: true))
        _ = try await fleet.importModels(ModelCatalog.read(path: repositoryRoot.appendingPathComponent("samples/models.csv").path))
        var harness = SyncHarness(directory: directory, fleet: fleet, server: SyncServer(configuration: configuration))
        harness.clientUUID = try await fleet.register(Registration(phoneNumber: "+4790981948", model: "112", imei: imei, user: "alice")).client.uuid
        _ = try await fleet.setCredentials(uuid: harness.clientUUID, username: harness.username, password: harness.password)
        return harness
    }

    /// A second phone of the same user, sharing the store.
    func secondPhone(username: String = "alice-tablet", deviceID: String = "tablet-1") async throws -> SyncHarness {
        var other = self
        other.state = nil
        other.messageID = 0
        other.username = username
        other.deviceID = deviceID
        other.clientUUID = try await fleet.register(Registration(phoneNumber: "+4790981949", model: "112", user: "alice")).client.uuid
        _ = try await fleet.setCredentials(uuid: other.clientUUID, username: username, password: password)
        return other
    }

    func remove() {
        try? fleet.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Basic credentials of the phone.
    var basicCred: String {
        "<Cred><Meta><Type xmlns='syncml:metinf'>syncml:auth-basic</Type><Format xmlns='syncml:metinf'>b64</Format></Meta><Data>\(SyncAuthentication.basic(username: username, password: password))</Data></Cred>"
    }

    /// A message of the phone with the next MsgID.
    mutating func message(_ body: String, cred: String? = nil, final: Bool = true, maxMsgSize: Int? = nil, sessionID: String = "42") -> String {
        messageID += 1
        let meta = maxMsgSize.map { "<Meta><MaxMsgSize xmlns='syncml:metinf'>\($0)</MaxMsgSize></Meta>" } ?? ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <SyncML xmlns="SYNCML:SYNCML\(version)"><SyncHdr><VerDTD>\(version)</VerDTD><VerProto>SyncML/\(version)</VerProto>\
            <SessionID>\(sessionID)</SessionID><MsgID>\(messageID)</MsgID><Target><LocURI>http://127.0.0.1/sync</LocURI></Target>\
            <Source><LocURI>\(deviceID)</LocURI><LocName>\(username)</LocName></Source>\(cred ?? "")\(meta)</SyncHdr>\
            <SyncBody>\(body)\(final ? "<Final/>" : "")</SyncBody></SyncML>
            """
    }

    /// Sends a message (XML, or encoded as WBXML when the harness speaks WBXML) and keeps the session.
    mutating func send(_ xml: String, contentType: String? = nil) async throws -> Response {
        var bytes = Array(xml.utf8)
        if encoding == .wbxml {
            let document = try WBXMLDocument.fromXML(Data(bytes))
            bytes = try WBXMLEncoder(version: 0x02, usesStringTable: false).encode(document)
        }
        return try await sendRaw(bytes, contentType: contentType ?? encoding.contentType)
    }

    /// Sends bytes as they are.
    mutating func sendRaw(_ bytes: [UInt8], contentType: String?) async throws -> Response {
        let server = self.server, state = self.state, now = self.now
        let exchange = try await fleet.perform { tx in
            try server.handle(bytes, contentType: contentType, state: state, endpoint: "http://127.0.0.1/sync", now: now, transaction: tx)
        }
        if let kept = exchange.state { self.state = kept }
        self.now = now.addingTimeInterval(1)
        return try Response(exchange)
    }

    /// A fresh session of the same phone.
    mutating func newSession() {
        state = nil
        messageID = 0
    }

    /// The server's answer, decoded.
    struct Response {
        var exchange: SyncExchange
        var root: WBXMLElement?
        var bytes: [UInt8] { exchange.body }

        init(_ exchange: SyncExchange) throws {
            self.exchange = exchange
            if exchange.httpStatus == 200 {
                root = try SyncMLCodec.decode(exchange.body, encoding: SyncMLEncoding(contentType: exchange.contentType)!)
            }
        }

        var body: WBXMLElement { root?.child("SyncBody") ?? WBXMLElement("none") }
        var isFinal: Bool { body.child("Final") != nil }

        /// The status codes answering commands named `cmd`, in order.
        func statuses(_ cmd: String) -> [Int] {
            body.children("Status").filter { $0.value("Cmd") == cmd }.compactMap { $0.value("Data").flatMap { Int($0) } }
        }

        /// The header's status.
        var headerStatus: Int? { statuses("SyncHdr").first }

        /// The NextNonce of the header's challenge, decoded.
        var nonce: [UInt8]? {
            body.children("Status").first { $0.value("Cmd") == "SyncHdr" }?.path("Chal", "Meta")?.value("NextNonce").flatMap(Base64.decode)
        }

        /// The server's Sync commands.
        var syncs: [WBXMLElement] { body.children("Sync") }
        var alerts: [WBXMLElement] { body.children("Alert") }
    }
}

/// SyncML command snippets.
enum Snippet {
    static func alert(_ code: Int, target: String = "contacts", source: String = "./contacts", last: String? = nil, next: String = "1") -> String {
        let lastElement = last.map { "<Last>\($0)</Last>" } ?? ""
        return "<Alert><CmdID>\(nextID())</CmdID><Data>\(code)</Data><Item><Target><LocURI>\(target)</LocURI></Target><Source><LocURI>\(source)</LocURI></Source>"
            + "<Meta><Anchor xmlns='syncml:metinf'>\(lastElement)<Next>\(next)</Next></Anchor></Meta></Item></Alert>"
    }

    static func sync(_ commands: String, target: String = "contacts", source: String = "./contacts") -> String {
        "<Sync><CmdID>\(nextID())</CmdID><Target><LocURI>\(target)</LocURI></Target><Source><LocURI>\(source)</LocURI></Source>\(commands)</Sync>"
    }

    static func item(_ command: String, luid: String, data: String? = nil, type: String = "text/x-vcard", extra: String = "", itemExtra: String = "") -> String {
        let dataElement = data.map { "<Data><![CDATA[\($0)]]></Data>" } ?? ""
        return "<\(command)><CmdID>\(nextID())</CmdID>\(extra)<Meta><Type xmlns='syncml:metinf'>\(type)</Type></Meta>"
            + "<Item><Source><LocURI>\(luid)</LocURI></Source>\(dataElement)\(itemExtra)</Item></\(command)>"
    }

    static func map(_ pairs: [(server: String, luid: String)], target: String = "contacts", source: String = "./contacts") -> String {
        "<Map><CmdID>\(nextID())</CmdID><Target><LocURI>\(target)</LocURI></Target><Source><LocURI>\(source)</LocURI></Source>"
            + pairs.map { "<MapItem><Target><LocURI>\($0.server)</LocURI></Target><Source><LocURI>\($0.luid)</LocURI></Source></MapItem>" }.joined()
            + "</Map>"
    }

    static func vcard(_ name: String, phone: String = "+4790000000") -> String {
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:\(name);;;;\r\nFN:\(name)\r\nTEL;CELL:\(phone)\r\nEND:VCARD\r\n"
    }

    static let counter = Mutex(0)
    static func nextID() -> Int {
        counter.withLock { value in
            value += 1
            return value
        }
    }
}
