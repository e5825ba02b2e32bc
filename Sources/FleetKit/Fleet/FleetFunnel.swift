import Foundation

/// How far a fleet's phones got, per model and in all: registered → setup sent → delivered →
/// first sync → synced lately. What `syncfleet status` prints and `GET /status` answers.
public struct FunnelRow: Sendable, Hashable, Codable {
    /// `nil` on the row of all models.
    public var modelUUID: String?
    public var title: String
    public var registered: Int
    /// Phones with a setup the gateway accepted.
    public var setupSent: Int
    /// Phones with a setup the SMS centre reported delivered.
    public var delivered: Int
    /// Phones with at least one successful sync.
    public var synced: Int
    /// Phones with a successful sync in the last ``FunnelRow/recentDays`` days.
    public var syncedRecently: Int

    /// What "lately" means.
    public static let recentDays = 7

    public init(modelUUID: String?, title: String, registered: Int, setupSent: Int, delivered: Int, synced: Int, syncedRecently: Int) {
        self.modelUUID = modelUUID
        self.title = title
        self.registered = registered
        self.setupSent = setupSent
        self.delivered = delivered
        self.synced = synced
        self.syncedRecently = syncedRecently
    }

    /// The counts in funnel order.
    public var stages: [Int] { [registered, setupSent, delivered, synced, syncedRecently] }
    public static let stageNames = ["registered", "setup_sent", "delivered", "first_sync", "synced_7d"]

    /// The row of all models: the sum of the model rows.
    public static func total(_ rows: [FunnelRow]) -> FunnelRow {
        rows.reduce(FunnelRow(modelUUID: nil, title: "all models", registered: 0, setupSent: 0, delivered: 0, synced: 0, syncedRecently: 0)) {
            FunnelRow(modelUUID: nil, title: $0.title, registered: $0.registered + $1.registered, setupSent: $0.setupSent + $1.setupSent,
                      delivered: $0.delivered + $1.delivered, synced: $0.synced + $1.synced, syncedRecently: $0.syncedRecently + $1.syncedRecently)
        }
    }

    /// `n (p%)` of the registered phones.
    static func share(_ count: Int, of total: Int) -> String {
        total == 0 ? "0" : String(format: "%d (%.1f%%)", count, Double(count) * 100 / Double(total))
    }
}

extension FunnelRow: OutputRecord {
    public static let csvFields = ["model_uuid", "title"] + stageNames
    public var csvValues: [String] { [modelUUID ?? "", title] + stages.map(String.init) }

    public static let tableFields = ["MODEL", "REGISTERED", "SETUP SENT", "DELIVERED", "FIRST SYNC", "SYNCED 7D"]
    public var tableValues: [String] {
        [title, String(registered)] + stages.dropFirst().map { Self.share($0, of: registered) }
    }

    public var json: JSONValue {
        .object([("model_uuid", .optional(modelUUID)), ("title", .string(title))]
                + zip(Self.stageNames, stages).map { ($0, .int(Int64($1))) })
    }

    public static let atomFeedTitle = "SyncML Fleet Status"
    public static let atomFeedPath = "status"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        var body = ""
        for (name, count) in zip(Self.stageNames, stages) { body += "\(pad)    <\(name)>\(count)</\(name)>\n" }
        return """
            \(pad)\(open)
            \(pad)  <id>\(XMLText.escape(context.url("status/" + (modelUUID ?? "all"))))</id>
            \(pad)  <title>\(XMLText.escape(title))</title>
            \(pad)  <updated>1970-01-01T00:00:00Z</updated>
            \(pad)  <funnel xmlns="\(AtomContext.namespace)">
            \(body)\(pad)  </funnel>
            \(pad)</entry>

            """
    }
}
