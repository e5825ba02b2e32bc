/// Reads WBXML primitives from a byte buffer without copying it.
///
/// Every read checks the bounds first, so a length or count taken from the input
/// never sizes an allocation before it is known to fit in what remains.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) {
        self.bytes = bytes
        self.position = start
        self.end = bytes.count
    }

    var remaining: Int { end - position }
    var atEnd: Bool { position >= end }

    mutating func u8(_ reading: @autoclosure () -> String) throws(WBXMLError) -> UInt8 {
        guard position < end else { throw .truncated(offset: position, reading: reading()) }
        defer { position += 1 }
        return bytes[position]
    }

    func peek() -> UInt8? { position < end ? bytes[position] : nil }

    /// A multi-byte unsigned integer (WBXML 1.3 section 5.1): at most 5 bytes and 32 bits.
    mutating func mbUInt32(_ reading: @autoclosure () -> String) throws(WBXMLError) -> UInt32 {
        let start = position
        var value: UInt64 = 0
        for _ in 0..<5 {
            guard position < end else { throw .truncated(offset: start, reading: reading()) }
            let byte = bytes[position]
            position += 1
            value = (value << 7) | UInt64(byte & 0x7F)
            if value > UInt64(UInt32.max) { throw .integerOverflow(offset: start) }
            if byte & 0x80 == 0 { return UInt32(value) }
        }
        throw .integerOverflow(offset: start)
    }

    /// A NUL-terminated string: the range of its bytes (without the NUL).
    mutating func terminated(_ reading: @autoclosure () -> String) throws(WBXMLError) -> Range<Int> {
        let start = position
        var index = position
        while index < end {
            if bytes[index] == 0 {
                position = index + 1
                return start..<index
            }
            index += 1
        }
        throw .truncated(offset: start, reading: reading())
    }

    /// `count` bytes: their range, after checking that they are there.
    mutating func take(_ count: UInt32, at lengthOffset: Int) throws(WBXMLError) -> Range<Int> {
        guard Int(count) <= remaining else {
            throw .lengthBeyondInput(offset: lengthOffset, declared: Int(count), available: remaining)
        }
        let start = position
        position += Int(count)
        return start..<position
    }
}

/// Writes the multi-byte integer form of `value`.
func appendMultiByte(_ value: UInt32, to out: inout [UInt8]) {
    var groups: [UInt8] = [UInt8(value & 0x7F)]
    var rest = value >> 7
    while rest > 0 {
        groups.append(UInt8(rest & 0x7F) | 0x80)
        rest >>= 7
    }
    out.append(contentsOf: groups.reversed())
}

/// How many bytes the multi-byte form of `value` takes.
func multiByteLength(_ value: UInt32) -> Int {
    var count = 1
    var rest = value >> 7
    while rest > 0 {
        count += 1
        rest >>= 7
    }
    return count
}
