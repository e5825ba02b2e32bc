import Crypto

/// Generated sync user names: `sf` and eight characters, unique by construction and
/// not guessable from a neighbour's.
///
/// The client's row id (unique in its store) goes through a keyed permutation of 40-bit
/// numbers (a four-round Feistel network whose round function is HMAC-SHA256 under the
/// store's own random key), and the result is written in lower-case Crockford base32
/// (digits and letters without i, l, o and u, so nothing reads as another character on a
/// keypad or a printout). A permutation maps different ids to different names, so no two
/// phones of a store can get the same one; without the key, a name says nothing about the
/// next phone's. Hand-made: it is 30 lines, and no library offers a small-domain permutation.
public struct SyncUsername: @unchecked Sendable {
    /// The characters of a name, in value order.
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    /// Ids below this have a name; a store does not reach a trillion phones.
    public static let idLimit: Int64 = 1 << 40

    /// HMAC-SHA256 keyed with the store's secret, before any input: each round copies it.
    /// (`@unchecked Sendable`: Crypto's HMAC state is a value that is never mutated here.)
    private let keyed: HMAC<SHA256>

    /// - Parameter key: the store's secret (16 or more random bytes).
    public init(key: [UInt8]) {
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    /// The name of the client with row id `id` (0 ..< ``idLimit``).
    public func name(forClientID id: Int64) -> String {
        precondition(id >= 0 && id < Self.idLimit, "client id \(id) out of the sync user name range")
        let mask: UInt32 = 0xFFFFF
        var left = UInt32(truncatingIfNeeded: id >> 20) & mask
        var right = UInt32(truncatingIfNeeded: id) & mask
        for round in 0..<4 {
            let (newLeft, newRight) = (right, left ^ self.round(round, right))
            (left, right) = (newLeft, newRight)
        }
        var value = UInt64(left) << 20 | UInt64(right)
        var characters = [UInt8](repeating: 0, count: 8)
        for index in stride(from: 7, through: 0, by: -1) {
            characters[index] = Self.alphabet[Int(value & 31)]
            value >>= 5
        }
        return "sf" + String(decoding: characters, as: UTF8.self)
    }

    private func round(_ round: Int, _ half: UInt32) -> UInt32 {
        let input: [UInt8] = [UInt8(round), UInt8(half >> 16 & 0xFF), UInt8(half >> 8 & 0xFF), UInt8(half & 0xFF)]
        var hmac = keyed
        hmac.update(data: input)
        let mac = hmac.finalize()
        var value: UInt32 = 0
        for byte in mac.prefix(3) { value = value << 8 | UInt32(byte) }
        return value & 0xFFFFF
    }
}
