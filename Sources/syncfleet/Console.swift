#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages for people, on stderr: notes and warnings (silenced by `--quiet`) and errors.
/// Library diagnostics go through swift-log (``StderrLogHandler``), shown with `--verbose`.
struct Console: Sendable {
    var quiet = false

    /// A note that the command did something worth knowing (`registered already`).
    func note(_ message: String) {
        if !quiet { Console.writeError("syncfleet: \(message)\n") }
    }

    /// A warning (silenced by `--quiet`, which keeps only errors).
    func warn(_ message: String) {
        if !quiet { Console.writeError("syncfleet: warning: \(message)\n") }
    }

    /// An error, always shown.
    static func error(_ message: String) {
        writeError("syncfleet: error: \(message)\n")
    }

    static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(2, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
