// Token tables: facts of the WBXML bindings of SyncML, DevInf and MetInf, written out as data.
// Token values agree across libwbxml, the Synthesis toolkit, Symbian and Wireshark. Each version's
// table is the previous one plus what that version added, as the specs grew.

/// The token lists the SyncML-family languages are built from.
enum SyncMLTokens {
    /// SyncML 1.1, code page 0. SyncML 1.0 reads with it too (libwbxml does the same): its
    /// additions over 1.0 (NumberOfChanges, MoreData, SourceParent) only make reading lenient.
    static let syncML11: [(UInt8, String)] = [
        (0x05, "Add"),
        (0x06, "Alert"),
        (0x07, "Archive"),
        (0x08, "Atomic"),
        (0x09, "Chal"),
        (0x0A, "Cmd"),
        (0x0B, "CmdID"),
        (0x0C, "CmdRef"),
        (0x0D, "Copy"),
        (0x0E, "Cred"),
        (0x0F, "Data"),
        (0x10, "Delete"),
        (0x11, "Exec"),
        (0x12, "Final"),
        (0x13, "Get"),
        (0x14, "Item"),
        (0x15, "Lang"),
        (0x16, "LocName"),
        (0x17, "LocURI"),
        (0x18, "Map"),
        (0x19, "MapItem"),
        (0x1A, "Meta"),
        (0x1B, "MsgID"),
        (0x1C, "MsgRef"),
        (0x1D, "NoResp"),
        (0x1E, "NoResults"),
        (0x1F, "Put"),
        (0x20, "Replace"),
        (0x21, "RespURI"),
        (0x22, "Results"),
        (0x23, "Search"),
        (0x24, "Sequence"),
        (0x25, "SessionID"),
        (0x26, "SftDel"),
        (0x27, "Source"),
        (0x28, "SourceRef"),
        (0x29, "Status"),
        (0x2A, "Sync"),
        (0x2B, "SyncBody"),
        (0x2C, "SyncHdr"),
        (0x2D, "SyncML"),
        (0x2E, "Target"),
        (0x2F, "TargetRef"),
        (0x31, "VerDTD"),
        (0x32, "VerProto"),
        (0x33, "NumberOfChanges"),
        (0x34, "MoreData"),
        (0x39, "SourceParent"),
    ]

    /// What SyncML 1.2 adds on code page 0.
    static let syncML12Additions: [(UInt8, String)] = [
        (0x35, "Field"),
        (0x36, "Filter"),
        (0x37, "Record"),
        (0x38, "FilterType"),
        (0x3A, "TargetParent"),
        (0x3B, "Move"),
        (0x3C, "Correlator"),
    ]

    /// MetInf 1.1: SyncML code page 1, and the standalone MetInf document.
    static let metInf11: [(UInt8, String)] = [
        (0x05, "Anchor"),
        (0x06, "EMI"),
        (0x07, "Format"),
        (0x08, "FreeID"),
        (0x09, "FreeMem"),
        (0x0A, "Last"),
        (0x0B, "Mark"),
        (0x0C, "MaxMsgSize"),
        (0x0D, "Mem"),
        (0x0E, "MetInf"),
        (0x0F, "Next"),
        (0x10, "NextNonce"),
        (0x11, "SharedMem"),
        (0x12, "Size"),
        (0x13, "Type"),
        (0x14, "Version"),
        (0x15, "MaxObjSize"),
    ]

    /// What MetInf 1.2 adds.
    static let metInf12Additions: [(UInt8, String)] = [
        (0x16, "FieldLevel"),
    ]

    /// MetInf 1.0 lacks MaxObjSize (0x15).
    static let metInf10: [(UInt8, String)] = metInf11.filter { $0.0 != 0x15 }

