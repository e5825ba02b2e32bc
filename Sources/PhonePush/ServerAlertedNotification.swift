import Crypto
import Foundation

/// An OMA DS 1.2 Server Alerted Notification ("package #0", OMA-TS-DS_Notification):
/// the binary message that asks a phone to start a sync.
///
/// Layout (big-endian, MSB first): 16-octet digest; version (10 bits, 12 = DS 1.2),
/// ui-mode (2), initiator (1), 27 reserved bits, session id (16), server-id length (8)
/// and bytes; number of syncs (4) + 4 reserved; per sync: type − 200 (4) + 4 reserved,
/// content type (24), server URI length (8) and bytes; optional vendor data.
/// Written by hand: no Swift library builds SANs. Checked against the real Nokia PC
/// Suite captures that buteo-syncml keeps as test data.
public struct ServerAlertedNotification: Sendable, Hashable {
    /// How the phone involves its user.
    public enum UIMode: UInt8, Sendable, CaseIterable, Codable {
        case notSpecified = 0, background = 1, informative = 2, interactive = 3

        public init?(name: String) {
            switch name.lowercased() {
            case "not-specified", "unspecified", "none": self = .notSpecified
            case "background": self = .background
            case "informative": self = .informative
            case "interactive", "user-interaction": self = .interactive
            default: return nil
            }
        }

        public var name: String {
            switch self {
            case .notSpecified: "not-specified"
            case .background: "background"
            case .informative: "informative"
            case .interactive: "interactive"
            }
        }
    }

    /// The sync a SAN asks for (codes 206–210).
    public enum SyncType: UInt16, Sendable, CaseIterable, Codable {
        case twoWay = 206, oneWayFromClient = 207, refreshFromClient = 208, oneWayFromServer = 209, refreshFromServer = 210

        public init?(name: String) {
            guard let match = Self.allCases.first(where: { $0.name == name.lowercased() || String($0.rawValue) == name }) else { return nil }
            self = match
        }

        public var name: String {
            switch self {
            case .twoWay: "two-way"
            case .oneWayFromClient: "one-way-from-client"
            case .refreshFromClient: "refresh-from-client"
            case .oneWayFromServer: "one-way-from-server"
            case .refreshFromServer: "refresh-from-server"
            }
        }
    }

    /// One datastore to sync.
    public struct Sync: Sendable, Hashable {
        public var type: SyncType
        /// OMNA WSP content-type number (0x07 vCard 2.1, 0x06 vCalendar, 0x03 text/plain, 0 any).
        public var contentType: UInt32
        /// The server URI of the datastore, as the phone's profile names it.
        public var serverURI: String

        public init(type: SyncType, contentType: UInt32, serverURI: String) {
            self.type = type
            self.contentType = contentType
            self.serverURI = serverURI
        }
    }

    /// 12 for DS 1.2.
    public var version: UInt16
    public var uiMode: UIMode
    /// `true` when the server, not the user, initiated.
    public var serverInitiated: Bool
    /// Differs on every alert: phones use the digest to drop repeated SANs.
    public var sessionID: UInt16
    /// Must equal the Server ID of the phone's profile (OMA CP `PROVIDER-ID`).
    public var serverID: String
    /// No syncs means every datastore of the profile.
    public var syncs: [Sync]
    public var vendorData: [UInt8]

    public init(version: UInt16 = 12, uiMode: UIMode = .background, serverInitiated: Bool = true, sessionID: UInt16,
                serverID: String, syncs: [Sync], vendorData: [UInt8] = []) {
        self.version = version
        self.uiMode = uiMode
        self.serverInitiated = serverInitiated
        self.sessionID = sessionID
        self.serverID = serverID
        self.syncs = syncs
        self.vendorData = vendorData
    }

    /// Everything after the digest.
    public func notification() throws(PushError) -> [UInt8] {
        let serverIDBytes = Array(serverID.utf8)
        guard serverIDBytes.count <= 255 else { throw .valueTooLong(field: "server id", limit: 255, length: serverIDBytes.count) }
        guard !serverIDBytes.isEmpty else { throw .missingValue(field: "server id") }
        guard syncs.count <= 15 else { throw .tooLarge("a SAN names at most 15 datastores, not \(syncs.count)") }
        var out: [UInt8] = [
            UInt8(version >> 2 & 0xFF),
            UInt8(version & 0x3) << 6 | uiMode.rawValue << 4 | (serverInitiated ? 0x08 : 0),
            0, 0, 0,
            UInt8(sessionID >> 8), UInt8(sessionID & 0xFF),
            UInt8(serverIDBytes.count),
        ]
        out += serverIDBytes
        out.append(UInt8(syncs.count) << 4)
        for sync in syncs {
            let uri = Array(sync.serverURI.utf8)
            guard uri.count <= 255 else { throw .valueTooLong(field: "server URI", limit: 255, length: uri.count) }
            out.append(UInt8(sync.type.rawValue - 200) << 4)
            out += [UInt8(sync.contentType >> 16 & 0xFF), UInt8(sync.contentType >> 8 & 0xFF), UInt8(sync.contentType & 0xFF)]
            out.append(UInt8(uri.count))
            out += uri
        }
        return out + vendorData
    }

