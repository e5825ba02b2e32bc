import ArgumentParser
import FleetKit
import Foundation
import SyncML
import WBXML

#if canImport(Glibc)
import Glibc
#endif

struct EncodeWBXML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode-wbxml",
        abstract: "Encode an XML document (SyncML, DevInf, MetInf, OMA provisioning) as WBXML.",
        discussion: """
            The document type comes from --type, else the DOCTYPE, else the root element and \
            its xmlns. Output is WBXML 1.3, UTF-8, with a string table for strings that repeat \
            enough to pay for it. Binary goes to stdout only when it is not a terminal; use \
            -o FILE or --hex otherwise. Types: \(WBXMLLanguages.all.map(\.key).joined(separator: ", ")).
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The XML file, or - for stdin (default).", valueName: "file"))
    var file = "-"

    @Option(help: ArgumentHelp("The document type (syncml12, syncml11, devinf12, prov, …).", valueName: "type"))
    var type: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(help: "Print the bytes as hex instead of binary.")
    var hex = false

    @Flag(name: .customLong("no-string-table"), help: "Write every string inline (STR_I).")
    var noStringTable = false

    func run() async throws {
        let context = CommandContext(globals)
        var language: WBXMLLanguage?
        if let type {
            guard let known = WBXMLLanguages.byKey(type) else {
                throw ValidationError("unknown --type \(type); known: \(WBXMLLanguages.all.map(\.key).joined(separator: ", "))")
            }
            language = known
        }
        let bytes: [UInt8]
        do {
            let document = try WBXMLDocument.fromXML(Data(try InputFile.read(file)), language: language)
            bytes = try WBXMLEncoder(usesStringTable: !noStringTable).encode(document)
        } catch let error as XMLReadError {
            throw FleetError.badInput(file: file, line: error.line, message: "column \(error.column): \(error.message)")
        } catch let error as WBXMLError {
            throw FleetError.badInput(file: file, line: nil, message: error.description)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                Console.error("\(output): cannot write the file (does its directory exist, may it be written?)")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
            return
        }
        if hex {
            var text = ""
            for (index, byte) in bytes.enumerated() {
                text += (byte < 16 ? "0" : "") + String(byte, radix: 16) + (index % 16 == 15 ? "\n" : " ")
            }
            try context.sink.write(text.hasSuffix("\n") ? text : text + "\n")
        } else {
            guard !context.sink.isTerminal else {
                throw ValidationError("refusing to write binary WBXML to a terminal: use -o FILE, --hex, or a pipe")
            }
            try context.sink.write(bytes: bytes)
        }
        try context.sink.flush()
    }
}
