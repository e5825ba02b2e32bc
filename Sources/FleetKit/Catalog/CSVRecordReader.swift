import Foundation

/// A streaming RFC 4180 reader that knows where each record starts.
///
/// Written by hand rather than taken from CSV.swift: that library reads its input one
/// byte per call through type-erased iterators, reports reaching the end of a file as a
/// read error on Linux, and cannot say on which line a record starts. Operators fix
/// spreadsheets by line number, and imports must keep up with `sqlite3 .import`, so
/// this reader parses bytes in 64 KiB chunks, tracks physical lines (records may span
/// lines inside quotes), and accepts what spreadsheets export: a UTF-8 BOM, CRLF or
/// LF or CR line ends, `,` `;` or tab delimiters (detected from the header), quoted
/// fields with line breaks, and blank lines.
public final class CSVRecordReader {
    /// The name used in messages (`-` for stdin).
    public let source: String
    /// The field delimiter in use.
    public private(set) var delimiter: UInt8
    private let handle: FileHandle
    private var chunk: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1

    /// Opens `path` (`-` for stdin). `delimiter` `nil` detects `,`, `;` or tab from the first line.
    public init(path: String, delimiter: UInt8? = nil) throws {
        source = path
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw FleetError.badInput(file: path, line: nil, message: "cannot open the file (does it exist, may it be read?)")
            }
            handle = opened
        }
        self.delimiter = delimiter ?? UInt8(ascii: ",")
        try fill()
        if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        if delimiter == nil { self.delimiter = detectDelimiter() }
    }

    /// The next record and the line it starts on; `nil` at the end. Blank lines come back as one empty field.
    public func next() throws -> (line: Int, fields: [String])? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false          // inside a quoted field
        var closing = false         // saw a quote inside it: either the first of "" or the end
        var fieldWasQuoted = false
        var sawAnything = false
        var startLine = line

        func endField() throws {
            guard let text = String(bytes: field, encoding: .utf8) else {
                throw FleetError.badInput(file: source, line: startLine,
                                          message: "field \(fields.count + 1) is not valid UTF-8 (save the file as UTF-8)")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }

        while let byte = try nextByte() {
            let afterCR = lastWasCR
            lastWasCR = byte == 0x0D
            if byte == 0x0A && afterCR {
                // The LF of a CRLF: the line was counted at the CR.
                if quoted && !closing { field.append(byte) }
                continue
            }
            if !sawAnything {
                sawAnything = true
                startLine = line
            }
            if quoted {
                if closing {
                    if byte == 0x22 {
                        field.append(0x22)
                        closing = false
                        continue
                    }
                    quoted = false
                    closing = false
                    guard byte == delimiter || byte == 0x0A || byte == 0x0D else {
                        throw FleetError.badInput(file: source, line: line, message:
                            "field \(fields.count + 1): text after the closing quote (a quote inside a quoted field is written \"\")")
                    }
                } else if byte == 0x22 {
                    closing = true
                    continue
                } else {
                    if byte == 0x0A || byte == 0x0D { line += 1 }
                    field.append(byte)
                    continue
                }
            }
            if byte == delimiter {
                try endField()
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                line += 1
                try endField()
                return (startLine, fields)
            }
            if byte == 0x22 && field.isEmpty && !fieldWasQuoted {
                quoted = true
                fieldWasQuoted = true
                continue
            }
            field.append(byte)
        }
        if quoted && !closing {
            throw FleetError.badInput(file: source, line: startLine,
                                      message: "field \(fields.count + 1): a quote opened here is never closed")
        }
        if !sawAnything { return nil }
        try endField()
        return (startLine, fields)
    }

    private var lastWasCR = false
    private var consumedBefore = 0

    /// Whether the input looks like JSON lines (its first non-blank byte is `{`), not CSV.
    public var looksLikeJSONLines: Bool {
        chunk[position...].first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } == UInt8(ascii: "{")
    }

    /// The next raw line (without its line end) and its number, for line-oriented input
    /// such as NDJSON; `nil` at the end.
    public func nextLine() throws -> (line: Int, text: String)? {
        var bytes: [UInt8] = []
        var sawAnything = false
        while let byte = try nextByte() {
            sawAnything = true
            if byte == 0x0A { break }
            bytes.append(byte)
        }
        guard sawAnything else { return nil }
        if bytes.last == 0x0D { bytes.removeLast() }
        defer { line += 1 }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw FleetError.badInput(file: source, line: line, message: "the line is not valid UTF-8")
        }
        return (line, text)
    }

    /// How many bytes of the input have been read so far, to the last 64 KiB block (for
    /// progress). Safe to read from another thread while this reader parses.
    public var bytesRead: Int { progressLock.withLock { bytesFilled } }
    private let progressLock = NSLock()
    private var bytesFilled = 0

    @inline(__always)
    private func nextByte() throws -> UInt8? {
        if position >= chunk.count {
            if atEnd { return nil }
            try fill()
            if position >= chunk.count { return nil }
        }
        defer { position += 1 }
        return chunk[position]
    }

    private func fill() throws {
        let data: Data
        do {
            data = try handle.read(upToCount: 64 * 1024) ?? Data()
        } catch {
            throw FleetError.badInput(file: source, line: line, message: "read failed: \(error.localizedDescription)")
        }
        consumedBefore += chunk.count
        let filled = consumedBefore + data.count
        progressLock.withLock { bytesFilled = filled }
        if data.isEmpty {
            atEnd = true
            chunk = []
        } else {
            chunk = Array(data)
        }
        position = 0
    }

    /// The most frequent of `,`, `;` and tab outside quotes on the first line (`,` on a tie).
    private func detectDelimiter() -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 0x09: 0]
        var inQuotes = false
        var index = position
        while index < chunk.count {
            let byte = chunk[index]
            if byte == 0x22 { inQuotes.toggle() }
            if !inQuotes {
                if byte == 0x0A || byte == 0x0D { break }
                if counts[byte] != nil { counts[byte]! += 1 }
            }
            index += 1
        }
        let comma = counts[UInt8(ascii: ",")]!, semicolon = counts[UInt8(ascii: ";")]!, tab = counts[0x09]!
        if semicolon > comma && semicolon >= tab { return UInt8(ascii: ";") }
        if tab > comma && tab > semicolon { return 0x09 }
        return UInt8(ascii: ",")
    }
}
