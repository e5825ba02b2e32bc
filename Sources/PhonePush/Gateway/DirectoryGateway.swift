import Foundation

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
            do {
                try Data(sms.octets).write(to: temporary)
                if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
                try FileManager.default.moveItem(at: temporary, to: target)
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw .writeFailed("\(target.path): \(error.localizedDescription)")
            }
            let id = index < envelope.messageIDs.count ? envelope.messageIDs[index] : fileName
            receipts.append(GatewayReceipt(messageID: id, answer: fileName))
        }
        return receipts
    }
}
