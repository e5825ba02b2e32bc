import FleetKit

/// What the API needs from a store: checking logins, and the fleet as a user sees it.
public protocol FleetBackend: Sendable {
    /// The user with this name and password, or `nil`.
    func authenticate(name: String, password: String) async throws -> User?
    /// The fleet as `user` sees it (their phones, or all of them for an administrator).
    func fleet(for user: User) -> any Fleet
    /// Records a gateway's delivery report for the SMS with this id; `false` when none has it.
    func recordDeliveryReport(messageID: String, type: Int) async throws -> Bool
}

extension LocalFleet: FleetBackend {
    public func fleet(for user: User) -> any Fleet { acting(as: user) }
}
