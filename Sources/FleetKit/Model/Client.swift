import Foundation

/// A registered SyncML client (a phone), as the seed's `<client>` element describes it.
///
/// Clients are never edited: a new phone is registered as a new client, even when
/// the number stays the same.
public struct Client: Sendable, Codable, Hashable {
    public var uuid: String
    public var userID: Int64
    /// The owner's user name.
    public var userName: String
    /// The owner's email, shown as the Atom entry's author.
    public var userEmail: String
    /// The model's title (`Nokia 6233`).
    public var title: String
    /// E.164, with the leading `+`.
    public var phoneNumber: String
    public var modelUUID: String
    /// 15 digits, or `nil` when unknown.
    public var imei: String?
    /// An IANA time zone name.
    public var timezone: String
    public var datastores: [DatastoreBinding]
    /// The last setup sent to the phone, if any.
    public var setup: SetupRecord?
    public var published: Date
    public var updated: Date

    public init(uuid: String, userID: Int64, userName: String, userEmail: String, title: String,
                phoneNumber: String, modelUUID: String, imei: String?, timezone: String,
                datastores: [DatastoreBinding], setup: SetupRecord?, published: Date, updated: Date) {
        self.uuid = uuid
        self.userID = userID
        self.userName = userName
        self.userEmail = userEmail
        self.title = title
        self.phoneNumber = phoneNumber
        self.modelUUID = modelUUID
        self.imei = imei
        self.timezone = timezone
        self.datastores = datastores
        self.setup = setup
        self.published = published
        self.updated = updated
    }
}
