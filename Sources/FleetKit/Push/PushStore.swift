import Foundation
import PhonePush

/// Everything a setup or an alert needs to know about one phone, read for many phones at once.
public struct PushPhone: Sendable {
    public var clientID: Int64
    public var client: Client
    public var model: PhoneModel
    public var credentials: SyncCredentials?
    /// The phone's newest setup, if it has one.
    public var lastSetup: PushRecordState?
    /// The session id of the phone's newest alert (a SAN the phone saw is dropped).
    public var lastAlertSession: Int?

    public init(clientID: Int64, client: Client, model: PhoneModel, credentials: SyncCredentials?,
                lastSetup: PushRecordState?, lastAlertSession: Int?) {
        self.clientID = clientID
        self.client = client
        self.model = model
        self.credentials = credentials
        self.lastSetup = lastSetup
        self.lastAlertSession = lastAlertSession
    }
}

/// What the store says of one recorded setup or alert.
public struct PushRecordState: Sendable, Hashable {
    public var id: Int64
    public var name: String?
    public var state: PushState
    public var delivery: PushDelivery?
    public var sent: Date?
    public var messages: Int
    public var format: String?

    public init(id: Int64, name: String?, state: PushState, delivery: PushDelivery?, sent: Date?, messages: Int, format: String?) {
        self.id = id
        self.name = name
        self.state = state
        self.delivery = delivery
        self.sent = sent
        self.messages = messages
        self.format = format
    }
}

/// Where a recorded setup or alert stands on our side.
public enum PushState: String, Sendable, Codable, CaseIterable {
    /// Recorded without a gateway, for a later `provision` (the seed API's behaviour).
    case queued
    /// Recorded before its SMS went to the gateway, not yet answered: a run that stopped
    /// here may or may not have sent it.
    case sending
    /// The gateway accepted every SMS.
    case sent
    /// The gateway refused it or could not be reached.
    case failed
}

/// The worst news the SMS centre's delivery reports brought for a push's SMS.
public enum PushDelivery: String, Sendable, Codable, CaseIterable {
    case accepted, buffered, delivered, undelivered, rejected

    /// Kannel's report types: 1 delivered, 2 undelivered, 4 buffered, 8 accepted by the SMSC, 16 rejected.
    public init?(kannelType: Int) {
        switch kannelType {
        case 1: self = .delivered
        case 2: self = .undelivered
        case 4: self = .buffered
        case 8: self = .accepted
        case 16: self = .rejected
        default: return nil
        }
    }

    /// Later news replaces earlier only when it is worse or final ("delivered" is not undone by "accepted").
    var rank: Int {
        switch self {
        case .accepted: 1
        case .buffered: 2
        case .delivered: 3
        case .undelivered, .rejected: 4
        }
    }

    /// The push's state from its parts' reports: any part lost loses the push.
    static func overall(_ parts: [PushDelivery?]) -> PushDelivery {
        if parts.contains(where: { $0 == .undelivered || $0 == .rejected }) { return .undelivered }
        if parts.allSatisfy({ $0 == .delivered }) { return .delivered }
        if parts.contains(.buffered) { return .buffered }
        return .accepted
    }
}

/// A setup or alert about to be recorded.
struct PushDraft: Sendable {
    var kind: PushMessage.Kind
    var clientID: Int64
    var name: String?
    var pincode: String?
    var security: String?
    var format: String?
    var syncType: Int?
    var sessionID: Int?
}

/// One write of a push run; a run's writes are committed in groups (``PushJournal``).
enum PushJournalEntry: Sendable {
    /// Recorded as queued (no gateway).
    case queue(PushDraft)
    /// Recorded as `sending` with the ids of its SMS, before anything leaves.
    case begin(PushDraft, messageIDs: [String])
    /// The gateway's answer.
    case finish(PushFinish)
}

/// What the gateway made of a push.
struct PushFinish: Sendable {
    var kind: PushMessage.Kind
    var id: Int64
    var clientID: Int64
    var state: PushState
    var sent: Int64?
    var messages: Int
    var gateway: String
    var answer: String
    var error: String?
    var attempts: Int
}

/// What a push run reads once, before its first phone.
struct PushRunContext: Sendable {
    var settings: [FleetSetting: String]
    /// Names the sync users of phones that have none yet.
    var usernames: SyncUsername
}

/// The storage a push run needs from a backend: batched reads and grouped writes. The rules
/// (who is skipped, what is built, what is recorded when) are ``PushPlanner``'s and
/// ``PushPipeline``'s, written once for every backend.
protocol PushStore: Sendable {
    /// Settings and the sync user name key.
    func pushRunContext() async throws -> PushRunContext
    /// The phones with these uuids that the caller may see, by lower-cased uuid.
    func pushPhones(uuids: [String]) async throws -> [String: PushPhone]
    /// Gives these phones sync credentials (a phone that has some keeps them); returns every phone's.
    func createCredentials(_ wanted: [Int64: SyncCredentials]) async throws -> [Int64: SyncCredentials]
    /// Writes the entries in one transaction; returns the row id of each queue or begin entry (0 for finish).
    func recordPushes(_ entries: [PushJournalEntry], at now: Int64) async throws -> [Int64]
}
