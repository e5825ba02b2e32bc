/// The rows of `sessions export`: each session of a stream, once per datastore.
public struct SessionExportSequence: AsyncSequence, Sendable {
    public typealias Element = SessionExportRow
    let sessions: PagedSequence<SessionSummary>

    public init(_ sessions: PagedSequence<SessionSummary>) {
        self.sessions = sessions
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var sessions: PagedSequence<SessionSummary>.AsyncIterator
        var pending: [SessionExportRow] = []

        public mutating func next() async throws -> SessionExportRow? {
            while pending.isEmpty {
                guard let session = try await sessions.next() else { return nil }
                pending = SessionExportRow.rows(session).reversed()
            }
            return pending.removeLast()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(sessions: sessions.makeAsyncIterator())
    }
}
