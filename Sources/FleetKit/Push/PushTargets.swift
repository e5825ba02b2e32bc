import Foundation

/// One phone a batch works on, and where it came from.
public struct PushTarget: Sendable, Hashable {
    /// The input line (`--from`), when there was one.
    public var line: Int?
    public var uuid: String
    /// A per-phone PIN (a `pin` column).
    public var pin: String?
    /// A per-phone IMSI (an `imsi` column).
    public var imsi: String?
    /// Why the input row cannot be used; the batch reports it as invalid.
    public var problem: String?

    public init(line: Int? = nil, uuid: String, pin: String? = nil, imsi: String? = nil, problem: String? = nil) {
        self.line = line
        self.uuid = uuid
        self.pin = pin
        self.imsi = imsi
        self.problem = problem
    }
}

/// Reads the phones of `--from FILE|-`: what `import-csv` and `clients list` print, as
/// CSV/TSV with a `uuid` column, or NDJSON objects with a `uuid` field; an optional
/// `pin` and `imsi` per phone. Rows without a uuid (invalid import rows) are left out
/// and counted. Streams: one row in memory at a time.
public final class PushTargetReader {
    public let source: String
    private let reader: CSVRecordReader
    private let json: Bool
    private var header: [String] = []
    private var columns: (uuid: Int, pin: Int?, imsi: Int?) = (0, nil, nil)
    /// Headerless rows (the `tsv` that commands print into a pipe): the uuid is the field shaped like one.
    private var headerless = false
    private var firstRow: (line: Int, fields: [String])?
    /// Rows left out because they carry no uuid.
    public private(set) var skippedWithoutUUID = 0

    public init(path: String) throws {
        source = path
        reader = try CSVRecordReader(path: path)
        json = reader.looksLikeJSONLines
        guard !json else { return }
        while let (line, row) = try reader.next() {
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            header = row.map(CSVTableReader.fold)
            guard let uuid = header.firstIndex(of: "uuid") else {
                // No header: rows as `import-csv` and `clients list` print them as tsv into a pipe.
                if row.count > 1 && reader.delimiter == 0x09 {
                    headerless = true
                    firstRow = (line, row)
                    return
                }
                throw FleetError.badInput(file: path, line: line, message: "no uuid column (the header is \(row.joined(separator: ", ")))")
            }
            columns = (uuid, header.firstIndex(of: "pin") ?? header.firstIndex(of: "pincode"), header.firstIndex(of: "imsi"))
            return
        }
        throw FleetError.badInput(file: path, line: 1, message: "the file is empty; it needs a header row with a uuid column")
    }

    /// The next phone, or `nil` at the end.
    public func next() throws -> PushTarget? {
        if json {
            while let (line, text) = try reader.nextLine() {
                if text.allSatisfy(\.isWhitespace) { continue }
                guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                    return PushTarget(line: line, uuid: "", problem: "\(source):\(line): not a JSON object")
                }
                guard let uuid = object["uuid"] as? String, !uuid.isEmpty else {
                    skippedWithoutUUID += 1
                    continue
                }
                return PushTarget(line: line, uuid: uuid, pin: Self.text(object["pin"] ?? object["pincode"]), imsi: Self.text(object["imsi"]))
            }
            return nil
        }
        while let (line, row) = try firstRow.take() ?? reader.next() {
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if headerless {
                guard let uuid = row.first(where: Self.isUUID) else {
                    skippedWithoutUUID += 1
                    continue
                }
                return PushTarget(line: line, uuid: uuid)
            }
            let uuid = columns.uuid < row.count ? row[columns.uuid].trimmingCharacters(in: .whitespaces) : ""
            guard !uuid.isEmpty, uuid != "-" else {
                skippedWithoutUUID += 1
                continue
            }
            func value(_ index: Int?) -> String? {
                guard let index, index < row.count else { return nil }
                let text = row[index].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            return PushTarget(line: line, uuid: uuid, pin: value(columns.pin), imsi: value(columns.imsi))
        }
        return nil
    }

    static func isUUID(_ text: String) -> Bool {
        text.count == 36 && UUID(uuidString: text) != nil
    }

    static func text(_ value: Any?) -> String? {
        switch value {
        case let text as String: text.isEmpty ? nil : text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}
