import Foundation
import PhonePush

/// How a fleet sends pushes: through which gateway, with which overrides of the
/// store's settings, and how patiently.
public struct PushConfiguration: Sendable {
    /// `nil`: setups and alerts are recorded as queued (the seed API's behaviour without a gateway).
    public var gateway: (any SMSGateway)?
    /// `--sync-url` / `SYNCFLEET_SYNC_URL`, over the store's `sync-url` setting.
    public var syncURL: String?
    /// `--provider-id` / `SYNCFLEET_PROVIDER_ID`, over the store's `provider-id` setting.
    public var providerID: String?
    /// Where the gateway reports delivery (`serve`'s `/dlr`), over the `dlr-url` setting.
    public var deliveryReportURL: String?
    public var retry: RetryPolicy
    /// Concatenate long pushes with a 16-bit reference (IEI 0x08) instead of an 8-bit one.
    public var sixteenBitReference = false

    public init(gateway: (any SMSGateway)? = nil, syncURL: String? = nil, providerID: String? = nil,
                deliveryReportURL: String? = nil, retry: RetryPolicy = RetryPolicy()) {
        self.gateway = gateway
        self.syncURL = syncURL
        self.providerID = providerID
        self.deliveryReportURL = deliveryReportURL
        self.retry = retry
    }

    /// Opens the gateway an address names; `write` receives the lines of the `-` gateway.
    public static func gateway(_ address: GatewayAddress, write: @escaping @Sendable (String) -> Void) throws -> any SMSGateway {
        switch address {
        case .kannel(let configuration): KannelGateway(configuration: configuration)
        case .directory(let path): try DirectoryGateway(path: path)
        case .standardOutput: HexGateway(write: write)
        }
    }
}

/// Retries of transient gateway failures: `attempts` in all, waiting `initialDelay`,
/// then twice as long each time, at most `maximumDelay`.
public struct RetryPolicy: Sendable, Hashable {
    public var attempts: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(attempts: Int = 4, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(8)) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    func delay(after attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) { delay = min(delay * 2, maximumDelay) }
        return delay
    }
}
