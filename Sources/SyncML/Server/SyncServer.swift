import Foundation
import WBXML

/// The SyncML DS server engine (OMA DS 1.2, SyncML 1.1 and 1.0): one call per HTTP request,
/// pure apart from the ``SyncTransaction`` it is given, so that it is testable without HTTP.
///
/// Hand-written: no maintained Swift (or C) library implements the server side of SyncML DS.
/// The session's memory between requests is a ``SyncSessionState`` value that the caller keeps
/// (keyed by the token in the `RespURI`) and passes back with the next request.
public struct SyncServer: Sendable {
    public var configuration: SyncServerConfiguration

    public init(configuration: SyncServerConfiguration = SyncServerConfiguration()) {
        self.configuration = configuration
    }

    /// Handles one request.
    /// - Parameters:
    ///   - body: the request body as received.
    ///   - contentType: the request's `Content-Type`, if any.
    ///   - state: the session the request's token names; `nil` for a new session (or an unknown token).
    ///   - endpoint: the URL of the sync endpoint, to which `?s=TOKEN` is added for the `RespURI`.
    ///   - now: the time of the request.
    ///   - transaction: the store, inside one transaction for the whole message.
    public func handle(_ body: [UInt8], contentType: String?, state: SyncSessionState?, endpoint: String, now: Date,
                       transaction: any SyncTransaction) throws -> SyncExchange {
        let exchange = Exchange(server: self, tx: transaction, now: now)
        return try exchange.run(body: body, contentType: contentType, state: state, endpoint: endpoint)
    }

    /// A new random session token.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A server anchor: the time, to the second.
    static func anchor(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}

/// What to answer one request with, and the session to keep.
public struct SyncExchange: Sendable {
    /// The HTTP status: 200 with SyncML, 400 when no SyncML could be read, 415 for another media type.
    public var httpStatus: Int
    public var contentType: String
    public var body: [UInt8]
    /// The session to keep for its next request (`nil` when none was started).
    public var state: SyncSessionState?
}

/// The processing of one request.
final class Exchange {
    let server: SyncServer
    let tx: any SyncTransaction
    let now: Date
    var config: SyncServerConfiguration { server.configuration }

    var state: SyncSessionState!
    var out = MessageBuilder()
    var msgID = ""
    var final = false
    var serverAlerts: [WBXMLElement] = []
    var results: [WBXMLElement] = []
    var sawAlert = false

    init(server: SyncServer, tx: any SyncTransaction, now: Date) {
        self.server = server
        self.tx = tx
        self.now = now
    }

