import Foundation
import Testing
import TestSupport

@Suite("man pages")
struct ManPageTests {
    /// The date the committed pages carry (generate-manual stamps one into each page).
    static let manualDate = "2026-11-30"

    @Test("man/ matches what generate-manual makes from the current commands")
    func fresh() throws {
        let tool = try #require(Self.generateManualTool(),
            "generate-manual-tool is not built: run `swift package plugin generate-manual --configuration debug` once (the README's test command does)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-man-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = tool
        process.arguments = [CLI.binary.path, "--multi-page", "--date", Self.manualDate,
                             "--authors", "SyncFleet developers", "--output-directory", output.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let manDirectory = repositoryRoot.appendingPathComponent("man")
        let generated = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".1") }.sorted()
        #expect(generated.count >= 10)
        if updateGolden {
            for name in try FileManager.default.contentsOfDirectory(atPath: manDirectory.path) where name.hasSuffix(".1") {
                try FileManager.default.removeItem(at: manDirectory.appendingPathComponent(name))
            }
            for name in generated {
                try FileManager.default.copyItem(at: output.appendingPathComponent(name), to: manDirectory.appendingPathComponent(name))
            }
            return
        }
        let committed = try FileManager.default.contentsOfDirectory(atPath: manDirectory.path).filter { $0.hasSuffix(".1") }.sorted()
        #expect(committed == generated, "man/ is stale: SYNCFLEET_UPDATE_GOLDEN=1 swift test --filter ManPageTests rewrites it")
        for name in generated where committed.contains(name) {
            let want = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
            let have = try String(contentsOf: manDirectory.appendingPathComponent(name), encoding: .utf8)
            #expect(want == have, "man/\(name) is stale: SYNCFLEET_UPDATE_GOLDEN=1 swift test --filter ManPageTests rewrites it")
        }
    }

    /// Where SwiftPM put the plugin's tool: beside the products, or in the plugin tools directory.
    static func generateManualTool() -> URL? {
        let build = repositoryRoot.appendingPathComponent(".build")
        let candidates = [
            CLI.productsDirectory.appendingPathComponent("generate-manual-tool"),
            build.appendingPathComponent("debug/generate-manual-tool"),
            build.appendingPathComponent("plugin-tools/debug/generate-manual-tool"),
        ]
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        let enumerator = FileManager.default.enumerator(at: build, includingPropertiesForKeys: nil,
                                                        options: [.skipsPackageDescendants])
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent == "checkouts" || url.lastPathComponent == "repositories" { enumerator?.skipDescendants() }
            if url.lastPathComponent == "generate-manual-tool", FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }
}
