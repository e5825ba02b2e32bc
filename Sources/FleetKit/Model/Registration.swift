/// A request to register a phone, with its values as the user typed them.
///
/// ``Fleet/register(_:)`` validates and normalises every field.
public struct Registration: Sendable, Hashable {
    public var phoneNumber: String
    /// A `model_uuid` or a model title.
    public var model: String
    public var imei: String?
    public var timezone: String?
    /// The owner; `nil` means the only user of the store (local) or the caller (remote).
    public var user: String?
    /// Datastores instead of the model's defaults; `nil` takes the defaults.
    public var datastores: [DatastoreBinding]?
    /// The client's uuid, when a client moves from another ObexCode server and keeps its id; `nil` makes a new one.
    public var uuid: String?

    public init(phoneNumber: String, model: String, imei: String? = nil, timezone: String? = nil,
                user: String? = nil, datastores: [DatastoreBinding]? = nil, uuid: String? = nil) {
        self.uuid = uuid
        self.phoneNumber = phoneNumber
        self.model = model
        self.imei = imei
        self.timezone = timezone
        self.user = user
        self.datastores = datastores
    }
}

/// What ``Fleet/register(_:)`` did.
public enum RegistrationOutcome: String, Sendable, Hashable {
    /// A new client was created.
    case created
    /// The phone was registered already (same user, number, model and IMEI).
    case exists
}

/// The client a registration produced or found, and which of the two happened.
public struct RegistrationResult: Sendable, Hashable {
    public var client: Client
    public var outcome: RegistrationOutcome

    public init(client: Client, outcome: RegistrationOutcome) {
        self.client = client
        self.outcome = outcome
    }
}
