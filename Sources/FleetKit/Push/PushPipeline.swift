import Foundation
import PhonePush

/// What a push run sends: setups or alerts, with what the command asked.
public enum PushJob: Sendable {
    case setup(ProvisionRequest)
    case alert(AlertRequest)

    public var kind: PushMessage.Kind {
        switch self {
        case .setup: .setup
        case .alert: .alert
        }
    }
}

/// Runs setups or alerts for a fleet at fleet speed, on any ``PushStore``.
///
/// The phones are read 256 at a time (one query for the lot), built and signed on every
/// core while the previous chunk is being sent, and sent `parallel` at a time. Each push is
/// recorded `sending` before its SMS leave and given the gateway's answer after, in group
/// commits (``PushJournal``): the answer goes in with the next phones' begins, so a phone
/// waits for one commit. No committed state has more than `parallel` pushes `sending`, so a
/// run killed at any moment leaves at most that many: those, and only those, may or may not
/// have reached the gateway; a re-run sends them again and says so.
struct PushPipeline: Sendable {
    let store: any PushStore
    let push: PushConfiguration
    let batch: PushBatch
    let clock: @Sendable () -> Date
    /// Phones read and prepared together.
    static let chunkSize = 256

    /// One phone of the run, ready: what to do for it.
    struct Prepared: Sendable {
        var index: Int
        var clientID: Int64?
        var plan: PushPlan
    }

    func run(_ job: PushJob, next: () async throws -> PushTarget?, emit: (PushOutcome) throws -> Void) async throws -> PushBatch.Summary {
        let planner = PushPlanner(push: push, context: try await store.pushRunContext())
        if case .setup(let request) = job, push.gateway != nil || request.dryRun {
            _ = try planner.syncURL()  // fails the run before the first phone, not on each
        }
        let clock = self.clock
        let journal = PushJournal(store: store, clock: { Int64(clock().timeIntervalSince1970.rounded(.down)) })
        let limiter = batch.rate.map { RateLimiter(perSecond: $0) }
        let reportURL = push.deliveryReportURL ?? planner.context.settings[.dlrURL]
        let maxAhead = max(batch.parallel * 16, 1024)
        var summary = PushBatch.Summary()
        var pending: [Int: PushOutcome] = [:]
        var emitted = 0
        var issued = 0
        var readError: (any Error)?
        var seen: Set<Int64> = []

        func emitReady() throws {
            while let outcome = pending.removeValue(forKey: emitted) {
                summary.count(outcome)
                try emit(outcome)
                emitted += 1
            }
        }

        var chunk: [(Int, PushTarget)] = []
        func fill() async {
            chunk = []
            while readError == nil && chunk.count < Self.chunkSize {
                do {
                    guard let target = try await next() else { break }
                    chunk.append((issued, target))
                    issued += 1
                } catch {
                    // A bad input file ends the run, after the phones already read are done.
                    readError = error
                }
            }
        }
        // Two chunks are read and planned ahead: one reads the store while the other is planned on every core.
        var preparing: [Task<[Prepared], any Error>] = []
        func prefetch() async {
            while preparing.count < 2 {
                await fill()
                guard !chunk.isEmpty else { return }
                preparing.append(Task { [chunk] in try await prepare(chunk, job, planner) })
            }
        }
        await prefetch()
        defer { for task in preparing { task.cancel() } }

        try await withThrowingTaskGroup(of: (Int, PushOutcome).self) { group in
            var inFlight = 0
            func collect() async throws {
                guard let (index, outcome) = try await group.next() else { return }
                inFlight -= 1
                pending[index] = outcome
                try emitReady()
            }
            while !preparing.isEmpty {
                let prepared: [Prepared]
                do {
                    prepared = try await preparing.removeFirst().value
                } catch {
                    // A missing setting or a failed read ends the run, but the phones already
                    // handed to the gateway finish and are recorded and reported first.
                    while inFlight > 0 { try await collect() }
                    await journal.flush()
                    throw error
                }
                await prefetch()
                for var item in prepared {
                    if job.kind == .setup, let id = item.clientID, item.plan.writes, !seen.insert(id).inserted {
                        item.plan = .done(item.plan.outcome.skipped("a setup for this phone is being sent already"))
                    }
                    guard item.plan.needsWork else {
                        pending[item.index] = item.plan.outcome
                        try emitReady()
                        continue
                    }
                    while inFlight > 0 && (inFlight >= batch.parallel || item.index - emitted >= maxAhead) { try await collect() }
                    if let limiter, case .send(_, _, _, false) = item.plan { await limiter.wait() }
                    let (index, plan) = (item.index, item.plan)
                    group.addTask { (index, await perform(plan, reportURL: reportURL, journal: journal)) }
                    inFlight += 1
                }
            }
            while inFlight > 0 { try await collect() }
        }
        await journal.flush()
        try emitReady()
        if let readError { throw readError }
        return summary
    }

