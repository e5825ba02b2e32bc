import PhonePush

/// The server side of a phone's datastores: URIs and content types that go into its
/// settings and alerts.
public enum SyncProfile {
    /// The server URI of a dataclass (`contacts`, `calendar`, `tasks`, `notes`).
    public static func serverURI(_ dataclass: Dataclass) -> String {
        dataclass.rawValue.lowercased()
    }

    /// The MIME type a phone of that SyncML version sends for a dataclass: the
    /// older types, which every phone of the era reads (vCard 2.1, vCalendar 1.0).
    public static func mimeType(_ dataclass: Dataclass) -> String {
        switch dataclass {
        case .contacts: "text/x-vcard"
        case .calendar, .tasks: "text/x-vcalendar"
        case .notes: "text/plain"
        }
    }

    /// The resources of a client's settings: one per distinct dataclass, in the client's order.
    public static func resources(_ datastores: [DatastoreBinding]) -> [DSProfile.Resource] {
        var seen: Set<Dataclass> = []
        return datastores.compactMap { store in
            guard seen.insert(store.dataclass).inserted else { return nil }
            return DSProfile.Resource(uri: serverURI(store.dataclass), name: store.dataclass.rawValue, accept: mimeType(store.dataclass))
        }
    }
}
