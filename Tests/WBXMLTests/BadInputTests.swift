import Foundation
import SyncML
import Testing
import TestSupport
@testable import WBXML

@Suite("WBXML bad input")
struct BadInputTests {
    let header: [UInt8] = [0x03, 0xA4, 0x01, 0x6A, 0x00]  // WBXML 1.3, SyncML 1.2, UTF-8, no string table

    @Test("every truncation of every corpus document is an error that names an offset inside the input", arguments: corpus(".wbxml"))
    func truncations(name: String) throws {
        let bytes = try corpusBytes(name)
        for length in 0..<bytes.count {
            do {
                _ = try WBXMLDecoder().decode(Array(bytes.prefix(length)))
                Issue.record("\(name) cut to \(length) bytes decoded without error")
            } catch {
                let offset = try #require(error.offset)
                #expect(offset >= 0 && offset <= length)
            }
        }
    }

    @Test("each defect is its own typed error with its byte offset")
    func defects() throws {
        let cases: [([UInt8], WBXMLError)] = [
            ([0x07, 0x01, 0x6A, 0x00], .unsupportedVersion(offset: 0, version: 0x07)),
            ([0x03, 0xA4, 0x01, 0x8F, 0x11, 0x00], .unsupportedCharset(offset: 3, mibEnum: 0x0F << 7 | 0x11)),
            ([0x03, 0xA4, 0x01, 0x6A, 0x8F, 0xFF, 0xFF, 0x7F], .lengthBeyondInput(offset: 4, declared: 0x0F << 21 | 0x1F_FFFF, available: 0)),
            (header + [0x6D, 0x83, 0x05, 0x01], .stringTableOffset(offset: 6, reference: 5, tableLength: 0)),
            (header + [0x6D, 0x3F, 0x01], .unknownToken(offset: 6, token: 0x3F, page: 0, context: "tag")),
            (header + [0x6D, 0x00, 0x07, 0x01], .unknownPage(offset: 6, page: 7)),
            (header + [0x01], .unbalanced(offset: 5, detail: "END without an open element")),
            (header + [0x6D, 0xC3, 0x9F, 0xFF, 0xFF, 0xFF, 0x7F], .integerOverflow(offset: 7)),
            (header + [0x6D, 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F], .lengthBeyondInput(offset: 7, declared: Int(UInt32.max), available: 0)),
            (header + [0x6D, 0xC3, 0x81, 0x00, 0x41], .lengthBeyondInput(offset: 7, declared: 128, available: 1)),
            (header + [0x6D, 0x03, 0x61, 0x62], .truncated(offset: 7, reading: "STR_I")),
            (header + [0x6D, 0x03, 0xFF, 0xFE, 0x00, 0x01], .invalidText(offset: 6)),
            (header + [0x2D, 0x2D], .trailingData(offset: 6)),
            // Found by the fuzzer: ENTITY 0 (NUL) decoded, then could not be encoded again.
            (header + [0x6D, 0x71, 0x02, 0x00, 0x01, 0x01], .invalidText(offset: 7)),
            (header + [0x6D, 0x71, 0x02, 0x8F, 0xFF, 0xFF, 0x7F, 0x01, 0x01], .invalidText(offset: 7)),
        ]
        for (bytes, expected) in cases {
            #expect(throws: expected) { try WBXMLDecoder().decode(bytes) }
        }
    }

    @Test("nesting deeper than the bound is refused without recursion")
    func deepNesting() throws {
        var bytes = header
        bytes += [UInt8](repeating: 0x6D, count: 100_000)
        #expect(throws: WBXMLError.tooDeep(offset: 5 + 200, limit: 200)) { try WBXMLDecoder().decode(bytes) }
    }

    @Test("a length claimed larger than the input allocates nothing and fails")
    func hugeClaims() throws {
        // OPAQUE of 4 GiB - 1 in a 12-byte document.
        let bytes = header + [0x6D, 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F]
        #expect(throws: WBXMLError.self) { try WBXMLDecoder().decode(bytes) }
        let table = [0x03, 0xA4, 0x01, 0x6A, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F] as [UInt8]
        #expect(throws: WBXMLError.self) { try WBXMLDecoder().decode(table) }
    }

    @Test("random mutations of the corpus never crash the decoder")
    func mutations() throws {
        var generator = SplitMix64(seed: 0x5EED)
        for name in corpus(".wbxml") {
            let original = try corpusBytes(name)
            for _ in 0..<1500 {
                var bytes = original
                for _ in 0..<Int(generator.next() % 4 + 1) {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: index)
                    default: bytes.remove(at: index)
                    }
                    if bytes.isEmpty { bytes = [0] }
                }
                if let document = try? WBXMLDecoder().decode(bytes) {
                    // Whatever decodes also encodes and renders.
                    _ = XMLRenderer().render(document)
                    _ = try? WBXMLEncoder().encode(document)
                }
            }
        }
    }

    @Test("XML input: entity declarations and external entities are refused before anything expands")
    func hostileXML() throws {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>&lol3;</VerDTD></SyncHdr></SyncML>
            """
        #expect { try XMLTreeReader().read(Data(laughs.utf8)) } throws: { error in
            (error as? XMLReadError)?.message.contains("not accepted") == true
        }
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <SyncML><SyncHdr><VerDTD>&secret;</VerDTD></SyncHdr></SyncML>
            """
        #expect(throws: XMLReadError.self) { try XMLTreeReader().read(Data(external.utf8)) }
        #expect(throws: XMLReadError.self) { try XMLTreeReader().read(Data("<SyncML><unclosed></SyncML>".utf8)) }
        var deep = ""
        for _ in 0..<500 { deep += "<a>" }
        #expect(throws: XMLReadError.self) { try XMLTreeReader().read(Data(deep.utf8)) }
    }
}

/// A small deterministic generator, so that failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
