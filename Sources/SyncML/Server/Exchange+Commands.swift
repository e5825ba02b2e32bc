import Foundation
import WBXML

extension Exchange {
    /// Answers every command of the body, in order.
    func process(_ body: WBXMLElement) throws {
        for command in body.elements {
            let cmdID = command.value("CmdID") ?? ""
            if state.phase == .finished && !["Final", "Status"].contains(command.name) {
                // The session is over: nothing more is applied.
                answer(command, cmdID: cmdID, code: SyncMLStatus.commandNotAllowed)
                continue
            }
            switch command.name {
            case "Final":
                final = true
            case "Status":
                try handleStatus(command)
            case "Alert":
                try handleAlert(command, cmdID: cmdID)
            case "Put", "Results":
                handleDeviceInfo(command, cmdID: cmdID)
            case "Get":
                handleGet(command, cmdID: cmdID)
            case "Sync":
                try handleSync(command, cmdID: cmdID)
            case "Map":
                try handleMap(command, cmdID: cmdID)
            case "Add", "Replace", "Delete", "Copy", "Move", "Atomic", "Sequence", "Exec", "Search":
                // Outside a Sync, or not offered by this server.
                let code = ["Add", "Replace", "Delete"].contains(command.name) ? SyncMLStatus.commandNotAllowed : SyncMLStatus.optionalFeatureNotSupported
                answer(command, cmdID: cmdID, code: code)
                state.record.error = state.record.error ?? "\(command.name) (command \(cmdID) of message \(msgID)) refused with \(code): \(SyncMLStatus.meaning(code))"
            default:
                answer(command, cmdID: cmdID, code: SyncMLStatus.badRequest)
                state.record.error = state.record.error ?? "unknown command <\(command.name)> in message \(msgID)"
            }
        }
    }

    /// A status for a command, unless it asked for none.
    func answer(_ command: WBXMLElement, cmdID: String, code: Int, targetRef: String? = nil, sourceRef: String? = nil, items: [WBXMLElement] = []) {
        if command.child("NoResp") != nil { return }
        out.add(MessageBuilder.status(msgRef: msgID, cmdRef: cmdID.isEmpty ? "0" : cmdID, cmd: command.name,
                                      targetRef: targetRef, sourceRef: sourceRef, code: code, items: items))
    }

    // MARK: Status

    func handleStatus(_ status: WBXMLElement) throws {
        guard let code = status.value("Data").flatMap({ Int($0) }) else { return }
        let cmd = status.value("Cmd") ?? ""
        let key = "\(status.value("MsgRef") ?? ""):\(status.value("CmdRef") ?? "")"
        switch cmd {
        case "Add", "Replace", "Delete":
            guard let awaited = state.awaiting.removeValue(forKey: key) else { return }
            if awaited.kind == .delete && SyncMLStatus.isSuccess(code) {
                // The phone no longer has the item.
                try tx.unmap(itemID: awaited.itemID, datastoreID: state.stores[awaited.storeIndex].datastoreID)
            }
            if !SyncMLStatus.isSuccess(code) {
                let index = state.stores[awaited.storeIndex].statsIndex
                state.record.datastores[index].rejectedOut += 1
                state.record.error = state.record.error
                    ?? "the phone refused \(cmd) of item \(awaited.itemID) in \(state.stores[awaited.storeIndex].serverURI) with \(code): \(SyncMLStatus.meaning(code))"
            }
        case "Alert", "Sync", "Map":
            if !SyncMLStatus.isSuccess(code) {
                fail("the phone answered the server's \(cmd) (command \(status.value("CmdRef") ?? "?") of server message \(status.value("MsgRef") ?? "?")) with \(code): \(SyncMLStatus.meaning(code))")
            }
        default:
            break
        }
    }

    // MARK: Alert

