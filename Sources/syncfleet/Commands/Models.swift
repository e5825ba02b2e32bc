import ArgumentParser

struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import and list the phone model catalogue.",
        subcommands: [ModelsImport.self, ModelsList.self])
}
