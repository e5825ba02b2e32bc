import Foundation
import SyncML

/// The SyncML sessions in progress, by the token of their `RespURI`; one request per session at a time.
actor SyncSessions {
    private var sessions: [String: SyncSessionState] = [:]
    private var busy: Set<String> = []
    /// The first message of each session (by a hash of its bytes), to know it when a phone sends it again.
    private var firstMessages: [String: String] = [:]

    enum Checkout {
        /// No such session (never was, or expired).
        case none
        /// A request of the session is being handled.
        case busy
        case state(SyncSessionState)
    }

    /// Takes a session out for one request.
    func checkout(_ token: String) -> Checkout {
        if busy.contains(token) { return .busy }
        guard let state = sessions[token] else { return .none }
        busy.insert(token)
        return .state(state)
    }

    /// The session a first message started, if these exact bytes started one that is still kept.
    func token(forFirstMessage hash: String) -> String? {
        firstMessages[hash].flatMap { sessions[$0] == nil && !busy.contains($0) ? nil : $0 }
    }

    /// Remembers the first message of a session.
    func remember(firstMessage hash: String, token: String) {
        firstMessages[hash] = token
    }

    /// Puts a session back after its request.
    func checkin(_ state: SyncSessionState) {
        busy.remove(state.token)
        sessions[state.token] = state
    }

    /// Releases a session without changing it.
    func release(_ token: String) {
        busy.remove(token)
    }

    /// Removes and returns the sessions idle for longer than `timeout` (those being handled stay).
    func expire(now: Date, timeout: TimeInterval) -> [SyncSessionState] {
        let expired = sessions.values.filter { !busy.contains($0.token) && now.timeIntervalSince($0.lastActivity) > timeout }
        for state in expired { sessions.removeValue(forKey: state.token) }
        let gone = Set(expired.map(\.token))
        firstMessages = firstMessages.filter { !gone.contains($0.value) }
        return expired
    }

    /// How many sessions are kept.
    var count: Int { sessions.count }
}
