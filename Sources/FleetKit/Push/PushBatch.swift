import Foundation
import PhonePush

/// Runs setups or alerts for many phones: `parallel` at a time (bounded), at most
/// `rate` new ones per second, results handed out in input order.
///
/// A failure of one phone is its result, never the end of the batch; only a missing
/// setting (which fails every phone alike) ends it.
public struct PushBatch: Sendable {
    public var parallel: Int
    /// New phones per second; `nil` is as fast as `parallel` allows.
    public var rate: Double?

    public init(parallel: Int = 8, rate: Double? = nil) {
        self.parallel = max(1, parallel)
        self.rate = rate
    }

    /// Counts of a finished batch.
    public struct Summary: Sendable, Hashable {
        public var counts: [PushOutcome.Status: Int] = [:]
        public var total: Int { counts.values.reduce(0, +) }
        public var failures: Int { counts[.failed, default: 0] + counts[.invalid, default: 0] }
        public var messages = 0

        /// Counts one phone's outcome.
        public mutating func count(_ outcome: PushOutcome) {
            counts[outcome.status, default: 0] += 1
            if outcome.status == .sent || outcome.status == .dryRun { messages += outcome.messages }
        }
    }

    /// - Parameters:
    ///   - next: the next phone, or `nil` at the end (called on this task only).
    ///   - work: what to do for one phone.
    ///   - emit: receives each outcome, in input order.
    public func run(kind: PushMessage.Kind, next: () async throws -> PushTarget?,
                    work: @escaping @Sendable (PushTarget) async throws -> PushOutcome,
                    emit: (PushOutcome) throws -> Void) async throws -> Summary {
        var summary = Summary()
        let limiter = rate.map { RateLimiter(perSecond: $0) }
        try await withThrowingTaskGroup(of: (Int, PushOutcome).self) { group in
            var issued = 0
            var emitted = 0
            var pending: [Int: PushOutcome] = [:]
            var exhausted = false
            var readError: (any Error)?
            func emitReady() throws {
                while let outcome = pending.removeValue(forKey: emitted) {
                    summary.count(outcome)
                    try emit(outcome)
                    emitted += 1
                }
            }
            while true {
                // Keep `parallel` phones in flight; never run more than a window ahead of the output.
                while !exhausted && issued - emitted < parallel {
                    let nextTarget: PushTarget?
                    do {
                        nextTarget = try await next()
                    } catch {
                        // A bad input file ends the batch, after the phones already started are reported.
                        readError = error
                        exhausted = true
                        break
                    }
                    guard let target = nextTarget else {
                        exhausted = true
                        break
                    }
                    let index = issued
                    issued += 1
                    if let problem = target.problem {
                        pending[index] = PushOutcome(line: target.line, clientUUID: target.uuid, kind: kind, status: .invalid, error: problem)
                        continue
                    }
                    if let limiter { await limiter.wait() }
                    group.addTask {
                        do {
                            var outcome = try await work(target)
                            outcome.line = target.line
                            return (index, outcome)
                        } catch FleetError.settingMissing(let key, let flag, let variable) {
                            // Missing configuration fails every phone alike: end the batch with it.
                            throw FleetError.settingMissing(key: key, flag: flag, environment: variable)
                        } catch {
                            return (index, PushOutcome(line: target.line, clientUUID: target.uuid, kind: kind,
                                                       status: Self.status(of: error), error: Self.message(error)))
                        }
                    }
                }
                try emitReady()
                guard let (index, outcome) = try await group.next() else {
                    if exhausted { break } else { continue }
                }
                pending[index] = outcome
                try emitReady()
            }
            try emitReady()
            if let readError { throw readError }
        }
        return summary
    }

    static func status(of error: any Error) -> PushOutcome.Status {
        if case FleetError.clientNotFound = error { return .invalid }
        return CSVImporter.status(of: error) == .invalid ? .invalid : .failed
    }

    static func message(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}

/// Spaces out starts to at most `perSecond`.
actor RateLimiter {
    let interval: Duration
    var next = ContinuousClock.now

    init(perSecond: Double) {
        interval = .nanoseconds(Int64(1_000_000_000 / max(perSecond, 0.001)))
    }

    func wait() async {
        let now = ContinuousClock.now
        let slot = max(now, next)
        next = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