    func run(body: [UInt8], contentType: String?, state existing: SyncSessionState?, endpoint: String) throws -> SyncExchange {
        let encoding: SyncMLEncoding
        if let contentType, !contentType.isEmpty {
            guard let named = SyncMLEncoding(contentType: contentType) else {
                return try refuse(httpStatus: 415, "the request's Content-Type is \(contentType), not application/vnd.syncml+xml or +wbxml",
                                  body: body, contentType: contentType, state: existing)
            }
            encoding = named
        } else {
            encoding = SyncMLEncoding.sniff(body)
        }
        let root: WBXMLElement
        do {
            root = try SyncMLCodec.decode(body, encoding: encoding)
        } catch {
            return try refuse(httpStatus: 400, error.localizedDescription, body: body, contentType: encoding.contentType, state: existing)
        }
        guard let header = root.child("SyncHdr"), let syncBody = root.child("SyncBody") else {
            return try refuse(httpStatus: 400, "the SyncML message has no SyncHdr or no SyncBody", body: body,
                              contentType: encoding.contentType, state: existing)
        }
        guard let messageID = header.value("MsgID") else {
            return try refuse(httpStatus: 400, "the SyncHdr has no MsgID", body: body, contentType: encoding.contentType, state: existing)
        }
        msgID = messageID
        let verDTD = header.value("VerDTD") ?? ""
        let deviceID = header.value("Source", "LocURI") ?? ""
        let serverURI = header.value("Target", "LocURI") ?? endpoint

        if var existing {
            // A message sent again (its answer was lost): the same answer again.
            if existing.lastIncomingMsgID == messageID, let last = existing.lastResponse {
                existing.lastActivity = now
                return SyncExchange(httpStatus: 200, contentType: existing.encoding.contentType, body: last, state: existing)
            }
            state = existing
        } else {
            let version = SyncMLVersionNumber(verDTD: verDTD) ?? .v12
            let token = SyncServer.newToken()
            var record = SessionRecord(deviceID: deviceID, syncmlSessionID: header.value("SessionID") ?? "", started: now,
                                       version: version.rawValue, encoding: encoding)
            record.error = nil
            let id = try tx.beginSession(record)
            let separator = endpoint.contains("?") ? "&" : "?"
            state = SyncSessionState(token: token, recordID: id, record: record, now: now, version: version, encoding: encoding,
                                     syncmlSessionID: header.value("SessionID") ?? "", deviceID: deviceID, serverURI: serverURI,
                                     respURI: endpoint + separator + "s=" + token,
                                     clientMaxMsgSize: config.defaultClientMaxMsgSize)
        }
        state.lastActivity = now
        state.record.bytesIn += body.count
        state.record.messagesIn += 1
        try recordIncoming(body, root: root, encoding: encoding)

        var headerCode = SyncMLStatus.ok
        var chal: WBXMLElement?
        var proceed = true
        if SyncMLVersionNumber(verDTD: verDTD) == nil {
            headerCode = SyncMLStatus.versionNotSupported
            fail("the phone speaks SyncML \(verDTD.isEmpty ? "(no VerDTD)" : verDTD); the server speaks 1.0, 1.1 and 1.2")
            proceed = false
        } else if SyncMLVersionNumber(verDTD: verDTD) != state.version {
            headerCode = SyncMLStatus.versionNotSupported
            fail("VerDTD changed from \(state.version.rawValue) to \(verDTD) within the session")
            proceed = false
        } else if deviceID.isEmpty {
            headerCode = SyncMLStatus.badRequest
            fail("the SyncHdr has no Source/LocURI (device id)")
            proceed = false
        } else if existing == nil && messageID != "1" {
            headerCode = SyncMLStatus.requestTimeout
            fail("message \(messageID) of a session the server does not know (it expired, or the server restarted)")
            proceed = false
        } else if state.isFinished && state.account == nil {
            headerCode = SyncMLStatus.invalidCredentials
            proceed = false
        } else {
            if let size = header.value("Meta", "MaxMsgSize").flatMap({ Int($0) }), size > 0 {
                state.clientMaxMsgSize = size
            }
            if let size = header.value("Meta", "MaxObjSize").flatMap({ Int($0) }), size > 0 {
                state.clientMaxObjSize = size
            }
            (headerCode, chal) = try authenticate(header)
            proceed = SyncMLStatus.isSuccess(headerCode)
        }
        out.add(MessageBuilder.status(msgRef: messageID, cmdRef: "0", cmd: "SyncHdr", targetRef: serverURI, sourceRef: deviceID,
                                      code: headerCode, chal: chal))
        if proceed {
            try process(syncBody)
        } else {
            final = true
        }
        let responseFinal = try advance(proceeded: proceed)
        let bytes = try respond(final: responseFinal)
        state.lastIncomingMsgID = messageID
        state.lastResponse = bytes
        return SyncExchange(httpStatus: 200, contentType: state.encoding.contentType, body: bytes, state: state)
    }

    /// Records a failure of the session in words (the first one stays).
    func fail(_ reason: String) {
        state.record.status = .failed
        if state.record.error == nil { state.record.error = reason }
        if state.record.ended == nil { state.record.ended = now }
    }

