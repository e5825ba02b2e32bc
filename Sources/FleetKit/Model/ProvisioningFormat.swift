/// How a phone model takes its sync settings over the air.
public enum ProvisioningFormat: String, Sendable, Codable, CaseIterable, Hashable {
    /// OMA Client Provisioning 1.1 (`application/vnd.wap.connectivity-wbxml`).
    case omaCP = "oma-cp"
    /// The older Nokia/Ericsson OTA sync settings (`application/vnd.nokia.syncset+wbxml`).
    case nokiaOTA = "nokia-ota"
}
