/// An `AsyncSequence` over a paged listing: it fetches one page at a time, on demand.
///
/// Memory holds one page, whatever the length of the listing.
public struct PagedSequence<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Fetch = @Sendable (PageRequest) async throws -> Page<Element>

    private let fetch: Fetch
    private let pageSize: Int
    private let limit: Int?

    /// - Parameters:
    ///   - pageSize: how many records each fetch asks for.
    ///   - limit: stop after this many records (`nil`: all).
    ///   - fetch: reads one page.
    public init(pageSize: Int = 500, limit: Int? = nil, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.pageSize = pageSize
        self.limit = limit
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: Fetch
        let pageSize: Int
        var remaining: Int?
        var buffer: [Element] = []
        var index = 0
        var cursor: String?
        var exhausted = false

        public mutating func next() async throws -> Element? {
            if let remaining, remaining <= 0 { return nil }
            while index >= buffer.count {
                if exhausted { return nil }
                let size = remaining.map { Swift.min($0, pageSize) } ?? pageSize
                let page = try await fetch(PageRequest(after: cursor, limit: size))
                buffer = page.items
                index = 0
                cursor = page.next
                exhausted = page.next == nil
                if buffer.isEmpty && exhausted { return nil }
            }
            defer { index += 1 }
            if remaining != nil { remaining! -= 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch, pageSize: pageSize, remaining: limit)
    }
}
