import Foundation
import PhonePush
import SyncML
import Testing
import TestSupport
import WBXML

/// Kannel's own OTA compiler and SMS path as a byte-level oracle for ours: segmentation
/// and UDH, the WSP header, the ProvSec MAC (USERPIN and NETWPIN) and the document.
@Suite("PhonePush against a real Kannel", .serialized)
struct KannelOracleTests {
    static func document() throws -> Data {
        try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/push/kannel-w5.xml"))
    }

    /// The pushes fakesmsc captured for one recipient, joined.
    static func joined(_ captured: [KannelLoopback.Captured], to number: String) throws -> (SMSReassembler.Message, [SMS]) {
        let parts = captured.filter { $0.to == number }.map { SMS(udh: $0.udh, userData: $0.data) }
        return (try SMSReassembler.join(parts), parts)
    }

    @Test("sendota's OMA CP push: our segmenter, WSP header, MAC and decoder agree with Kannel byte for byte")
    func sendotaUserPIN() async throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let (status, answer) = try kannel.post("/cgi-bin/sendota", headers: [
            ("Content-Type", "text/vnd.wap.connectivity-xml"), ("X-Kannel-Username", kannel.user),
            ("X-Kannel-Password", kannel.password), ("X-Kannel-To", "4790000101"), ("X-Kannel-SEC", "USERPIN"), ("X-Kannel-PIN", "1234"),
        ], body: try Self.document())
        #expect(status == 202, "sendota answered \(status) \(answer)")
        let captured = try kannel.waitForMessages(count: 3)
        let (message, parts) = try Self.joined(captured, to: "4790000101")
        #expect(message.destinationPort == 2948 && message.sourcePort == 2948)

        // Segmentation: ours, with Kannel's reference, cuts the same PDU into the same SMS.
        let ours = try SMSSegmenter(destinationPort: 2948, sourcePort: 2948, reference: message.reference ?? 0).segments(message.payload)
        #expect(ours == parts)

        // WSP: TID 1, Push, connectivity-wbxml with SEC=USERPIN and the MAC; no application id.
        let push = try WSPPush.decode(message.payload)
        #expect(push.transactionID == 1 && push.contentType == .wellKnown(0x36) && push.sec == 1 && push.applicationID == nil)
        #expect(push.mac == "89CC61AAE315202F9BE966A327DA47BE81931FEC")
        #expect(push.mac == (try ProvisioningSecurity.userPIN("1234").macText(for: push.body)))
        let header = WSPPush(contentType: .wellKnown(0x36), parameters: [.sec(1), .mac(push.mac!)], body: push.body).encoded()
        #expect(header == message.payload)

        // The document: ours encodes the same XML to a body that decodes to what Kannel's does.
        let source = try WBXMLDocument.fromXML(try Self.document())
        let mine = try WBXMLEncoder(version: 3, usesStringTable: false, inlineValues: ClientProvisioningDocument.inlineValues).encode(source)
        #expect(try WBXMLDecoder().decode(mine).root == WBXMLDecoder().decode(push.body).root)
        #expect(mine.count <= push.body.count)
        if Oracle.available() {
            let theirs = String(decoding: try Oracle.run("wbxml2xml", input: push.body), as: UTF8.self)
            let oursAsXML = String(decoding: try Oracle.run("wbxml2xml", input: mine), as: UTF8.self)
            #expect(try canonical(xml: theirs) == canonical(xml: oursAsXML))
        }
    }

    @Test("NETWPIN: Kannel keyed with the IMSI semi-octets gives the MAC our IMSI key gives")
    func sendotaNetworkPIN() async throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        let key = try IMSI.semiOctets("262011234567890").map { "%" + Hex.upper([$0]) }.joined()
        let text = String(decoding: try Self.document(), as: UTF8.self)
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let (status, answer) = try kannel.get("/cgi-bin/sendota?username=\(kannel.user)&password=\(kannel.password)&to=4790000102&type=oma-settings&sec=netwpin&pin=\(key)&text=\(text)")
        #expect(status == 202, "sendota answered \(status) \(answer)")
        let (message, _) = try Self.joined(try kannel.waitForMessages(count: 3), to: "4790000102")
        let push = try WSPPush.decode(message.payload)
        #expect(push.sec == 0)
        #expect(push.mac == "CF7CF2F0C3DE18D3A6E79C9314FC1CF8782EEF19")
        #expect(push.mac == (try ProvisioningSecurity.networkPIN(imsi: "262011234567890").macText(for: push.body)))
    }

    @Test("our gateway's SMS reach the SMS centre unchanged: SAN01 and a three-part OMA CP push")
    func sendsmsPassThrough() async throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        guard case .kannel(let configuration) = try GatewayAddress(parsing: kannel.gatewayURL()) else { return }
        let gateway = KannelGateway(configuration: configuration)
        let san = try ServerAlertedNotification.decode(try pushFixture("SAN01.bin"))
        let alert = try PushMessage.alert(san, password: "", nonce: []).segments(reference: 0)
        let profile = DSProfile(name: "SyncServer", providerID: "syncfleet", serverURL: "http://sync.example.net/sync",
                                username: "sf3fe8558412d9", password: "+%& plus/percent",
                                resources: [.init(uri: "contacts", name: "Contacts", accept: "text/x-vcard")])
        let setup = try PushMessage.provisioning(profile, security: .userPIN("1234")).segments(reference: 0x5A)
        #expect(setup.count >= 2)
        let envelope = PushEnvelope(clientUUID: "c", kind: .alert, messageIDs: [])
        let receipts = try await gateway.send(alert + setup, to: "+4790000103", envelope: envelope)
        #expect(receipts.count == alert.count + setup.count && receipts.allSatisfy { $0.answer.contains("Accepted") })
        let captured = try kannel.waitForMessages(count: alert.count + setup.count)
        #expect(captured.allSatisfy { $0.to == "+4790000103" })
        #expect(captured.map { SMS(udh: $0.udh, userData: $0.data) } == alert + setup)
    }

    @Test("Kannel's refusals: a wrong password is a refusal, a closed port is unreachable")
    func refusals() async throws {
        guard KannelLoopback.available() else { return }
        let kannel = try KannelLoopback.start()
        defer { kannel.stop() }
        guard case .kannel(let wrong) = try GatewayAddress(parsing: kannel.gatewayURL(password: "wrong")) else { return }
        let sms = try SMSSegmenter().segments([1, 2, 3])
        let envelope = PushEnvelope(clientUUID: "c", kind: .alert, messageIDs: ["m"])
        await #expect(throws: GatewayError.refused(status: 403, answer: "Authorization failed for sendsms", part: 1)) {
            try await KannelGateway(configuration: wrong).send(sms, to: "+4790000104", envelope: envelope)
        }
        var down = wrong
        down.port = kannel.sendsmsPort + 100
        do {
            _ = try await KannelGateway(configuration: down).send(sms, to: "+4790000104", envelope: envelope)
            Issue.record("a closed port accepted an SMS")
        } catch {
            #expect(error.isTransient)
            guard case .unreachable = error else { Issue.record("not unreachable: \(error)"); return }
        }
    }
}