    /// DevInf 1.1 (DevInf 1.0 reads with it; 1.1 added UTC, SupportNumberOfChanges, SupportLargeObjs).
    static let devInf11: [(UInt8, String)] = [
        (0x05, "CTCap"),
        (0x06, "CTType"),
        (0x07, "DataStore"),
        (0x08, "DataType"),
        (0x09, "DevID"),
        (0x0A, "DevInf"),
        (0x0B, "DevTyp"),
        (0x0C, "DisplayName"),
        (0x0D, "DSMem"),
        (0x0E, "Ext"),
        (0x0F, "FwV"),
        (0x10, "HwV"),
        (0x11, "Man"),
        (0x12, "MaxGUIDSize"),
        (0x13, "MaxID"),
        (0x14, "MaxMem"),
        (0x15, "Mod"),
        (0x16, "OEM"),
        (0x17, "ParamName"),
        (0x18, "PropName"),
        (0x19, "Rx"),
        (0x1A, "Rx-Pref"),
        (0x1B, "SharedMem"),
        (0x1C, "Size"),
        (0x1D, "SourceRef"),
        (0x1E, "SwV"),
        (0x1F, "SyncCap"),
        (0x20, "SyncType"),
        (0x21, "Tx"),
        (0x22, "Tx-Pref"),
        (0x23, "ValEnum"),
        (0x24, "VerCT"),
        (0x25, "VerDTD"),
        (0x26, "XNam"),
        (0x27, "XVal"),
        (0x28, "UTC"),
        (0x29, "SupportNumberOfChanges"),
        (0x2A, "SupportLargeObjs"),
    ]

    /// DevInf 1.2: 0x1C is renamed MaxSize, and these are added.
    static let devInf12Additions: [(UInt8, String)] = [
        (0x2B, "Property"),
        (0x2C, "PropParam"),
        (0x2D, "MaxOccur"),
        (0x2E, "NoTruncate"),
        (0x30, "Filter-Rx"),
        (0x31, "FilterCap"),
        (0x32, "FilterKeyword"),
        (0x33, "FieldLevel"),
        (0x34, "SupportHierarchicalSync"),
    ]

    static func page(_ page: UInt8, _ tokens: [(UInt8, String)]) -> [(UInt8, UInt8, String)] {
        tokens.map { (page, $0.0, $0.1) }
    }

    static var devInf12: [(UInt8, String)] {
        devInf11.map { $0.0 == 0x1C ? (0x1C, "MaxSize") : $0 } + devInf12Additions
    }
}

extension WBXMLLanguage {
    /// SyncML 1.0 (`-//SYNCML//DTD SyncML 1.0//EN`).
    public static let syncML10 = WBXMLLanguage(
        name: "SyncML 1.0", key: "syncml10", publicID: "-//SYNCML//DTD SyncML 1.0//EN",
        wellKnownID: 0x0FD1, rootElement: "SyncML",
        systemID: "http://www.syncml.org/docs/syncml_represent_v10_20001207.dtd",
        pageNamespaces: [0: "SYNCML:SYNCML1.0", 1: "syncml:metinf"],
        tags: SyncMLTokens.page(0, SyncMLTokens.syncML11) + SyncMLTokens.page(1, SyncMLTokens.metInf11))

    /// SyncML 1.1 (`-//SYNCML//DTD SyncML 1.1//EN`).
    public static let syncML11 = WBXMLLanguage(
        name: "SyncML 1.1", key: "syncml11", publicID: "-//SYNCML//DTD SyncML 1.1//EN",
        wellKnownID: 0x0FD3, rootElement: "SyncML",
        systemID: "http://www.syncml.org/docs/syncml_represent_v11_20020213.dtd",
        pageNamespaces: [0: "SYNCML:SYNCML1.1", 1: "syncml:metinf"],
        tags: SyncMLTokens.page(0, SyncMLTokens.syncML11) + SyncMLTokens.page(1, SyncMLTokens.metInf11))

