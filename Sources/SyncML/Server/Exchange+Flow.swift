import Foundation
import WBXML

extension Exchange {
    /// Moves the session on after the phone's commands are answered, adds what the server
    /// sends in this message, and says whether the message ends the server's package (`Final`).
    func advance(proceeded: Bool) throws -> Bool {
        guard proceeded else {
            if state.phase == .finished { state.record.ended = state.record.ended ?? now }
            return true
        }
        for result in results { out.add(result) }
        for alert in serverAlerts { out.add(alert) }
        switch state.phase {
        case .initialization:
            guard final else { return nextMessage() }
            if sawAlert || !state.stores.isEmpty {
                state.phase = .clientChanges
                if state.stores.isEmpty {
                    try finish()
                }
            }
            return true
        case .clientChanges:
            guard final else { return nextMessage() }
            try queueServerChanges()
            state.phase = .serverChanges
            return try sendServerChanges()
        case .serverChanges:
            return try sendServerChanges()
        case .mapping:
            guard final else { return nextMessage() }
            try finish()
            return true
        case .finished:
            return true
        }
    }

    /// Asks the phone for the next message of its package (Alert 222).
    func nextMessage() -> Bool {
        var alert = WBXMLElement("Alert")
        alert.append("Data", String(SyncAlert.nextMessage))
        var item = WBXMLElement("Item")
        item.append(MessageBuilder.location("Target", state.deviceID))
        item.append(MessageBuilder.location("Source", state.serverURI))
        alert.append(item)
        out.add(alert)
        return false
    }

    /// Works out what each datastore is to receive, now that the phone's changes are in.
    func queueServerChanges() throws {
        for index in state.stores.indices {
            var store = state.stores[index]
            if let chunk = state.incomingChunk, chunk.storeIndex == index {
                noteRejected(index, "the large object \(chunk.luid) never got its last chunk", cmdID: "-")
                state.incomingChunk = nil
            }
            switch store.alert {
            case .slow:
                for id in try tx.mappedItems(datastoreID: store.datastoreID) where !store.mentioned.contains(id) {
                    try tx.unmap(itemID: id, datastoreID: store.datastoreID)
                }
                store.snapshot = try tx.currentRevision()
                store.pending = try tx.serverChanges(userID: store.userID, dataclass: store.dataclass, datastoreID: store.datastoreID, since: nil)
                    + store.extraChanges
            case .refreshFromServer:
                store.snapshot = try tx.currentRevision()
                store.pending = try tx.serverChanges(userID: store.userID, dataclass: store.dataclass, datastoreID: store.datastoreID, since: nil)
            case .refreshFromClient:
                // The phone's data replaces the server's: whatever it did not send is deleted (and forgotten by its map).
                for id in try tx.liveItems(userID: store.userID, dataclass: store.dataclass) where !store.mentioned.contains(id) {
                    try tx.deleteItem(id: id, by: store.datastoreID, now: now)
                    try tx.unmap(itemID: id, datastoreID: store.datastoreID)
                    state.record.datastores[store.statsIndex].deletedIn += 1
                }
                store.snapshot = try tx.currentRevision()
            case .oneWayFromClient:
                store.snapshot = store.syncedRevision
            default:
                store.snapshot = try tx.currentRevision()
                store.pending = try tx.serverChanges(userID: store.userID, dataclass: store.dataclass, datastoreID: store.datastoreID,
                                                     since: store.syncedRevision)
            }
            store.changesQueued = true
            state.stores[index] = store
        }
    }

