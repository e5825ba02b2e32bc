import Foundation
import Testing
import TestSupport

@Suite("syncfleet decode-wbxml and encode-wbxml")
struct WBXMLCommandTests {
    let corpus = repositoryRoot.appendingPathComponent("Tests/Fixtures/wbxml")

    @Test("decode-wbxml prints indented XML with the DOCTYPE, several files in one run")
    func decode() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let one = try cli.ok(["decode-wbxml", corpus.appendingPathComponent("prov-ds-settings.wbxml").path])
        #expect(one.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE wap-provisioningdoc PUBLIC \"-//WAPFORUM//DTD PROV 1.0//EN\""))
        #expect(one.stdout.contains("\n    <parm name=\"APPID\" value=\"w5\"/>\n"))
        let two = try cli.ok(["decode-wbxml", corpus.appendingPathComponent("prov-ds-settings.wbxml").path,
                              corpus.appendingPathComponent("syncml12-put-get-devinf.wbxml").path])
        #expect(two.stdout.components(separatedBy: "<?xml").count == 3)
        #expect(two.stdout.contains("<!-- \(corpus.appendingPathComponent("syncml12-put-get-devinf.wbxml").path) -->"))
        let piped = try cli.run(["decode-wbxml"], stdin: try Data(contentsOf: corpus.appendingPathComponent("syncml10-alert-slow.wbxml")))
        #expect(piped.status == 0)
        #expect(piped.stdout.contains("<SyncML xmlns=\"SYNCML:SYNCML1.0\">"))
    }

    @Test("a broken message: --tokens shows the tokens up to the error, which names the byte offset")
    func tokensOnBrokenInput() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let bytes = try Data(contentsOf: corpus.appendingPathComponent("syncml12-alert-sync-add.wbxml"))
        let truncated = cli.directory.appendingPathComponent("cut.wbxml")
        try bytes.prefix(100).write(to: truncated)
        let dump = try cli.run(["decode-wbxml", "--tokens", truncated.path])
        #expect(dump.status == 3)
        #expect(dump.stdout.contains("000000  03  p0  header: WBXML version 1.3"))
        #expect(dump.stdout.contains("6D  p0  tag SyncML +content"))
        #expect(dump.stderr.contains("cut.wbxml: byte 9"))
        let plain = try cli.run(["decode-wbxml", truncated.path])
        #expect(plain.status == 3)
        #expect(plain.stderr.contains("the data ends inside"))
    }

    @Test("encode-wbxml writes WBXML that decode-wbxml reads back; hex, type and errors")
    func encode() throws {
        let cli = try CLI()
        defer { cli.remove() }
        let source = corpus.appendingPathComponent("syncml11-sync-replace-delete.xml").path
        let output = cli.directory.appendingPathComponent("out.wbxml").path
        try cli.ok(["encode-wbxml", source, "-o", output])
        let written = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(written.prefix(4) == Data([0x03, 0x9F, 0x53, 0x6A]))
        let back = try cli.ok(["decode-wbxml", output]).stdout
        #expect(back.contains("<Data><![CDATA[BEGIN:VCALENDAR\r\nVERSION:1.0"))
        #expect(back.contains("SUMMARY:Dentist &amp; lunch") || back.contains("SUMMARY:Dentist & lunch"))
        let hex = try cli.ok(["encode-wbxml", source, "--hex"]).stdout
        #expect(hex.hasPrefix("03 9f 53 6a"))
        let noType = cli.directory.appendingPathComponent("plain.xml")
        try "<foo><bar/></foo>".write(to: noType, atomically: true, encoding: .utf8)
        let unknown = try cli.run(["encode-wbxml", noType.path, "--hex"])
        #expect(unknown.status == 3)
        #expect(unknown.stderr.contains("no known WBXML document type for <foo>"))
        let broken = cli.directory.appendingPathComponent("broken.xml")
        try "<SyncML>\n<SyncHdr>\n</SyncML>".write(to: broken, atomically: true, encoding: .utf8)
        let bad = try cli.run(["encode-wbxml", broken.path, "--hex"])
        #expect(bad.status == 3)
        #expect(bad.stderr.contains("broken.xml:3"))
        #expect(try cli.run(["encode-wbxml", source, "--type", "syncml99"]).status == 2)
    }
}
