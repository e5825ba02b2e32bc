/// The document types this codec knows, and how documents are matched to them.
public enum WBXMLLanguages {
    /// Every known language, newest SyncML first (the order root-element recognition tries them in).
    public static let all: [WBXMLLanguage] = [
        .syncML12, .syncML11, .syncML10, .devInf12, .devInf11, .devInf10, .metInf12, .metInf11, .metInf10, .prov10,
    ]

    /// By short name (`syncml12`, `devinf12`, `prov`, …).
    public static func byKey(_ key: String) -> WBXMLLanguage? {
        let wanted = String(key.lowercased().filter { $0 != "." && $0 != "-" && $0 != " " })
        if wanted == "prov" || wanted == "omacp" { return .prov10 }
        if wanted == "syncset" || wanted == "syncsettings" { return .nokiaSyncSettings }
        return all.first { $0.key == wanted }
    }

    /// By formal public identifier (case-insensitive, as the FPIs are written in both cases).
    public static func byPublicID(_ publicID: String) -> WBXMLLanguage? {
        all.first { $0.publicID.equalsIgnoringASCIICase(publicID) }
            ?? (publicID.equalsIgnoringASCIICase("-//OMA//DTD SYNCML 1.2//EN") ? .syncML12 : nil)
    }

    /// By well-known public identifier number.
    public static func byWellKnownID(_ id: UInt32) -> WBXMLLanguage? {
        all.first { $0.wellKnownID == id }
    }

    /// The SyncML language of a `VerDTD` value (`1.1`).
    public static func syncML(version: String) -> WBXMLLanguage? {
        switch version.trimmingSpaces {
        case "1.0": .syncML10
        case "1.1": .syncML11
        case "1.2": .syncML12
        default: nil
        }
    }

    /// The DevInf version that goes with a SyncML version.
    public static func devInf(matching syncML: WBXMLLanguage) -> WBXMLLanguage? {
        switch syncML.key {
        case "syncml10": .devInf10
        case "syncml11": .devInf11
        case "syncml12": .devInf12
        default: nil
        }
    }

    /// For XML input without a known DOCTYPE: the language of a root element and its `xmlns`.
    public static func recognise(root: String, namespace: String?) -> WBXMLLanguage? {
        if let namespace {
            if let match = all.first(where: { $0.rootElement == root && $0.pageNamespaces[0].map { $0.equalsIgnoringASCIICase(namespace) } == true }) {
                return match
            }
        }
        return all.first { $0.rootElement == root }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
