// Token table: a fact of the Nokia/Ericsson OTA settings specification 7.0, chapter 11
// ("SyncSettings"), as Kannel's gw/ota_compiler.c writes it. WBXML 1.1, public id 0x01
// (unknown): phones recognise the document by its WSP content type
// `application/vnd.nokia.syncset+wbxml` and port 49996, not by the public id.

extension WBXMLLanguage {
    /// Nokia/Ericsson OTA sync settings (`application/vnd.nokia.syncset+wbxml`).
    ///
    /// Not matched by public id (0x01 means "unknown"); name it with `--type syncset`.
    public static let nokiaSyncSettings = WBXMLLanguage(
        name: "Nokia OTA SyncSettings", key: "syncset", publicID: "-//NOKIA//DTD SYNCSETTINGS//EN",
        wellKnownID: 0x01, rootElement: "SyncSettings", systemID: nil,
        tags: [
            (0, 0x05, "Addr"), (0, 0x06, "AddrType"), (0, 0x07, "Auth"), (0, 0x08, "AuthLevel"),
            (0, 0x09, "AuthScheme"), (0, 0x0A, "Bearer"), (0, 0x0B, "ConRef"), (0, 0x0C, "ConType"),
            (0, 0x0D, "Cred"), (0, 0x0E, "CTType"), (0, 0x0F, "CTVer"), (0, 0x10, "HostAddr"),
            (0, 0x11, "Name"), (0, 0x12, "Port"), (0, 0x13, "RefID"), (0, 0x14, "RemoteDB"),
            (0, 0x15, "SyncSettings"), (0, 0x16, "URI"), (0, 0x17, "Username"), (0, 0x18, "Version"),
        ]
    )
}