    /// Reads the chunk's phones in one go, gives credentials to those that will get their
    /// first setup, and plans every phone on every core.
    func prepare(_ chunk: [(Int, PushTarget)], _ job: PushJob, _ planner: PushPlanner) async throws -> [Prepared] {
        var phones = try await store.pushPhones(uuids: chunk.compactMap { $0.1.problem == nil ? $0.1.uuid.lowercased() : nil })
        if case .setup(let request) = job, push.gateway != nil, !request.dryRun {
            var wanted: [Int64: SyncCredentials] = [:]
            for phone in phones.values where phone.credentials == nil && planner.skippedSetup(phone, request) == nil {
                wanted[phone.clientID] = planner.credentials(for: phone)
            }
            if !wanted.isEmpty {
                let made = try await store.createCredentials(wanted)
                for (uuid, phone) in phones { phones[uuid]?.credentials = made[phone.clientID] ?? phone.credentials }
            }
        }
        let known = phones
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, chunk.count / 16))
        let size = (chunk.count + slices - 1) / slices
        return try await withThrowingTaskGroup(of: [Prepared].self) { group in
            for start in stride(from: 0, to: chunk.count, by: size) {
                let slice = chunk[start..<min(start + size, chunk.count)]
                group.addTask { try slice.map { try plan($0.1, index: $0.0, job, planner, known) } }
            }
            var all: [Prepared] = []
            all.reserveCapacity(chunk.count)
            while let part = try await group.next() { all += part }
            return all.sorted { $0.index < $1.index }
        }
    }

    func plan(_ target: PushTarget, index: Int, _ job: PushJob, _ planner: PushPlanner, _ phones: [String: PushPhone]) throws -> Prepared {
        func done(_ status: PushOutcome.Status, _ error: String) -> Prepared {
            Prepared(index: index, plan: .done(PushOutcome(line: target.line, clientUUID: target.uuid, kind: job.kind, status: status, error: error)))
        }
        if let problem = target.problem { return done(.invalid, problem) }
        guard let phone = phones[target.uuid.lowercased()] else {
            return done(.invalid, PushBatch.message(FleetError.clientNotFound([target.uuid])))
        }
        var plan: PushPlan
        do {
            switch job {
            case .setup(var request):
                if let pin = target.pin { request.pincode = pin }
                if let imsi = target.imsi { request.imsi = imsi }
                plan = try planner.setup(phone, request)
            case .alert(let request):
                plan = try planner.alert(phone, request)
            }
        } catch let error as FleetError {
            if case .settingMissing = error { throw error }
            return done(PushBatch.status(of: error), PushBatch.message(error))
        } catch {
            return done(PushBatch.status(of: error), PushBatch.message(error))
        }
        plan.setLine(target.line)
        return Prepared(index: index, clientID: phone.clientID, plan: plan)
    }

    /// Records, sends and records again one phone's push; a failure is its outcome.
    func perform(_ plan: PushPlan, reportURL: String?, journal: PushJournal) async -> PushOutcome {
        switch plan {
        case .done(let outcome):
            return outcome
        case .queue(var outcome, let draft):
            do {
                outcome.requestID = try await journal.record(.queue(draft))
            } catch {
                outcome.status = .failed
                outcome.error = PushBatch.message(error)
            }
            return outcome
        case .send(let outcome, let draft, let segments, let dryRun):
            guard let gateway = push.gateway else { return outcome }
            let ids = segments.map { _ in Self.messageID() }
            let envelope = PushEnvelope(clientUUID: outcome.clientUUID, kind: draft.kind, messageIDs: ids, deliveryReportURL: reportURL)
            if dryRun {
                _ = try? await gateway.send(segments, to: outcome.phoneNumber, envelope: envelope)
                return outcome
            }
            return await send(outcome, draft, segments, ids: ids, envelope: envelope, gateway: gateway, journal: journal)
        }
    }

    private func send(_ outcome: PushOutcome, _ draft: PushDraft, _ segments: [SMS], ids: [String], envelope: PushEnvelope,
                      gateway: any SMSGateway, journal: PushJournal) async -> PushOutcome {
        var outcome = outcome
        do {
            outcome.requestID = try await journal.record(.begin(draft, messageIDs: ids))
        } catch {
            outcome.status = .failed
            outcome.error = PushBatch.message(error)
            return outcome
        }
        var lastError: GatewayError?
        var receipts: [GatewayReceipt] = []
        for attempt in 1...push.retry.attempts {
            outcome.attempts = attempt
            // A retry sends only the SMS the gateway has not taken yet: the phone joins the parts by their reference.
            var rest = envelope
            rest.messageIDs = Array(envelope.messageIDs.dropFirst(receipts.count))
            do {
                receipts += try await gateway.send(Array(segments.dropFirst(receipts.count)), to: outcome.phoneNumber, envelope: rest)
                lastError = nil
                break
            } catch {
                lastError = error
                receipts += rest.messageIDs.prefix(error.acceptedParts).map { GatewayReceipt(messageID: $0, answer: "accepted before the error") }
                guard error.isTransient, attempt < push.retry.attempts else { break }
                try? await Task.sleep(for: push.retry.delay(after: attempt))
            }
        }
        let now = Int64(clock().timeIntervalSince1970.rounded(.down))
        if let lastError {
            outcome.status = .failed
            outcome.error = lastError.localizedDescription + (outcome.attempts > 1 ? " (after \(outcome.attempts) attempts)" : "")
        } else {
            outcome.status = .sent
            outcome.sent = Date(timeIntervalSince1970: TimeInterval(now))
        }
        let finish = PushFinish(kind: draft.kind, id: outcome.requestID!, clientID: draft.clientID, state: lastError == nil ? .sent : .failed,
                                sent: lastError == nil ? now : nil, messages: segments.count, gateway: gateway.name,
                                answer: receipts.map(\.answer).joined(separator: "; "), error: outcome.error, attempts: outcome.attempts)
        // Committed with the next phones' begins (or by the flush at the end of the run); a run
        // killed before that leaves this phone `sending`, and the next run says it may have been sent.
        await journal.defer(.finish(finish))
        return outcome
    }

    /// 128 random bits in hex: delivery reports must not be guessable.
    static func messageID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.lower((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

extension PushPlan {
    var outcome: PushOutcome {
        switch self {
        case .done(let outcome), .queue(let outcome, _), .send(let outcome, _, _, _): outcome
        }
    }

    /// Whether the run has anything to do for it beyond printing.
    var needsWork: Bool {
        if case .done = self { return false }
        return true
    }

    /// Whether it records (and so, for setups, counts as the phone's setup of this run).
    var writes: Bool {
        switch self {
        case .done: false
        case .queue: true
        case .send(_, _, _, let dryRun): !dryRun
        }
    }

    mutating func setLine(_ line: Int?) {
        switch self {
        case .done(var outcome): outcome.line = line; self = .done(outcome)
        case .queue(var outcome, let draft): outcome.line = line; self = .queue(outcome, draft)
        case .send(var outcome, let draft, let segments, let dryRun): outcome.line = line; self = .send(outcome, draft, segments, dryRun: dryRun)
        }
    }
}

extension PushOutcome {
    func skipped(_ reason: String) -> PushOutcome {
        var outcome = self
        outcome.status = .skipped
        outcome.error = reason
        outcome.messages = 0
        return outcome
    }
}
