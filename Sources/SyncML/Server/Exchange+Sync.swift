import Foundation
import WBXML

extension Exchange {
    /// A `Sync` of the phone: a status for it and for every command and item in it.
    func handleSync(_ command: WBXMLElement, cmdID: String) throws {
        let target = command.value("Target", "LocURI") ?? ""
        let source = command.value("Source", "LocURI") ?? ""
        let inner = command.elements.filter { !["CmdID", "Target", "Source", "Meta", "NumberOfChanges", "NoResp", "Cred"].contains($0.name) }
        guard let index = storeIndex(for: target) else {
            answer(command, cmdID: cmdID, code: SyncMLStatus.notFound, targetRef: target, sourceRef: source)
            for element in inner { answer(element, cmdID: element.value("CmdID") ?? "", code: SyncMLStatus.notFound) }
            state.record.error = state.record.error ?? "Sync for '\(target)' (message \(msgID)) without an accepted Alert for it"
            return
        }
        answer(command, cmdID: cmdID, code: SyncMLStatus.ok, targetRef: target, sourceRef: source)
        state.stores[index].clientSyncSeen = true
        for element in inner {
            let innerID = element.value("CmdID") ?? ""
            switch element.name {
            case "Add", "Replace", "Delete":
                guard state.stores[index].alert.clientSends else {
                    answer(element, cmdID: innerID, code: SyncMLStatus.commandNotAllowed)
                    state.record.datastores[state.stores[index].statsIndex].rejectedIn += 1
                    continue
                }
                try handleItems(element, cmdID: innerID, store: index)
            case "Copy", "Move", "Atomic", "Sequence":
                answer(element, cmdID: innerID, code: SyncMLStatus.optionalFeatureNotSupported)
                state.record.datastores[state.stores[index].statsIndex].rejectedIn += 1
                state.record.error = state.record.error ?? "\(element.name) (command \(innerID) of message \(msgID)) is not supported (406)"
            default:
                answer(element, cmdID: innerID, code: SyncMLStatus.badRequest)
                state.record.datastores[state.stores[index].statsIndex].rejectedIn += 1
                state.record.error = state.record.error ?? "unknown command <\(element.name)> in Sync of message \(msgID)"
            }
        }
    }

    /// An `Add`, `Replace` or `Delete` of the phone: each item applied, with its own status.
    func handleItems(_ command: WBXMLElement, cmdID: String, store index: Int) throws {
        let commandType = command.value("Meta", "Type")
        let commandSize = command.value("Meta", "Size").flatMap { Int($0) }
        for item in command.children("Item") {
            let luid = item.value("Source", "LocURI") ?? item.value("Target", "LocURI") ?? ""
            let targetRef = command.name == "Add" ? nil : item.value("Target", "LocURI")
            var code: Int
            if luid.isEmpty {
                code = SyncMLStatus.badRequest
                noteRejected(index, "\(command.name) without an item id (Source/LocURI)", cmdID: cmdID)
            } else if command.name == "Delete" {
                code = try delete(luid: luid, soft: command.child("SftDel") != nil, archive: command.child("Archive") != nil, store: index, cmdID: cmdID)
            } else {
                var data = item.child("Data")?.bytes ?? []
                var declared = item.value("Meta", "Size").flatMap { Int($0) } ?? commandSize
                let type = item.value("Meta", "Type") ?? commandType ?? state.stores[index].dataclass.contentTypes[0].type
                if let chunk = state.incomingChunk {
                    state.incomingChunk = nil
                    if chunk.luid == luid && chunk.command == command.name {
                        data = chunk.data + data
                        declared = chunk.declaredSize ?? declared
                    } else {
                        noteRejected(index, "the large object \(chunk.luid) stopped before its last chunk", cmdID: cmdID)
                    }
                }
                if data.count > config.maxObjectSize || (declared ?? 0) > config.maxObjectSize {
                    code = SyncMLStatus.requestEntityTooLarge
                    noteRejected(index, "item \(luid) is larger than the server's MaxObjSize \(config.maxObjectSize)", cmdID: cmdID)
                } else if item.child("MoreData") != nil {
                    state.incomingChunk = IncomingChunk(storeIndex: index, command: command.name, luid: luid, contentType: type,
                                                        declaredSize: declared, data: data)
                    code = SyncMLStatus.chunkedItemAccepted
                } else if let declared, declared != data.count {
                    code = SyncMLStatus.sizeMismatch
                    noteRejected(index, "item \(luid) is \(data.count) bytes, its Size said \(declared)", cmdID: cmdID)
                } else {
                    code = try apply(command.name, luid: luid, type: type, data: data, store: index, cmdID: cmdID)
                }
            }
            answer(command, cmdID: cmdID, code: code, targetRef: targetRef, sourceRef: luid.isEmpty ? nil : luid)
        }
    }

