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

    public init(path: String) throws(GatewayError) {
        directory = URL(fileURLWithPath: path, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed("cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    public var name: String { "dir:\(directory.path)" }

    public func send(_ messages: [SMS], to phoneNumber: String, envelope: PushEnvelope) async throws(GatewayError) -> [GatewayReceipt] {
        var receipts: [GatewayReceipt] = []
        for (index, sms) in messages.enumerated() {
            let fileName = "\(envelope.clientUUID).\(envelope.kind.rawValue).\(index + 1).bin"
            let target = directory.appendingPathComponent(fileName)
            let temporary = directory.appendingPathComponent(".\(fileName).\(UUID().uuidString).tmp")
            // write(2) then rename(2): the file appears whole, replacing an earlier one atomically.
            let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .writeFailed("\(temporary.path): \(String(cString: strerror(errno)))") }
            let octets = sms.octets
            let written = octets.withUnsafeBytes { writeAll(fd, $0) }
            let closed = close(fd)
            guard written == octets.count, closed == 0, rename(temporary.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw .writeFailed("\(target.path): \(reason)")
            }
            let id = index < envelope.messageIDs.count ? envelope.messageIDs[index] : fileName
            receipts.append(GatewayReceipt(messageID: id, answer: fileName))
        }
        return receipts
    }
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
