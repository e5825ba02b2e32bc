import ArgumentParser
import FleetKit

struct UsersAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user; creates the store when there is none.",
        discussion: """
            The password is read from --password-file, else from stdin (on a terminal, \
            asked twice without echo); it is never taken from the command line. It is \
            stored as a salted PBKDF2-SHA512 hash. With --remote, --password-file is the \
            login's password and the new user's comes from stdin; only administrators may \
            add users.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The user name (letters, digits, '.', '_', '-').", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The user's email address.", valueName: "email"))
    var email: String

    @Flag(help: "Make the user an administrator (sees every user's phones and chatlogs).")
    var admin = false

    func run() async throws {
        let context = CommandContext(globals)
        // Check every field before the store is opened (and created): a refused command writes nothing.
        _ = try UserFields.name(name)
        _ = try UserFields.email(email)
        // Locally --password-file holds the new password; with --remote it is the login's, and the new one comes on stdin.
        let file = context.remoteURL == nil ? globals.passwordFile : nil
        let password = try UserFields.password(try PasswordInput.read(file: file, prompt: "password for \(name): "))
        let user = try await context.fleet(creating: true).addUser(
            NewUser(name: name, email: email, password: password, isAdmin: admin))
        try context.print(single: user)
    }
}
