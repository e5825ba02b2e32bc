import Foundation

/// A connectionless WSP Push PDU (WAP-230-WSP §8.2.4): what a WAP Push SMS carries
/// behind its UDH.
///
/// Written by hand: only the few header encodings that push senders use (Content-Type
/// in the short and general forms with `SEC`, `MAC` and `charset` parameters, and
/// X-Wap-Application-Id) are needed, and no Swift library encodes WSP.
public struct WSPPush: Sendable, Hashable {
    /// A WSP content type: a well-known short integer, a registered long integer, or text.
    public enum ContentType: Sendable, Hashable {
        /// Below 0x80: `0x36` `application/vnd.wap.connectivity-wbxml`, `0x4E` DS notification.
        case wellKnown(UInt8)
        /// A registered number (`0x0303` `application/vnd.syncml+wbxml`, `0x020B` Nokia syncset).
        case registered(UInt32)
        case text(String)
    }

    /// A Content-Type parameter.
    public enum Parameter: Sendable, Hashable {
        /// ProvSec `SEC` (0x11): 0 NETWPIN … 3 USERPINMAC.
        case sec(UInt8)
        /// ProvSec `MAC` (0x12): 40 upper-case hex digits.
        case mac(String)
        /// `charset` (0x01): an IANA MIBenum (106 = UTF-8).
        case charset(UInt32)
    }

    public var transactionID: UInt8
    public var contentType: ContentType
    public var parameters: [Parameter]
    /// X-Wap-Application-Id as a well-known number (0x05 `push.syncml`, 0x07 `syncml.dm`).
    public var applicationID: UInt8?
    public var body: [UInt8]

    public init(transactionID: UInt8 = 0x01, contentType: ContentType, parameters: [Parameter] = [],
                applicationID: UInt8? = nil, body: [UInt8]) {
        self.transactionID = transactionID
        self.contentType = contentType
        self.parameters = parameters
        self.applicationID = applicationID
        self.body = body
    }

    /// The PDU bytes: TID, type 0x06 (Push), headers length, headers, body.
    public func encoded() -> [UInt8] {
        var headers = encodedContentType()
        if let applicationID { headers += [0xAF, 0x80 | applicationID] }
        var out: [UInt8] = [transactionID, 0x06]
        out += UIntVar.encode(UInt32(headers.count))
        out += headers
        out += body
        return out
    }

    func encodedContentType() -> [UInt8] {
        var media: [UInt8]
        var general = !parameters.isEmpty
        switch contentType {
        case .wellKnown(let number): media = [0x80 | number]
        case .registered(let number):
            media = LongInteger.encode(number)
            general = true
        case .text(let text): media = Array(text.utf8) + [0]
        }
        guard general else { return media }
        var value = media
        for parameter in parameters {
            switch parameter {
            case .sec(let code): value += [0x91, 0x80 | code]
            case .mac(let text): value += [0x92] + Array(text.utf8) + [0]
            case .charset(let mib): value += [0x81] + (mib < 0x80 ? [0x80 | UInt8(mib)] : LongInteger.encode(mib))
            }
        }
        return ValueLength.encode(value.count) + value
    }

