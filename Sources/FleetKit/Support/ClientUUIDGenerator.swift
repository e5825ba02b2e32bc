import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes the uuids of new clients: version 7 (RFC 9562 §5.7), 48 bits of Unix
/// milliseconds followed by a 12-bit sequence and 62 random bits.
///
/// Written here rather than using Foundation's `UUID()` for two reasons found while
/// profiling `import-csv`. `UUID()` is random (version 4), so every new client landed on
/// a random page of the store's uuid index, and a batch dirtied (and wrote) most of that
/// index; time-ordered uuids add at its end. And on Linux `UUID()` opens, reads and
/// closes `/dev/urandom` on each call; this reads randomness in 4 KiB blocks.
///
/// Uuids from one generator increase strictly, even within a millisecond (the sequence
/// counts up from a random start, borrowing from the clock when it runs out).
struct ClientUUIDGenerator {
    private var pool = [UInt8](repeating: 0, count: 4096)
    private var used = 4096
    private var lastMillis: UInt64 = 0
    private var sequence: UInt16 = 0

    init() {}

    /// The next uuid, in lower case (`0190f5e2-7c4a-7d31-9a0b-5c2e81f04d3a`).
    mutating func next(now: Date = Date()) -> String {
        var millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        if millis <= lastMillis {
            millis = lastMillis
            sequence += 1
            if sequence > 0xFFF {
                millis += 1
                sequence = UInt16(randomByte() & 0x7F)
            }
        } else {
            sequence = UInt16(randomByte() & 0x7F) << 4 | UInt16(randomByte() & 0x0F)
        }
        lastMillis = millis
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * UInt64(index))) }
        bytes[6] = 0x70 | UInt8(sequence >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: sequence)
        for index in 8..<16 { bytes[index] = randomByte() }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)   // the RFC 9562 variant
        return Self.format(bytes)
    }

    private mutating func randomByte() -> UInt8 {
        if used == pool.count { refill() }
        defer { used += 1 }
        return pool[used]
    }

    private mutating func refill() {
        pool.withUnsafeMutableBytes { buffer in
            // One call per block: glibc (2.36+) and Darwin fill it from the kernel's generator.
            arc4random_buf(buffer.baseAddress!, buffer.count)
        }
        used = 0
    }

    /// The canonical 8-4-4-4-12 text of 16 bytes, in lower case.
    static func format(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
