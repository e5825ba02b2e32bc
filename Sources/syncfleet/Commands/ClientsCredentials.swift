import ArgumentParser
import FleetKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ClientsCredentials: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Set the sync credentials of a phone configured by hand.",
        discussion: """
            The phone then syncs with this user name and password (provision generates them \
            for the phones it sets up). The password comes from --password-file, else from \
            stdin when it is not a terminal; with neither, one is generated and printed. \
            --username keeps the current name when omitted (sf and 12 hex digits of the uuid \
            for a new one). Local store only.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The client's uuid.", valueName: "uuid"))
    var uuid: String

    @Option(help: ArgumentHelp("The user name the phone syncs with (1 to 80 characters).", valueName: "name"))
    var username: String?

    func run() async throws {
        let context = CommandContext(globals)
        var password: String?
        if let file = globals.passwordFile {
            password = try PasswordInput.read(file: file, prompt: "")
        } else if isatty(0) == 0 {
            password = readLine(strippingNewline: true).flatMap { $0.isEmpty ? nil : $0 }
        }
        let credentials = try await context.fleet().setCredentials(uuid: uuid, username: username, password: password)
        if password == nil {
            print("username\t\(credentials.username)\npassword\t\(credentials.password)")
        } else {
            print("username\t\(credentials.username)")
        }
    }
}
