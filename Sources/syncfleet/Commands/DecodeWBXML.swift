import ArgumentParser
import FleetKit
import Foundation
import WBXML

struct DecodeWBXML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode-wbxml",
        abstract: "Print WBXML documents (SyncML, DevInf, MetInf, OMA provisioning) as indented XML.",
        discussion: """
            The document type comes from the public identifier, else from the root element \
            (--type forces one). DevInf carried inside a SyncML Data is decoded inline. \
            Opaque data is shown byte-exact: as CDATA when it is text, else as base64 after \
            a <!--base64--> marker, which encode-wbxml reads back. --tokens prints every \
            token with its byte offset and code page instead, up to the first error: the \
            tool for a broken message. Types: \(WBXMLLanguages.all.map(\.key).joined(separator: ", ")).
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("WBXML files, or - for stdin (default).", valueName: "file"))
    var files: [String] = []

    @Flag(help: "Print an annotated token dump (offset, token, code page) instead of XML.")
    var tokens = false

    @Option(help: ArgumentHelp("Decode as this document type whatever the header says.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Spaces per indentation level (0: one line).", valueName: "n"))
    var indent = 2

    func run() async throws {
        let context = CommandContext(globals)
        var decoder = WBXMLDecoder()
        if let type {
            guard let language = WBXMLLanguages.byKey(type) else {
                throw ValidationError("unknown --type \(type); known: \(WBXMLLanguages.all.map(\.key).joined(separator: ", "))")
            }
            decoder.forcedLanguage = language
        }
        let names = files.isEmpty ? ["-"] : files
        var failures = 0
        for name in names {
            let bytes = try InputFile.read(name)
            if names.count > 1 { try context.sink.write((tokens ? "# " : "<!-- ") + name + (tokens ? "\n" : " -->\n")) }
            do {
                if tokens {
                    let sink = context.sink
                    _ = try decoder.decode(bytes) { token in
                        try? sink.write(TokenLine.format(token))
                    }
                } else {
                    let document = try decoder.decode(bytes)
                    try context.sink.write(XMLRenderer(indent: max(0, indent)).render(document))
                }
            } catch let error as WBXMLError {
                failures += 1
                try context.sink.flush()
                Console.error("\(name): \(error)")
            }
        }
        try context.sink.flush()
        if failures > 0 { throw ExitCode(ExitStatus.invalidInput.rawValue) }
    }
}

/// One line of a token dump: offset, token byte, code page, description.
enum TokenLine {
    static func format(_ token: WBXMLDecoder.Token) -> String {
        let offset = String(token.offset, radix: 16)
        let paddedOffset = String(repeating: "0", count: max(0, 6 - offset.count)) + offset
        let byte = token.byte.map { b in (b < 16 ? "0" : "") + String(b, radix: 16).uppercased() } ?? "--"
        return "\(paddedOffset)  \(byte)  p\(token.page)  \(String(repeating: "  ", count: token.depth))\(token.description)\n"
    }
}

/// Reads a whole input file, or stdin for `-`.
enum InputFile {
    static func read(_ name: String) throws -> [UInt8] {
        if name == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: name) else {
            throw FleetError.badInput(file: name, line: nil, message: "cannot read the file (does it exist?)")
        }
        return Array(data)
    }
}
