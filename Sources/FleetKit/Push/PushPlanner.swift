import Foundation
import PhonePush

/// What a run does for one phone; decided by ``PushPlanner`` from what the store said.
enum PushPlan: Sendable {
    /// Nothing to send: skipped, invalid or (dry run without a gateway to show it) built.
    case done(PushOutcome)
    /// Record as queued (no gateway).
    case queue(PushOutcome, PushDraft)
    /// Send these SMS (recorded first); `dryRun`: only shown by an inspection gateway, never recorded.
    case send(PushOutcome, PushDraft, [SMS], dryRun: Bool)
}

/// The rules of setups and alerts, for every backend: which phones are skipped, what they
/// get (OMA CP or Nokia OTA, SAN 1.2 or the 1.1 alert, with the model's push parameters),
/// and how it is cut into SMS. Pure: it reads nothing and writes nothing.
struct PushPlanner: Sendable {
    var push: PushConfiguration
    var context: PushRunContext

    var providerID: String { push.providerID ?? context.settings[.providerID] ?? FleetSetting.defaultProviderID }

    func syncURL() throws -> String {
        guard let url = push.syncURL ?? context.settings[.syncURL] else {
            throw FleetError.settingMissing(key: "sync-url", flag: "--sync-url", environment: "SYNCFLEET_SYNC_URL")
        }
        return url
    }

    /// Whether a setup to this phone is skipped, and the outcome saying so.
    func skippedSetup(_ phone: PushPhone, _ request: ProvisionRequest) -> PushOutcome? {
        guard !request.force, !request.dryRun, let last = phone.lastSetup else { return nil }
        let skip = request.undeliveredOnly ? last.delivery == .delivered : last.state == .sent
        guard skip else { return nil }
        return PushOutcome(clientUUID: phone.client.uuid, phoneNumber: phone.client.phoneNumber, kind: .setup, status: .skipped,
                           requestID: last.id, name: last.name, messages: last.messages, format: last.format, sent: last.sent,
                           note: last.delivery == .delivered ? "delivered" : nil)
    }

    /// The credentials a setup carries: the phone's, else new ones named from its row id.
    func credentials(for phone: PushPhone) -> SyncCredentials {
        phone.credentials ?? SyncCredentials(username: context.usernames.name(forClientID: phone.clientID),
                                              password: SyncCredentials.generatePassword())
    }

    func setup(_ phone: PushPhone, _ request: ProvisionRequest) throws -> PushPlan {
        if let skipped = skippedSetup(phone, request) { return .done(skipped) }
        let client = phone.client
        let name: String, pin: String?
        var outcome = PushOutcome(clientUUID: client.uuid, phoneNumber: client.phoneNumber, kind: .setup, status: .queued)
        do {
            name = try request.name.map(SetupRequest.validateName) ?? context.settings[.setupName] ?? SetupRequest.defaultName
            pin = try request.pincode.map(SetupRequest.validatePincode)
        } catch {
            return .done(invalid(outcome, error))
        }
        outcome.name = name
        outcome.pincode = pin
        if let last = phone.lastSetup, last.state == .sending {
            outcome.note = "may have been sent: setup \(last.id) was being sent when a run stopped"
        }
        var draft = PushDraft(kind: .setup, clientID: phone.clientID, name: name, pincode: pin ?? "", security: request.security.rawValue)
        if push.gateway == nil && !request.dryRun { return .queue(outcome, draft) }
        let credentials = credentials(for: phone)
        if request.revealCredentials { outcome.credentials = credentials }
        var accessPoint: DSProfile.AccessPoint?
        if let apn = context.settings[.apn] {
            accessPoint = DSProfile.AccessPoint(name: apn, apn: apn, username: context.settings[.apnUser], password: context.settings[.apnPassword])
        }
        let profile = DSProfile(
            name: name, providerID: providerID, serverURL: try syncURL(), protocolVersion: phone.model.syncMLVersion.rawValue,
            authType: .basic, username: credentials.username, password: credentials.password,
            resources: SyncProfile.resources(client.datastores), accessPoint: accessPoint)
        var message: PushMessage
        do {
            if phone.model.provisioning == .nokiaOTA {
                message = try PushMessage.syncSettings(profile)
                outcome.format = "nokia-ota"
            } else {
                let security = try ProvisioningSecurity(method: request.security, pin: pin, imsi: request.imsi)
                message = try PushMessage.provisioning(profile, security: security)
                outcome.format = "oma-cp/\(request.security.rawValue.lowercased())"
            }
        } catch {
            return .done(invalid(outcome, error))
        }
        outcome.pinToType = message.pinToType
        draft.format = outcome.format
        return try segmented(message, outcome, draft, dryRun: request.dryRun)
    }

