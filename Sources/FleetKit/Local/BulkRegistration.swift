import Foundation
import GRDB

/// Registers the chunks of a large import in transactions that span many chunks, on a
/// connection of its own.
///
/// A transaction per chunk made a large import pay for each commit: every commit writes
/// each page the chunk touched, and rows in spreadsheet order touch pages all over the
/// phone-number indexes, so at a million rows most of the time went into rewriting the
/// same index pages. Here a transaction stays open across chunks and commits once
/// `commitInterval` has passed or ``maxRows`` rows are in it (and at ``finish()``).
/// Other writers of the store wait at most about that long (they wait up to 30 s).
///
/// The store's pool cannot keep a transaction open between accesses, so this opens a
/// second connection that may (GRDB's `allowsUnsafeTransactions`); it is used by one
/// import, one call at a time. Killed at any moment, the store keeps what was committed
/// and a re-run registers the rest.
public final class BulkRegistration: @unchecked Sendable {
    /// What writing one chunk did.
    public struct Outcome: Sendable {
        /// One result per prepared registration, in order.
        public var results: [Result<RegisteredClient, any Error>]
        /// Whether this chunk and every chunk written before it are committed.
        public var committed: Bool
    }

    private let fleet: LocalFleet
    private let queue: DatabaseQueue
    private let commitInterval: TimeInterval
    /// Rows after which a transaction commits, however young: what an import holds in
    /// memory until it may report them stays bounded.
    public static let maxRows = 50_000
    // Touched only inside `queue`'s accesses, which run one at a time.
    private var openedAt: Date?
    private var rows = 0
    /// Owners and models found in the open transaction (forgotten at each commit).
    private var lookups = RegistrationLookups()

    /// Opens the second connection to `fleet`'s store.
    public init(fleet: LocalFleet, commitInterval: TimeInterval = 2) throws {
        var configuration = LocalFleet.configuration()
        configuration.allowsUnsafeTransactions = true
        configuration.label = "syncfleet.import"
        queue = try DatabaseQueue(path: fleet.path, configuration: configuration)
        // The pool's writer has the same 16 MiB: the indexes a batch inserts into stay in memory.
        try queue.inDatabase { db in try db.execute(sql: "PRAGMA cache_size = -16384") }
        self.fleet = fleet
        self.commitInterval = commitInterval
    }

    /// Writes one chunk (see ``LocalFleet/prepare(_:)``), starting a transaction if none is
    /// open, and commits when the transaction has been open for `commitInterval`.
    public func write(_ prepared: [Result<PreparedRegistration, any Error>]) async throws -> Outcome {
        let now = LocalFleet.seconds(fleet.clock())
        return try await queue.writeWithoutTransaction { db in
            if self.openedAt == nil {
                try db.execute(sql: "BEGIN IMMEDIATE")
                self.openedAt = Date()
            }
            let results = try self.fleet.write(prepared, now: now, in: db, lookups: &self.lookups).map { result in
                result.map { RegisteredClient(uuid: $0.uuid, outcome: $0.outcome) }
            }
            self.rows += prepared.count
            if let opened = self.openedAt, Date().timeIntervalSince(opened) >= self.commitInterval || self.rows >= Self.maxRows {
                try db.execute(sql: "COMMIT")
                self.openedAt = nil
                self.rows = 0
                self.lookups = RegistrationLookups()
                return Outcome(results: results, committed: true)
            }
            return Outcome(results: results, committed: false)
        }
    }

    /// Commits what is written and closes the connection.
    public func finish() async throws {
        try await queue.writeWithoutTransaction { db in
            if self.openedAt != nil {
                try db.execute(sql: "COMMIT")
                self.openedAt = nil
            }
        }
        try queue.close()
    }

    /// Rolls back what is not committed and closes the connection (after an error).
    public func abandon() async {
        try? await queue.writeWithoutTransaction { db in
            if self.openedAt != nil {
                try db.execute(sql: "ROLLBACK")
                self.openedAt = nil
            }
        }
        try? queue.close()
    }
}
