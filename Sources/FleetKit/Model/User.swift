import Foundation

/// A user of the fleet: the owner of phones, and an API login.
public struct User: Sendable, Codable, Hashable {
    public var id: Int64
    public var name: String
    public var email: String
    public var isAdmin: Bool
    public var created: Date

    public init(id: Int64, name: String, email: String, isAdmin: Bool, created: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.isAdmin = isAdmin
        self.created = created
    }
}

/// What it takes to add a user. The password is hashed before it is stored.
public struct NewUser: Sendable {
    public var name: String
    public var email: String
    public var password: String
    public var isAdmin: Bool

    public init(name: String, email: String, password: String, isAdmin: Bool) {
        self.name = name
        self.email = email
        self.password = password
        self.isAdmin = isAdmin
    }
}
