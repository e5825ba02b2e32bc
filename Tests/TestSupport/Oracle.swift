import Foundation
import SyncML
import Testing
import WBXML

// Helpers shared by the test targets: the repository's fixtures, libwbxml as an oracle,
// and a canonical form for comparing XML documents.

/// The directory holding Package.swift.
public let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

public let corpusDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures/wbxml")

/// The corpus files with the given extension, sorted.
public func corpus(_ suffix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)) ?? [])
        .filter { $0.hasSuffix(suffix) }.sorted()
}

public func corpusBytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: corpusDirectory.appendingPathComponent(name)))
}

/// A canonical text form of an XML document for comparing two documents' content:
/// element names, attributes (without xmlns) sorted, text trimmed, in document order.
public func canonical(xml: String) throws -> String {
    let root = try XMLTreeReader().read(Data(xml.utf8)).root
    var lines: [String] = []
    func walk(_ element: WBXMLElement, _ depth: Int) {
        let attributes = element.attributes.filter { !$0.name.hasPrefix("xmlns") }.sorted { $0.name < $1.name }
            .map { "\($0.name)=\($0.value)" }
        lines.append(String(repeating: "  ", count: depth) + element.name + (attributes.isEmpty ? "" : " " + attributes.joined(separator: " ")))
        var text = ""
        for child in element.children {
            switch child {
            case .text(let value): text += value
            case .opaque(let bytes): text += String(validating: bytes, as: UTF8.self) ?? Base64.encode(bytes)
            default: break
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\r\n", with: "\n")
        if !trimmed.isEmpty { lines.append(String(repeating: "  ", count: depth) + "  \"" + trimmed + "\"") }
        for child in element.children {
            switch child {
            case .element(let inner): walk(inner, depth + 1)
            case .document(let nested): walk(nested.root, depth + 1)
            default: break
            }
        }
    }
    walk(root, 0)
    return lines.joined(separator: "\n")
}

/// libwbxml's command-line tools, the reference this codec is checked against.
public enum Oracle {
    public static func path(_ tool: String) -> String? {
        ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the oracle can run; under CI a missing oracle is a failure, not a skip.
    public static func available(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        if path("wbxml2xml") != nil && path("xml2wbxml") != nil { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("wbxml2xml/xml2wbxml are missing: install Debian's libwbxml2-utils (the README's test command does)",
                         sourceLocation: sourceLocation)
        }
        return false
    }

    /// Runs `tool -o out in` on temporary files; returns the output bytes.
    public static func run(_ tool: String, input: [UInt8], extraArguments: [String] = []) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wbxml-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inURL = directory.appendingPathComponent("in"), outURL = directory.appendingPathComponent("out")
        try Data(input).write(to: inURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(tool)!)
        process.arguments = extraArguments + ["-o", outURL.path, inURL.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: outURL.path) else {
            throw OracleError(tool: tool, status: process.terminationStatus)
        }
        return Array(data)
    }
}

public struct OracleError: Error, CustomStringConvertible {
    public var tool: String
    public var status: Int32
    public var description: String { "\(tool) failed with status \(status)" }
}