    func noteRejected(_ index: Int, _ reason: String, cmdID: String) {
        state.record.datastores[state.stores[index].statsIndex].rejectedIn += 1
        state.record.error = state.record.error ?? "\(reason) (command \(cmdID) of message \(msgID))"
    }

    /// Adds or replaces an item of the phone.
    func apply(_ name: String, luid: String, type: String, data: [UInt8], store index: Int, cmdID: String) throws -> Int {
        let store = state.stores[index]
        guard store.dataclass.accepts(type) else {
            noteRejected(index, "\(name) of \(luid): \(type) is not a type of \(store.dataclass.rawValue) (\(store.dataclass.contentTypes.map(\.type).joined(separator: ", ")))", cmdID: cmdID)
            return SyncMLStatus.unsupportedMediaType
        }
        if data.isEmpty {
            noteRejected(index, "\(name) of \(luid) without data", cmdID: cmdID)
            return SyncMLStatus.badRequest
        }
        if let problem = ItemContent.problem(data, contentType: type) {
            noteRejected(index, "\(name) of \(luid): \(problem)", cmdID: cmdID)
            return SyncMLStatus.unsupportedMediaType
        }
        let hash = ItemContent.hash(data, dataclass: store.dataclass)
        let ds = store.datastoreID
        let statsIndex = store.statsIndex
        let existing = try tx.itemID(luid: luid, datastoreID: ds)

        if store.alert == .slow || store.alert == .refreshFromClient {
            if let existing, let item = try tx.item(id: existing), !item.deleted {
                state.stores[index].mentioned.insert(existing)
                guard item.data != data else { return SyncMLStatus.ok }
                if store.alert == .slow && item.revision > store.syncedRevision && item.changedBy != ds {
                    // Another phone changed it since this one last synced: the phone's copy may be the stale one.
                    // (A refresh from the phone makes its copy the truth: no conflict there.)
                    switch resolve(store: store, server: item.data, client: data) {
                    case .serverWins:
                        state.stores[index].extraChanges.append(ServerChange(kind: .replace, itemID: existing, luid: luid))
                        return SyncMLStatus.conflictResolvedWithServerData
                    case .duplicate:
                        let id = try tx.addItem(userID: store.userID, dataclass: store.dataclass, contentType: type, data: data, hash: hash,
                                                by: ds, now: now)
                        try tx.map(luid: luid, itemID: id, datastoreID: ds)
                        state.stores[index].mentioned.insert(id)
                        state.stores[index].mentioned.remove(existing)
                        state.record.datastores[statsIndex].addedIn += 1
                        return SyncMLStatus.conflictResolvedWithDuplicate
                    case .clientWins, .newestWins:
                        break
                    }
                }
                try tx.replaceItem(id: existing, contentType: type, data: data, hash: hash, by: ds, now: now)
                state.record.datastores[statsIndex].replacedIn += 1
                return SyncMLStatus.ok
            }
            // The same content: an item the phone has not named yet in this sync (unmapped, or
            // mapped under an id the phone no longer uses).
            let candidates = try tx.findItems(userID: store.userID, dataclass: store.dataclass, hash: hash)
                .filter { !state.stores[index].mentioned.contains($0) }
            if let match = candidates.first {
                try tx.map(luid: luid, itemID: match, datastoreID: ds)
                state.stores[index].mentioned.insert(match)
                return SyncMLStatus.ok
            }
            let id = try tx.addItem(userID: store.userID, dataclass: store.dataclass, contentType: type, data: data, hash: hash, by: ds, now: now)
            try tx.map(luid: luid, itemID: id, datastoreID: ds)
            state.stores[index].mentioned.insert(id)
            state.record.datastores[statsIndex].addedIn += 1
            return SyncMLStatus.itemAdded
        }

        guard let existing, let item = try tx.item(id: existing) else {
            let id = try tx.addItem(userID: store.userID, dataclass: store.dataclass, contentType: type, data: data, hash: hash, by: ds, now: now)
            try tx.map(luid: luid, itemID: id, datastoreID: ds)
            state.record.datastores[statsIndex].addedIn += 1
            return SyncMLStatus.itemAdded
        }
        let conflict = !item.deleted && item.revision > store.syncedRevision && item.changedBy != ds && item.data != data
        if conflict {
            switch resolve(store: store, server: item.data, client: data) {
            case .serverWins:
                return SyncMLStatus.conflictResolvedWithServerData
            case .duplicate:
                let id = try tx.addItem(userID: store.userID, dataclass: store.dataclass, contentType: type, data: data, hash: hash, by: ds, now: now)
                try tx.map(luid: luid, itemID: id, datastoreID: ds)
                state.record.datastores[statsIndex].addedIn += 1
                return SyncMLStatus.conflictResolvedWithDuplicate
            case .clientWins, .newestWins:
                try tx.replaceItem(id: existing, contentType: type, data: data, hash: hash, by: ds, now: now)
                state.record.datastores[statsIndex].replacedIn += 1
                return SyncMLStatus.conflictResolvedClientWins
            }
        }
        if item.data != data || item.deleted {
            try tx.replaceItem(id: existing, contentType: type, data: data, hash: hash, by: ds, now: now)
        }
        state.record.datastores[statsIndex].replacedIn += 1
        return SyncMLStatus.ok
    }

