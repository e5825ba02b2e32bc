/// Narrows a client listing.
public struct ClientFilter: Sendable, Hashable {
    /// Only the clients of this user (by name).
    public var user: String?
    /// Only clients with this phone number (any accepted spelling; normalised before use).
    public var phoneNumber: String?
    /// Only clients of this model (by `model_uuid`).
    public var modelUUID: String?

    public init(user: String? = nil, phoneNumber: String? = nil, modelUUID: String? = nil) {
        self.user = user
        self.phoneNumber = phoneNumber
        self.modelUUID = modelUUID
    }
}
