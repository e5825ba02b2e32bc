import Crypto

/// OMA ProvSec (OMA-WAP-ProvBoot) security of a Client Provisioning push: which key
/// signs the document, and how.
///
/// The MAC is HMAC-SHA1 over the WBXML body exactly as sent, carried in the WSP
/// Content-Type as 40 upper-case hex digits. Written by hand: no maintained Swift
/// library implements ProvSec.
public enum ProvisioningSecurity: Sendable, Hashable {
    /// NETWPIN: keyed with the SIM's IMSI in GSM semi-octets; the user types nothing.
    case networkPIN(imsi: String)
    /// USERPIN: keyed with a PIN the user types (the seed's `pincode`).
    case userPIN(String)
    /// USERNETWPIN: keyed with the IMSI semi-octets followed by the user's PIN.
    case userNetworkPIN(imsi: String, pin: String)
    /// USERPINMAC: the PIN the user types carries the MAC itself (see ``pinToType(for:)``).
    case userPINMAC(String)

    /// The four methods by name, as commands and the WSP `SEC` parameter know them.
    public enum Method: String, Sendable, CaseIterable, Codable {
        case netwpin = "NETWPIN"
        case userpin = "USERPIN"
        case usernetwpin = "USERNETWPIN"
        case userpinmac = "USERPINMAC"

        /// The `SEC` parameter value (0 to 3).
        public var code: UInt8 {
            switch self {
            case .netwpin: 0
            case .userpin: 1
            case .usernetwpin: 2
            case .userpinmac: 3
            }
        }

        public init?(code: UInt8) {
            guard let method = Self.allCases.first(where: { $0.code == code }) else { return nil }
            self = method
        }
    }

    /// Builds the security for a method from what the operator gave.
    public init(method: Method, pin: String?, imsi: String?) throws(PushError) {
        func requirePIN() throws(PushError) -> String {
            guard let pin, !pin.isEmpty else { throw .invalidPIN("\(method.rawValue) needs a PIN (--pin or a pin column)") }
            return pin
        }
        func requireIMSI() throws(PushError) -> String {
            guard let imsi, !imsi.isEmpty else { throw .invalidIMSI("") }
            _ = try IMSI.semiOctets(imsi)
            return imsi
        }
        switch method {
        case .netwpin: self = .networkPIN(imsi: try requireIMSI())
        case .userpin: self = .userPIN(try requirePIN())
        case .usernetwpin: self = .userNetworkPIN(imsi: try requireIMSI(), pin: try requirePIN())
        case .userpinmac:
            let pin = try requirePIN()
            guard pin.count >= 5, pin.count <= 16, pin.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidPIN("USERPINMAC needs 5 to 16 digits (the phone asks for them followed by as many MAC digits)")
            }
            self = .userPINMAC(pin)
        }
    }

    public var method: Method {
        switch self {
        case .networkPIN: .netwpin
        case .userPIN: .userpin
        case .userNetworkPIN: .usernetwpin
        case .userPINMAC: .userpinmac
        }
    }

    /// The HMAC key of this method.
    public func key() throws(PushError) -> [UInt8] {
        switch self {
        case .networkPIN(let imsi): try IMSI.semiOctets(imsi)
        case .userPIN(let pin): Array(pin.utf8)
        case .userNetworkPIN(let imsi, let pin): try IMSI.semiOctets(imsi) + Array(pin.utf8)
        case .userPINMAC(let pin): Array(pin.utf8)
        }
    }

    /// HMAC-SHA1 of `body` under this method's key.
    public func mac(for body: [UInt8]) throws(PushError) -> [UInt8] {
        let key = SymmetricKey(data: try key())
        return Array(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: key))
    }

    /// The MAC as it travels in the WSP header: 40 upper-case hex digits.
    public func macText(for body: [UInt8]) throws(PushError) -> String {
        Hex.upper(try mac(for: body))
    }

    /// For USERPINMAC, the PIN the user types: the operator's digits K followed by
    /// `HMAC-SHA1(K, body)[i] mod 10` for each digit of K. `nil` for the other methods.
    public func pinToType(for body: [UInt8]) throws(PushError) -> String? {
        guard case .userPINMAC(let pin) = self else { return nil }
        let mac = try mac(for: body)
        let digits = (0..<pin.count).map { String(mac[$0 % mac.count] % 10) }.joined()
        return pin + digits
    }
}

/// An IMSI as the NETWPIN key: GSM 11.11 EF_IMSI semi-octets without the length byte.
public enum IMSI {
    /// `262011234567890` → `29 26 10 21 43 65 87 09`; an even count gets prefix 1 and an `F` pad.
    public static func semiOctets(_ imsi: String) throws(PushError) -> [UInt8] {
        let digits = imsi.filter { !$0.isWhitespace }
        guard (6...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidIMSI(imsi)
        }
        var nibbles: [UInt8] = [digits.count % 2 == 1 ? 9 : 1]
        nibbles += digits.map { UInt8($0.asciiValue! - 48) }
        if nibbles.count % 2 == 1 { nibbles.append(0xF) }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] | nibbles[$0 + 1] << 4 }
    }
}

/// Hex text of bytes.
public enum Hex {
    public static func upper(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }

    public static func lower(_ bytes: some Sequence<UInt8>) -> String { upper(bytes).lowercased() }

    /// Bytes of hex text (spaces allowed between pairs); `nil` when it is not hex.
    public static func bytes(_ text: String) -> [UInt8]? {
        let digits = text.filter { !$0.isWhitespace }
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }
}