    /// Answers a request that holds no SyncML that can be answered; the session (a new one
    /// when none is known) records it as failed.
    func refuse(httpStatus: Int, _ reason: String, body: [UInt8], contentType: String, state existing: SyncSessionState?) throws -> SyncExchange {
        var record = existing?.record ?? SessionRecord(deviceID: "", syncmlSessionID: "", started: now, version: "", encoding: .xml)
        record.status = .failed
        record.error = record.error ?? reason
        record.ended = now
        record.bytesIn += body.count
        record.messagesIn += 1
        let id = try existing?.recordID ?? tx.beginSession(record)
        let sequence = (existing?.sequence ?? 0) + 1
        // Unreadable, so credentials cannot be found by structure: a bounded prefix is kept, with
        // anything inside <Cred>…</Cred> and any base64-like run masked.
        let scrubbed = ChatlogRedaction.scrub(Array(body.prefix(existing?.account == nil ? 4096 : 65_536)))
        let text = String(validating: scrubbed, as: UTF8.self)
        try tx.recordMessage(ChatlogMessage(sequence: sequence, direction: .incoming, time: now, contentType: contentType,
                                            raw: scrubbed, xml: text), sessionID: id)
        try tx.updateSession(id: id, record)
        var kept = existing
        kept?.record = record
        kept?.sequence = sequence
        let message = Array("\(reason)\n".utf8)
        return SyncExchange(httpStatus: httpStatus, contentType: "text/plain; charset=utf-8", body: message, state: kept)
    }

    /// The SyncHdr's status: whether the phone is who it says, and the challenge to send.
    func authenticate(_ header: WBXMLElement) throws -> (Int, WBXMLElement?) {
        if state.account != nil { return (SyncMLStatus.ok, nil) }
        func refusal(_ code: Int, _ reason: String) -> (Int, WBXMLElement?) {
            state.authFailures += 1
            fail(reason)
            if state.authFailures >= config.maxAuthFailures {
                state.phase = .finished
                return (code, nil)
            }
            let nonce = SyncAuthentication.newNonce()
            state.issuedNonce = nonce
            return (code, MessageBuilder.challenge(config.challenge, nonce: nonce, encoding: state.encoding))
        }
        guard let element = header.child("Cred") else {
            return refusal(SyncMLStatus.missingCredentials, "407 missing credentials: the phone sent none")
        }
        guard let credential = SyncAuthentication.Credential(element) else {
            return refusal(SyncMLStatus.invalidCredentials, "401 invalid credentials: unknown type \(element.value("Meta", "Type") ?? "") or no data")
        }
        guard config.acceptedAuth.contains(credential.type) else {
            return refusal(SyncMLStatus.invalidCredentials, "401 invalid credentials: \(credential.type.rawValue) is not accepted by this server")
        }
        guard let username = credential.basicPair?.username ?? header.value("Source", "LocName") else {
            return refusal(SyncMLStatus.invalidCredentials,
                           "401 invalid credentials: \(credential.type.name) credentials without a user name (SyncHdr/Source/LocName)")
        }
        state.record.username = username
        state.record.authType = credential.type.name
        guard let account = try tx.account(username: username) else {
            return refusal(SyncMLStatus.invalidCredentials, "401 invalid credentials: no phone has the sync user name \(username)")
        }
        state.record.clientID = account.clientID
        state.record.userID = account.userID
        // The empty nonce only for a phone never issued one (its first MD5 session): else a digest
        // seen once could be replayed for ever.
        let nonces = [state.issuedNonce, account.nonce.isEmpty ? nil : account.nonce].compactMap { $0 } + (account.nonce.isEmpty ? [[]] : [])
        guard nonces.contains(where: { SyncAuthentication.verify(credential, username: account.username, password: account.password, nonce: $0) }) else {
            let answer = refusal(SyncMLStatus.invalidCredentials, "401 invalid credentials: wrong password for sync user \(username) (\(credential.type.name))")
            // The phone may answer the challenge in its next session rather than this one.
            if let nonce = state.issuedNonce { try tx.setNonce(nonce, clientID: account.clientID) }
            return answer
        }
        if !account.imei.isEmpty, state.deviceID.uppercased().hasPrefix("IMEI:") {
            let sent = state.deviceID.dropFirst(5).filter(\.isNumber)
            if !sent.hasPrefix(account.imei.prefix(14)) {
                state.authFailures = config.maxAuthFailures
                fail("403 forbidden: device \(state.deviceID) is not the phone registered for sync user \(username) (IMEI \(account.imei))")
                state.phase = .finished
                return (SyncMLStatus.forbidden, nil)
            }
        }
        if let bound = account.deviceID, bound != state.deviceID {
            state.authFailures = config.maxAuthFailures
            fail("403 forbidden: sync user \(username) is bound to device \(bound), not \(state.deviceID); set new credentials with syncfleet clients credentials to move them")
            state.phase = .finished
            return (SyncMLStatus.forbidden, nil)
        }
        if account.deviceID == nil { try tx.bindDevice(state.deviceID, clientID: account.clientID) }
        state.account = account
        state.record.status = .active
        state.record.error = nil
        state.record.ended = nil
        let next = SyncAuthentication.newNonce()
        try tx.setNonce(next, clientID: account.clientID)
        state.issuedNonce = nil
        return (SyncMLStatus.authenticationAccepted, credential.type == .md5 ? MessageBuilder.challenge(.md5, nonce: next, encoding: state.encoding) : nil)
    }