    /// Reads a Push PDU back (tests, `decode-push`, captured gateway output).
    public static func decode(_ bytes: [UInt8]) throws(PushError) -> WSPPush {
        var reader = PDUReader(bytes: bytes, what: "WSP push PDU")
        let tid = try reader.byte()
        let type = try reader.byte()
        guard type == 0x06 else { throw .malformed(what: "WSP push PDU", offset: 1, reason: String(format: "PDU type 0x%02X is not Push (0x06)", type)) }
        let headersLength = Int(try reader.uintvar())
        let headersEnd = reader.offset + headersLength
        guard headersEnd <= bytes.count else {
            throw .malformed(what: "WSP push PDU", offset: reader.offset, reason: "headers length \(headersLength) runs past the end")
        }
        var push = WSPPush(transactionID: tid, contentType: .wellKnown(0), body: [])
        // Content-Type.
        let first = try reader.peek()
        if first >= 0x80 {
            push.contentType = .wellKnown(try reader.byte() & 0x7F)
        } else if first >= 0x20 {
            push.contentType = .text(try reader.cString())
        } else {
            let length = try reader.valueLength()
            let end = reader.offset + length
            guard end <= headersEnd else { throw .malformed(what: "WSP push PDU", offset: reader.offset, reason: "Content-Type length \(length) runs past the headers") }
            let media = try reader.peek()
            if media >= 0x80 { push.contentType = .wellKnown(try reader.byte() & 0x7F) }
            else if media < 0x1F { push.contentType = .registered(try reader.longInteger()) }
            else { push.contentType = .text(try reader.cString()) }
            while reader.offset < end {
                let at = reader.offset
                switch try reader.byte() {
                case 0x91: push.parameters.append(.sec(try reader.byte() & 0x7F))
                case 0x92: push.parameters.append(.mac(try reader.cString()))
                case 0x81:
                    let value = try reader.peek()
                    push.parameters.append(.charset(value >= 0x80 ? UInt32(try reader.byte() & 0x7F) : try reader.longInteger()))
                default:
                    throw .malformed(what: "WSP push PDU", offset: at, reason: "unknown Content-Type parameter")
                }
            }
        }
        while reader.offset < headersEnd {
            let at = reader.offset
            let field = try reader.byte()
            if field == 0xAF, try reader.peek() >= 0x80 {
                push.applicationID = try reader.byte() & 0x7F
            } else {
                throw .malformed(what: "WSP push PDU", offset: at, reason: String(format: "header 0x%02X is not one a push sender writes", field))
            }
        }
        push.body = Array(bytes[headersEnd...])
        return push
    }

    public var sec: UInt8? {
        for case .sec(let code) in parameters { return code }
        return nil
    }

    public var mac: String? {
        for case .mac(let text) in parameters { return text }
        return nil
    }
}

/// WSP unsigned variable-length integers (7 bits per octet, high bit = more).
public enum UIntVar {
    public static func encode(_ value: UInt32) -> [UInt8] {
        var out: [UInt8] = [UInt8(value & 0x7F)]
        var rest = value >> 7
        while rest > 0 {
            out.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
            rest >>= 7
        }
        return out
    }
}

/// WSP Long-integer: a length octet (1…30) and the value's big-endian octets.
enum LongInteger {
    static func encode(_ value: UInt32) -> [UInt8] {
        var octets: [UInt8] = []
        var rest = value
        repeat {
            octets.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        } while rest > 0
        return [UInt8(octets.count)] + octets
    }
}

/// WSP Value-length: one octet up to 30, else Length-quote 0x1F and a uintvar.
enum ValueLength {
    static func encode(_ length: Int) -> [UInt8] {
        length <= 30 ? [UInt8(length)] : [0x1F] + UIntVar.encode(UInt32(length))
    }
}

/// Reads the octets of a push PDU, with the offset of every failure.
struct PDUReader {
    let bytes: [UInt8]
    let what: String
    var offset = 0

    init(bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    func peek() throws(PushError) -> UInt8 {
        guard offset < bytes.count else { throw .malformed(what: what, offset: offset, reason: "ends too early") }
        return bytes[offset]
    }

    mutating func byte() throws(PushError) -> UInt8 {
        let value = try peek()
        offset += 1
        return value
    }

    mutating func bytes(_ count: Int) throws(PushError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else {
            throw .malformed(what: what, offset: offset, reason: "needs \(count) more octets, has \(bytes.count - offset)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uintvar() throws(PushError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<5 {
            let octet = try byte()
            value = value << 7 | UInt32(octet & 0x7F)
            if octet & 0x80 == 0 { return value }
        }
        throw .malformed(what: what, offset: offset, reason: "uintvar longer than 5 octets")
    }

    mutating func valueLength() throws(PushError) -> Int {
        let first = try byte()
        if first < 0x1F { return Int(first) }
        guard first == 0x1F else { throw .malformed(what: what, offset: offset - 1, reason: "not a value length") }
        return Int(try uintvar())
    }

    mutating func longInteger() throws(PushError) -> UInt32 {
        let length = Int(try byte())
        guard (1...4).contains(length) else { throw .malformed(what: what, offset: offset - 1, reason: "long integer of \(length) octets") }
        return try bytes(length).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func cString() throws(PushError) -> String {
        guard let end = bytes[offset...].firstIndex(of: 0) else {
            throw .malformed(what: what, offset: offset, reason: "text without its terminating NUL")
        }
        defer { offset = end + 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }
}
