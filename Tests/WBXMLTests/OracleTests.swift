import Foundation
import SyncML
import Testing
import TestSupport
import WBXML

/// The codec against libwbxml (Debian's libwbxml2-utils), both ways, on the whole corpus.
@Suite("WBXML against libwbxml")
struct OracleTests {
    @Test("the corpus covers SyncML 1.0–1.2, DevInf, MetInf-heavy messages and provisioning")
    func corpusCoverage() {
        let names = corpus(".wbxml")
        #expect(names.count >= 10)
        for prefix in ["syncml10", "syncml11", "syncml12", "devinf11", "devinf12", "prov"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "no \(prefix) document in the corpus")
        }
        #expect(corpus(".xml").count == names.count)
    }

    @Test("decoding libwbxml's WBXML gives the same document as wbxml2xml", arguments: corpus(".wbxml"))
    func decodeLikeOracle(name: String) throws {
        guard Oracle.available() else { return }
        let bytes = try corpusBytes(name)
        let mine = XMLRenderer().render(try WBXMLDecoder().decode(bytes))
        let theirs = String(decoding: try Oracle.run("wbxml2xml", input: bytes), as: UTF8.self)
        #expect(try canonical(xml: mine) == canonical(xml: theirs))
    }

    @Test("wbxml2xml reads what this encoder writes back to the source document", arguments: corpus(".xml"))
    func encodeForOracle(name: String) throws {
        guard Oracle.available() else { return }
        let source = try String(contentsOf: corpusDirectory.appendingPathComponent(name), encoding: .utf8)
        let document = try WBXMLDocument.fromXML(Data(source.utf8))
        let encoded = try WBXMLEncoder().encode(document)
        let back = String(decoding: try Oracle.run("wbxml2xml", input: encoded), as: UTF8.self)
        #expect(try canonical(xml: back) == canonical(xml: source))
        // And without a string table.
        let inline = try WBXMLEncoder(usesStringTable: false).encode(document)
        let backInline = String(decoding: try Oracle.run("wbxml2xml", input: inline), as: UTF8.self)
        #expect(try canonical(xml: backInline) == canonical(xml: source))
    }

    @Test("this decoder reads what xml2wbxml writes now, with and without a string table", arguments: corpus(".xml"))
    func decodeFreshOracleOutput(name: String) throws {
        guard Oracle.available() else { return }
        let source = try Data(contentsOf: corpusDirectory.appendingPathComponent(name))
        for arguments in [[], ["-n"], ["-v", "1.1"]] {
            let encoded = try Oracle.run("xml2wbxml", input: Array(source), extraArguments: arguments)
            let mine = XMLRenderer().render(try WBXMLDecoder().decode(encoded))
            #expect(try canonical(xml: mine) == canonical(xml: String(decoding: source, as: UTF8.self)), "xml2wbxml \(arguments)")
        }
    }

    @Test("output is about as compact as libwbxml's", arguments: corpus(".xml"))
    func compactness(name: String) throws {
        let source = try Data(contentsOf: corpusDirectory.appendingPathComponent(name))
        let mine = try WBXMLEncoder().encode(try WBXMLDocument.fromXML(source))
        let theirs = try corpusBytes(name.replacingOccurrences(of: ".xml", with: ".wbxml"))
        #expect(Double(mine.count) <= Double(theirs.count) * 1.1, "\(mine.count) bytes against libwbxml's \(theirs.count)")
    }
}