    /// Records the incoming message in the chatlog, credentials redacted.
    func recordIncoming(_ body: [UInt8], root: WBXMLElement, encoding: SyncMLEncoding) throws {
        let (redacted, secrets) = ChatlogRedaction.redact(root)
        let raw = ChatlogRedaction.overwrite(secrets, in: body)
        let xml = encoding == .xml ? String(decoding: raw, as: UTF8.self) : XMLRenderer().render(WBXMLDocument(language: state.version.language, root: redacted))
        state.sequence += 1
        try tx.recordMessage(ChatlogMessage(sequence: state.sequence, direction: .incoming, time: now,
                                            contentType: encoding.contentType, raw: raw, xml: xml), sessionID: state.recordID)
    }

    /// Encodes the answer, records it, and updates the session's record.
    func respond(final: Bool) throws -> [UInt8] {
        state.outMsgID += 1
        var header = WBXMLElement("SyncHdr")
        header.append("VerDTD", state.version.rawValue)
        header.append("VerProto", state.version.verProto)
        header.append("SessionID", state.syncmlSessionID)
        header.append("MsgID", String(state.outMsgID))
        header.append(MessageBuilder.location("Target", state.deviceID))
        header.append(MessageBuilder.location("Source", state.serverURI))
        if !state.isFinished { header.append("RespURI", state.respURI) }
        header.append(MessageBuilder.meta([("MaxMsgSize", String(config.maxMsgSize))]))
        var body = WBXMLElement("SyncBody", children: out.commands.map { .element($0) })
        if final { body.append(WBXMLElement("Final")) }
        let root = WBXMLElement("SyncML", children: [.element(header), .element(body)])
        let bytes = SyncMLCodec.encode(root, version: state.version, encoding: state.encoding)
        state.record.bytesOut += bytes.count
        state.record.messagesOut += 1
        state.sequence += 1
        let xml = state.encoding == .xml ? String(decoding: bytes, as: UTF8.self)
            : XMLRenderer().render(WBXMLDocument(language: state.version.language, root: root))
        try tx.recordMessage(ChatlogMessage(sequence: state.sequence, direction: .outgoing, time: now,
                                            contentType: state.encoding.contentType, raw: bytes, xml: xml), sessionID: state.recordID)
        try tx.updateSession(id: state.recordID, state.record)
        return bytes
    }
}
