import Foundation
import PhonePush

/// Where a setup or alert stands for the operator, from our side and the SMS centre's.
public enum PushStatus: String, Sendable, Codable, CaseIterable {
    /// Recorded without a gateway, waiting for `provision`/`alert`.
    case queued
    /// Handed to the gateway by a run that stopped before its answer: may have been sent.
    case sending
    /// Accepted by the gateway; no final delivery report yet.
    case sent
    /// Every SMS reported delivered.
    case delivered
    /// Refused by the gateway, or reported undelivered or rejected by the SMS centre.
    case failed
    /// Sent, but no final report within ``PushRecord/expiry`` (the SMS centre's usual validity).
    case expired

    /// The status of a push from what was recorded: the rule every backend shares.
    public init(state: PushState, delivery: PushDelivery?, sent: Date?, now: Date) {
        switch (state, delivery) {
        case (.queued, _): self = .queued
        case (.sending, _): self = .sending
        case (.failed, _), (_, .undelivered), (_, .rejected): self = .failed
        case (_, .delivered): self = .delivered
        default:
            if let sent, now.timeIntervalSince(sent) > PushRecord.expiry { self = .expired } else { self = .sent }
        }
    }

    /// Not (yet) known to have reached the phone: what `--undelivered` sends again.
    public var isUndelivered: Bool { self == .sending || self == .sent || self == .failed || self == .expired }
}

/// One recorded setup or alert with its SMS: a row of `pushes list` and `GET /pushes/`.
public struct PushRecord: Sendable, Hashable {
    /// How long an SMS centre keeps trying by default (48 hours); a push without a final report after it is expired.
    public static let expiry: TimeInterval = 48 * 3600

    /// One SMS of the push and what its delivery reports said.
    public struct Part: Sendable, Hashable {
        public var number: Int
        /// The id the gateway's delivery reports name.
        public var messageID: String
        public var delivery: PushDelivery?
        public var reported: Date?

        public init(number: Int, messageID: String, delivery: PushDelivery?, reported: Date?) {
            self.number = number
            self.messageID = messageID
            self.delivery = delivery
            self.reported = reported
        }
    }

    public var kind: PushMessage.Kind
    public var id: Int64
    public var clientUUID: String
    public var phoneNumber: String
    public var status: PushStatus
    public var state: PushState
    public var delivery: PushDelivery?
    public var created: Date
    public var sent: Date?
    public var format: String?
    public var messages: Int
    public var attempts: Int
    public var gateway: String?
    /// What the gateway answered (Kannel: `0: Accepted for delivery`, one per SMS).
    public var answer: String?
    public var error: String?
    public var parts: [Part]

    public init(kind: PushMessage.Kind, id: Int64, clientUUID: String, phoneNumber: String, status: PushStatus, state: PushState,
                delivery: PushDelivery?, created: Date, sent: Date?, format: String?, messages: Int, attempts: Int,
                gateway: String?, answer: String?, error: String?, parts: [Part]) {
        self.kind = kind
        self.id = id
        self.clientUUID = clientUUID
        self.phoneNumber = phoneNumber
        self.status = status
        self.state = state
        self.delivery = delivery
        self.created = created
        self.sent = sent
        self.format = format
        self.messages = messages
        self.attempts = attempts
        self.gateway = gateway
        self.answer = answer
        self.error = error
        self.parts = parts
    }
}

/// Narrows a push listing.
public struct PushFilter: Sendable, Hashable {
    public var kind: PushMessage.Kind?
    public var status: PushStatus?
    public var clientUUID: String?
    /// Created at or after.
    public var since: Date?
    /// Only each phone's newest push of its kind, when it is not known delivered (``PushStatus/isUndelivered``).
    public var undelivered: Bool
    /// Only pushes created before this (`--undelivered --older-than`: a run's own pushes are never among them).
    public var createdBefore: Date?

    public init(kind: PushMessage.Kind? = nil, status: PushStatus? = nil, clientUUID: String? = nil, since: Date? = nil,
                undelivered: Bool = false, createdBefore: Date? = nil) {
        self.kind = kind
        self.status = status
        self.clientUUID = clientUUID
        self.since = since
        self.undelivered = undelivered
        self.createdBefore = createdBefore
    }

    /// Whether a record the store selected passes the rules no query expresses.
    public func admits(_ record: PushRecord) -> Bool {
        if let status, record.status != status { return false }
        if undelivered && !record.status.isUndelivered { return false }
        return true
    }
}
