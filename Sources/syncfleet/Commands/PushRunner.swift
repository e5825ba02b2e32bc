import ArgumentParser
import FleetKit
import Foundation
import PhonePush
#if canImport(Glibc)
import Glibc
#endif

/// What `provision` and `alert` share: reading the phones, running the batch,
/// streaming one result per phone, the progress line and the summary.
struct PushRunner {
    let context: CommandContext
    let targets: TargetOptions
    let kind: PushMessage.Kind

    /// Runs the job for every phone; exit status 5 when any failed or was invalid.
    func run(fleet: any Fleet, printsResults: Bool, job: PushJob) async throws {
        let next = try makeSource(fleet: fleet)
        let writer = context.writer(for: PushOutcome.self)
        let progress = Progress(show: !context.options.quiet && isatty(2) == 1, total: nil)
        let start = Date()
        let batch = PushBatch(parallel: targets.parallel, rate: targets.rate?.perSecond)
        let summary: PushBatch.Summary
        do {
            summary = try await fleet.push(job, batch: batch, next: next.next) { outcome in
                if printsResults { try writer.write(outcome) }
                progress.row(bytes: nil)
            }
        } catch {
            // A run that ends early (a bad input line, a missing setting) still prints the phones it did.
            progress.finish()
            if printsResults { try? writer.finish() }
            throw error
        }
        progress.finish()
        if printsResults { try writer.finish() }
        let seconds = Date().timeIntervalSince(start)
        let order: [PushOutcome.Status] = [.sent, .queued, .skipped, .dryRun, .invalid, .failed]
        let parts = order.compactMap { status in summary.counts[status].map { "\($0) \(status.rawValue)" } }
        var line = String(format: "%@: %d phone%@: %@, %d SMS, in %.1f s", kind == .setup ? "provision" : "alert", summary.total,
                          summary.total == 1 ? "" : "s", parts.isEmpty ? "nothing to do" : parts.joined(separator: ", "), summary.messages, seconds)
        if next.skippedRows > 0 { line += " (\(next.skippedRows) input rows without a uuid left out)" }
        context.console.note(line)
        if summary.failures > 0 { throw ExitCode(ExitStatus.partial.rawValue) }
    }

    /// The phones, one at a time: uuids, a file, or every client page by page.
    final class Source {
        var nextTarget: () async throws -> PushTarget? = { nil }
        var skipped: () -> Int = { 0 }
        func next() async throws -> PushTarget? { try await nextTarget() }
        var skippedRows: Int { skipped() }
    }

    func makeSource(fleet: any Fleet) throws -> Source {
        let source = Source()
        if let path = targets.source {
            let reader = try PushTargetReader(path: path)
            source.nextTarget = { try reader.next() }
            source.skipped = { reader.skippedWithoutUUID }
        } else if targets.undelivered {
            let before = context.clock().addingTimeInterval(-(targets.olderThan?.seconds ?? 3600))
            let filter = PushFilter(kind: kind, undelivered: true, createdBefore: before)
            let pages = IteratorBox(fleet.pushes(filter).makeAsyncIterator())
            source.nextTarget = { try await pages.iterator.next().map { PushTarget(uuid: $0.clientUUID) } }
        } else if targets.all {
            let filter = ClientFilter(user: context.remoteURL == nil ? context.userName : nil)
            let pages = IteratorBox(fleet.clients(filter).makeAsyncIterator())
            source.nextTarget = { try await pages.iterator.next().map { PushTarget(uuid: $0.uuid) } }
        } else {
            var remaining = targets.uuids[...]
            source.nextTarget = { remaining.popFirst().map { PushTarget(uuid: $0) } }
        }
        return source
    }
}

/// Holds the page iterator of `--all` or `--undelivered` between calls.
final class IteratorBox<Element: Sendable> {
    var iterator: PagedSequence<Element>.AsyncIterator
    init(_ iterator: PagedSequence<Element>.AsyncIterator) { self.iterator = iterator }
}

