import Foundation
import SyncML
import Testing
import TestSupport
@testable import WBXML

/// Defects a review found, kept found.
@Suite("WBXML regressions")
struct ReviewRegressionTests {
    let header: [UInt8] = [0x03, 0xA4, 0x01, 0x6A]  // WBXML 1.3, SyncML 1.2, UTF-8; the string table length follows

    @Test("a processing instruction encodes (its target goes through the string table)")
    func processingInstruction() throws {
        let document = try WBXMLDocument.fromXML(Data("<SyncML xmlns=\"SYNCML:SYNCML1.2\"><?foo bar?><SyncHdr/></SyncML>".utf8))
        let decoded = try WBXMLDecoder().decode(try WBXMLEncoder().encode(document))
        #expect(decoded.root.children.first == .processingInstruction(target: "foo", data: "bar"))
    }

    @Test("DevInf as the root of a SyncML document is refused, not a crash")
    func devInfRoot() throws {
        let document = try WBXMLDocument.fromXML(Data("<DevInf xmlns=\"syncml:devinf\"><VerDTD>1.2</VerDTD></DevInf>".utf8),
                                                 language: .syncML12)
        #expect(throws: WBXMLError.self) { try WBXMLEncoder().encode(document) }
    }

    @Test("entity declarations hidden behind comments, PIs, quotes or UTF-16 are refused", arguments: [
        "<!-- <x --><!DOCTYPE SyncML [<!ENTITY a \"hello\">]><SyncML>&a;</SyncML>",
        "<?foo <x?><!DOCTYPE SyncML [<!ENTITY a \"hello\">]><SyncML>&a;</SyncML>",
        "<!DOCTYPE r SYSTEM \"a>b\" [<!-- <x --><!ENTITY a \"x\">]><r>&a;</r>",
        "<SyncML><!DOCTYPE x [ ]></SyncML>",
    ])
    func hiddenDeclarations(xml: String) {
        #expect(throws: XMLReadError.self) { try XMLTreeReader().read(Data(xml.utf8)) }
    }

    @Test("UTF-16 XML is refused (the declaration scan must see what the parser sees)")
    func utf16() {
        var data = Data([0xFF, 0xFE])
        data.append("<!DOCTYPE r [<!ENTITY a \"x\">]><r>&a;</r>".data(using: .utf16LittleEndian)!)
        #expect(throws: XMLReadError.self) { try XMLTreeReader().read(data) }
    }

    @Test("many attributes are refused; many children decode in linear time")
    func wideDocuments() throws {
        let name = Array("a".utf8) + [0]
        var attributes = header + [UInt8(name.count)] + name + [0xAD]  // SyncML root with attributes and content
        for _ in 0..<20_000 { attributes += [0x04, 0x00] }               // LITERAL attribute "a", again and again
        attributes += [0x01, 0x01]
        #expect(throws: WBXMLError.tooManyAttributes(offset: 8 + 256 * 2, limit: 256)) { try WBXMLDecoder().decode(attributes) }

        var children = header + [0x00, 0x6D]
        for _ in 0..<100_000 { children += [0x05] }  // <Add/> × 100,000
        children += [0x01]
        let document = try WBXMLDecoder().decode(children)
        #expect(document.root.children.count == 100_000)
    }

    @Test("names from the string table must be XML names; attributes may not repeat; text must be XML text")
    func invalidNamesAndText() throws {
        let bad = Array("x><y a=\"1\"/><z".utf8) + [0]
        let literalTag = header + [UInt8(bad.count)] + bad + [0x6D, 0x04, 0x00, 0x01]
        #expect(throws: WBXMLError.invalidName(offset: 5 + bad.count + 1, name: "x><y a=\"1\"/><z", reason: "not an XML name")) {
            try WBXMLDecoder().decode(literalTag)
        }
        let control = header + [0x00, 0x6D, 0x71, 0x03, 0x41, 0x01, 0x42, 0x00, 0x01, 0x01]
        #expect(throws: WBXMLError.invalidText(offset: 7)) { try WBXMLDecoder().decode(control) }
        let prov: [UInt8] = [0x03, 0x0B, 0x6A, 0x00, 0xC5, 0x05, 0x05, 0x01, 0x01]  // name="" twice on the root
        #expect(throws: WBXMLError.invalidName(offset: 7, name: "name", reason: "the attribute appears twice")) {
            try WBXMLDecoder().decode(prov)
        }
    }

    @Test("SyncML inside SyncML inside Data decodes one level of DevInf only")
    func nestingMultipliesNothing() throws {
        var inner = try WBXMLEncoder().encode(WBXMLDocument(language: .syncML12, root: WBXMLElement("SyncML")))
        for _ in 0..<50 {
            let root = WBXMLElement("SyncML", children: [.element(WBXMLElement("SyncBody", children: [
                .element(WBXMLElement("Put", children: [.element(WBXMLElement("Item", children: [
                    .element(WBXMLElement("Meta")), .element(WBXMLElement("Data", children: [.opaque(inner)])),
                ]))])),
            ]))])
            inner = try WBXMLEncoder().encode(WBXMLDocument(language: .syncML12, root: root))
        }
        let document = try WBXMLDecoder().decode(inner)
        let xml = XMLRenderer().render(document)
        #expect(xml.contains("<!--base64-->"))
        #expect(!xml.contains("<SyncBody>\n          <Put>"))
    }

    @Test("opaque data outside an Item's Data comes back byte for byte")
    func opaqueRoundTrip() throws {
        for payload in [Array("a\r\nb".utf8), Array("plain text".utf8), [0x00, 0x01, 0xFF]] {
            let root = WBXMLElement("SyncML", children: [.element(WBXMLElement("SyncHdr", children: [
                .element(WBXMLElement("LocURI", children: [.opaque(payload)])),
            ]))])
            let xml = XMLRenderer().render(WBXMLDocument(language: .syncML12, root: root))
            let back = try WBXMLDecoder().decode(try WBXMLEncoder().encode(try WBXMLDocument.fromXML(Data(xml.utf8))))
            #expect(back.root.children == root.children, "payload \(payload)")
        }
    }
}
