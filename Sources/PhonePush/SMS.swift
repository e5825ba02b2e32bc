/// One binary SMS: the user data header (with its length octet, UDHL) and the
/// user data, together at most 140 octets.
public struct SMS: Sendable, Hashable {
    /// The complete UDH including UDHL, as Kannel's `udh` parameter takes it.
    public var udh: [UInt8]
    public var userData: [UInt8]

    public init(udh: [UInt8], userData: [UInt8]) {
        self.udh = udh
        self.userData = userData
    }

    /// What goes to the SMS centre: UDH followed by the user data.
    public var octets: [UInt8] { udh + userData }

    /// The octets an SMS carries: 140 (8-bit data coding).
    public static let capacity = 140
}

/// Splits a WAP push PDU into SMS: a UDH with 16-bit application port addressing
/// (IEI 0x05) and, when it does not fit one message, concatenation (IEI 0x00 with
/// an 8-bit reference, or 0x08 with a 16-bit one), as 3GPP TS 23.040 §9.2.3.24 has it.
public struct SMSSegmenter: Sendable, Hashable {
    /// 2948: WAP connectionless push (WDP).
    public static let wapPushPort: UInt16 = 2948
    /// 9200: WAP connectionless session service, the usual source port.
    public static let wapSessionPort: UInt16 = 9200
    /// 49996: Nokia/Ericsson OTA sync settings.
    public static let nokiaSyncSettingsPort: UInt16 = 49996

    public var destinationPort: UInt16
    public var sourcePort: UInt16
    /// Concatenation reference; the low 8 bits unless ``sixteenBitReference``.
    public var reference: UInt16
    public var sixteenBitReference: Bool

    public init(destinationPort: UInt16 = SMSSegmenter.wapPushPort, sourcePort: UInt16 = SMSSegmenter.wapSessionPort,
                reference: UInt16 = 0, sixteenBitReference: Bool = false) {
        self.destinationPort = destinationPort
        self.sourcePort = sourcePort
        self.reference = reference
        self.sixteenBitReference = sixteenBitReference
    }

    var portIE: [UInt8] {
        [0x05, 0x04, UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF), UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF)]
    }

    /// The SMS that carry `payload`, in order.
    public func segments(_ payload: [UInt8]) throws(PushError) -> [SMS] {
        let single = [UInt8(portIE.count)] + portIE
        if single.count + payload.count <= SMS.capacity {
            return [SMS(udh: single, userData: payload)]
        }
        let concatenationLength = sixteenBitReference ? 6 : 5
        let udhLength = 1 + portIE.count + concatenationLength
        let perPart = SMS.capacity - udhLength
        let count = (payload.count + perPart - 1) / perPart
        guard count <= 255 else {
            throw .tooLarge("the push is \(payload.count) octets, \(count) SMS; a concatenated SMS has at most 255 parts")
        }
        return (0..<count).map { index in
            var udh = [UInt8(udhLength - 1)] + portIE
            if sixteenBitReference {
                udh += [0x08, 0x04, UInt8(reference >> 8), UInt8(reference & 0xFF), UInt8(count), UInt8(index + 1)]
            } else {
                udh += [0x00, 0x03, UInt8(reference & 0xFF), UInt8(count), UInt8(index + 1)]
            }
            let start = index * perPart
            return SMS(udh: udh, userData: Array(payload[start..<min(start + perPart, payload.count)]))
        }
    }
}

/// Joins SMS back into the payload they carry, checking what a phone checks: ports,
/// one reference, every part present once.
public enum SMSReassembler {
    /// What a set of SMS carried.
    public struct Message: Sendable, Hashable {
        public var destinationPort: UInt16?
        public var sourcePort: UInt16?
        public var reference: UInt16?
        public var payload: [UInt8]
    }

    public static func join(_ parts: [SMS]) throws(PushError) -> Message {
        guard !parts.isEmpty else { throw .malformed(what: "SMS", offset: 0, reason: "no messages") }
        var message = Message(payload: [])
        var pieces: [Int: [UInt8]] = [:]
        var total: Int?
        for (index, sms) in parts.enumerated() {
            let header = try elements(of: sms.udh, part: index + 1)
            if let ports = header.ports {
                if let known = message.destinationPort, known != ports.destination {
                    throw .malformed(what: "SMS \(index + 1)", offset: 1, reason: "destination port \(ports.destination) differs from \(known)")
                }
                message.destinationPort = ports.destination
                message.sourcePort = ports.source
            }
            guard let concatenation = header.concatenation else {
                guard parts.count == 1 else { throw .malformed(what: "SMS \(index + 1)", offset: 1, reason: "no concatenation element in a multi-part message") }
                message.payload = sms.userData
                return message
            }
            if let ref = message.reference, ref != concatenation.reference {
                throw .malformed(what: "SMS \(index + 1)", offset: 1, reason: "reference \(concatenation.reference) differs from \(ref)")
            }
            if let total, total != concatenation.total {
                throw .malformed(what: "SMS \(index + 1)", offset: 1, reason: "says \(concatenation.total) parts, an earlier one \(total)")
            }
            guard concatenation.total >= 1, (1...concatenation.total).contains(concatenation.sequence),
                  pieces[concatenation.sequence] == nil else {
                throw .malformed(what: "SMS \(index + 1)", offset: 1, reason: "part \(concatenation.sequence) of \(concatenation.total) is out of range or repeated")
            }
            message.reference = concatenation.reference
            total = concatenation.total
            pieces[concatenation.sequence] = sms.userData
        }
        guard let total, pieces.count == total else {
            throw .malformed(what: "SMS", offset: 0, reason: "\(pieces.count) of \(total ?? 0) parts present")
        }
        message.payload = (1...total).flatMap { pieces[$0]! }
        return message
    }

    struct Elements {
        var ports: (destination: UInt16, source: UInt16)?
        var concatenation: (reference: UInt16, total: Int, sequence: Int)?
    }

    static func elements(of udh: [UInt8], part: Int) throws(PushError) -> Elements {
        guard let length = udh.first, Int(length) == udh.count - 1 else {
            throw .malformed(what: "UDH of SMS \(part)", offset: 0, reason: "UDHL does not match the header's length")
        }
        var result = Elements()
        var offset = 1
        while offset < udh.count {
            guard offset + 1 < udh.count else { throw .malformed(what: "UDH of SMS \(part)", offset: offset, reason: "element cut short") }
            let iei = udh[offset], size = Int(udh[offset + 1])
            let start = offset + 2
            guard start + size <= udh.count else { throw .malformed(what: "UDH of SMS \(part)", offset: offset, reason: "element length runs past the header") }
            let value = Array(udh[start..<start + size])
            switch (iei, size) {
            case (0x05, 4): result.ports = (UInt16(value[0]) << 8 | UInt16(value[1]), UInt16(value[2]) << 8 | UInt16(value[3]))
            case (0x04, 2): result.ports = (UInt16(value[0]), UInt16(value[1]))
            case (0x00, 3): result.concatenation = (UInt16(value[0]), Int(value[1]), Int(value[2]))
            case (0x08, 4): result.concatenation = (UInt16(value[0]) << 8 | UInt16(value[1]), Int(value[2]), Int(value[3]))
            default: break
            }
            offset = start + size
        }
        return result
    }
}
