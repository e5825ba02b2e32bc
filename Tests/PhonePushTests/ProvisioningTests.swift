import Foundation
import PhonePush
import SyncML
import Testing
import TestSupport
import WBXML

/// OMA CP documents, ProvSec keys and MACs, and the Nokia OTA sync settings.
@Suite("Client Provisioning")
struct ProvisioningTests {
    static let profile = DSProfile(
        name: "SyncServer", providerID: "syncfleet", serverURL: "http://sync.example.net:8080/sync",
        username: "p3fe85584", password: "Kq7xWm2RtZ9cVb",
        resources: [.init(uri: "contacts", name: "Contacts", accept: "text/x-vcard"),
                    .init(uri: "calendar", name: "Calendar", accept: "text/x-vcalendar")])

    @Test("IMSI semi-octets: the ProvSec worked examples")
    func imsiKeys() throws {
        #expect(try IMSI.semiOctets("262011234567890") == bytes("29 26 10 21 43 65 87 09"))
        #expect(try IMSI.semiOctets("24201123456789") == bytes("21 24 10 21 43 65 87 F9"))
        #expect(throws: PushError.invalidIMSI("26201x")) { try IMSI.semiOctets("26201x") }
        #expect(throws: PushError.self) { try IMSI.semiOctets("1234567890123456") }
    }

    @Test("MACs agree with openssl for every method", arguments: ProvisioningSecurity.Method.allCases)
    func macsAgainstOpenSSL(method: ProvisioningSecurity.Method) throws {
        let security = try ProvisioningSecurity(method: method, pin: "12345", imsi: "262011234567890")
        let body = try ClientProvisioningDocument(profile: Self.profile).encoded()
        let keyHex = Hex.lower(try security.key())
        switch method {
        case .netwpin: #expect(keyHex == "2926102143658709")
        case .usernetwpin: #expect(keyHex == "2926102143658709" + Hex.lower(Array("12345".utf8)))
        case .userpin, .userpinmac: #expect(keyHex == Hex.lower(Array("12345".utf8)))
        }
        let ours = try security.macText(for: body)
        #expect(ours.count == 40 && ours == ours.uppercased())
        if let theirs = try opensslHMAC(keyHex: keyHex, data: body) { #expect(ours == theirs) }
    }

    @Test("USERPINMAC: the PIN to type is the digits followed by HMAC octets mod 10")
    func userPINMAC() throws {
        let security = try ProvisioningSecurity(method: .userpinmac, pin: "13579", imsi: nil)
        let body = try ClientProvisioningDocument(profile: Self.profile).encoded()
        let mac = try security.mac(for: body)
        let pin = try #require(try security.pinToType(for: body))
        #expect(pin.count == 10 && pin.hasPrefix("13579"))
        #expect(Array(pin.dropFirst(5)).map { UInt8(String($0))! } == mac.prefix(5).map { $0 % 10 })
        #expect(throws: PushError.self) { try ProvisioningSecurity(method: .userpinmac, pin: "1234", imsi: nil) }
        #expect(throws: PushError.self) { try ProvisioningSecurity(method: .netwpin, pin: "1234", imsi: nil) }
        #expect(try ProvisioningSecurity(method: .userpin, pin: "1234", imsi: nil).pinToType(for: body) == nil)
    }

    @Test("the w5 document: parameter order, inline APPID and AAUTHTYPE, no string table")
    func documentShape() throws {
        let body = try ClientProvisioningDocument(profile: Self.profile).encoded()
        #expect(Array(body.prefix(4)) == [0x03, 0x0B, 0x6A, 0x00])
        // APPID value w5 and AAUTHTYPE BASIC travel as inline strings.
        #expect(body.firstRange(of: [0x06, 0x03] + Array("w5".utf8) + [0x00]) != nil)
        #expect(body.firstRange(of: [0x03] + Array("BASIC".utf8) + [0x00]) != nil)
        let document = try WBXMLDecoder().decode(body)
        let application = try #require(document.root.children.compactMap(element).first { $0.attribute("type") == "APPLICATION" })
        let parms = application.children.compactMap(element).filter { $0.name == "parm" }.compactMap { $0.attribute("name") }
        #expect(parms == ["APPID", "NAME", "PROVIDER-ID", "ADDR", "APROTOCOL"])
        let auth = try #require(application.children.compactMap(element).first { $0.attribute("type") == "APPAUTH" })
        #expect(auth.children.compactMap(element).compactMap { $0.attribute("name") }.last == "AAUTHSECRET")
        let resources = application.children.compactMap(element).filter { $0.attribute("type") == "RESOURCE" }
        #expect(resources.count == 2)
        for resource in resources {
            #expect(resource.children.compactMap(element).compactMap { $0.attribute("name") } == ["URI", "NAME", "AACCEPT"])
        }
    }

    @Test("libwbxml decodes the document to the same XML")
    func documentAgainstLibwbxml() throws {
        guard Oracle.available() else { return }
        var profile = Self.profile
        profile.accessPoint = .init(name: "Fleet GPRS", apn: "internet.example", username: "gprs", password: "gprs")
        let document = try ClientProvisioningDocument(profile: profile).document()
        let body = try ClientProvisioningDocument(profile: profile).encoded()
        let theirs = String(decoding: try Oracle.run("wbxml2xml", input: body), as: UTF8.self)
        let ours = XMLRenderer().render(document)
        #expect(try canonical(xml: theirs) == canonical(xml: ours))
        #expect(theirs.contains("BOOTSTRAP") && theirs.contains("NAPAUTHINFO") && theirs.contains("AAUTHSECRET"))
    }

    @Test("values phones would drop silently are refused")
    func limits() throws {
        var profile = Self.profile
        profile.password = String(repeating: "p", count: 23)
        #expect(throws: PushError.valueTooLong(field: "AAUTHSECRET (sync password)", limit: 22, length: 23)) {
            try ClientProvisioningDocument(profile: profile).encoded()
        }
        profile = Self.profile
        profile.name = String(repeating: "n", count: 51)
        #expect(throws: PushError.self) { try ClientProvisioningDocument(profile: profile).encoded() }
        profile = Self.profile
        profile.resources = []
        #expect(throws: PushError.self) { try ClientProvisioningDocument(profile: profile).encoded() }
    }

