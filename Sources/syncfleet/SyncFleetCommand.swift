import ArgumentParser
import FleetKit

/// `syncfleet`: runs fleets of SyncML phones.
struct SyncFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncfleet",
        abstract: "Run fleets of SyncML (OMA DS) phones: register, list and delete them; read and write WBXML.",
        discussion: """
            Every command works on a local SQLite store (--store, $SYNCFLEET_STORE, else \
            $XDG_DATA_HOME/syncfleet/fleet.sqlite). Global options may stand before or \
            after the subcommand name. Data goes to stdout, messages to stderr.

            Exit status: 0 success; 1 failure (store, I/O); 2 usage error; 3 invalid input \
            (a value, file or model was refused); 4 not found (client, user or store); \
            5 a batch ran but some rows were invalid or failed; 6 not allowed.
            """,
        version: "0.1.0",
        subcommands: [
            Register.self,
            ImportCSV.self,
            Clients.self,
            Provision.self,
            Alert.self,
            Pushes.self,
            Status.self,
            Settings.self,
            Sessions.self,
            Chatlog.self,
            Datastores.self,
            Users.self,
            Models.self,
            DecodeWBXML.self,
            DecodePush.self,
            EncodeWBXML.self,
            Serve.self,
        ]
    )

    @OptionGroup var globals: GlobalOptions
}
