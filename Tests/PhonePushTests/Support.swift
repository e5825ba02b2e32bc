import Foundation
import PhonePush
import Testing
import TestSupport

func pushFixture(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/push/\(name)")))
}

/// Octets of hex text (spaces allowed), for vectors written as hex.
func bytes(_ hex: String) -> [UInt8] { Hex.bytes(hex)! }

/// `openssl dgst -sha1 -mac HMAC` as a second HMAC implementation; `nil` when openssl is missing.
func opensslHMAC(keyHex: String, data: [UInt8]) throws -> String? {
    guard let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("openssl is missing") }
        return nil
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("hmac-\(UUID().uuidString)")
    try Data(data).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: openssl)
    process.arguments = ["dgst", "-sha1", "-mac", "HMAC", "-macopt", "hexkey:\(keyHex)", "-r", file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return output.split(separator: " ").first.map { $0.uppercased() }
}
