/// Which slice of a listing to fetch: listings are read page by page, so that
/// any number of records streams in constant memory.
public struct PageRequest: Sendable, Hashable {
    /// The opaque cursor a previous ``Page`` returned as `next`; `nil` for the first page.
    public var after: String?
    /// The most records to return (1 to ``maximumLimit``).
    public private(set) var limit: Int
    /// The largest page a request may ask for.
    public static let maximumLimit = 1000

    public init(after: String? = nil, limit: Int = 500) {
        self.after = after
        self.limit = min(max(1, limit), Self.maximumLimit)
    }
}

/// One page of a listing and the cursor of the next, if any.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Pass as ``PageRequest/after`` to read on; `nil` at the end.
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}
