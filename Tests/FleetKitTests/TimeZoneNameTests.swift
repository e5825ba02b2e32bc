import Testing
@testable import FleetKit

@Suite("Time zones")
struct TimeZoneNameTests {
    @Test("known zones pass, in their canonical case")
    func known() throws {
        #expect(try TimeZoneName.normalize("Europe/Oslo") == "Europe/Oslo")
        #expect(try TimeZoneName.normalize("europe/paris") == "Europe/Paris")
        #expect(try TimeZoneName.normalize("America/Argentina/Buenos_Aires") == "America/Argentina/Buenos_Aires")
        #expect(try TimeZoneName.normalize("UTC") == "UTC")
        #expect(try TimeZoneName.normalize(nil) == "UTC")
    }

    @Test("the seed's own Europe/Oslo\" is refused, showing the stray character")
    func seedSample() {
        do {
            _ = try TimeZoneName.normalize("Europe/Oslo\"")
            Issue.record("accepted the seed's stray quote")
        } catch {
            let message = error.errorDescription ?? ""
            #expect(message.contains("unexpected character '\"' at position 12"))
            #expect(message.contains("\"Europe/Oslo\\\"\""))
            #expect(message.contains("did you mean Europe/Oslo?"))
        }
    }

    @Test("unknown zones are refused with suggestions")
    func unknown() {
        do {
            _ = try TimeZoneName.normalize("Europe/Olso")
            Issue.record("accepted an unknown zone")
        } catch {
            #expect(error.reason.contains("Europe/Oslo"))
        }
        #expect(throws: FieldError.self) { try TimeZoneName.normalize("Mars/Olympus_Mons") }
        #expect(throws: FieldError.self) { try TimeZoneName.normalize("CET;DROP TABLE client") }
    }
}
