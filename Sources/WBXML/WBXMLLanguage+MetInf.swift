// Token tables: facts of the WBXML bindings, written out as data.
// MetInf 1.0, 1.1 and 1.2 standalone. The tokens sit on code page 1, as in SyncML.

extension WBXMLLanguage {
    /// MetInf 1.0 (`-//SYNCML//DTD MetInf 1.0//EN`).
    public static let metInf10 = WBXMLLanguage(
        name: "MetInf 1.0", key: "metinf10", publicID: "-//SYNCML//DTD MetInf 1.0//EN",
        wellKnownID: nil, rootElement: "MetInf",
        systemID: "http://www.syncml.org/docs/syncml_metinf_v10_20001207.dtd",
        pageNamespaces: [:],
        tags: [
            (1, 0x05, "Anchor"),
            (1, 0x06, "EMI"),
            (1, 0x07, "Format"),
            (1, 0x08, "FreeID"),
            (1, 0x09, "FreeMem"),
            (1, 0x0A, "Last"),
            (1, 0x0B, "Mark"),
            (1, 0x0C, "MaxMsgSize"),
            (1, 0x0D, "Mem"),
            (1, 0x0E, "MetInf"),
            (1, 0x0F, "Next"),
            (1, 0x10, "NextNonce"),
            (1, 0x11, "SharedMem"),
            (1, 0x12, "Size"),
            (1, 0x13, "Type"),
            (1, 0x14, "Version"),
        ]
    )

    /// MetInf 1.1 (`-//SYNCML//DTD MetInf 1.1//EN`).
    public static let metInf11 = WBXMLLanguage(
        name: "MetInf 1.1", key: "metinf11", publicID: "-//SYNCML//DTD MetInf 1.1//EN",
        wellKnownID: nil, rootElement: "MetInf",
        systemID: "http://www.syncml.org/docs/syncml_metinf_v11_20020215.dtd",
        pageNamespaces: [:],
        tags: [
            (1, 0x05, "Anchor"),
            (1, 0x06, "EMI"),
            (1, 0x07, "Format"),
            (1, 0x08, "FreeID"),
            (1, 0x09, "FreeMem"),
            (1, 0x0A, "Last"),
            (1, 0x0B, "Mark"),
            (1, 0x0C, "MaxMsgSize"),
            (1, 0x0D, "Mem"),
            (1, 0x0E, "MetInf"),
            (1, 0x0F, "Next"),
            (1, 0x10, "NextNonce"),
            (1, 0x11, "SharedMem"),
            (1, 0x12, "Size"),
            (1, 0x13, "Type"),
            (1, 0x14, "Version"),
            (1, 0x15, "MaxObjSize"),
        ]
    )

    /// MetInf 1.2 (`-//SYNCML//DTD MetInf 1.2//EN`).
    public static let metInf12 = WBXMLLanguage(
        name: "MetInf 1.2", key: "metinf12", publicID: "-//SYNCML//DTD MetInf 1.2//EN",
        wellKnownID: 0x1202, rootElement: "MetInf",
        systemID: "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_MetaInfo_DTD-V1_2.dtd",
        pageNamespaces: [:],
        tags: [
            (1, 0x05, "Anchor"),
            (1, 0x06, "EMI"),
            (1, 0x07, "Format"),
            (1, 0x08, "FreeID"),
            (1, 0x09, "FreeMem"),
            (1, 0x0A, "Last"),
            (1, 0x0B, "Mark"),
            (1, 0x0C, "MaxMsgSize"),
            (1, 0x0D, "Mem"),
            (1, 0x0E, "MetInf"),
            (1, 0x0F, "Next"),
            (1, 0x10, "NextNonce"),
            (1, 0x11, "SharedMem"),
            (1, 0x12, "Size"),
            (1, 0x13, "Type"),
            (1, 0x14, "Version"),
            (1, 0x15, "MaxObjSize"),
            (1, 0x16, "FieldLevel"),
        ]
    )
}