    func handleAlert(_ command: WBXMLElement, cmdID: String) throws {
        guard let code = command.value("Data").flatMap({ Int($0) }) else {
            answer(command, cmdID: cmdID, code: SyncMLStatus.badRequest)
            return
        }
        if code == SyncAlert.nextMessage {
            answer(command, cmdID: cmdID, code: SyncMLStatus.ok)
            return
        }
        guard let requested = SyncAlert(rawValue: code) else {
            answer(command, cmdID: cmdID, code: SyncMLStatus.optionalFeatureNotSupported)
            state.record.error = state.record.error ?? "alert \(code) (command \(cmdID) of message \(msgID)) is not supported"
            return
        }
        sawAlert = true
        if command.children("Item").isEmpty {
            answer(command, cmdID: cmdID, code: SyncMLStatus.badRequest)
            state.record.error = state.record.error ?? "alert \(code) (command \(cmdID) of message \(msgID)) names no datastore (no Item)"
        }
        for item in command.children("Item") {
            let target = item.value("Target", "LocURI") ?? ""
            let source = item.value("Source", "LocURI") ?? ""
            let last = item.value("Meta", "Anchor", "Last")
            let next = item.value("Meta", "Anchor", "Next")
            if let size = item.value("Meta", "MaxObjSize").flatMap({ Int($0) }), size > 0 { state.clientMaxObjSize = size }
            guard let dataclass = SyncDataclass(uri: target) else {
                answer(command, cmdID: cmdID, code: SyncMLStatus.notFound, targetRef: target, sourceRef: source)
                state.record.datastores.append(SessionRecord.DatastoreStats(serverURI: target, localURI: source, dataclass: nil,
                                                                            requested: code, syncType: code, status: SyncMLStatus.notFound))
                state.record.error = state.record.error
                    ?? "the phone asked for datastore '\(target)', which the server does not have (it has contacts, calendar, tasks, notes and their usual aliases)"
                continue
            }
            if let earlier = state.stores.first(where: { $0.dataclass == dataclass }) {
                // One datastore of each dataclass per phone: a second one would share its item ids.
                let same = earlier.clientURI == source
                answer(command, cmdID: cmdID, code: same ? SyncMLStatus.ok : SyncMLStatus.optionalFeatureNotSupported,
                       targetRef: target, sourceRef: source)
                if !same {
                    state.record.error = state.record.error
                        ?? "the phone alerted two \(dataclass.rawValue) datastores (\(earlier.clientURI) and \(source)); the server syncs one per dataclass"
                }
                continue
            }
            guard let next, let account = state.account else {
                answer(command, cmdID: cmdID, code: SyncMLStatus.badRequest, targetRef: target, sourceRef: source)
                state.record.error = state.record.error ?? "the alert for '\(target)' carries no Next anchor"
                continue
            }
            let devStore = state.deviceInfo?.datastores.first { $0.sourceRef == source }
            let datastore = try tx.datastore(clientID: account.clientID, dataclass: dataclass, serverURI: target, localURI: source,
                                             displayName: devStore?.displayName,
                                             contentTypes: devStore.map { Array(Set($0.receives.map(\.type))).sorted() } ?? [])
            var actual = requested.initiated
            var status = SyncMLStatus.ok
            if [.twoWay, .oneWayFromClient, .oneWayFromServer].contains(actual) {
                if datastore.clientAnchor == nil || datastore.clientAnchor != last {
                    status = SyncMLStatus.refreshRequired
                    actual = .slow
                }
            }
            if actual == .refreshFromServer { try tx.clearMaps(datastoreID: datastore.id) }
            // Until this sync completes, the stored anchors no longer describe the phone: a session that
            // stops half-way leaves a slow sync (content matched, no duplicates) for next time.
            try tx.invalidateAnchors(datastoreID: datastore.id)
            let serverNext = SyncServer.anchor(now)
            state.record.datastores.append(SessionRecord.DatastoreStats(serverURI: target, localURI: source, dataclass: dataclass.rawValue,
                                                                        requested: code, syncType: actual.rawValue, status: status))
            state.stores.append(StoreSession(clientURI: source, serverURI: target, dataclass: dataclass, datastoreID: datastore.id,
                                             userID: account.userID, alert: actual, clientNextAnchor: next, serverNextAnchor: serverNext,
                                             syncedRevision: datastore.syncedRevision, statsIndex: state.record.datastores.count - 1))
            var anchor = WBXMLElement("Anchor", attributes: [WBXMLAttribute("xmlns", "syncml:metinf")])
            anchor.append("Next", next)
            let statusItem = WBXMLElement("Item", children: [.element(WBXMLElement("Data", children: [.element(anchor)]))])
            answer(command, cmdID: cmdID, code: status, targetRef: target, sourceRef: source, items: [statusItem])

            var alert = WBXMLElement("Alert")
            alert.append("Data", String(actual.rawValue))
            var alertItem = WBXMLElement("Item")
            alertItem.append(MessageBuilder.location("Target", source))
            alertItem.append(MessageBuilder.location("Source", target))
            var serverAnchor = WBXMLElement("Anchor", attributes: [WBXMLAttribute("xmlns", "syncml:metinf")])
            if let last = datastore.serverAnchor { serverAnchor.append("Last", last) }
            serverAnchor.append("Next", serverNext)
            var meta = WBXMLElement("Meta", children: [.element(serverAnchor)])
            if state.version == .v12 { meta.append("MaxObjSize", String(config.maxMsgSize), xmlns: "syncml:metinf") }
            alertItem.append(meta)
            alert.append(alertItem)
            serverAlerts.append(alert)
        }
    }

