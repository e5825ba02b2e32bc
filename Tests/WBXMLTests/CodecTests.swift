import Foundation
import SyncML
import Testing
import TestSupport
@testable import WBXML

@Suite("WBXML codec")
struct CodecTests {
    @Test("multi-byte integers: boundaries round-trip, more than 32 bits is refused")
    func multiByte() throws {
        for value: UInt32 in [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1201, 0x0FD3, 0x1F_FFFF, 0x20_0000, UInt32.max] {
            var bytes: [UInt8] = []
            appendMultiByte(value, to: &bytes)
            #expect(bytes.count == multiByteLength(value))
            let decoded = try bytes.withUnsafeBufferPointer { buffer throws(WBXMLError) in
                var reader = ByteReader(buffer)
                return try reader.mbUInt32("test")
            }
            #expect(decoded == value)
        }
        var fixed: [UInt8] = []
        appendMultiByte(0x1201, to: &fixed)
        #expect(fixed == [0xA4, 0x01])
        // 0x90 0x80 0x80 0x80 0x00 is 2^32: one bit too many.
        let document: [UInt8] = [0x03, 0x90, 0x80, 0x80, 0x80, 0x00]
        #expect(throws: WBXMLError.integerOverflow(offset: 1)) { try WBXMLDecoder().decode(document) }
        let sixBytes: [UInt8] = [0x03, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00]
        #expect(throws: WBXMLError.integerOverflow(offset: 1)) { try WBXMLDecoder().decode(sixBytes) }
    }

    @Test("byte-identical to libwbxml where both choose the same string table", arguments: [
        "devinf11-phone", "prov-browser-proxy", "syncml10-alert-slow", "syncml12-status-map",
    ])
    func identicalToLibwbxml(name: String) throws {
        let source = try Data(contentsOf: corpusDirectory.appendingPathComponent(name + ".xml"))
        let mine = try WBXMLEncoder().encode(try WBXMLDocument.fromXML(source))
        #expect(mine == (try corpusBytes(name + ".wbxml")))
    }

    @Test("PROV attributes stay on the current code page when it has the token (libwbxml switches back and forth)")
    func provisioningPageSwitches() throws {
        let source = try Data(contentsOf: corpusDirectory.appendingPathComponent("prov-ds-settings.xml"))
        let mine = try WBXMLEncoder().encode(try WBXMLDocument.fromXML(source))
        let theirs = try corpusBytes("prov-ds-settings.wbxml")
        #expect(mine.count < theirs.count)
        #expect(try WBXMLDecoder().decode(mine).root == WBXMLDecoder().decode(theirs).root)
    }

    @Test("decode then encode then decode keeps the document", arguments: corpus(".wbxml"))
    func roundTrip(name: String) throws {
        let first = try WBXMLDecoder().decode(try corpusBytes(name))
        let again = try WBXMLDecoder().decode(try WBXMLEncoder().encode(first))
        #expect(again.root == first.root)
        #expect(again.language == first.language)
        // Through XML text too: the rendered XML reads back into an equal document.
        let xml = XMLRenderer().render(first)
        let reread = try WBXMLDocument.fromXML(Data(xml.utf8))
        let third = try WBXMLDecoder().decode(try WBXMLEncoder().encode(reread))
        #expect(try canonical(xml: XMLRenderer().render(third)) == canonical(xml: xml))
    }

