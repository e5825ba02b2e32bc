import ArgumentParser
import FleetKit
import Foundation

struct ClientsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete clients: all that are named, or none if any is unknown.",
        discussion: "`-` reads uuids from stdin, one per line (the first tab-separated field counts, so `clients list | … | clients delete -` works).")

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("The uuids of the clients, or - for stdin.", valueName: "uuid"))
    var uuids: [String]

    func validate() throws {
        if uuids.isEmpty { throw ValidationError("name at least one client uuid (or - to read them from stdin)") }
    }

    func run() async throws {
        let context = CommandContext(globals)
        var wanted: [String] = []
        for uuid in uuids {
            if uuid == "-" {
                while let line = readLine() {
                    let field = line.split(separator: "\t", maxSplits: 1).first.map(String.init) ?? ""
                    let trimmed = field.trimmingCharacters(in: .whitespaces)
                    if !trimmed.isEmpty && trimmed != "uuid" && trimmed != "UUID" { wanted.append(trimmed) }
                }
            } else {
                wanted.append(uuid)
            }
        }
        if wanted.isEmpty {
            context.console.note("no uuids on stdin; nothing deleted")
            return
        }
        try await context.fleet().deleteClients(uuids: wanted)
        context.console.note("deleted \(wanted.count) client\(wanted.count == 1 ? "" : "s")")
    }
}
