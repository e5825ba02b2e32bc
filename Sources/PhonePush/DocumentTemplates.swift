import Foundation
import WBXML

/// Encoded settings documents by everything but the credentials (``WBXMLTemplate``): a fleet's
/// phones share a few shapes (one per model and setup name), so a push run encodes each shape
/// once and fills in every phone's user name and password. Bounded: past 256 shapes it starts afresh.
final class DocumentTemplates: @unchecked Sendable {
    /// Placeholders that no real value equals: control characters pass through the encoder as text.
    static let username = "\u{1}sync-user\u{1}"
    static let password = "\u{1}sync-pw\u{1}"

    private let lock = NSLock()
    private var templates: [DSProfile: WBXMLTemplate?] = [:]

    /// The encoded document of `profile`: from its shape's template, or from `encode` when the
    /// shape allows none or a value needs the full encoder. `document` builds a document for a profile.
    /// - Parameters:
    ///   - placeholders: how the two placeholders stand in the shape's document (Nokia's `Cred` is base64).
    ///   - fill: what stands there in `profile`'s document.
    func encoded(_ profile: DSProfile, placeholders: [String], fill: [String], document: (DSProfile) throws(PushError) -> WBXMLDocument,
                 encoder: WBXMLEncoder) throws(PushError) -> [UInt8] {
        var shape = profile
        shape.username = Self.username
        shape.password = Self.password
        lock.lock()
        let cached = templates[shape]
        lock.unlock()
        let template: WBXMLTemplate?
        if let cached {
            template = cached
        } else {
            template = try? WBXMLTemplate(encoding: try document(shape), placeholders: placeholders, encoder: encoder)
            lock.lock()
            if templates.count >= 256 { templates.removeAll() }
            templates[shape] = .some(template)
            lock.unlock()
        }
        if let bytes = template?.filled(fill) { return bytes }
        do {
            return try encoder.encode(try document(profile))
        } catch let error as PushError {
            throw error
        } catch {
            throw .malformed(what: "settings document", offset: 0, reason: error.localizedDescription)
        }
    }
}