    // MARK: Device information

    func handleDeviceInfo(_ command: WBXMLElement, cmdID: String) {
        var stored = false
        for item in command.children("Item") {
            guard let data = item.child("Data") else { continue }
            var element = data.nestedElement
            if element == nil, !data.bytes.isEmpty {
                element = try? XMLTreeReader(maxDepth: 40).read(Data(data.bytes)).root
            }
            guard let element, let info = DeviceInfo(element), let account = state.account else { continue }
            state.deviceInfo = info
            let xml = XMLRenderer().render(element)
            do {
                try tx.saveDeviceInfo(info, xml: xml, clientID: account.clientID)
                stored = true
            } catch {
                state.record.error = state.record.error ?? "the phone's device information could not be stored: \(error.localizedDescription)"
            }
        }
        let source = command.path("Item", "Source")?.value("LocURI")
        answer(command, cmdID: cmdID, code: stored || command.name == "Results" ? SyncMLStatus.ok : SyncMLStatus.badRequest, sourceRef: source)
    }

    func handleGet(_ command: WBXMLElement, cmdID: String) {
        let target = command.path("Item", "Target")?.value("LocURI") ?? ""
        guard target.lowercased().hasPrefix("./devinf") else {
            answer(command, cmdID: cmdID, code: SyncMLStatus.notFound, targetRef: target)
            return
        }
        answer(command, cmdID: cmdID, code: SyncMLStatus.ok, targetRef: target)
        var resultsElement = WBXMLElement("Results")
        resultsElement.append("MsgRef", msgID)
        resultsElement.append("CmdRef", cmdID)
        let type = state.encoding == .wbxml ? "application/vnd.syncml-devinf+wbxml" : "application/vnd.syncml-devinf+xml"
        resultsElement.append(MessageBuilder.meta([("Type", type)]))
        var item = WBXMLElement("Item")
        item.append(MessageBuilder.location("Source", state.version.devInfURI))
        var devInf = DeviceInfo.server(deviceID: config.serverID, version: state.version)
        if state.encoding == .wbxml {
            devInf.attributes = []
            item.append(WBXMLElement("Data", children: [.document(WBXMLDocument(version: 0x02, language: state.version.devInfLanguage, root: devInf))]))
        } else {
            item.append(WBXMLElement("Data", children: [.element(devInf)]))
        }
        resultsElement.append(item)
        results.append(resultsElement)
    }

    // MARK: Map

    func handleMap(_ command: WBXMLElement, cmdID: String) throws {
        let target = command.value("Target", "LocURI") ?? ""
        let source = command.value("Source", "LocURI") ?? ""
        guard let index = storeIndex(for: target) else {
            answer(command, cmdID: cmdID, code: SyncMLStatus.notFound, targetRef: target, sourceRef: source)
            return
        }
        let store = state.stores[index]
        var unknown: [String] = []
        for mapItem in command.children("MapItem") {
            // Only the user's own items of this dataclass: a phone cannot reach others' data by naming their ids.
            guard let serverID = mapItem.value("Target", "LocURI").flatMap({ Int64($0) }), let luid = mapItem.value("Source", "LocURI"),
                  let item = try tx.item(id: serverID), !item.deleted, item.userID == store.userID,
                  item.dataclass == store.dataclass.rawValue else {
                unknown.append(mapItem.value("Target", "LocURI") ?? "?")
                continue
            }
            try tx.map(luid: luid, itemID: item.id, datastoreID: store.datastoreID)
        }
        if !unknown.isEmpty {
            state.record.error = state.record.error
                ?? "Map (command \(cmdID) of message \(msgID)) names items the server did not send to this phone: \(unknown.prefix(5).joined(separator: ", "))"
        }
        answer(command, cmdID: cmdID, code: SyncMLStatus.ok, targetRef: target, sourceRef: source)
    }

    /// The session's datastore a URI names (the server's URI or its dataclass alias).
    func storeIndex(for uri: String) -> Int? {
        if let exact = state.stores.firstIndex(where: { $0.serverURI == uri }) { return exact }
        guard let dataclass = SyncDataclass(uri: uri) else { return nil }
        return state.stores.firstIndex { $0.dataclass == dataclass }
    }
}