    /// Which side wins a conflict; `newest-wins` decided here into client or server.
    func resolve(store: StoreSession, server: [UInt8], client: [UInt8]) -> ConflictPolicy {
        let policy = config.conflictPolicy(for: store.dataclass)
        guard policy == .newestWins else { return policy }
        guard let clientTime = ItemContent.modified(client), let serverTime = ItemContent.modified(server) else { return .serverWins }
        return clientTime > serverTime ? .clientWins : .serverWins
    }

    /// Deletes an item of the phone.
    func delete(luid: String, soft: Bool, archive: Bool, store index: Int, cmdID: String) throws -> Int {
        let store = state.stores[index]
        let ds = store.datastoreID
        guard let existing = try tx.itemID(luid: luid, datastoreID: ds), let item = try tx.item(id: existing) else {
            return SyncMLStatus.itemNotDeleted
        }
        if soft || item.deleted {
            try tx.unmap(itemID: existing, datastoreID: ds)
            return SyncMLStatus.ok
        }
        let conflict = item.revision > store.syncedRevision && item.changedBy != ds
        if conflict && resolve(store: store, server: item.data, client: []) != .clientWins {
            // The server's newer version goes back to the phone as a new item.
            try tx.unmap(itemID: existing, datastoreID: ds)
            return SyncMLStatus.conflictResolvedWithServerData
        }
        try tx.deleteItem(id: existing, by: ds, now: now)
        try tx.unmap(itemID: existing, datastoreID: ds)
        state.record.datastores[store.statsIndex].deletedIn += 1
        return archive ? SyncMLStatus.deleteWithoutArchive : SyncMLStatus.ok
    }
}