    /// SyncML 1.2 (`-//SYNCML//DTD SyncML 1.2//EN`).
    public static let syncML12 = WBXMLLanguage(
        name: "SyncML 1.2", key: "syncml12", publicID: "-//SYNCML//DTD SyncML 1.2//EN",
        wellKnownID: 0x1201, rootElement: "SyncML",
        systemID: "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd",
        pageNamespaces: [0: "SYNCML:SYNCML1.2", 1: "syncml:metinf"],
        tags: SyncMLTokens.page(0, SyncMLTokens.syncML11 + SyncMLTokens.syncML12Additions)
            + SyncMLTokens.page(1, SyncMLTokens.metInf11 + SyncMLTokens.metInf12Additions))

    /// DevInf 1.0 (`-//SYNCML//DTD DevInf 1.0//EN`).
    public static let devInf10 = WBXMLLanguage(
        name: "DevInf 1.0", key: "devinf10", publicID: "-//SYNCML//DTD DevInf 1.0//EN",
        wellKnownID: 0x0FD2, rootElement: "DevInf",
        systemID: "http://www.syncml.org/docs/syncml_devinf_v10_20001207.dtd",
        pageNamespaces: [0: "syncml:devinf"],
        tags: SyncMLTokens.page(0, SyncMLTokens.devInf11))

    /// DevInf 1.1 (`-//SYNCML//DTD DevInf 1.1//EN`).
    public static let devInf11 = WBXMLLanguage(
        name: "DevInf 1.1", key: "devinf11", publicID: "-//SYNCML//DTD DevInf 1.1//EN",
        wellKnownID: 0x0FD4, rootElement: "DevInf",
        systemID: "http://www.syncml.org/docs/devinf_v11_20020215.dtd",
        pageNamespaces: [0: "syncml:devinf"],
        tags: SyncMLTokens.page(0, SyncMLTokens.devInf11))

    /// DevInf 1.2 (`-//SYNCML//DTD DevInf 1.2//EN`).
    public static let devInf12 = WBXMLLanguage(
        name: "DevInf 1.2", key: "devinf12", publicID: "-//SYNCML//DTD DevInf 1.2//EN",
        wellKnownID: 0x1203, rootElement: "DevInf",
        systemID: "http://www.openmobilealliance.org/tech/DTD/OMA-SyncML-Device_Information-DTD-1.2.dtd",
        pageNamespaces: [0: "syncml:devinf"],
        tags: SyncMLTokens.page(0, SyncMLTokens.devInf12))

    /// MetInf 1.0 (`-//SYNCML//DTD MetInf 1.0//EN`).
    public static let metInf10 = WBXMLLanguage(
        name: "MetInf 1.0", key: "metinf10", publicID: "-//SYNCML//DTD MetInf 1.0//EN",
        wellKnownID: nil, rootElement: "MetInf",
        systemID: "http://www.syncml.org/docs/syncml_metinf_v10_20001207.dtd",
        pageNamespaces: [:],
        tags: SyncMLTokens.page(1, SyncMLTokens.metInf10))

    /// MetInf 1.1 (`-//SYNCML//DTD MetInf 1.1//EN`).
    public static let metInf11 = WBXMLLanguage(
        name: "MetInf 1.1", key: "metinf11", publicID: "-//SYNCML//DTD MetInf 1.1//EN",
        wellKnownID: nil, rootElement: "MetInf",
        systemID: "http://www.syncml.org/docs/syncml_metinf_v11_20020215.dtd",
        pageNamespaces: [:],
        tags: SyncMLTokens.page(1, SyncMLTokens.metInf11))

    /// MetInf 1.2 (`-//SYNCML//DTD MetInf 1.2//EN`).
    public static let metInf12 = WBXMLLanguage(
        name: "MetInf 1.2", key: "metinf12", publicID: "-//SYNCML//DTD MetInf 1.2//EN",
        wellKnownID: 0x1202, rootElement: "MetInf",
        systemID: "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_MetaInfo_DTD-V1_2.dtd",
        pageNamespaces: [:],
        tags: SyncMLTokens.page(1, SyncMLTokens.metInf11 + SyncMLTokens.metInf12Additions))
}
