import FleetKit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password without ever taking it from the command line:
/// from `--password-file`, else from stdin (prompting, without echo, on a terminal).
enum PasswordInput {
    static func read(file: String?, prompt: String) throws -> String {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw FleetError.badInput(file: file, line: nil, message: "cannot read the password file")
            }
            let text = String(decoding: data, as: UTF8.self)
            return String(text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first ?? "")
        }
        if isatty(0) == 1 {
            let first = try promptHidden(prompt)
            let second = try promptHidden("again: ")
            guard first == second else {
                throw FleetError.invalid(FieldError(field: "password", value: "", reason: "the two entries differ"))
            }
            return first
        }
        guard let line = readLine(strippingNewline: true) else {
            throw FleetError.invalid(FieldError(field: "password", value: "",
                reason: "none given: pipe it on stdin or name a file with --password-file"))
        }
        return line
    }

    private static func promptHidden(_ prompt: String) throws -> String {
        Console.writeError(prompt)
        var original = termios()
        tcgetattr(0, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        defer {
            tcsetattr(0, TCSAFLUSH, &original)
            Console.writeError("\n")
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
