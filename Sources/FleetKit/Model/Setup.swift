import Foundation

/// The last sync setup sent to a phone, shown as `<setup sent="…">NAME</setup>`.
public struct SetupRecord: Sendable, Codable, Hashable {
    /// The setup (profile) name, e.g. `SyncServer`.
    public var name: String
    /// When it was sent; `nil` while it is queued.
    public var sent: Date?

    public init(name: String, sent: Date?) {
        self.name = name
        self.sent = sent
    }
}
