/// The character sets a WBXML document may declare (by IANA MIBenum) that this codec reads.
public enum Charset: UInt32, Sendable {
    case usASCII = 3
    case iso8859_1 = 4
    case utf8 = 106

    /// Decodes `bytes` to a string, or `nil` when they are not valid in this character set.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence) -> String? {
        switch self {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .usASCII:
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        case .iso8859_1:
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return String(scalars)
        }
    }
}
