import Foundation
@testable import FleetKit

/// A fresh directory under the system temp dir, removed by the caller's `defer`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("syncfleet-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The repository root (where Package.swift lives).
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")

/// A store in a fresh directory with the sample catalogue and one user.
struct StoreFixture {
    let directory: URL
    let fleet: LocalFleet
    var path: String { directory.appendingPathComponent("fleet.sqlite").path }

    static func make(users: [String] = ["admin"], models: Bool = true,
                     clock: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_237_300_315) }) async throws -> StoreFixture {
        let directory = try makeTemporaryDirectory()
        let fleet = try LocalFleet.open(path: directory.appendingPathComponent("fleet.sqlite").path, mode: .createIfMissing, clock: clock)
        for name in users {
            _ = try await fleet.addUser(NewUser(name: name, email: "\(name)@example.com", password: "secret-\(name)", isAdmin: name == "admin"))
        }
        if models {
            _ = try await fleet.importModels(ModelCatalog.read(path: repositoryRoot.appendingPathComponent("samples/models.csv").path))
        }
        return StoreFixture(directory: directory, fleet: fleet)
    }

    func remove() {
        try? fleet.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Collects an async sequence.
func collect<S: AsyncSequence>(_ sequence: S) async throws -> [S.Element] {
    var items: [S.Element] = []
    for try await item in sequence { items.append(item) }
    return items
}
