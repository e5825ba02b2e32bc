import FleetKit
import Hummingbird

/// The per-request context of the API: Hummingbird's core values and the authenticated user.
public struct FleetRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``BasicAuthenticator`` before any route runs.
    public var user: User?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.user = nil
    }

    /// The largest request body a route reads; larger ones are answered 413.
    public var maxUploadSize: Int { 64 * 1024 }
}