    @Test("tokens: STR_T, ENTITY, LITERAL, SWITCH_PAGE and PROV attribute tokens")
    func handMadeVectors() throws {
        // SyncML 1.2 by public id string in the string table; a LITERAL tag; STR_T; ENTITY.
        let publicID = Array("-//SYNCML//DTD SyncML 1.2//EN".utf8) + [0]
        let table = publicID + Array("Hello".utf8) + [0] + Array("X-Custom".utf8) + [0]
        let helloOffset = UInt8(publicID.count)
        let literalOffset = UInt8(publicID.count + 6)
        var bytes: [UInt8] = [0x03, 0x00, 0x00, 0x6A, UInt8(table.count)] + table
        bytes += [0x6D]                                   // <SyncML> with content
        bytes += [0x6C]                                   //   <SyncHdr>
        bytes += [0x71, 0x83, helloOffset, 0x02, 0x21, 0x01]  // <VerDTD>Hello!</VerDTD> (STR_T + ENTITY 0x21)
        bytes += [0x00, 0x01, 0x4C, 0x03] + Array("9".utf8) + [0x00, 0x01, 0x00, 0x00]  // page 1 <MaxMsgSize>9</MaxMsgSize>, back to page 0
        bytes += [0x44, literalOffset, 0x03, 0x61, 0x00, 0x01]  // LITERAL_C <X-Custom>a</X-Custom>
        bytes += [0x01, 0x01]
        let document = try WBXMLDecoder().decode(bytes)
        #expect(document.language == .syncML12)
        let header = try #require(document.root.children.first.flatMap { if case .element(let e) = $0 { e } else { nil } })
        #expect(header.name == "SyncHdr")
        #expect(header.children.count == 3)
        #expect(header.children[0] == .element(WBXMLElement("VerDTD", children: [.text("Hello!")])))
        #expect(header.children[1] == .element(WBXMLElement("MaxMsgSize", attributes: [WBXMLAttribute("xmlns", "syncml:metinf")], children: [.text("9")])))
        #expect(header.children[2] == .element(WBXMLElement("X-Custom", children: [.text("a")])))
        // The encoder writes the literal tag back through the string table.
        let again = try WBXMLDecoder().decode(try WBXMLEncoder().encode(document))
        #expect(again.root == document.root)

        // PROV: <wap-provisioningdoc><characteristic type="PXLOGICAL"><parm name="PXADDRTYPE" value="IPV4"/>…
        let prov = try WBXMLDecoder().decode(try corpusBytes("prov-browser-proxy.wbxml"))
        #expect(prov.language == .prov10)
        #expect(prov.root.attribute("version") == "1.0")
        let rendered = XMLRenderer().render(prov)
        #expect(rendered.contains("<parm name=\"PXADDRTYPE\" value=\"IPV4\"/>"))
        #expect(rendered.contains("<characteristic type=\"PORT\">"))
        #expect(rendered.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE wap-provisioningdoc PUBLIC \"-//WAPFORUM//DTD PROV 1.0//EN\" \"http://www.wapforum.org/DTD/prov.dtd\">\n"))
    }

    @Test("DevInf inside a SyncML Data is decoded inline and encoded back as nested WBXML")
    func nestedDevInf() throws {
        let document = try WBXMLDecoder().decode(try corpusBytes("syncml12-put-get-devinf.wbxml"))
        let xml = XMLRenderer().render(document)
        #expect(xml.contains("<DevInf xmlns=\"syncml:devinf\">"))
        #expect(xml.contains("<Mod>5800 XpressMusic</Mod>"))
        #expect(xml.contains("application/vnd.syncml-devinf+xml"))
        var found = false
        func visit(_ element: WBXMLElement) {
            for child in element.children {
                if case .document(let nested) = child {
                    found = nested.language == .devInf12
                } else if case .element(let inner) = child {
                    visit(inner)
                }
            }
        }
        visit(document.root)
        #expect(found)
        let flat = try WBXMLDecoder(decodesNestedDocuments: false).decode(try corpusBytes("syncml12-put-get-devinf.wbxml"))
        #expect(XMLRenderer().render(flat).contains("<!--base64-->"))
    }

    @Test("opaque data stays byte-exact: text as CDATA, binary as marked base64")
    func opaque() throws {
        let binary: [UInt8] = [0x00, 0xFF, 0x10, 0x80, 0x7F, 0x0D, 0x0A]
        let root = WBXMLElement("SyncML", children: [
            .element(WBXMLElement("SyncBody", children: [
                .element(WBXMLElement("Put", children: [
                    .element(WBXMLElement("Item", children: [.element(WBXMLElement("Data", children: [.opaque(binary)]))])),
                ])),
            ])),
        ])
        let document = WBXMLDocument(language: .syncML12, root: root)
        let xml = XMLRenderer().render(document)
        #expect(xml.contains("<!--base64-->"))
        let reread = try WBXMLDocument.fromXML(Data(xml.utf8))
        let decoded = try WBXMLDecoder().decode(try WBXMLEncoder().encode(reread))
        #expect(decoded.root.children == [.element(WBXMLElement("SyncBody", children: [
            .element(WBXMLElement("Put", children: [
                .element(WBXMLElement("Item", children: [.element(WBXMLElement("Data", children: [.opaque(binary)]))])),
            ])),
        ]))])
    }

    @Test("the token dump names every token with offset and page")
    func tokenDump() throws {
        var tokens: [WBXMLDecoder.Token] = []
        _ = try WBXMLDecoder().decode(try corpusBytes("syncml12-alert-sync-add.wbxml")) { tokens.append($0) }
        #expect(tokens.first?.description == "header: WBXML version 1.3")
        let root = try #require(tokens.first { $0.description.hasPrefix("tag SyncML") })
        #expect(root.byte == 0x6D)
        let switches = tokens.filter { $0.description.hasPrefix("SWITCH_PAGE 1") }
        #expect(!switches.isEmpty)
        let opaque = try #require(tokens.first { $0.description.hasPrefix("OPAQUE") })
        #expect(try corpusBytes("syncml12-alert-sync-add.wbxml")[opaque.offset] == 0xC3)
        #expect(tokens.last?.description == "END SyncML")
    }
}
