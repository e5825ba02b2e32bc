import ArgumentParser
import FleetKit

struct UsersAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user; creates the store when there is none.",
        discussion: """
            The password is read from --password-file, else from stdin (on a terminal, \
            asked twice without echo); it is never taken from the command line. It is \
            stored as a salted PBKDF2-SHA512 hash.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The user name (letters, digits, '.', '_', '-').", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The user's email address.", valueName: "email"))
    var email: String

    @Flag(help: "Make the user an administrator (sees every user's phones and chatlogs).")
    var admin = false

    @Option(name: .customLong("password-file"), help: ArgumentHelp("Read the password from the first line of this file.", valueName: "path"))
    var passwordFile: String?

    func run() async throws {
        let context = CommandContext(globals)
        // Check every field before the store is opened (and created): a refused command writes nothing.
        _ = try UserFields.name(name)
        _ = try UserFields.email(email)
        let password = try UserFields.password(try PasswordInput.read(file: passwordFile, prompt: "password for \(name): "))
        let user = try await context.fleet(creating: true).addUser(
            NewUser(name: name, email: email, password: password, isAdmin: admin))
        try context.print(single: user)
    }
}
