import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes every SMS as a file `<client-uuid>.<setup|alert>.<n>.bin` holding the UDH
/// followed by the user data: the octets that would go to the SMS centre.
/// A file is written whole (temporary name, then rename), so a reader never sees half.
public struct DirectoryGateway: SMSGateway {
    public let directory: URL
    /// The directory, open: files are created relative to it (no path walk per SMS).
    private let handle: DirectoryHandle

    public init(path: String) throws(GatewayError) {
        directory = URL(fileURLWithPath: path, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed("cannot create directory \(path): \(error.localizedDescription)")
        }
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .writeFailed("cannot open directory \(path): \(String(cString: strerror(errno)))") }
        handle = DirectoryHandle(fd: fd)
    }

    public var name: String { "dir:\(directory.path)" }

    public func send(_ messages: [SMS], to phoneNumber: String, envelope: PushEnvelope) async throws(GatewayError) -> [GatewayReceipt] {
        var receipts: [GatewayReceipt] = []
        let unique = "\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        for (index, sms) in messages.enumerated() {
            let fileName = "\(envelope.clientUUID).\(envelope.kind.rawValue).\(index + 1).bin"
            let temporary = ".\(fileName).\(unique).tmp"
            // write(2) then rename(2): the file appears whole, replacing an earlier one atomically.
            let fd = openat(handle.fd, temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .writeFailed("\(directory.path)/\(temporary): \(String(cString: strerror(errno)))") }
            let octets = sms.octets
            let written = octets.withUnsafeBytes { writeAll(fd, $0) }
            let closed = close(fd)
            guard written == octets.count, closed == 0, renameat(handle.fd, temporary, handle.fd, fileName) == 0 else {
                let reason = String(cString: strerror(errno))
                unlinkat(handle.fd, temporary, 0)
                throw .writeFailed("\(directory.path)/\(fileName): \(reason)")
            }
            let id = index < envelope.messageIDs.count ? envelope.messageIDs[index] : fileName
            receipts.append(GatewayReceipt(messageID: id, answer: fileName))
        }
        return receipts
    }
}

/// An open directory, closed with its last user.
private final class DirectoryHandle: Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}

/// write(2) of a whole buffer (short writes continued); the octets written, or -1.
private func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
    var done = 0
    while done < buffer.count {
        let count = write(fd, buffer.baseAddress! + done, buffer.count - done)
        if count < 0 { if errno == EINTR { continue }; return -1 }
        done += count
    }
    return done
}
