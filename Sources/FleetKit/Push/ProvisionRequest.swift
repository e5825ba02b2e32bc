import PhonePush

/// What `provision` (and the seed's `POST /{uuid}/setup/`) asks for one phone.
public struct ProvisionRequest: Sendable, Hashable {
    /// The PIN the phone asks for (USERPIN, USERNETWPIN, USERPINMAC).
    public var pincode: String?
    /// The profile name the phone shows; the store's `setup-name` setting, else `SyncServer`.
    public var name: String?
    public var security: ProvisioningSecurity.Method
    /// The SIM's IMSI (NETWPIN, USERNETWPIN).
    public var imsi: String?
    /// Send again even when a setup was sent before.
    public var force: Bool
    /// Build and sign only: nothing goes to a gateway that sends, nothing is recorded.
    public var dryRun: Bool
    /// Put the phone's sync credentials in the result.
    public var revealCredentials: Bool
    /// Send again to a phone whose setup was sent but never reported delivered; skip only delivered ones.
    public var undeliveredOnly = false

    public init(pincode: String? = nil, name: String? = nil, security: ProvisioningSecurity.Method = .userpin,
                imsi: String? = nil, force: Bool = false, dryRun: Bool = false, revealCredentials: Bool = false) {
        self.pincode = pincode
        self.name = name
        self.security = security
        self.imsi = imsi
        self.force = force
        self.dryRun = dryRun
        self.revealCredentials = revealCredentials
    }
}

/// What `alert` (and the seed's `POST /{uuid}/sync/`) asks for one phone.
public struct AlertRequest: Sendable, Hashable {
    /// Datastores to sync, by dataclass or server URI; empty means all of the phone's.
    public var datastores: [String]
    public var syncType: ServerAlertedNotification.SyncType
    public var uiMode: ServerAlertedNotification.UIMode
    /// `1.1` or `1.2`; the phone model's choice when `nil`.
    public var sanVersion: String?
    public var dryRun: Bool

    public init(datastores: [String] = [], syncType: ServerAlertedNotification.SyncType = .twoWay,
                uiMode: ServerAlertedNotification.UIMode = .background, sanVersion: String? = nil, dryRun: Bool = false) {
        self.datastores = datastores
        self.syncType = syncType
        self.uiMode = uiMode
        self.sanVersion = sanVersion
        self.dryRun = dryRun
    }
}
