import Testing
@testable import FleetKit

@Suite("IMEI")
struct IMEITests {
    @Test("a valid IMEI passes; separators are dropped")
    func valid() throws {
        #expect(try IMEI.normalize("490154203237518") == "490154203237518")
        #expect(try IMEI.normalize("49-015420-323751-8") == "490154203237518")
        #expect(try IMEI.normalize("35 209900 176148 1") == "352099001761481")
    }

    @Test("14 digits get their check digit")
    func fourteen() throws {
        #expect(try IMEI.normalize("49015420323751") == "490154203237518")
    }

    @Test("empty means none")
    func empty() throws {
        #expect(try IMEI.normalize(nil) == nil)
        #expect(try IMEI.normalize("  ") == nil)
    }

    @Test("a wrong check digit is refused and the right one named")
    func checkDigit() {
        do {
            _ = try IMEI.normalize("490154203237519")
            Issue.record("accepted a bad check digit")
        } catch {
            #expect(error.field == "imei")
            #expect(error.reason.contains("gives 8"))
        }
    }

    @Test("wrong lengths and letters are refused", arguments: ["4901542032375", "4901542032375189", "49015420323751X", "1234567890123456789"])
    func refuses(input: String) {
        #expect(throws: FieldError.self) { try IMEI.normalize(input) }
    }

    @Test("the Luhn digit of every prefix makes a valid IMEI")
    func luhnRoundTrip() throws {
        for seed in 0..<200 {
            var digits: [Int] = []
            var value = seed &* 2_654_435_761 &+ 12345
            for _ in 0..<14 {
                digits.append(abs(value % 10))
                value = value / 10 &+ seed &* 7 &+ 3
            }
            let imei = digits.map(String.init).joined() + String(IMEI.checkDigit(digits))
            #expect(try IMEI.normalize(imei) == imei)
            let wrong = digits.map(String.init).joined() + String((IMEI.checkDigit(digits) + 1) % 10)
            #expect(throws: FieldError.self) { try IMEI.normalize(wrong) }
        }
    }
}
