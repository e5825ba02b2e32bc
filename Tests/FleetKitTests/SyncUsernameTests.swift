import Testing
@testable import FleetKit

@Suite("generated sync user names")
struct SyncUsernameTests {
    static let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")

    @Test("200,000 consecutive ids give 200,000 names of sf and eight keypad-friendly characters")
    func unique() {
        let names = SyncUsername(key: Array(repeating: 7, count: 32))
        var seen = Set<String>()
        for id in Int64(0)..<200_000 {
            let name = names.name(forClientID: id)
            #expect(name.count == 10 && name.hasPrefix("sf") && name.dropFirst(2).allSatisfy(Self.alphabet.contains))
            seen.insert(name)
        }
        #expect(seen.count == 200_000)
        // The top of the range is still a name.
        #expect(names.name(forClientID: SyncUsername.idLimit - 1).count == 10)
    }

    @Test("neighbours' names share nothing a guess could use, and another store's key gives other names")
    func unguessable() {
        let names = SyncUsername(key: Array(repeating: 1, count: 32))
        let other = SyncUsername(key: Array(repeating: 2, count: 32))
        let run = (Int64(1000)..<Int64(2000)).map(names.name(forClientID:))
        // Consecutive ids (one import) spread over the name space: few share even a 2-character prefix.
        #expect(Set(run.map { $0.dropFirst(2).prefix(2) }).count > 600)
        #expect(zip(run, run.dropFirst()).filter { $0.0.prefix(4) == $0.1.prefix(4) }.count < 10)
        #expect((Int64(1000)..<Int64(2000)).filter { names.name(forClientID: $0) == other.name(forClientID: $0) }.isEmpty)
        // The same key gives the same names (a store keeps its key).
        #expect(SyncUsername(key: Array(repeating: 1, count: 32)).name(forClientID: 1234) == names.name(forClientID: 1234))
    }
}
