/// Group commit of a push run's writes: every phone's `begin` and `finish` waits for a
/// transaction, and whatever arrives while one is being written goes into the next. Under
/// load one transaction carries many phones; alone, a phone waits for no one.
actor PushJournal {
    private let store: any PushStore
    private let clock: @Sendable () -> Int64
    private var pending: [(PushJournalEntry, CheckedContinuation<Int64, any Error>)] = []
    private var writing = false

    init(store: any PushStore, clock: @escaping @Sendable () -> Int64) {
        self.store = store
        self.clock = clock
    }

    /// Writes the entry (with others) and returns its row id once committed.
    func record(_ entry: PushJournalEntry) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((entry, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let group = pending
            pending = []
            do {
                let ids = try await store.recordPushes(group.map(\.0), at: clock())
                for (index, waiting) in group.enumerated() { waiting.1.resume(returning: ids[index]) }
            } catch {
                // One bad entry (a client deleted meanwhile) must not undo the others' records:
                // each is written again on its own, and only the bad one fails.
                for waiting in group {
                    do {
                        waiting.1.resume(returning: try await store.recordPushes([waiting.0], at: clock())[0])
                    } catch {
                        waiting.1.resume(throwing: error)
                    }
                }
            }
        }
        writing = false
    }
}
