/// Group commit of a push run's writes: whatever arrives while a transaction is being written
/// goes into the next, in order. A phone waits for its `begin` to commit before its SMS leave;
/// its `finish` is only queued (``defer(_:)``), and commits with the next phones' begins: the
/// entries commit in the order they came, so a phone that begins after another's slot was freed
/// commits with or after that one's finish, and no committed state has more phones `sending`
/// than there are slots. ``flush()`` waits for the rest at the end of a run.
actor PushJournal {
    private let store: any PushStore
    private let clock: @Sendable () -> Int64
    private var pending: [(PushJournalEntry, CheckedContinuation<Int64, any Error>?)] = []
    private var writing = false
    private var idle: [CheckedContinuation<Void, Never>] = []

    init(store: any PushStore, clock: @escaping @Sendable () -> Int64) {
        self.store = store
        self.clock = clock
    }

    /// Writes the entry (with others) and returns its row id once committed.
    func record(_ entry: PushJournalEntry) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((entry, continuation))
            startWriting()
        }
    }

    /// Queues the entry for the next transaction without waiting for it.
    func `defer`(_ entry: PushJournalEntry) {
        pending.append((entry, nil))
        startWriting()
    }

    /// Returns once everything queued is written.
    func flush() async {
        guard writing || !pending.isEmpty else { return }
        await withCheckedContinuation { idle.append($0) }
    }

    private func startWriting() {
        guard !writing else { return }
        writing = true
        Task { await self.drain() }
    }

    private func drain() async {
        while !pending.isEmpty {
            let group = pending
            pending = []
            do {
                let ids = try await store.recordPushes(group.map(\.0), at: clock())
                for (index, waiting) in group.enumerated() { waiting.1?.resume(returning: ids[index]) }
            } catch {
                // One bad entry (a client deleted meanwhile) must not undo the others' records:
                // each is written again on its own, and only the bad one fails.
                for waiting in group {
                    // A deferred finish that cannot be written leaves its phone `sending`: the next run says it may have been sent.
                    do {
                        let id = try await store.recordPushes([waiting.0], at: clock())[0]
                        waiting.1?.resume(returning: id)
                    } catch {
                        waiting.1?.resume(throwing: error)
                    }
                }
            }
        }
        writing = false
        for waiting in idle { waiting.resume() }
        idle = []
    }
}