    @Test("the push: WSP header 01 06 2F 1F 2D B6 91 81 92 <MAC> 00, ports 2948 → 2948")
    func provisioningPush() throws {
        let security = ProvisioningSecurity.userPIN("1234")
        let push = try PushMessage.provisioning(Self.profile, security: security)
        let mac = try security.macText(for: push.body)
        #expect(Array(push.pdu.prefix(9)) == [0x01, 0x06, 0x2F, 0x1F, 0x2D, 0xB6, 0x91, 0x81, 0x92])
        #expect(Array(push.pdu[9..<49]) == Array(mac.utf8))
        #expect(push.pdu[49] == 0x00)
        #expect(Array(push.pdu[50...]) == push.body)
        let decoded = try WSPPush.decode(push.pdu)
        #expect(decoded.contentType == .wellKnown(0x36))
        #expect(decoded.sec == 1 && decoded.mac == mac && decoded.applicationID == nil)
        #expect(push.destinationPort == 2948 && push.sourcePort == 2948)
    }

    @Test("Nokia OTA sync settings: WBXML 1.1, Kannel's tags and WSP header")
    func syncSettings() throws {
        let push = try PushMessage.syncSettings(Self.profile)
        #expect(Array(push.pdu.prefix(9)) == [0x34, 0x06, 0x06, 0x05, 0x02, 0x02, 0x0B, 0x81, 0xEA])
        #expect(Array(push.body.prefix(5)) == [0x01, 0x01, 0x6A, 0x00, 0x55])
        #expect(push.destinationPort == 49996 && push.sourcePort == 49154)
        let document = try WBXMLDecoder(forcedLanguage: .nokiaSyncSettings).decode(push.body)
        let xml = XMLRenderer().render(document)
        #expect(xml.contains("<HostAddr>http://sync.example.net/sync</HostAddr>"))
        #expect(xml.contains("<Port>8080</Port>"))
        #expect(xml.contains("<Cred>\(Data("Kq7xWm2RtZ9cVb".utf8).base64EncodedString())</Cred>"))
        #expect(xml.contains("<CTVer>2.1</CTVer>"))
        #expect(try WSPPush.decode(push.pdu).contentType == .registered(0x020B))
    }