    func alert(_ phone: PushPhone, _ request: AlertRequest) throws -> PushPlan {
        let client = phone.client
        var outcome = PushOutcome(clientUUID: client.uuid, phoneNumber: client.phoneNumber, kind: .alert, status: .queued)
        var draft = PushDraft(kind: .alert, clientID: phone.clientID)
        if push.gateway == nil && !request.dryRun { return .queue(outcome, draft) }
        // The datastores asked for, by dataclass or server URI.
        var stores = client.datastores
        if !request.datastores.isEmpty {
            stores = []
            for wanted in request.datastores {
                guard let dataclass = Dataclass(parsing: wanted), let match = client.datastores.first(where: { $0.dataclass == dataclass }) else {
                    outcome.status = .invalid
                    outcome.error = "the phone has no datastore '\(wanted)' (it has \(client.datastores.map { $0.dataclass.rawValue.lowercased() }.joined(separator: ", ")))"
                    return .done(outcome)
                }
                if !stores.contains(match) { stores.append(match) }
            }
        }
        let resources = SyncProfile.resources(stores)
        let version = request.sanVersion ?? (phone.model.acceptsSAN12 ? "1.2" : "1.1")
        // A session id unlike the phone's last one: phones drop a SAN they have seen.
        var sessionID = UInt16.random(in: 1...UInt16.max)
        while Int(sessionID) == phone.lastAlertSession { sessionID = UInt16.random(in: 1...UInt16.max) }
        var message: PushMessage
        do {
            if version == "1.2" {
                let san = ServerAlertedNotification(
                    uiMode: request.uiMode, sessionID: sessionID, serverID: providerID,
                    syncs: resources.map { .init(type: request.syncType, contentType: ServerAlertedNotification.contentTypeNumber(for: $0.accept), serverURI: $0.uri) })
                message = try PushMessage.alert(san, password: phone.credentials?.password ?? "", nonce: [],
                                                contentType: phone.model.alertPush.contentType)
                outcome.format = "san-1.2"
            } else {
                let legacy = LegacyServerAlert(version: version, sessionID: sessionID, serverURL: try syncURL(), syncType: request.syncType,
                                               datastores: resources.map { ($0.uri, $0.accept) })
                message = try PushMessage.legacyAlert(legacy)
                outcome.format = "san-\(version)"
            }
        } catch let error as FleetError {
            throw error
        } catch {
            return .done(invalid(outcome, error))
        }
        message.destinationPort = phone.model.alertPush.destinationPort
        message.sourcePort = phone.model.alertPush.sourcePort
        draft.format = outcome.format
        draft.syncType = Int(request.syncType.rawValue)
        draft.sessionID = Int(sessionID)
        return try segmented(message, outcome, draft, dryRun: request.dryRun)
    }

    private func segmented(_ message: PushMessage, _ outcome: PushOutcome, _ draft: PushDraft, dryRun: Bool) throws -> PushPlan {
        var outcome = outcome
        let segments: [SMS]
        do {
            segments = try message.segments(reference: UInt16.random(in: 0...UInt16.max), sixteenBitReference: push.sixteenBitReference)
        } catch {
            return .done(invalid(outcome, error))
        }
        outcome.messages = segments.count
        outcome.octets = message.pdu.count
        if dryRun {
            outcome.status = .dryRun
            // Inspection gateways still show what would go out; an SMS gateway sends nothing.
            if let gateway = push.gateway, gateway is DirectoryGateway || gateway is HexGateway {
                return .send(outcome, draft, segments, dryRun: true)
            }
            return .done(outcome)
        }
        return .send(outcome, draft, segments, dryRun: false)
    }

    private func invalid(_ outcome: PushOutcome, _ error: any Error) -> PushOutcome {
        var outcome = outcome
        outcome.status = .invalid
        outcome.error = error.localizedDescription
        return outcome
    }
}
