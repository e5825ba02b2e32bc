import Foundation
import SyncML
import WBXML

/// What happened in a session and why it failed, in words, each finding citing the message and
/// command it comes from. Read from the session's record and its chatlog.
public struct SessionExplanation: Sendable {
    /// The findings, in the order of the messages.
    public var lines: [String]

    public init(session: SessionSummary, chatlog: [ChatlogEntry]) {
        var lines: [String] = []
        let who = [session.phoneNumber.map { "phone \($0)" }, session.clientUUID.map { "client \($0)" }, session.user.map { "user \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
        let end = session.ended.map { "ended \(Timestamp.rfc3339($0)) after \(String(format: "%.1f", $0.timeIntervalSince(session.started))) s" } ?? "not ended"
        lines.append("Session \(session.id): \(who.isEmpty ? "an unknown phone" : who), device \(session.deviceID.isEmpty ? "?" : session.deviceID); "
                     + "SyncML \(session.version.isEmpty ? "?" : session.version) \(session.encoding), auth \(session.authType ?? "none"); "
                     + "started \(Timestamp.rfc3339(session.started)), \(end); \(session.messagesIn) messages from the phone, "
                     + "\(session.messagesOut) to it; status \(session.status).")

        var phoneAlerts: [String: (last: String?, message: Int)] = [:]
        var rejections: [String: (count: Int, first: String)] = [:]
        var rejectionOrder: [String] = []
        var lastIncoming: Int?
        for entry in chatlog {
            guard let xml = entry.xml, let root = try? XMLTreeReader(maxDepth: 80).read(Data(xml.utf8)).root,
                  let body = root.child("SyncBody") else {
                if entry.direction == "in" {
                    lines.append("Message \(entry.sequence) (from the phone, \(entry.raw.count) bytes) could not be read as SyncML.")
                }
                continue
            }
            let msgID = root.value("SyncHdr", "MsgID") ?? "?"
            let incoming = entry.direction == "in"
            if incoming { lastIncoming = entry.sequence }
            let origin = "message \(entry.sequence) (\(incoming ? "phone" : "server") MsgID \(msgID))"
            for alert in body.children("Alert") where incoming {
                for item in alert.children("Item") {
                    if let target = item.value("Target", "LocURI") {
                        phoneAlerts[target] = (item.value("Meta", "Anchor", "Last"), entry.sequence)
                    }
                }
            }
            for status in body.children("Status") {
                guard let code = status.value("Data").flatMap({ Int($0) }), code >= 300 else { continue }
                let cmd = status.value("Cmd") ?? "?"
                let ref = "command \(status.value("CmdRef") ?? "?") of \(incoming ? "server" : "phone") MsgID \(status.value("MsgRef") ?? "?")"
                let item = ["Add", "Replace", "Delete"].contains(cmd)
                    ? status.value("SourceRef").map { " (item \($0))" } ?? ""
                    : (status.value("TargetRef") ?? status.value("SourceRef")).map { " (\($0))" } ?? ""
                let meaning = SyncMLStatus.meaning(code)
                if !incoming && cmd == "Alert" && code == SyncMLStatus.refreshRequired {
                    let target = status.value("TargetRef") ?? "?"
                    let serverAlert = body.children("Alert").first { $0.value("Item", "Source", "LocURI") == target }
                    let serverLast = serverAlert?.value("Item", "Meta", "Anchor", "Last")
                    let phoneLast = phoneAlerts[target]?.last
                    let cause = serverLast == nil
                        ? "this is the first sync of the datastore for this phone (the server keeps no anchor for it)"
                        : "the phone's Last anchor \(phoneLast.map { "'\($0)'" } ?? "(none)") is not the anchor of the last sync the server completed: "
                            + "the phone or the server lost its sync state (a reset or restored phone, or an earlier sync that did not finish)"
                    lines.append("\(origin.capitalizedFirst): 508 for the Alert of \(target) (\(ref)): anchors do not match, so the sync is slow; \(cause).")
                    continue
                }
                if cmd == "SyncHdr" {
                    let recovered = (code == 401 || code == 407) && session.status == "ok" ? "; the phone then authenticated" : ""
                    lines.append("\(origin.capitalizedFirst): the \(incoming ? "phone" : "server") answered the SyncHdr with \(code): \(meaning)"
                                 + (code == 401 || code == 407 ? (session.username.map { " (user name \($0))" } ?? "") : "") + recovered + ".")
                    continue
                }
                if ["Add", "Replace", "Delete"].contains(cmd) {
                    let key = "\(incoming ? "in" : "out") \(cmd) \(code)"
                    if rejections[key] == nil {
                        rejectionOrder.append(key)
                        rejections[key] = (0, "\(origin), \(ref)\(item)")
                    }
                    rejections[key]!.count += 1
                    continue
                }
                lines.append("\(origin.capitalizedFirst): \(incoming ? "the phone refused the server's" : "the server refused the phone's") \(cmd) (\(ref))\(item) with \(code): \(meaning).")
            }
        }
        for key in rejectionOrder {
            let parts = key.split(separator: " ")
            let (count, first) = rejections[key]!
            let code = Int(parts[2]) ?? 0
            let subject = parts[0] == "in" ? "The phone refused \(count) of the server's \(parts[1]) commands" : "The server refused \(count) of the phone's \(parts[1]) commands"
            lines.append("\(subject) with \(code): \(SyncMLStatus.meaning(code)) (first: \(first)).")
        }
        for store in session.datastores {
            var line = "Datastore \(store.serverURI) (phone's \(store.localURI)): "
            if !(200..<300).contains(store.alertStatus) && store.alertStatus != SyncMLStatus.refreshRequired {
                line += "refused with \(store.alertStatus): \(SyncMLStatus.meaning(store.alertStatus))."
                lines.append(line)
                continue
            }
            let asked = SessionDatastore.syncTypeName(store.requested), done = SessionDatastore.syncTypeName(store.syncType)
            line += asked == done ? "\(done) sync" : "\(asked) asked, \(done) done"
            if store.syncType == 201 && store.requested != 201 { line += " (unexpected slow sync: see the 508 above)" }
            line += "; from the phone +\(store.addedIn) ~\(store.replacedIn) -\(store.deletedIn)"
            if store.rejectedIn > 0 { line += " (\(store.rejectedIn) refused)" }
            line += "; to the phone +\(store.addedOut) ~\(store.replacedOut) -\(store.deletedOut)"
            if store.rejectedOut > 0 { line += " (\(store.rejectedOut) refused by the phone)" }
            line += store.completed ? "; completed." : "; not completed."
            lines.append(line)
        }
        let last = lastIncoming.map { "the last message from the phone was message \($0)" } ?? "no message from the phone was recorded"
        if session.status == "active" {
            lines.append("The session is still open: \(last).")
        } else if let error = session.error, error.hasPrefix("abandoned") {
            let who = error.contains("the server stopped") ? "the server stopped during the session" : "the phone sent nothing more"
            lines.append("The session stopped half-way: \(last), and \(who) (\(error)).")
        }
        switch session.status {
        case "ok": lines.append("Verdict: the session completed.")
        case "active": lines.append("Verdict: the session is still open.")
        default: lines.append("Verdict: failed: \(session.error ?? "no reason recorded").")
        }
        self.lines = lines
    }

    /// The explanation as text, a finding per line.
    public var text: String { lines.joined(separator: "\n") + "\n" }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
