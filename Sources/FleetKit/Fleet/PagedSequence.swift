/// An `AsyncSequence` over a paged listing: it fetches a page at a time, the next one while
/// the current one is consumed.
///
/// Memory holds two pages at most, whatever the length of the listing.
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
        /// The next page, read while this one is consumed: two pages in memory at most.
        var readAhead = ReadAhead()

        public mutating func next() async throws -> Element? {
            if let remaining, remaining <= 0 { return nil }
            while index >= buffer.count {
                if exhausted { return nil }
                let page: Page<Element>
                if let pending = readAhead.task {
                    readAhead.task = nil
                    page = try await withTaskCancellationHandler { try await pending.value } onCancel: { pending.cancel() }
                } else {
                    let size = remaining.map { Swift.min($0, pageSize) } ?? pageSize
                    page = try await fetch(PageRequest(after: cursor, limit: size))
                }
                buffer = page.items
                index = 0
                cursor = page.next
                exhausted = page.next == nil
                if let next = page.next {
                    let left = remaining.map { $0 - page.items.count }
                    if left.map({ $0 > 0 }) ?? true {
                        let size = left.map { Swift.min($0, pageSize) } ?? pageSize
                        let fetch = self.fetch
                        readAhead.task = Task { try await fetch(PageRequest(after: next, limit: size)) }
                    }
                }
                if buffer.isEmpty && exhausted { return nil }
            }
            defer { index += 1 }
            if remaining != nil { remaining! -= 1 }
            return buffer[index]
        }
    }

    /// Holds the read-ahead fetch; a consumer that stops early (`| head`, a client gone) cancels it.
    final class ReadAhead: @unchecked Sendable {
        var task: Task<Page<Element>, any Error>?
        deinit { task?.cancel() }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch, pageSize: pageSize, remaining: limit)
    }
}
