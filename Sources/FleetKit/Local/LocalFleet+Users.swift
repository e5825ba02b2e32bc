import Foundation
import GRDB

extension LocalFleet {
    public func addUser(_ user: NewUser) async throws -> User {
        try requireAdmin("add users")
        let name = try UserFields.name(user.name)
        let email = try UserFields.email(user.email)
        let password = try UserFields.password(user.password)
        let hash = try PasswordHasher.hash(password)
        let now = Self.seconds(clock())
        return try await database.write { db in
            if try UserRecord.filter(Column("name").collating(.nocase) == name).fetchCount(db) > 0 {
                throw FleetError.userExists(name)
            }
            var record = UserRecord(id: nil, name: name, email: email, passwordHash: hash, isAdmin: user.isAdmin, created: now)
            try record.insert(db)
            return User(id: record.id!, name: name, email: email, isAdmin: user.isAdmin, created: Self.date(now))
        }
    }

    public func users(page: PageRequest) async throws -> Page<User> {
        let after = page.after ?? ""
        let limit = page.limit
        let onlyID = isAdmin ? nil : actingUser?.id
        return try await database.read { db in
            var sql = "SELECT id, name, email, isAdmin, created FROM user WHERE name > ? COLLATE NOCASE"
            var arguments: StatementArguments = [after]
            if let onlyID {
                sql += " AND id = ?"
                arguments += [onlyID]
            }
            sql += " ORDER BY name COLLATE NOCASE LIMIT ?"
            arguments += [limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let users = rows.prefix(limit).map { row in
                User(id: row["id"], name: row["name"], email: row["email"], isAdmin: row["isAdmin"], created: Self.date(row["created"]))
            }
            return Page(items: users, next: rows.count > limit ? users.last?.name : nil)
        }
    }

    /// Checks a user's password (for the API's HTTP Basic authentication).
    /// - Returns: the user, or `nil` when the name is unknown or the password wrong.
    public func authenticate(name: String, password: String) async throws -> User? {
        let row = try database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, email, isAdmin, created, passwordHash FROM user WHERE name = ? COLLATE NOCASE",
                             arguments: [name])
        }
        guard let row else {
            // Spend the same time as a real check, so that timing does not tell which names exist.
            _ = PasswordHasher.verify(password, against: Self.dummyHash)
            return nil
        }
        guard PasswordHasher.verify(password, against: row["passwordHash"]) else { return nil }
        return User(id: row["id"], name: row["name"], email: row["email"], isAdmin: row["isAdmin"], created: Self.date(row["created"]))
    }

    /// A hash of a random password with the default rounds: checking against it costs what a real check costs.
    private static let dummyHash = "pbkdf2-sha512$210000$9k+AQv0BacA4d+fD0Va4tw==$ZSs6gPfH/AJaU64xHxL9nUfZ/gngLR/3N173hBgeXQs="

    /// The user named `name`, or an error that lists the users there are.
    func user(named name: String, in db: Database) throws -> User {
        if let row = try Row.fetchOne(db, sql: "SELECT id, name, email, isAdmin, created FROM user WHERE name = ? COLLATE NOCASE",
                                      arguments: [name]) {
            return User(id: row["id"], name: row["name"], email: row["email"], isAdmin: row["isAdmin"], created: Self.date(row["created"]))
        }
        let known = isAdmin ? try String.fetchAll(db, sql: "SELECT name FROM user ORDER BY name LIMIT 11") : []
        throw FleetError.userNotFound(name, known: known)
    }
}
