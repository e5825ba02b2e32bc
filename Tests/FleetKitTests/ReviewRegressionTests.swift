import Foundation
import Testing
@testable import FleetKit

@Suite("FleetKit regressions")
struct FleetKitRegressionTests {
    @Test("a bracketed trunk prefix is dropped: +44 (0)20 7946 0958")
    func trunkPrefix() throws {
        #expect(try PhoneNumber.normalize("+44 (0)20 7946 0958") == "+442079460958")
        #expect(try PhoneNumber.normalize("0049 (0)30 1234567") == "+49301234567")
    }

    @Test("tsv keeps a record on one line whatever line breaks a value holds")
    func tsvLineBreaks() throws {
        let sink = OutputSink.memory()
        let writer = RecordWriter<PhoneModel>(format: .tsv, sink: sink)
        try writer.write(PhoneModel(modelUUID: "1", title: "Nokia\r\nE71\u{2028}x", manufacturer: "Nokia\tOy", syncMLVersion: .v1_2,
                                    acceptsSAN12: true, provisioning: .omaCP, datastores: []))
        try writer.finish()
        #expect(sink.capturedText.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
        #expect(sink.capturedText.contains("Nokia  E71 x\tNokia Oy"))
    }

    @Test("page sizes are bounded")
    func pageLimit() {
        #expect(PageRequest(limit: 100_000).limit == PageRequest.maximumLimit)
        #expect(PageRequest(limit: Int.max).limit == PageRequest.maximumLimit)
        #expect(PageRequest(limit: -5).limit == 1)
    }
}
