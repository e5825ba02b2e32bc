import WBXML

/// Builds the body of one outgoing message: numbers commands and keeps a running size estimate.
struct MessageBuilder {
    private(set) var commands: [WBXMLElement] = []
    private(set) var lastCmdID = 0
    /// The message's size so far as XML, which WBXML never exceeds: a safe bound for `MaxMsgSize`.
    private(set) var estimatedSize = 0

    /// The next command id.
    mutating func nextID() -> String {
        lastCmdID += 1
        return String(lastCmdID)
    }

    /// Appends a command, giving it a `CmdID` as its first child unless it has one.
    @discardableResult
    mutating func add(_ command: WBXMLElement) -> String {
        var command = command
        let id: String
        if let existing = command.value("CmdID") {
            id = existing
        } else {
            id = nextID()
            command.children.insert(.element(.leaf("CmdID", id)), at: 0)
        }
        estimatedSize += Self.size(of: command)
        commands.append(command)
        return id
    }

    /// The XML size of an element.
    static func size(of element: WBXMLElement) -> Int {
        XMLRenderer(indent: 0).render(element).utf8.count
    }

    /// A `Status` element.
    static func status(msgRef: String, cmdRef: String, cmd: String, targetRef: String? = nil, sourceRef: String? = nil,
                       code: Int, chal: WBXMLElement? = nil, items: [WBXMLElement] = []) -> WBXMLElement {
        var status = WBXMLElement("Status")
        status.append("MsgRef", msgRef)
        status.append("CmdRef", cmdRef)
        status.append("Cmd", cmd)
        if let targetRef { status.append("TargetRef", targetRef) }
        if let sourceRef { status.append("SourceRef", sourceRef) }
        if let chal { status.append(chal) }
        status.append("Data", String(code))
        for item in items { status.append(item) }
        return status
    }

    /// A `Chal` asking for a scheme; with a nonce for MD5.
    ///
    /// In WBXML the nonce goes as the bytes of its base64 text, not as the binary nonce that
    /// libwbxml would write: with `Format` b64, libsynthesis (SyncEvolution, many phones)
    /// base64-decodes whatever the element holds.
    static func challenge(_ type: SyncAuthType, nonce: [UInt8]?, encoding: SyncMLEncoding) -> WBXMLElement {
        var meta = WBXMLElement("Meta")
        meta.append("Type", type.rawValue, xmlns: "syncml:metinf")
        meta.append("Format", "b64", xmlns: "syncml:metinf")
        if type == .md5, let nonce {
            let text = Base64.encode(nonce)
            let content: WBXMLNode = encoding == .wbxml ? .opaque(Array(text.utf8)) : .text(text)
            meta.append(WBXMLElement("NextNonce", attributes: [WBXMLAttribute("xmlns", "syncml:metinf")], children: [content]))
        }
        return WBXMLElement("Chal", children: [.element(meta)])
    }

    /// `<Target><LocURI>…</LocURI></Target>` and friends.
    static func location(_ name: String, _ uri: String) -> WBXMLElement {
        WBXMLElement(name, children: [.element(.leaf("LocURI", uri))])
    }

    /// An element in the MetInf namespace inside `Meta`.
    static func meta(_ entries: [(String, String)]) -> WBXMLElement {
        var meta = WBXMLElement("Meta")
        for (name, value) in entries { meta.append(name, value, xmlns: "syncml:metinf") }
        return meta
    }
}
