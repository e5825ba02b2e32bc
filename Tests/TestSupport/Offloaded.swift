import Foundation

/// Runs blocking work (a child process, a sleep) on a Dispatch thread, so that it does not hold
/// one of the few threads of Swift's cooperative pool, on which in-process servers of other tests answer.
/// Expectations belong in the awaiting test, not in `body`.
public func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
