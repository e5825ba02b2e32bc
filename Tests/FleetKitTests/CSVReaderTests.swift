import Foundation
import Testing
@testable import FleetKit

@Suite("CSV reading")
struct CSVReaderTests {
    @Test("a spreadsheet export: BOM, ';', CRLF, doubled quotes, a field with a line break, a blank line")
    func excel() throws {
        let reader = try CSVTableReader(path: fixtures.appendingPathComponent("csv/excel-semicolon-crlf.csv").path)
        #expect(reader.header == ["Phone", "Model", "IMEI"])
        #expect(reader.column(["phone_number", "phone"]) == 0)
        #expect(reader.column(["IMEI "]) == 2)
        var records: [(Int, [String])] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.count == 3)
        #expect(records[0].0 == 2)
        #expect(records[0].1 == ["+47 909 81 948", "Nokia 6233", "490154203237518"])
        #expect(records[1].0 == 4)
        #expect(records[1].1 == ["+47 900 66 951", "Nokia \"5800\" XpressMusic", ""])
        #expect(records[2].0 == 5)
        #expect(records[2].1 == ["+47 1", "two\r\nlines", "x"])
    }

    @Test("an unclosed quote names the line where it opened")
    func unclosed() throws {
        let reader = try CSVTableReader(path: fixtures.appendingPathComponent("csv/unclosed-quote.csv").path)
        #expect(try reader.next()?.line == 2)
        #expect {
            try reader.next()
        } throws: { error in
            error.localizedDescription.hasSuffix("unclosed-quote.csv:3: field 1: a quote opened here is never closed")
        }
    }

    @Test("text after a closing quote is an error, a lone quote inside a field is text")
    func quotes() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("q.csv").path
        try "a,b\n5\" screen,x\n\"ab\"c,d\n".write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try CSVTableReader(path: path)
        #expect(try reader.next()?.fields == ["5\" screen", "x"])
        #expect(throws: FleetError.self) { try reader.next() }
    }

    @Test("records larger than the read buffer stream through")
    func large() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.csv").path
        var text = "phone\ttext\n"
        for index in 0..<5000 { text += "+4790\(index)\t\"line \(index)\nsecond\"\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try CSVTableReader(path: path)
        #expect(reader.header == ["phone", "text"])
        var count = 0
        while let (line, fields) = try reader.next() {
            #expect(line == 2 + count * 2)
            #expect(fields == ["+4790\(count)", "line \(count)\nsecond"])
            count += 1
        }
        #expect(count == 5000)
    }
}

@Suite("Model catalogue")
struct ModelCatalogTests {
    @Test("the sample catalogue has 30+ models of four makers and the seed's ids")
    func sample() throws {
        let models = try ModelCatalog.read(path: repositoryRoot.appendingPathComponent("samples/models.csv").path)
        #expect(models.count >= 30)
        #expect(Set(models.map(\.manufacturer)).isSuperset(of: ["Nokia", "Sony Ericsson", "Samsung", "Motorola"]))
        let byID = Dictionary(uniqueKeysWithValues: models.map { ($0.modelUUID, $0) })
        #expect(byID["112"]?.title == "Nokia 5310 XpressMusic")
        #expect(byID["56"]?.title == "Nokia 5800 XpressMusic")
        #expect(byID["242"]?.title == "Nokia 6233")
        #expect(byID["02978288-537f-102b-beff-000ea60275d1"]?.title == "Nokia 6233")
        #expect(byID["56"]?.datastores == [
            DatastoreBinding(dataclass: .contacts, name: "C:Contacts.cdb"),
            DatastoreBinding(dataclass: .calendar, name: "C:Calendar"),
            DatastoreBinding(dataclass: .notes, name: "c:Notepad.dat"),
        ])
        #expect(models.allSatisfy { !$0.datastores.isEmpty })
    }

    @Test("a bad row names file, line and field", arguments: [
        ("models-bad-version.csv", "models-bad-version.csv:4: syncml_version: \"1.3\" is not one of 1.0, 1.1, 1.2"),
        ("models-bad-dataclass.csv", "models-bad-dataclass.csv:2: datastores: unknown dataclass \"Agenda\""),
    ])
    func badRows(file: String, message: String) {
        #expect {
            try ModelCatalog.read(path: fixtures.appendingPathComponent("csv/" + file).path)
        } throws: { error in
            error.localizedDescription.contains(message)
        }
    }
}