    /// The whole SAN: digest followed by the notification.
    public func encoded(password: String, nonce: [UInt8]) throws(PushError) -> [UInt8] {
        let body = try notification()
        return Self.digest(serverID: serverID, password: password, nonce: nonce, notification: body) + body
    }

    /// `MD5(B64(MD5(serverid ":" password)) ":" nonce ":" B64(MD5(notification)))`.
    ///
    /// The colon stays when the password is empty, as Nokia PC Suite computes it
    /// (libsynthesis drops it, and PC Suite's SANs then fail to validate).
    public static func digest(serverID: String, password: String, nonce: [UInt8], notification: some Collection<UInt8>) -> [UInt8] {
        let credentials = Data(Insecure.MD5.hash(data: Array((serverID + ":" + password).utf8))).base64EncodedString()
        let body = Data(Insecure.MD5.hash(data: Array(notification))).base64EncodedString()
        let input = Array((credentials + ":").utf8) + nonce + Array((":" + body).utf8)
        return Array(Insecure.MD5.hash(data: input))
    }

    /// Reads a SAN; the digest is returned for ``isValid(_:password:nonce:)``.
    public static func decode(_ bytes: [UInt8]) throws(PushError) -> ServerAlertedNotification {
        var reader = PDUReader(bytes: bytes, what: "SAN")
        _ = try reader.bytes(16)
        let b0 = try reader.byte(), b1 = try reader.byte()
        let version = UInt16(b0) << 2 | UInt16(b1 >> 6)
        guard version == 12 else {
            throw .malformed(what: "SAN", offset: 16, reason: "version \(version / 10).\(version % 10); a binary SAN is version 1.2")
        }
        _ = try reader.bytes(3)
        let session = UInt16(try reader.byte()) << 8 | UInt16(try reader.byte())
        let idLength = Int(try reader.byte())
        let serverID = String(decoding: try reader.bytes(idLength), as: UTF8.self)
        let count = Int(try reader.byte() >> 4)
        var syncs: [Sync] = []
        for _ in 0..<count {
            let at = reader.offset
            let code = UInt16(try reader.byte() >> 4) + 200
            guard let type = SyncType(rawValue: code) else {
                throw .malformed(what: "SAN", offset: at, reason: "sync type \(code) is not 206 to 210")
            }
            let ct = try reader.bytes(3).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let uri = String(decoding: try reader.bytes(Int(try reader.byte())), as: UTF8.self)
            syncs.append(Sync(type: type, contentType: ct, serverURI: uri))
        }
        return ServerAlertedNotification(
            version: version, uiMode: UIMode(rawValue: b1 >> 4 & 0x3)!, serverInitiated: b1 & 0x08 != 0,
            sessionID: session, serverID: serverID, syncs: syncs, vendorData: Array(bytes[reader.offset...]))
    }

    /// Whether the first 16 octets of `bytes` are the digest of the rest.
    public static func isValid(_ bytes: [UInt8], password: String, nonce: [UInt8]) throws(PushError) -> Bool {
        let san = try decode(bytes)
        return Array(bytes[0..<16]) == digest(serverID: san.serverID, password: password, nonce: nonce, notification: bytes[16...])
    }

    /// The OMNA WSP content-type number phones expect for a datastore's MIME type
    /// (the older types, as SyncEvolution sends them; 0 = identified by URI only).
    public static func contentTypeNumber(for mime: String) -> UInt32 {
        switch mime.lowercased().split(separator: ";").first.map(String.init) ?? "" {
        case "text/x-vcard": 0x07
        case "text/x-vcalendar": 0x06
        case "text/plain": 0x03
        case "text/calendar": 0x0305
        case "text/vcard", "text/directory": 0x0309
        case "application/vnd.omads-email+xml": 0x0306
        default: 0
        }
    }
}