    func element(_ node: WBXMLNode) -> WBXMLElement? {
        if case .element(let inner) = node { return inner }
        return nil
    }
}

/// The documents of a fleet are filled into a template per shape: byte for byte what the encoder gives.
@Suite("settings documents from templates")
struct DocumentTemplateTests {
    static let awkward = ["sf0a1b2c3d", "BASIC", "DIGEST", "HTTP-", ",", "IPV4", "w5", "APPSRV", "Ærlig-øre", "x", "http://x",
                          String(repeating: "z", count: 22), "with space", "a\u{1}b", "ACCESS-POINT", "contacts", "SyncServer"]

    @Test("every credential, awkward ones included, encodes as the encoder would; documents of other shapes too")
    func sameBytes() throws {
        for (index, username) in Self.awkward.enumerated() {
            let password = Self.awkward[(index * 7 + 3) % Self.awkward.count]
            for name in ["SyncServer", "Fleet \(index % 3)"] {
                let profile = DSProfile(name: name, providerID: "syncfleet", serverURL: "http://sync.example.net/sync", protocolVersion: "1.2",
                                        username: username, password: password,
                                        resources: [DSProfile.Resource(uri: "contacts", name: "Contacts", accept: "text/x-vcard")])
                let cp = ClientProvisioningDocument(profile: profile)
                let direct = try WBXMLEncoder(version: 0x03, usesStringTable: false, inlineValues: ClientProvisioningDocument.inlineValues)
                    .encode(try cp.document())
                #expect(try cp.encoded() == direct, "OMA CP with \(username) / \(password)")
                let nokia = NokiaSyncSettings(profile: profile)
                #expect(try nokia.encoded() == (try WBXMLEncoder(version: 0x01, usesStringTable: false).encode(try nokia.document())),
                        "Nokia OTA with \(username) / \(password)")
            }
        }
    }

    @Test("a template fills plain values and declines the ones the encoder would tokenize")
    func declines() throws {
        func profile(_ username: String, _ password: String) -> DSProfile {
            DSProfile(name: "SyncServer", providerID: "syncfleet", serverURL: "http://s/sync", protocolVersion: "1.2", username: username,
                      password: password, resources: [DSProfile.Resource(uri: "contacts", name: "Contacts", accept: "text/x-vcard")])
        }
        let encoder = WBXMLEncoder(version: 0x03, usesStringTable: false, inlineValues: ClientProvisioningDocument.inlineValues)
        let template = try #require(try WBXMLTemplate(encoding: try ClientProvisioningDocument(profile: profile("@U@", "@P@")).document(),
                                                      placeholders: ["@U@", "@P@"], encoder: encoder))
        #expect(template.filled(["sf0a1b2c3d", "secret"]) == (try encoder.encode(try ClientProvisioningDocument(profile: profile("sf0a1b2c3d", "secret")).document())))
        #expect(template.filled(["IPV4", "secret"]) == nil)
        #expect(template.filled(["", "secret"]) == nil)
        #expect(try WBXMLTemplate(encoding: try ClientProvisioningDocument(profile: profile("@U@", "@U@")).document(),
                                  placeholders: ["@U@", "@P@"], encoder: encoder) == nil)
    }
}
