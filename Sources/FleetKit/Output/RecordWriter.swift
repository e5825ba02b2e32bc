import Foundation

/// Writes a stream of records in one ``OutputFormat``, record by record.
///
/// Nothing is held back except in `table` format, which reads the first
/// ``tableSample`` rows to size its columns and then streams the rest.
public final class RecordWriter<Record: OutputRecord> {
    /// Whether the output is a listing (array, feed) or one record (object, entry).
    public enum Shape: Sendable {
        case list
        case single
    }

    public let format: OutputFormat
    let sink: OutputSink
    let shape: Shape
    let atom: AtomContext
    let feedUpdated: Date?
    let nextURL: String?
    /// How many rows `table` format reads to size its columns.
    public static var tableSample: Int { 100 }

    private var count = 0
    private var started = false
    private var tableRows: [[String]] = []
    private var tableWidths: [Int]?

    /// - Parameters:
    ///   - feedUpdated: the Atom feed's `<updated>` (usually the newest record's).
    ///   - nextURL: the Atom feed's `<link rel="next">`, for a page of a longer listing.
    public init(format: OutputFormat, sink: OutputSink, shape: Shape = .list, atom: AtomContext = AtomContext(),
                feedUpdated: Date? = nil, nextURL: String? = nil) {
        self.nextURL = nextURL
        self.format = format
        self.sink = sink
        self.shape = shape
        self.atom = atom
        self.feedUpdated = feedUpdated
    }

    /// Writes one record.
    public func write(_ record: Record) throws {
        if !started { try start() }
        defer { count += 1 }
        switch format {
        case .csv:
            try sink.writeCSV(record.csvValues)
        case .tsv:
            try sink.write(record.tableValues.map(Self.tsvField).joined(separator: "\t") + "\n")
        case .ndjson:
            try sink.write(record.json.serialized() + "\n")
        case .json:
            if shape == .single {
                try sink.write(record.json.serialized() + "\n")
            } else {
                try sink.write((count == 0 ? "\n  " : ",\n  ") + record.json.serialized())
            }
        case .atom:
            if shape == .single {
                try sink.write(record.atomEntry(atom, indent: 0, standalone: true))
            } else {
                try sink.write(record.atomEntry(atom, indent: 2, standalone: false))
            }
        case .table:
            let values = record.tableValues.map(Self.tsvField)
            if let widths = tableWidths {
                try writeTableRow(values, widths: widths)
            } else {
                tableRows.append(values)
                if tableRows.count >= Self.tableSample { try flushTableSample() }
            }
        }
    }

    /// Ends the output (closes the array or feed) and flushes it.
    public func finish() throws {
        if !started { try start() }
        switch format {
        case .json where shape == .list:
            try sink.write(count == 0 ? "]\n" : "\n]\n")
        case .atom where shape == .list:
            try sink.write("</feed>\n")
        case .table:
            if tableWidths == nil { try flushTableSample() }
        default:
            break
        }
        try sink.flush()
    }

    private func start() throws {
        started = true
        switch format {
        case .csv:
            try sink.write(CSVLine.join(Record.csvFields) + "\n")
        case .json where shape == .list:
            try sink.write("[")
        case .atom where shape == .list:
            let feedURL = XMLText.escape(atom.url(Record.atomFeedPath))
            let updated = Timestamp.rfc3339(feedUpdated ?? Date(timeIntervalSince1970: 0))
            try sink.write("""
                <feed xmlns="\(AtomContext.atomNamespace)">
                  <author>
                    <name>\(XMLText.escape(atom.feedAuthor))</name>
                  </author>
                  <id>\(feedURL)</id>
                  <link href="\(feedURL)" rel="self" />
                \(nextURL.map { "  <link href=\"\(XMLText.escape($0))\" rel=\"next\" />\n" } ?? "")  <title>\(XMLText.escape(Record.atomFeedTitle))</title>
                  <updated>\(updated)</updated>

                """)
        default:
            break
        }
    }

    private func flushTableSample() throws {
        var widths = Record.tableFields.map(\.count)
        for row in tableRows {
            for (index, value) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], value.count)
            }
        }
        tableWidths = widths
        try writeTableRow(Record.tableFields, widths: widths)
        for row in tableRows { try writeTableRow(row, widths: widths) }
        tableRows = []
    }

    private func writeTableRow(_ values: [String], widths: [Int]) throws {
        var line = ""
        for (index, value) in values.enumerated() {
            if index == values.count - 1 {
                line += value
            } else {
                let width = index < widths.count ? widths[index] : value.count
                line += value + String(repeating: " ", count: max(0, width - value.count) + 2)
            }
        }
        try sink.write(line + "\n")
    }

    /// A field on one line: tabs and line breaks (any of them, CRLF included) become spaces.
    static func tsvField(_ value: String) -> String {
        func breaks(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": true
            default: false
            }
        }
        guard value.unicodeScalars.contains(where: breaks) else { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.map { breaks($0) ? " " : $0 }))
    }
}
