#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor (stdout by default).
///
/// Output streams: the buffer is flushed whenever it holds 64 KiB, so memory
/// stays flat however many records pass through.
public final class OutputSink {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Collects everything written, instead of a descriptor (for tests).
    private var captured: [UInt8]?

    /// A sink on `descriptor` (1 = stdout).
    public init(descriptor: Int32 = 1, capacity: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// A sink that keeps what is written in memory; read it with ``capturedText``.
    public static func memory() -> OutputSink {
        let sink = OutputSink(descriptor: -1)
        sink.captured = []
        return sink
    }

    /// What a ``memory()`` sink received.
    public var capturedText: String {
        try? flush()
        return String(decoding: captured ?? [], as: UTF8.self)
    }

    /// Takes what a ``memory()`` sink holds so far, leaving it empty (for chunked HTTP bodies).
    public func takeCaptured() -> [UInt8] {
        try? flush()
        defer { captured = [] }
        return captured ?? []
    }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { descriptor >= 0 && isatty(descriptor) == 1 }

    /// Appends text.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends one CSV record (RFC 4180, as ``CSVLine`` formats it) and its line end, straight into the buffer.
    public func writeCSV(_ fields: [String]) throws {
        // The buffer is moved into a local for the record: one exclusivity check instead of one per byte.
        var out: [UInt8] = []
        swap(&out, &buffer)
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(0x2C) }
            var text = field
            text.withUTF8 { bytes in
                if CSVLine.needsQuotes(bytes) {
                    out.append(0x22)
                    for byte in bytes {
                        if byte == 0x22 { out.append(0x22) }
                        out.append(byte)
                    }
                    out.append(0x22)
                } else {
                    out.append(contentsOf: bytes)
                }
            }
        }
        out.append(0x0A)
        swap(&out, &buffer)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends bytes.
    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws {
        if buffer.isEmpty { return }
        if captured != nil {
            captured!.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.write(descriptor, raw.baseAddress, raw.count)
                #elseif canImport(Musl)
                Musl.write(descriptor, raw.baseAddress, raw.count)
                #else
                Darwin.write(descriptor, raw.baseAddress, raw.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                buffer.removeAll(keepingCapacity: true)
                throw OutputError.writeFailed(errno: code)
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writing output failed.
public enum OutputError: Error, Sendable {
    /// `write(2)` failed; `EPIPE` means the reader went away (`… | head`).
    case writeFailed(errno: Int32)

    /// Whether the reader closed the pipe, which is not an error worth a message.
    public var isBrokenPipe: Bool {
        if case .writeFailed(let code) = self { return code == EPIPE }
        return false
    }
}
