/// The kind of data a phone datastore holds, as the seed's `dataclass` attribute names it.
public enum Dataclass: String, Sendable, Codable, CaseIterable, Hashable {
    case contacts = "Contacts"
    case calendar = "Calendar"
    case tasks = "Tasks"
    case notes = "Notes"

    /// Parses a dataclass name case-insensitively, accepting the common aliases
    /// phones use for server datastores (`card`, `cal`, `task`, `note`, …).
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "contacts", "contact", "card", "addressbook", "vcard": self = .contacts
        case "calendar", "cal", "event", "events": self = .calendar
        case "tasks", "task", "todo", "todos": self = .tasks
        case "notes", "note", "memo", "memos": self = .notes
        default: return nil
        }
    }
}
