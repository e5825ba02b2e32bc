import Crypto
import Foundation
import PhonePush
import Testing

/// The DS 1.2 SAN against the two real Nokia PC Suite captures and the digest's stages.
@Suite("Server Alerted Notification")
struct SANTests {
    @Test("SAN01/SAN02 decode to their fields and their digests validate", arguments: [("SAN01.bin", "Contacts"), ("SAN02.bin", "Calendar")])
    func realCaptures(file: String, uri: String) throws {
        let data = try pushFixture(file)
        let san = try ServerAlertedNotification.decode(data)
        #expect(san.version == 12)
        #expect(san.uiMode == .background)
        #expect(san.serverInitiated)
        #expect(san.sessionID == 0)
        #expect(san.serverID == "PC Suite Data Sync")
        #expect(san.syncs == [.init(type: .twoWay, contentType: 0, serverURI: uri)])
        #expect(san.vendorData.isEmpty)
        #expect(try ServerAlertedNotification.isValid(data, password: "", nonce: []))
        #expect(try !ServerAlertedNotification.isValid(data, password: "x", nonce: []))
        // Re-encoding the decoded fields gives the capture byte for byte, digest included.
        #expect(try san.encoded(password: "", nonce: []) == data)
    }

    @Test("the digest's stages match the worked example")
    func digestStages() throws {
        let data = try pushFixture("SAN01.bin")
        let credentials = Data(Insecure.MD5.hash(data: Array("PC Suite Data Sync:".utf8))).base64EncodedString()
        #expect(credentials == "p8+z7mJwF+UPdsF0P9pk1A==")
        #expect(Data(Insecure.MD5.hash(data: Array(data[16...]))).base64EncodedString() == "oep0laQORxYpKu3ugzxLNg==")
        // libsynthesis hashes an empty password without the colon; the captures do not validate that way.
        let noColon = Data(Insecure.MD5.hash(data: Array("PC Suite Data Sync".utf8))).base64EncodedString()
        let body = Data(Insecure.MD5.hash(data: Array(data[16...]))).base64EncodedString()
        let wrong = Array(Insecure.MD5.hash(data: Array((noColon + "::" + body).utf8)))
        #expect(wrong != Array(data[0..<16]))
    }

