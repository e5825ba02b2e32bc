import Testing
@testable import FleetKit

@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test("separators and 00 are normalised to E.164", arguments: [
        ("+4790981948", "+4790981948"),
        ("+47 909 81 948", "+4790981948"),
        ("0047 909-81-948", "+4790981948"),
        ("+1 (555) 010.0199", "+15550100199"),
        (" +44 20 7946 0958 ", "+442079460958"),
        ("+47\u{00A0}90066951", "+4790066951"),
    ])
    func normalises(input: String, expected: String) throws {
        #expect(try PhoneNumber.normalize(input) == expected)
    }

    @Test("a missing country code is refused, naming the value")
    func missingPlus() {
        #expect(throws: FieldError.self) { try PhoneNumber.normalize("90981948") }
        do {
            _ = try PhoneNumber.normalize("90981948")
        } catch {
            #expect(error.field == "phone_number")
            #expect(error.value == "90981948")
            #expect(error.reason.contains("country code is missing"))
        }
    }

    @Test("letters are refused with their position")
    func letters() {
        do {
            _ = try PhoneNumber.normalize("+47 9O9 81 948")
            Issue.record("accepted a letter")
        } catch {
            #expect(error.reason.contains("'O' at position 6"))
            #expect(error.errorDescription?.contains("\"+47 9O9 81 948\"") == true)
        }
    }

    @Test("too short, too long, plus in the middle, empty, scientific notation", arguments: [
        "+4790", "+1234567890123456", "+47+90981948", "", "   ", "4.79098E+09", "+047909819",
    ])
    func refuses(input: String) {
        #expect(throws: FieldError.self) { try PhoneNumber.normalize(input) }
    }
}
