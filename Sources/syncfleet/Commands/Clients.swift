import ArgumentParser

struct Clients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and delete registered phones.",
        discussion: """
            There is no edit command, by design: a changed phone (a new model for the \
            same number) is registered as a new client, because a sync server keys its \
            state to the phone. Register the new phone and delete the old client.
            """,
        subcommands: [ClientsList.self, ClientsShow.self, ClientsDelete.self, ClientsCredentials.self])
}