    /// Fills the message with the server's changes, as many as `MaxMsgSize` allows; says whether they are all out.
    func sendServerChanges() throws -> Bool {
        let limit = min(state.clientMaxMsgSize, config.maxMsgSize)
        // Room for the header, Final and the XML declaration; an item larger than an otherwise empty
        // message goes in chunks, to phones that take them.
        let budget = limit - out.estimatedSize - 600
        let emptyBudget = limit - 1200
        let chunksAllowed = state.version != .v10 && (state.deviceInfo?.supportsLargeObjects ?? true)
        var used = 0
        var full = false
        var sentSomething = false
        for index in state.stores.indices where state.stores[index].alert.serverSends {
            if full { break }
            var store = state.stores[index]
            var sync = WBXMLElement("Sync")
            let syncID = out.nextID()
            sync.append("CmdID", syncID)
            sync.append(MessageBuilder.location("Target", store.clientURI))
            sync.append(MessageBuilder.location("Source", store.serverURI))
            if !store.sentNumberOfChanges && state.version != .v10 {
                sync.append("NumberOfChanges", String(store.pending.count + (state.outgoingChunk?.storeIndex == index ? 1 : 0)))
            }
            let wasSent = store.sentNumberOfChanges
            used += MessageBuilder.size(of: sync) + 20
            var commands = 0
            // A large object on its way out comes first.
            if var chunk = state.outgoingChunk, chunk.storeIndex == index {
                let room = max(budget - used - 400, 256)
                let end = Self.characterBoundary(chunk.data, min(chunk.data.count, chunk.offset + room))
                let command = changeCommand(chunk.change, type: chunk.contentType, data: Array(chunk.data[chunk.offset..<end]),
                                            size: nil, more: end < chunk.data.count)
                appendCommand(command, to: &sync, change: chunk.change, storeIndex: index, counts: end == chunk.data.count)
                used += MessageBuilder.size(of: command)
                commands += 1
                chunk.offset = end
                state.outgoingChunk = end < chunk.data.count ? chunk : nil
                if state.outgoingChunk != nil { full = true }
            }
            while !full, let change = store.pending.first {
                var data: [UInt8] = []
                var type = store.dataclass.contentTypes[0].type
                if change.kind != .delete {
                    guard let item = try tx.item(id: change.itemID), !item.deleted else {
                        store.pending.removeFirst()
                        continue
                    }
                    data = item.data
                    type = item.contentType
                    if let maxObject = state.clientMaxObjSize, data.count > maxObject {
                        store.pending.removeFirst()
                        state.record.datastores[store.statsIndex].rejectedOut += 1
                        state.record.error = state.record.error
                            ?? "item \(change.itemID) (\(data.count) bytes) is larger than the phone's MaxObjSize \(maxObject); not sent"
                        continue
                    }
                }
                let command = changeCommand(change, type: type, data: data, size: nil, more: false)
                let size = MessageBuilder.size(of: command)
                if used + size > budget {
                    if size > emptyBudget && change.kind != .delete && !chunksAllowed {
                        store.pending.removeFirst()
                        state.record.datastores[store.statsIndex].rejectedOut += 1
                        state.record.error = state.record.error
                            ?? "item \(change.itemID) (\(data.count) bytes) does not fit the phone's MaxMsgSize \(limit) and the phone takes no large objects; not sent"
                        continue
                    }
                    if size > emptyBudget && commands == 0 && !sentSomething && change.kind != .delete {
                        // Too big for any message: a large object, sent in chunks (OMA DS 1.2 §6.11).
                        let room = max(budget - used - 400, 256)
                        let cut = Self.characterBoundary(data, min(room, data.count))
                        let first = changeCommand(change, type: type, data: Array(data[0..<cut]), size: data.count, more: true)
                        appendCommand(first, to: &sync, change: change, storeIndex: index, counts: false)
                        commands += 1
                        store.pending.removeFirst()
                        state.outgoingChunk = OutgoingChunk(storeIndex: index, change: change, contentType: type, data: data, offset: cut)
                    }
                    full = true
                    break
                }
                appendCommand(command, to: &sync, change: change, storeIndex: index, counts: true)
                used += size
                commands += 1
                store.pending.removeFirst()
            }
            store.sentNumberOfChanges = true
            state.stores[index] = store
            if commands > 0 || !wasSent {
                out.add(sync)
                sentSomething = sentSomething || commands > 0
            }
        }
        let done = state.outgoingChunk == nil && state.stores.allSatisfy { $0.pending.isEmpty }
        if !done { return false }
        // The phone still answers this package (statuses, maps). When nothing of the server's awaits an
        // answer, the sync is complete now (many phones end here without a last message), but the
        // session stays open for that answer.
        if state.awaiting.isEmpty { try finish(keepOpen: true) }
        state.phase = .mapping
        return true
    }

