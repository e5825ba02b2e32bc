import Foundation

/// What Atom output needs beyond the records: where the API lives.
public struct AtomContext: Sendable, Hashable {
    /// The ObexCode namespace of client elements.
    public static let namespace = "http://schemas.obexcode.com/syncserver/2009"
    /// The Atom namespace.
    public static let atomNamespace = "http://www.w3.org/2005/Atom"
    /// The default base URL when none is configured.
    public static let defaultBaseURL = "http://localhost:8080/v2/services/syncml/"

    /// The clients endpoint, always ending in `/` (`http://api.obexcode.com/v2/services/syncml/`).
    public var baseURL: String
    /// The feed's `<author><name>`.
    public var feedAuthor: String

    public init(baseURL: String = AtomContext.defaultBaseURL, feedAuthor: String = "SyncFleet") {
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.feedAuthor = feedAuthor
    }

    /// `base` + `path`, with `path` relative to the clients endpoint.
    public func url(_ path: String) -> String { baseURL + path }
}
