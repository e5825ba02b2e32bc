import Foundation

/// Narrows a client listing.
public struct ClientFilter: Sendable, Hashable {
    /// Only the clients of this user (by name).
    public var user: String?
    /// Only clients with this phone number (any accepted spelling; normalised before use).
    public var phoneNumber: String?
    /// Only clients of this model (by `model_uuid`).
    public var modelUUID: String?
    /// Only clients that never synced successfully.
    public var neverSynced: Bool
    /// Only clients with a successful sync that started at or after this.
    public var syncedSince: Date?
    /// Only clients without a successful sync since this (never-synced ones included).
    public var notSyncedSince: Date?

    public init(user: String? = nil, phoneNumber: String? = nil, modelUUID: String? = nil, neverSynced: Bool = false,
                syncedSince: Date? = nil, notSyncedSince: Date? = nil) {
        self.user = user
        self.phoneNumber = phoneNumber
        self.modelUUID = modelUUID
        self.neverSynced = neverSynced
        self.syncedSince = syncedSince
        self.notSyncedSince = notSyncedSince
    }
}