    /// `end`, moved back so that a chunk does not split a UTF-8 character.
    static func characterBoundary(_ data: [UInt8], _ end: Int) -> Int {
        var end = end
        while end > 0 && end < data.count && (data[end] & 0xC0) == 0x80 { end -= 1 }
        return end
    }

    /// Appends a server command to a `Sync`, remembering that its status is owed.
    func appendCommand(_ command: WBXMLElement, to sync: inout WBXMLElement, change: ServerChange, storeIndex: Int, counts: Bool) {
        var command = command
        let id = out.nextID()
        command.children.insert(.element(.leaf("CmdID", id)), at: 0)
        sync.append(command)
        state.awaiting["\(state.outMsgID + 1):\(id)"] = Awaiting(storeIndex: storeIndex, kind: change.kind, itemID: change.itemID)
        guard counts else { return }
        let statsIndex = state.stores[storeIndex].statsIndex
        switch change.kind {
        case .add: state.record.datastores[statsIndex].addedOut += 1
        case .replace: state.record.datastores[statsIndex].replacedOut += 1
        case .delete: state.record.datastores[statsIndex].deletedOut += 1
        }
    }

    /// An `Add`, `Replace` or `Delete` of the server (without its `CmdID`).
    func changeCommand(_ change: ServerChange, type: String, data: [UInt8], size: Int?, more: Bool) -> WBXMLElement {
        var command = WBXMLElement(change.kind.rawValue)
        if change.kind != .delete {
            var entries = [("Type", type)]
            if let size { entries.append(("Size", String(size))) }
            command.append(MessageBuilder.meta(entries))
        }
        var item = WBXMLElement("Item")
        if let luid = change.luid, change.kind != .add { item.append(MessageBuilder.location("Target", luid)) }
        item.append(MessageBuilder.location("Source", String(change.itemID)))
        if change.kind != .delete {
            if state.encoding == .xml {
                // XML carries text: data that is not UTF-8 is taken as ISO-8859-1, as phones of the era write it.
                let text = String(validating: data, as: UTF8.self) ?? String(data.map { Character(Unicode.Scalar($0)) })
                item.append(WBXMLElement("Data", children: [.text(text)]))
            } else {
                item.append(WBXMLElement("Data", children: [.opaque(data)]))
            }
        }
        if more { item.append(WBXMLElement("MoreData")) }
        command.append(item)
        return command
    }

    /// Ends the session: anchors and revisions of the datastores that synced are kept for next time.
    /// With `keepOpen`, the sync is recorded complete but later messages of the session are still answered.
    func finish(keepOpen: Bool = false) throws {
        for index in state.stores.indices {
            let store = state.stores[index]
            guard store.changesQueued || !store.alert.clientSends else { continue }
            try tx.commitDatastore(id: store.datastoreID, clientAnchor: store.clientNextAnchor, serverAnchor: store.serverNextAnchor,
                                   syncedRevision: store.changesQueued ? store.snapshot : store.syncedRevision, now: now)
            state.record.datastores[store.statsIndex].completed = true
        }
        if !keepOpen { state.phase = .finished }
        state.record.ended = now
        let refused = state.record.datastores.filter { !SyncMLStatus.isSuccess($0.status) && $0.status != SyncMLStatus.refreshRequired }
        let incomplete = state.record.datastores.filter { SyncMLStatus.isSuccess($0.status) || $0.status == SyncMLStatus.refreshRequired }
            .filter { !$0.completed }
        if state.record.datastores.isEmpty {
            state.record.status = .failed
            state.record.error = state.record.error ?? "the phone alerted no datastore"
        } else if !refused.isEmpty || !incomplete.isEmpty {
            state.record.status = .failed
            state.record.error = state.record.error ?? "datastores not synchronized: \((refused + incomplete).map(\.serverURI).joined(separator: ", "))"
        } else if state.record.status != .failed {
            state.record.status = .ok
        }
    }
}