    /// Vectors computed with a line-by-line port of libsynthesis' `SanPackage::GetPackage`
    /// (freedesktop/SyncEvolution-libsynthesis@4568c437 src/sysync_SDK/Sources/san.cpp).
    /// libsynthesis drops the colon before an empty password and cuts the nonce at a NUL;
    /// we follow the spec (and Nokia PC Suite) there, so those digests are the spec's.
    @Test("libsynthesis vectors: identical layout; identical digest where libsynthesis follows the spec")
    func libsynthesisVectors() throws {
        let v1 = ServerAlertedNotification(uiMode: .informative, sessionID: 0x1234, serverID: "syncfleet",
                                           syncs: [.init(type: .twoWay, contentType: 0x07, serverURI: "contacts"),
                                                   .init(type: .refreshFromServer, contentType: 0x06, serverURI: "calendar")])
        #expect(try v1.encoded(password: "s3cret", nonce: Array("nonce-1".utf8)) == bytes(
            "27b0e33abdeabbf48e2cdd5c67e3c621032800000012340973796e63666c656574206000000708636f6e7461637473a00000060863616c656e646172"))
        #expect(Data(Insecure.MD5.hash(data: Array("syncfleet:s3cret".utf8))).base64EncodedString() == "T6so06jKDZu6ve6SGST5BA==")

        let v2 = ServerAlertedNotification(uiMode: .background, sessionID: 0xBEEF, serverID: "Fleet Server",
                                           syncs: [.init(type: .oneWayFromServer, contentType: 0x03, serverURI: "notes")])
        let libsynthesisV2 = bytes("e9f751578628d87ab4d513ec72b8b3490318000000beef0c466c656574205365727665721090000003056e6f746573")
        let ours2 = try v2.encoded(password: "", nonce: [])
        #expect(Array(ours2[16...]) == Array(libsynthesisV2[16...]))
        #expect(Array(ours2[0..<16]) == bytes("ad2720c9ce2473b6192598458c8cb290"))  // with the colon

        let v3 = ServerAlertedNotification(uiMode: .interactive, serverInitiated: false, sessionID: 1, serverID: "s", syncs: [])
        let libsynthesisV3 = bytes("5d5d97268c183a9085b0ae48f932723c03300000000001017300")
        let ours3 = try v3.encoded(password: "pw", nonce: [0x00, 0x01, 0xFF])
        #expect(Array(ours3[16...]) == Array(libsynthesisV3[16...]))
        #expect(Array(ours3[0..<16]) == bytes("a90f427b0eb987ad895a0da8cb4adc1c"))  // the nonce's NUL kept
        #expect(try v3.encoded(password: "pw", nonce: []) == libsynthesisV3)      // libsynthesis' empty nonce
    }

    @Test("header bits: version 12, ui-mode, initiator, session id, counts")
    func headerBits() throws {
        let san = ServerAlertedNotification(uiMode: .interactive, serverInitiated: false, sessionID: 0xBEEF, serverID: "fleet",
                                            syncs: [.init(type: .refreshFromServer, contentType: 0x0305, serverURI: "calendar"),
                                                    .init(type: .oneWayFromClient, contentType: 0x07, serverURI: "contacts")])
        let data = try san.encoded(password: "secret", nonce: Array("n1".utf8))
        #expect(Array(data[16..<24]) == [0x03, 0x30, 0, 0, 0, 0xBE, 0xEF, 5])
        #expect(data[29] == 0x20)
        #expect(Array(data[30..<35]) == [0xA0, 0x00, 0x03, 0x05, 8])
        #expect(data.count == 25 + 5 + (5 + 8) * 2)
        #expect(try ServerAlertedNotification.decode(data) == san)
        #expect(try ServerAlertedNotification.isValid(data, password: "secret", nonce: Array("n1".utf8)))
        #expect(try !ServerAlertedNotification.isValid(data, password: "secret", nonce: Array("n2".utf8)))
    }

    @Test("limits and malformed input give typed errors with offsets")
    func errors() throws {
        let tooMany = ServerAlertedNotification(sessionID: 1, serverID: "s",
                                                syncs: Array(repeating: .init(type: .twoWay, contentType: 0, serverURI: "a"), count: 16))
        #expect(throws: PushError.self) { try tooMany.encoded(password: "", nonce: []) }
        let longID = ServerAlertedNotification(sessionID: 1, serverID: String(repeating: "x", count: 256), syncs: [])
        #expect(throws: PushError.valueTooLong(field: "server id", limit: 255, length: 256)) { try longID.notification() }
        let data = try pushFixture("SAN01.bin")
        for cut in [0, 10, 20, 30, 45, 50] {
            #expect(throws: PushError.self) { try ServerAlertedNotification.decode(Array(data[0..<cut])) }
        }
        var version11 = data
        version11[16] = 0x02; version11[17] = 0xD8
        #expect(throws: PushError.malformed(what: "SAN", offset: 16, reason: "version 1.1; a binary SAN is version 1.2")) {
            try ServerAlertedNotification.decode(version11)
        }
    }

    @Test("content-type numbers of the datastores' MIME types")
    func contentTypes() {
        #expect(ServerAlertedNotification.contentTypeNumber(for: "text/x-vcard") == 0x07)
        #expect(ServerAlertedNotification.contentTypeNumber(for: "text/x-vcalendar") == 0x06)
        #expect(ServerAlertedNotification.contentTypeNumber(for: "text/plain; charset=utf-8") == 0x03)
        #expect(ServerAlertedNotification.contentTypeNumber(for: "text/calendar") == 0x0305)
        #expect(ServerAlertedNotification.contentTypeNumber(for: "text/vcard") == 0x0309)
        #expect(ServerAlertedNotification.contentTypeNumber(for: "application/x-unknown") == 0)
    }
}
