/// The sync settings one phone gets: everything an OMA CP `w5` application or a
/// Nokia OTA SyncSettings document carries.
public struct DSProfile: Sendable, Hashable {
    /// How the phone authenticates to the sync server (SyncML-level credentials).
    public enum AuthType: String, Sendable, Hashable, CaseIterable, Codable {
        case basic = "BASIC"
        case digest = "DIGEST"
    }

    /// One server datastore the profile syncs.
    public struct Resource: Sendable, Hashable {
        /// The server URI (`contacts`), matched case-sensitively by phones against SAN URIs.
        public var uri: String
        /// The display name (`Contacts`).
        public var name: String
        /// The MIME type the phone should send (`text/x-vcard`).
        public var accept: String

        public init(uri: String, name: String, accept: String) {
            self.uri = uri
            self.name = name
            self.accept = accept
        }
    }

    /// A GPRS access point (OMA CP `NAPDEF`), for phones without one.
    public struct AccessPoint: Sendable, Hashable {
        public var napID: String
        public var name: String
        public var apn: String
        public var username: String?
        public var password: String?

        public init(napID: String = "NAP1", name: String, apn: String, username: String? = nil, password: String? = nil) {
            self.napID = napID
            self.name = name
            self.apn = apn
            self.username = username
            self.password = password
        }
    }

    /// The profile name the phone shows (the setup name, `SyncServer`).
    public var name: String
    /// The server id the phone stores (SANs must repeat it exactly).
    public var providerID: String
    /// The sync URL (`http://sync.example.net:8080/sync`).
    public var serverURL: String
    /// `1.2` or `1.1`, from the phone model.
    public var protocolVersion: String
    public var authType: AuthType
    public var username: String
    public var password: String
    public var resources: [Resource]
    public var accessPoint: AccessPoint?

    public init(name: String, providerID: String, serverURL: String, protocolVersion: String = "1.2",
                authType: AuthType = .basic, username: String, password: String, resources: [Resource],
                accessPoint: AccessPoint? = nil) {
        self.name = name
        self.providerID = providerID
        self.serverURL = serverURL
        self.protocolVersion = protocolVersion
        self.authType = authType
        self.username = username
        self.password = password
        self.resources = resources
        self.accessPoint = accessPoint
    }

    /// Length limits of the Nokia S60 DS provisioning adapter, which drops longer
    /// values without a word (the strictest phone whose source is public).
    var limitedValues: [(field: String, limit: Int, value: String)] {
        [
            ("NAME (setup name)", 50, name),
            ("PROVIDER-ID (server id)", 150, providerID),
            ("ADDR (sync URL)", 150, serverURL),
            ("AAUTHNAME (sync user name)", 80, username),
            ("AAUTHSECRET (sync password)", 22, password),
        ]
    }

    /// Refuses what a phone would silently drop.
    public func validate() throws(PushError) {
        for (field, limit, value) in limitedValues {
            if value.isEmpty { throw .missingValue(field: field) }
            if value.count > limit { throw .valueTooLong(field: field, limit: limit, length: value.count) }
        }
        if resources.isEmpty { throw .missingValue(field: "RESOURCE (the client has no datastores)") }
        for resource in resources where resource.uri.count > 125 {
            throw .valueTooLong(field: "RESOURCE URI \(resource.uri)", limit: 125, length: resource.uri.count)
        }
    }
}
