import WBXML

/// An OMA Client Provisioning document (`wap-provisioningdoc`, PROV 1.0 / ProvCont 1.1)
/// that sets up a DS profile: optional `BOOTSTRAP` and `NAPDEF`, and the `APPLICATION`
/// with `APPID w5`.
///
/// Parameter order follows what the Nokia S60 adapter needs: `AAUTHSECRET` last in
/// `APPAUTH`, `AACCEPT` last in each `RESOURCE`, and a single `APPAUTH`.
/// Written by hand on the WBXML module: no Swift library builds OMA CP.
public struct ClientProvisioningDocument: Sendable, Hashable {
    public var profile: DSProfile

    public init(profile: DSProfile) {
        self.profile = profile
    }

    /// Values whose WBXML tokens changed between ProvCont drafts: always sent inline.
    public static let inlineValues: Set<String> = [",", "HTTP-", "BASIC", "DIGEST"]

    public func document() throws(PushError) -> WBXMLDocument {
        try profile.validate()
        func parm(_ name: String, _ value: String) -> WBXMLNode {
            .element(WBXMLElement("parm", attributes: [WBXMLAttribute("name", name), WBXMLAttribute("value", value)]))
        }
        func characteristic(_ type: String, _ children: [WBXMLNode]) -> WBXMLNode {
            .element(WBXMLElement("characteristic", attributes: [WBXMLAttribute("type", type)], children: children))
        }
        var top: [WBXMLNode] = []
        if let ap = profile.accessPoint {
            top.append(characteristic("BOOTSTRAP", [parm("NAME", profile.name)]))
            var nap = [parm("NAPID", ap.napID), parm("BEARER", "GSM-GPRS"), parm("NAME", ap.name),
                       parm("NAP-ADDRESS", ap.apn), parm("NAP-ADDRTYPE", "APN")]
            if let user = ap.username {
                var auth = [parm("AUTHTYPE", "PAP"), parm("AUTHNAME", user)]
                if let password = ap.password { auth.append(parm("AUTHSECRET", password)) }
                nap.append(characteristic("NAPAUTHINFO", auth))
            }
            top.append(characteristic("NAPDEF", nap))
        }
        var application = [parm("APPID", "w5"), parm("NAME", profile.name), parm("PROVIDER-ID", profile.providerID)]
        if let ap = profile.accessPoint { application.append(parm("TO-NAPID", ap.napID)) }
        application.append(parm("ADDR", profile.serverURL))
        application.append(parm("APROTOCOL", profile.protocolVersion))
        application.append(characteristic("APPAUTH", [
            parm("AAUTHLEVEL", "APPSRV"), parm("AAUTHTYPE", profile.authType.rawValue),
            parm("AAUTHNAME", profile.username), parm("AAUTHSECRET", profile.password),
        ]))
        for resource in profile.resources {
            application.append(characteristic("RESOURCE", [
                parm("URI", resource.uri), parm("NAME", resource.name), parm("AACCEPT", resource.accept),
            ]))
        }
        top.append(characteristic("APPLICATION", application))
        return WBXMLDocument(version: 0x03, language: .prov10,
                             root: WBXMLElement("wap-provisioningdoc", attributes: [WBXMLAttribute("version", "1.0")], children: top))
    }

    /// WBXML 1.3, public id 0x0B, UTF-8, no string table (as Kannel and phones' own
    /// test documents have it).
    public func encoded() throws(PushError) -> [UInt8] {
        try profile.validate()
        return try Self.templates.encoded(profile, placeholders: [DocumentTemplates.username, DocumentTemplates.password],
                                          fill: [profile.username, profile.password],
                                          document: { profile throws(PushError) in try ClientProvisioningDocument(profile: profile).document() },
                                          encoder: WBXMLEncoder(version: 0x03, usesStringTable: false, inlineValues: Self.inlineValues))
    }

    /// Encoded documents by shape (all but the credentials): a fleet's setups are filled in, not encoded again.
    static let templates = DocumentTemplates()
}
