/// What became of one row of an import: one result per input row, in input order.
public struct ImportResult: Sendable, Hashable {
    /// What happened to the row.
    public enum Status: String, Sendable, Hashable {
        /// A new client.
        case created
        /// The phone was registered already (same user, number, model and IMEI).
        case exists
        /// The row does not validate (a value, the model, a missing column).
        case invalid
        /// The row validated but could not be written (the store or the server failed).
        case failed
        /// `--dry-run`: the row would be registered.
        case valid
    }

    /// The line of the input file the row starts on.
    public var line: Int
    public var status: Status
    /// The client's uuid (created or exists).
    public var uuid: String?
    /// The phone number as written in the file.
    public var phone: String
    /// The model as written in the file.
    public var model: String
    /// What was wrong, in words.
    public var error: String?

    public init(line: Int, status: Status, uuid: String? = nil, phone: String, model: String, error: String? = nil) {
        self.line = line
        self.status = status
        self.uuid = uuid
        self.phone = phone
        self.model = model
        self.error = error
    }
}

extension ImportResult: OutputRecord {
    /// The `uuid` column lets the result feed the next step of a pipeline (`provision --from`).
    public static let csvFields = ["line", "status", "uuid", "phone_number", "model", "error"]
    public var csvValues: [String] { [String(line), status.rawValue, uuid ?? "", phone, model, error ?? ""] }
    public static let tableFields = ["LINE", "STATUS", "UUID", "PHONE", "MODEL", "ERROR"]
    public var tableValues: [String] { [String(line), status.rawValue, uuid ?? "-", phone, model, error ?? ""] }

    public var json: JSONValue {
        .object([("line", .int(Int64(line))), ("status", .string(status.rawValue)), ("uuid", .optional(uuid)),
                 ("phone_number", .string(phone)), ("model", .string(model)), ("error", .optional(error))])
    }

    public static let atomFeedTitle = "SyncML Client Import"
    public static let atomFeedPath = "import/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        let id = uuid.map { XMLText.escape(context.url($0)) } ?? "urn:syncfleet:import:line:\(line)"
        return """
            \(pad)\(open)
            \(pad)  <id>\(id)</id>
            \(pad)  <title>line \(line): \(status.rawValue)</title>
            \(pad)  <updated>1970-01-01T00:00:00Z</updated>
            \(pad)  <import xmlns="\(AtomContext.namespace)" line="\(line)" status="\(status.rawValue)">
            \(pad)    <phone_number>\(XMLText.escape(phone))</phone_number>
            \(pad)    <model>\(XMLText.escape(model))</model>
            \(uuid.map { "\(pad)    <uuid>\($0)</uuid>\n" } ?? "")\(error.map { "\(pad)    <error>\(XMLText.escape($0))</error>\n" } ?? "")\(pad)  </import>
            \(pad)</entry>

            """
    }
}

/// Counts of an import, for the summary on stderr.
public struct ImportSummary: Sendable, Hashable {
    public var created = 0
    public var exists = 0
    public var invalid = 0
    public var failed = 0
    public var valid = 0

    public init() {}

    public var rows: Int { created + exists + invalid + failed + valid }

    /// Counts one result.
    public mutating func count(_ status: ImportResult.Status) {
        switch status {
        case .created: created += 1
        case .exists: exists += 1
        case .invalid: invalid += 1
        case .failed: failed += 1
        case .valid: valid += 1
        }
    }
}
