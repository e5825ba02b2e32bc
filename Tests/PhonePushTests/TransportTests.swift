import Foundation
import PhonePush
import Testing
import TestSupport
import WBXML

/// WSP push PDUs, SMS segmentation, the SyncML 1.1 alert and the file gateways.
@Suite("WSP push and SMS")
struct TransportTests {
    @Test("a DS 1.2 SAN push: 01 06 03 CE AF 85, one SMS with UDH 06 05 04 0B 84 23 F0")
    func sanPush() throws {
        let san = ServerAlertedNotification(decodingFixture: try pushFixture("SAN01.bin"))
        let push = try PushMessage.alert(san, password: "", nonce: [])
        #expect(Array(push.pdu.prefix(6)) == [0x01, 0x06, 0x03, 0xCE, 0xAF, 0x85])
        #expect(Array(push.pdu.dropFirst(6)) == (try pushFixture("SAN01.bin")))
        let sms = try push.segments(reference: 7)
        #expect(sms.count == 1)
        #expect(sms[0].udh == [0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0])
        #expect(sms[0].octets.count == 7 + 62)
    }

    @Test("the SyncML 1.1 alert: WSP 0x0303 and libwbxml reads the message")
    func legacyAlert() throws {
        let alert = LegacyServerAlert(sessionID: 42, serverURL: "http://sync.example.net/sync", syncType: .twoWay,
                                      datastores: [("contacts", "text/x-vcard"), ("calendar", "text/x-vcalendar")])
        let push = try PushMessage.legacyAlert(alert)
        #expect(Array(push.pdu.prefix(9)) == [0x01, 0x06, 0x06, 0x03, 0x02, 0x03, 0x03, 0xAF, 0x85])
        #expect(Array(push.body.prefix(3)) == [0x02, 0x9F, 0x53])
        let decoded = try WSPPush.decode(push.pdu)
        #expect(decoded.contentType == .registered(0x0303) && decoded.applicationID == 5)
        guard Oracle.available() else { return }
        let xml = String(decoding: try Oracle.run("wbxml2xml", input: push.body), as: UTF8.self)
        #expect(try canonical(xml: xml) == canonical(xml: XMLRenderer().render(try alert.document())))
        #expect(xml.contains("<Data>206</Data>") && xml.contains("<SessionID>42</SessionID>"))
    }

    @Test("segmentation: 133 octets fit one SMS, then 128 per part (8-bit ref) or 127 (16-bit)")
    func segmentation() throws {
        let segmenter = SMSSegmenter(destinationPort: 2948, sourcePort: 9200, reference: 0x1A5)
        #expect(try segmenter.segments(Array(repeating: 1, count: 133)).count == 1)
        let payload = (0..<290).map { UInt8($0 & 0xFF) }
        let parts = try segmenter.segments(payload)
        #expect(parts.map(\.userData.count) == [128, 128, 34])
        #expect(parts[0].udh == [0x0B, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x00, 0x03, 0xA5, 3, 1])
        #expect(parts.allSatisfy { $0.octets.count <= 140 })
        let joined = try SMSReassembler.join(parts.reversed())
        #expect(joined.payload == payload && joined.destinationPort == 2948 && joined.reference == 0xA5)

        var wide = segmenter
        wide.sixteenBitReference = true
        let wideParts = try wide.segments(payload)
        #expect(wideParts.map(\.userData.count) == [127, 127, 36])
        #expect(wideParts[1].udh == [0x0C, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x08, 0x04, 0x01, 0xA5, 3, 2])
        #expect(try SMSReassembler.join(wideParts).payload == payload)

        #expect(throws: PushError.self) { try segmenter.segments(Array(repeating: 0, count: 128 * 255 + 1)) }
        #expect(throws: PushError.self) { try SMSReassembler.join(Array(parts.dropLast())) }
        #expect(throws: PushError.self) { try SMSReassembler.join(parts + [parts[0]]) }
        let zeroParts = SMS(udh: [0x0B, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x00, 0x03, 0x01, 0x00, 0x01], userData: [1])
        #expect(throws: PushError.self) { try SMSReassembler.join([zeroParts]) }
    }

    @Test("WSP decoding refuses what is not a push, with the offset")
    func wspErrors() throws {
        #expect(throws: PushError.malformed(what: "WSP push PDU", offset: 1, reason: "PDU type 0x07 is not Push (0x06)")) {
            try WSPPush.decode([0x01, 0x07, 0x00])
        }
        #expect(throws: PushError.self) { try WSPPush.decode([0x01, 0x06, 0x09, 0xCE]) }
        #expect(throws: PushError.self) { try WSPPush.decode([0x01, 0x06]) }
        #expect(UIntVar.encode(0x2F) == [0x2F])
        #expect(UIntVar.encode(300) == [0x82, 0x2C])
    }

    @Test("the directory gateway writes <uuid>.<kind>.<n>.bin with UDH then user data")
    func directoryGateway() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-dir-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let gateway = try DirectoryGateway(path: directory.path)
        let parts = try SMSSegmenter(reference: 9).segments(Array(repeating: 0x42, count: 200))
        let envelope = PushEnvelope(clientUUID: "3fe85584-12d9-11de-b2ce-002215064801", kind: .setup, messageIDs: ["a", "b"])
        let receipts = try await gateway.send(parts, to: "+4790066951", envelope: envelope)
        #expect(receipts.map(\.messageID) == ["a", "b"])
        for (index, sms) in parts.enumerated() {
            let file = directory.appendingPathComponent("3fe85584-12d9-11de-b2ce-002215064801.setup.\(index + 1).bin")
            #expect(Array(try Data(contentsOf: file)) == sms.octets)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 2)
    }

    @Test("gateway addresses: kannel://, dir:, - and the mistakes")
    func addresses() throws {
        let kannel = try GatewayAddress(parsing: "kannel://fleet:p%40ss@127.0.0.1:23013?from=12345&dlr-mask=9")
        guard case .kannel(let configuration) = kannel else { Issue.record("not kannel"); return }
        #expect(configuration.password == "p@ss" && configuration.port == 23013 && configuration.from == "12345" && configuration.dlrMask == 9)
        #expect(kannel.description == "kannel://fleet@127.0.0.1:23013")
        #expect(GatewayAddress.redacted("kannel://fleet:ab:cd@h:1") == "kannel://fleet:********@h:1")
        let plain = try GatewayAddress(parsing: "kannel://fleet:a%2541@h:1")
        if case .kannel(let once) = plain { #expect(once.password == "a%41") }
        do {
            _ = try GatewayAddress(parsing: "kannel://u:topsecret@")
        } catch {
            #expect(!error.localizedDescription.contains("topsecret"))
        }
        #expect(try GatewayAddress(parsing: "dir:/tmp/x") == .directory("/tmp/x"))
        #expect(try GatewayAddress(parsing: "-") == .standardOutput)
        #expect(throws: GatewayError.self) { try GatewayAddress(parsing: "kannel://127.0.0.1:13013") }
        #expect(throws: GatewayError.self) { try GatewayAddress(parsing: "smpp://x") }
        #expect(throws: GatewayError.self) { try GatewayAddress(parsing: "kannel://a:b@h:1?colour=red") }
    }
}

extension ServerAlertedNotification {
    init(decodingFixture data: [UInt8]) {
        self = try! ServerAlertedNotification.decode(data)
    }
}
