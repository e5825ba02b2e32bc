import ArgumentParser

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add and list users (owners of phones, and API logins).",
        subcommands: [UsersAdd.self, UsersList.self])
}
