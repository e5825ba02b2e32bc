/// How the SyncML server behaves.
public struct SyncServerConfiguration: Sendable {
    /// The server's device id in its DevInf.
    public var serverID: String
    /// The scheme asked for in a `Chal` (401/407).
    public var challenge: SyncAuthType
    /// The schemes accepted.
    public var acceptedAuth: Set<SyncAuthType>
    /// Conflict policy per dataclass; ``defaultConflictPolicy`` for the others.
    public var conflictPolicies: [SyncDataclass: ConflictPolicy]
    /// The policy when a dataclass has none of its own: server wins.
    public var defaultConflictPolicy: ConflictPolicy
    /// The largest message the server accepts (its `MaxMsgSize`).
    public var maxMsgSize: Int
    /// The message size assumed for a phone that states none.
    public var defaultClientMaxMsgSize: Int
    /// Failed authentications after which a session ends.
    public var maxAuthFailures: Int
    /// The largest item accepted (its `MaxObjSize`); larger ones get 413.
    public var maxObjectSize = 4_000_000

    public init(serverID: String = "syncfleet", challenge: SyncAuthType = .md5, acceptedAuth: Set<SyncAuthType> = [.basic, .md5],
                conflictPolicies: [SyncDataclass: ConflictPolicy] = [:], defaultConflictPolicy: ConflictPolicy = .serverWins,
                maxMsgSize: Int = 1_000_000, defaultClientMaxMsgSize: Int = 65_536, maxAuthFailures: Int = 3) {
        self.serverID = serverID
        self.challenge = challenge
        self.acceptedAuth = acceptedAuth
        self.conflictPolicies = conflictPolicies
        self.defaultConflictPolicy = defaultConflictPolicy
        self.maxMsgSize = maxMsgSize
        self.defaultClientMaxMsgSize = defaultClientMaxMsgSize
        self.maxAuthFailures = maxAuthFailures
    }

    /// The policy for a dataclass.
    public func conflictPolicy(for dataclass: SyncDataclass) -> ConflictPolicy {
        conflictPolicies[dataclass] ?? defaultConflictPolicy
    }
}

/// What happens when a phone changes an item that another phone changed since this one last synced.
public enum ConflictPolicy: String, Sendable, CaseIterable, Codable {
    /// The server's version stays and is sent to the phone (status 419).
    case serverWins = "server-wins"
    /// The phone's version replaces the server's (status 208).
    case clientWins = "client-wins"
    /// The version with the newer `REV`/`LAST-MODIFIED`/`DTSTAMP` wins; the server's when neither says.
    case newestWins = "newest-wins"
    /// Both are kept: the phone's becomes a new item, the server's is sent to the phone (status 209).
    case duplicate
}
