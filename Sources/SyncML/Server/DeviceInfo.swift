import WBXML

/// What a phone says about itself in its DevInf (OMA DS Device Information 1.2).
public struct DeviceInfo: Sendable, Hashable, Codable {
    public var deviceID: String
    public var manufacturer: String?
    public var model: String?
    public var firmware: String?
    public var software: String?
    public var hardware: String?
    public var deviceType: String?
    /// Whether the phone takes items in chunks (`SupportLargeObjs`).
    public var supportsLargeObjects = false
    public var datastores: [Datastore]

    /// One datastore the phone offers.
    public struct Datastore: Sendable, Hashable, Codable {
        /// The phone's name for it (`SourceRef`), what it puts in `Source/LocURI`.
        public var sourceRef: String
        public var displayName: String?
        /// Content types the phone receives, preferred first, as `type/version` pairs.
        public var receives: [ContentType]
        /// Content types the phone sends, preferred first.
        public var transmits: [ContentType]
        public var maxGUIDSize: Int?
    }

    /// A content type and its version (`text/x-vcard` `2.1`).
    public struct ContentType: Sendable, Hashable, Codable {
        public var type: String
        public var version: String?
        public var description: String { version.map { "\(type) \($0)" } ?? type }
    }

    public init(deviceID: String, manufacturer: String? = nil, model: String? = nil, firmware: String? = nil,
                software: String? = nil, hardware: String? = nil, deviceType: String? = nil, datastores: [Datastore] = []) {
        self.deviceID = deviceID
        self.manufacturer = manufacturer
        self.model = model
        self.firmware = firmware
        self.software = software
        self.hardware = hardware
        self.deviceType = deviceType
        self.datastores = datastores
    }

    /// Reads a `<DevInf>` element; `nil` when it has no `DevID`.
    public init?(_ devInf: WBXMLElement) {
        guard devInf.name == "DevInf", let id = devInf.value("DevID") else { return nil }
        self.init(deviceID: id, manufacturer: devInf.value("Man"), model: devInf.value("Mod"), firmware: devInf.value("FwV"),
                  software: devInf.value("SwV"), hardware: devInf.value("HwV"), deviceType: devInf.value("DevTyp"))
        supportsLargeObjects = devInf.child("SupportLargeObjs") != nil
        func types(_ names: [String], in store: WBXMLElement) -> [ContentType] {
            names.flatMap { store.children($0) }.compactMap { element in
                element.value("CTType").map { ContentType(type: $0, version: element.value("VerCT")) }
            }
        }
        datastores = devInf.children("DataStore").compactMap { store in
            guard let ref = store.value("SourceRef") else { return nil }
            return Datastore(sourceRef: ref, displayName: store.value("DisplayName"),
                             receives: types(["Rx-Pref", "Rx"], in: store), transmits: types(["Tx-Pref", "Tx"], in: store),
                             maxGUIDSize: store.value("MaxGUIDSize").flatMap { Int($0) })
        }
    }

    /// The server's own DevInf for a SyncML version.
    public static func server(deviceID: String, version: SyncMLVersionNumber) -> WBXMLElement {
        var devInf = WBXMLElement("DevInf", attributes: [WBXMLAttribute("xmlns", "syncml:devinf")])
        devInf.append("VerDTD", version == .v10 ? "1.0" : version.rawValue)
        devInf.append("Man", "SyncFleet")
        devInf.append("Mod", "syncfleet serve")
        devInf.append("FwV", "-")
        devInf.append("SwV", "1.0")
        devInf.append("HwV", "-")
        devInf.append("DevID", deviceID)
        devInf.append("DevTyp", "server")
        if version != .v10 {
            devInf.append(WBXMLElement("UTC"))
            devInf.append(WBXMLElement("SupportLargeObjs"))
            devInf.append(WBXMLElement("SupportNumberOfChanges"))
        }
        for store in SyncDataclass.allCases {
            var element = WBXMLElement("DataStore")
            element.append("SourceRef", store.serverURI)
            element.append("DisplayName", store.displayName)
            element.append("MaxGUIDSize", "32")
            let types = store.contentTypes
            for (index, type) in types.enumerated() {
                var rx = WBXMLElement(index == 0 ? "Rx-Pref" : "Rx")
                rx.append("CTType", type.type)
                rx.append("VerCT", type.version ?? "")
                element.append(rx)
            }
            for (index, type) in types.enumerated() {
                var tx = WBXMLElement(index == 0 ? "Tx-Pref" : "Tx")
                tx.append("CTType", type.type)
                tx.append("VerCT", type.version ?? "")
                element.append(tx)
            }
            var cap = WBXMLElement("SyncCap")
            for type in 1...7 { cap.append("SyncType", String(type)) }
            element.append(cap)
            devInf.append(element)
        }
        return devInf
    }
}

/// The kinds of data the server keeps, each with its datastore URI and the aliases phones carry.
public enum SyncDataclass: String, Sendable, Codable, CaseIterable {
    case contacts
    case calendar
    case tasks
    case notes

    /// The server datastore URI.
    public var serverURI: String { rawValue }

    /// The name in the seed's API (`Contacts`, `Calendar`, `Tasks`, `Notes`).
    public var displayName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// Content types accepted, preferred first.
    public var contentTypes: [DeviceInfo.ContentType] {
        switch self {
        case .contacts: [.init(type: "text/x-vcard", version: "2.1"), .init(type: "text/vcard", version: "3.0")]
        case .calendar, .tasks: [.init(type: "text/x-vcalendar", version: "1.0"), .init(type: "text/calendar", version: "2.0")]
        case .notes: [.init(type: "text/plain", version: "1.0"), .init(type: "text/x-vnote", version: "1.1")]
        }
    }

    /// Whether the server keeps items of this media type here.
    public func accepts(_ type: String) -> Bool {
        let type = type.lowercased()
        return contentTypes.contains { $0.type == type }
    }

    /// The dataclass a datastore URI names: the canonical URIs, the common aliases
    /// (`card`, `cal`, `task`, `note`, `addressbook` …), case-insensitive, with a leading `./` ignored.
    public init?(uri: String) {
        var name = uri.trimmingWhitespace.lowercased()
        if name.hasPrefix("./") { name.removeFirst(2) }
        if let query = name.firstIndex(of: "?") { name = String(name[..<query]) }
        switch name {
        case "contacts", "contact", "card", "vcard", "addressbook", "pim/contacts", "pim/contact", "people": self = .contacts
        case "calendar", "cal", "events", "event", "vcalendar", "pim/calendar", "agenda", "scal": self = .calendar
        case "tasks", "task", "todo", "todos", "pim/tasks", "pim/todo", "stask": self = .tasks
        case "notes", "note", "memo", "memos", "pim/notes", "snote": self = .notes
        default: return nil
        }
    }
}
