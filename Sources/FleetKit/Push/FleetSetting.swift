import Foundation
import PhonePush

/// A store-wide setting that `provision`, `alert` and `serve` share.
public enum FleetSetting: String, Sendable, CaseIterable, Codable {
    /// The URL phones sync with (written into their settings; required by provision).
    case syncURL = "sync-url"
    /// The server id phones store and SANs repeat (default `syncfleet`).
    case providerID = "provider-id"
    /// The profile name phones show when a setup names none (default `SyncServer`).
    case setupName = "setup-name"
    /// The gateway `provision` and `alert` use when none is given (and that `serve` uses).
    case gateway
    /// Where gateways report delivery: `serve`'s `…/v2/services/syncml/dlr` URL.
    case dlrURL = "dlr-url"
    /// An access point (APN) to provision with the settings, for phones without one.
    case apn
    case apnUser = "apn-user"
    case apnPassword = "apn-password"

    public static let defaultProviderID = "syncfleet"

    /// What the setting is, for `settings list` and errors.
    public var summary: String {
        switch self {
        case .syncURL: "URL phones sync with, e.g. http://sync.example.net:8080/sync"
        case .providerID: "server id stored on phones and repeated by alerts (default syncfleet)"
        case .setupName: "profile name shown on phones (default SyncServer)"
        case .gateway: "kannel://USER:PASSWORD@HOST:PORT, dir:PATH or -"
        case .dlrURL: "serve's delivery-report URL, e.g. http://127.0.0.1:8080/v2/services/syncml/dlr"
        case .apn: "GPRS access point name to provision (NAPDEF)"
        case .apnUser: "access point user name"
        case .apnPassword: "access point password"
        }
    }

    /// Whether `settings list` hides the value.
    public var isSecret: Bool { self == .apnPassword || self == .gateway }

    /// Checks a value; returns it trimmed.
    public func validate(_ text: String) throws(FieldError) -> String {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = self == .gateway ? GatewayAddress.redacted(text) : isSecret ? "********" : text
        func fail(_ reason: String) -> FieldError { FieldError(field: rawValue, value: shown, reason: reason) }
        switch self {
        case .syncURL, .dlrURL:
            guard let url = URLComponents(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                  let host = url.host, !host.isEmpty else { throw fail("an http:// or https:// URL") }
            if self == .syncURL && value.count > 150 { throw fail("at most 150 characters (phones drop longer addresses)") }
        case .providerID:
            guard !value.isEmpty, value.count <= 150 else { throw fail("1 to 150 characters") }
        case .setupName:
            return try SetupRequest.validateName(value)
        case .gateway:
            do { _ = try GatewayAddress(parsing: value) } catch { throw fail(error.localizedDescription) }
        case .apn, .apnUser, .apnPassword:
            guard !value.isEmpty, value.count <= 100 else { throw fail("1 to 100 characters") }
        }
        return value
    }
}
