/// A phone model of the catalogue: what the fleet knows about a make of phone.
public struct PhoneModel: Sendable, Codable, Hashable {
    /// The opaque model id (`112`, or a UUID such as `02978288-537f-102b-beff-000ea60275d1`).
    public var modelUUID: String
    /// The title shown in a client's Atom entry (`Nokia 6233`).
    public var title: String
    public var manufacturer: String
    public var syncMLVersion: SyncMLVersion
    /// Whether the phone accepts DS 1.2 Server Alerted Notifications (else SyncML 1.1 alerts).
    public var acceptsSAN12: Bool
    public var provisioning: ProvisioningFormat
    /// The datastores a newly registered phone of this model gets.
    public var datastores: [DatastoreBinding]
    /// The content type and ports of the alerts this model's phones get.
    public var alertPush: AlertPush

    public init(modelUUID: String, title: String, manufacturer: String, syncMLVersion: SyncMLVersion,
                acceptsSAN12: Bool, provisioning: ProvisioningFormat, datastores: [DatastoreBinding],
                alertPush: AlertPush = .standard) {
        self.modelUUID = modelUUID
        self.title = title
        self.manufacturer = manufacturer
        self.syncMLVersion = syncMLVersion
        self.acceptsSAN12 = acceptsSAN12
        self.provisioning = provisioning
        self.datastores = datastores
        self.alertPush = alertPush
    }
}
