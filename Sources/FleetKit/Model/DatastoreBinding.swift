/// One datastore of a phone: its dataclass and the phone's local name for it
/// (`Contacts` → `C:Contacts.cdb` on an S60 phone).
public struct DatastoreBinding: Sendable, Codable, Hashable {
    /// What the datastore holds.
    public var dataclass: Dataclass
    /// The phone-side name of the datastore.
    public var name: String

    public init(dataclass: Dataclass, name: String) {
        self.dataclass = dataclass
        self.name = name
    }
}

extension DatastoreBinding {
    /// Parses the `Dataclass=name;Dataclass=name` list used in CSV files.
    ///
    /// `\;` and `\\` escape a semicolon or backslash inside a name.
    /// - Throws: ``FieldError`` naming the part that is not `Dataclass=name`.
    public static func parseList(_ text: String, field: String = "datastores") throws(FieldError) -> [DatastoreBinding] {
        var result: [DatastoreBinding] = []
        for part in splitEscaped(text) {
            let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw FieldError(field: field, value: text, reason: "\"\(trimmed)\" is not of the form Dataclass=name")
            }
            let cls = String(trimmed[..<eq]).trimmingCharacters(in: .whitespacesAndNewlines)
            let name = String(trimmed[trimmed.index(after: eq)...]).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let dataclass = Dataclass(parsing: cls) else {
                throw FieldError(field: field, value: text,
                                 reason: "unknown dataclass \"\(cls)\" (known: \(Dataclass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !name.isEmpty else {
                throw FieldError(field: field, value: text, reason: "datastore \(dataclass.rawValue) has an empty name")
            }
            result.append(DatastoreBinding(dataclass: dataclass, name: name))
        }
        return result
    }

    /// Formats a list as `Dataclass=name;Dataclass=name`, the inverse of ``parseList(_:field:)``.
    public static func formatList(_ list: [DatastoreBinding]) -> String {
        list.map { binding in
            var escaped = ""
            for ch in binding.name {
                if ch == ";" || ch == "\\" { escaped.append("\\") }
                escaped.append(ch)
            }
            return "\(binding.dataclass.rawValue)=\(escaped)"
        }.joined(separator: ";")
    }

    private static func splitEscaped(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for ch in text {
            if escaping {
                current.append(ch)
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else if ch == ";" {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts
    }
}
