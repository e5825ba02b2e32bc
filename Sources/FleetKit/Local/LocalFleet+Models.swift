import Foundation
import GRDB

extension LocalFleet {
    /// The key a title is matched by: lower case, white space folded.
    static func titleKey(_ title: String) -> String {
        title.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    public func importModels(_ models: [PhoneModel]) async throws -> (added: Int, updated: Int) {
        try requireAdmin("change the model catalogue")
        return try await database.write { db in
            var added = 0
            var updated = 0
            for model in models {
                let record = PhoneModelRecord(
                    uuid: model.modelUUID, title: model.title, titleKey: Self.titleKey(model.title),
                    manufacturer: model.manufacturer, syncmlVersion: model.syncMLVersion.rawValue,
                    acceptsSAN12: model.acceptsSAN12, provisioning: model.provisioning.rawValue,
                    sanContentType: Int(model.alertPush.contentType), alertPort: Int(model.alertPush.destinationPort),
                    alertSourcePort: Int(model.alertPush.sourcePort))
                if try record.exists(db) {
                    try record.update(db)
                    updated += 1
                } else {
                    try record.insert(db)
                    added += 1
                }
                try db.execute(sql: "DELETE FROM modelDatastore WHERE modelUUID = ?", arguments: [model.modelUUID])
                for (position, binding) in model.datastores.enumerated() {
                    try ModelDatastoreRecord(modelUUID: model.modelUUID, position: position,
                                             dataclass: binding.dataclass.rawValue, name: binding.name).insert(db)
                }
            }
            return (added, updated)
        }
    }

    public func models(page: PageRequest) async throws -> Page<PhoneModel> {
        let after = page.after ?? ""
        let limit = page.limit
        return try await database.read { db in
            let records = try PhoneModelRecord.fetchAll(
                db, sql: "SELECT * FROM phoneModel WHERE uuid > ? ORDER BY uuid LIMIT ?", arguments: [after, limit + 1])
            let models = try records.prefix(limit).map { try Self.model($0, in: db) }
            return Page(items: models, next: records.count > limit ? models.last?.modelUUID : nil)
        }
    }

    public func resolveModel(_ nameOrUUID: String) async throws -> PhoneModel {
        try await database.read { db in try Self.resolveModel(nameOrUUID, in: db) }
    }

    static func resolveModel(_ nameOrUUID: String, in db: Database) throws -> PhoneModel {
        let wanted = nameOrUUID.trimmingCharacters(in: .whitespaces)
        if let record = try PhoneModelRecord.fetchOne(db, key: wanted) {
            return try model(record, in: db)
        }
        if let record = try PhoneModelRecord.fetchOne(db, sql: "SELECT * FROM phoneModel WHERE uuid = ? COLLATE NOCASE", arguments: [wanted]) {
            return try model(record, in: db)
        }
        let byTitle = try PhoneModelRecord.fetchAll(
            db, sql: "SELECT * FROM phoneModel WHERE titleKey = ? ORDER BY uuid", arguments: [titleKey(wanted)])
        if byTitle.count == 1 { return try model(byTitle[0], in: db) }
        if byTitle.count > 1 {
            throw FleetError.ambiguousModel(nameOrUUID, candidates: try byTitle.map { try model($0, in: db) })
        }
        // Unknown: suggest the closest titles (and ids).
        let all = try PhoneModelRecord.fetchAll(db, sql: "SELECT * FROM phoneModel")
        if all.isEmpty { throw FleetError.unknownModel(nameOrUUID, suggestions: [], catalogueEmpty: true) }
        let names = all.flatMap { [$0.title, $0.uuid] }
        let close = Suggest.closest(to: wanted, among: names, limit: 3)
        var suggestions: [PhoneModel] = []
        for name in close {
            for record in all where (record.title == name || record.uuid == name)
                && !suggestions.contains(where: { $0.modelUUID == record.uuid }) {
                suggestions.append(try model(record, in: db))
            }
        }
        throw FleetError.unknownModel(nameOrUUID, suggestions: Array(suggestions.prefix(3)), catalogueEmpty: false)
    }

    static func model(_ record: PhoneModelRecord, in db: Database) throws -> PhoneModel {
        model(record, datastores: try ModelDatastoreRecord.fetchAll(
            db, sql: "SELECT * FROM modelDatastore WHERE modelUUID = ? ORDER BY position", arguments: [record.uuid]))
    }

    /// A model from its row and its datastore rows (in position order).
    static func model(_ record: PhoneModelRecord, datastores stores: [ModelDatastoreRecord]) -> PhoneModel {
        PhoneModel(
            modelUUID: record.uuid, title: record.title, manufacturer: record.manufacturer,
            syncMLVersion: SyncMLVersion(rawValue: record.syncmlVersion) ?? .v1_2,
            acceptsSAN12: record.acceptsSAN12,
            provisioning: ProvisioningFormat(rawValue: record.provisioning) ?? .omaCP,
            datastores: stores.compactMap { row in
                Dataclass(rawValue: row.dataclass).map { DatastoreBinding(dataclass: $0, name: row.name) }
            },
            alertPush: AlertPush(contentType: UInt8(truncatingIfNeeded: record.sanContentType),
                                 destinationPort: UInt16(truncatingIfNeeded: record.alertPort),
                                 sourcePort: UInt16(truncatingIfNeeded: record.alertSourcePort)))
    }
}
