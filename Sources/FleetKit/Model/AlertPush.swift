import Foundation
import PhonePush

/// How a model's phones want their server alerts delivered: the SAN's WSP content type and
/// the WDP ports of every alert (SAN 1.2 and the SyncML 1.1 package 0). Catalogue columns
/// `san_content_type`, `alert_port` and `alert_source_port`; the defaults are what most
/// phones of the era take.
public struct AlertPush: Sendable, Hashable, Codable {
    /// 0x4E `application/vnd.syncml.ds.notification`, or 0x44 (the DM-style type some phones want).
    public var contentType: UInt8
    public var destinationPort: UInt16
    public var sourcePort: UInt16

    public static let standard = AlertPush(contentType: PushMessage.dsNotification, destinationPort: 2948, sourcePort: 9200)
    /// The content types a SAN may travel as.
    public static let contentTypes: [UInt8] = [0x44, 0x4E]

    public init(contentType: UInt8, destinationPort: UInt16, sourcePort: UInt16) {
        self.contentType = contentType
        self.destinationPort = destinationPort
        self.sourcePort = sourcePort
    }

    /// `0x4E` or `0x44`.
    public var contentTypeText: String { "0x" + String(contentType, radix: 16, uppercase: true) }

    /// Reads the catalogue's text; an empty or missing field keeps the standard value.
    public init(contentType: String?, port: String?, sourcePort: String?) throws(FieldError) {
        self = .standard
        if let text = contentType?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let digits = text.lowercased().hasPrefix("0x") ? String(text.dropFirst(2)) : text
            guard let value = UInt8(digits, radix: 16), Self.contentTypes.contains(value) else {
                throw FieldError(field: "san_content_type", value: text, reason: "a SAN travels as 0x4E or 0x44")
            }
            self.contentType = value
        }
        func parsePort(_ field: String, _ text: String?) throws(FieldError) -> UInt16? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = UInt16(text), value > 0 else {
                throw FieldError(field: field, value: text, reason: "a WDP port is 1 to 65535")
            }
            return value
        }
        if let value = try parsePort("alert_port", port) { destinationPort = value }
        if let value = try parsePort("alert_source_port", sourcePort) { self.sourcePort = value }
    }
}
