import Foundation

/// Reads a CSV file with a header row, record by record, and knows the line each record starts on.
///
/// Records come from ``CSVRecordReader``; this adds the header, column lookup that
/// ignores case and spacing, and skipping of blank lines.
public final class CSVTableReader {
    /// The file name used in messages (`-` for stdin).
    public let source: String
    /// The header, as written.
    public let header: [String]
    private let reader: CSVRecordReader
    /// A read error an importer holds back until it has handled the rows read before it.
    var pendingError: (any Error)?

    /// Opens `path` (`-` for stdin); `delimiter` `nil` detects it from the header.
    /// - Throws: ``FleetError/badInput(file:line:message:)`` when the file cannot be read or has no header.
    public init(path: String, delimiter: UInt8? = nil) throws {
        source = path
        reader = try CSVRecordReader(path: path, delimiter: delimiter)
        while let (_, row) = try reader.next() {
            if Self.isBlank(row) { continue }
            header = row
            return
        }
        throw FleetError.badInput(file: path, line: 1, message: "the file is empty; it needs a header row")
    }

    /// How many bytes have been read (for progress).
    public var bytesRead: Int { reader.bytesRead }

    /// The next non-blank record and the line it starts on, or `nil` at the end.
    public func next() throws -> (line: Int, fields: [String])? {
        while let record = try reader.next() {
            if Self.isBlank(record.fields) { continue }
            return record
        }
        return nil
    }

    static func isBlank(_ row: [String]) -> Bool {
        row.allSatisfy { $0.allSatisfy(\.isWhitespace) }
    }

    /// The index of the first header column whose name, folded, is one of `names`.
    public func column(_ names: [String]) -> Int? {
        let wanted = Set(names.map(Self.fold))
        return header.firstIndex { wanted.contains(Self.fold($0)) }
    }

    /// Folds a header name: lower case, spaces, dashes and underscores dropped.
    public static func fold(_ name: String) -> String {
        String(name.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" && $0 != "." })
    }
}
