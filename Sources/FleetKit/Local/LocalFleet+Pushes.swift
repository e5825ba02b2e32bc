import Foundation
import GRDB
import PhonePush

extension LocalFleet {
    /// One page of setups and alerts (setups first, each by id), with their SMS and delivery reports.
    public func pushes(_ filter: PushFilter, page: PageRequest) async throws -> Page<PushRecord> {
        let kinds: [PushMessage.Kind] = filter.kind.map { [$0] } ?? [.setup, .alert]
        var kindIndex = 0
        var after: Int64 = 0
        if let cursor = page.after {
            let parts = cursor.split(separator: ":")
            guard parts.count == 2, let kind = PushMessage.Kind(rawValue: String(parts[0])), let index = kinds.firstIndex(of: kind),
                  let id = Int64(parts[1]) else { throw FleetError.invalid(FieldError(field: "after", value: cursor, reason: "not a page cursor")) }
            (kindIndex, after) = (index, id)
        }
        var clientID: Int64?
        if let uuid = filter.clientUUID { clientID = try await visibleClientID(uuid) }
        let onlyUser = isAdmin ? nil : actingUser?.id
        let now = clock()
        let limit = page.limit
        return try await database.read { [kindIndex, after, clientID] db in
            var (kindIndex, after) = (kindIndex, after)
            var items: [PushRecord] = []
            while items.count < limit && kindIndex < kinds.count {
                let kind = kinds[kindIndex]
                let scan = max(limit - items.count, 100)
                let rows = try Self.fetchPushes(db, kind: kind, after: after, limit: scan, filter: filter, clientID: clientID, onlyUser: onlyUser, now: now)
                for record in rows.records where filter.admits(record) && items.count < limit { items.append(record) }
                after = items.count == limit ? items.last!.id : rows.lastID ?? after
                if rows.scanned < scan && items.count < limit { kindIndex += 1; after = 0 }
            }
            let next = items.count == limit ? "\(items.last!.kind.rawValue):\(items.last!.id)" : nil
            return Page(items: items, next: next)
        }
    }

    private static func fetchPushes(_ db: Database, kind: PushMessage.Kind, after: Int64, limit: Int, filter: PushFilter,
                                    clientID: Int64?, onlyUser: Int64?, now: Date) throws
        -> (records: [PushRecord], scanned: Int, lastID: Int64?) {
        let table = kind == .setup ? "setup" : "alertRequest"
        var conditions = ["p.id > ?"]
        var arguments: [any DatabaseValueConvertible] = [after]
        if let onlyUser { conditions.append("c.userID = ?"); arguments.append(onlyUser) }
        if let clientID { conditions.append("p.clientID = ?"); arguments.append(clientID) }
        if let since = filter.since { conditions.append("p.created >= ?"); arguments.append(seconds(since)) }
        if let before = filter.createdBefore { conditions.append("p.created < ?"); arguments.append(seconds(before)) }
        if filter.undelivered {
            conditions.append("NOT EXISTS (SELECT 1 FROM \(table) t WHERE t.clientID = p.clientID AND t.id > p.id)")
        }
        switch filter.status {
        case .queued?: conditions.append("p.state = 'queued'")
        case .sending?: conditions.append("p.state = 'sending'")
        case .some: conditions.append("p.state IN ('sent', 'failed')")
        case nil: break
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT p.id, c.uuid, c.phoneNumber, p.state, p.delivery, p.created, p.sent, p.format, p.messages, p.attempts,
                   p.gateway, p.answer, p.error
            FROM \(table) p JOIN client c ON c.id = p.clientID
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY p.id LIMIT ?
            """, arguments: StatementArguments(arguments + [limit]))
        var parts: [Int64: [PushRecord.Part]] = [:]
        if !rows.isEmpty {
            let ids: [Int64] = rows.map { $0[0] }
            let column = kind == .setup ? "setupID" : "alertID"
            for row in try Row.fetchAll(db, sql: """
                SELECT \(column), part, id, delivery, reported FROM pushMessage WHERE \(column) IN (\(databaseQuestionMarks(count: ids.count)))
                ORDER BY \(column), part
                """, arguments: StatementArguments(ids)) {
                let reported: Int64? = row[4]
                parts[row[0], default: []].append(PushRecord.Part(
                    number: row[1], messageID: row[2], delivery: (row[3] as String?).flatMap(PushDelivery.init(rawValue:)),
                    reported: reported.map(date)))
            }
        }
        let records = rows.map { row -> PushRecord in
            let id: Int64 = row[0]
            let state = PushState(rawValue: row[3]) ?? .failed
            let delivery = (row[4] as String?).flatMap(PushDelivery.init(rawValue:))
            let sent = (row[6] as Int64?).map(date)
            return PushRecord(kind: kind, id: id, clientUUID: row[1], phoneNumber: row[2],
                              status: PushStatus(state: state, delivery: delivery, sent: sent, now: now), state: state,
                              delivery: delivery, created: date(row[5]), sent: sent, format: row[7], messages: row[8], attempts: row[9],
                              gateway: row[10], answer: row[11], error: row[12], parts: parts[id] ?? [])
        }
        return (records, rows.count, rows.last.map { $0[0] })
    }
}

extension LocalFleet {
    /// The fleet's funnel per model, for the phones the caller may see (of `user`, when named).
    public func funnel(user: String?) async throws -> [FunnelRow] {
        let recent = clock().addingTimeInterval(-Double(FunnelRow.recentDays) * 86_400).timeIntervalSince1970
        return try await database.read { db in
            let (condition, arguments) = try self.condition(ClientFilter(user: user), phone: nil, in: db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.modelUUID, m.title, count(*),
                       sum(EXISTS (SELECT 1 FROM setup s WHERE s.clientID = c.id AND s.state = 'sent')),
                       sum(EXISTS (SELECT 1 FROM setup s WHERE s.clientID = c.id AND s.delivery = 'delivered')),
                       sum(EXISTS (SELECT 1 FROM syncSession x WHERE x.clientID = c.id AND x.status = 'ok')),
                       sum(EXISTS (SELECT 1 FROM syncSession x WHERE x.clientID = c.id AND x.status = 'ok' AND x.started >= ?))
                FROM client c JOIN phoneModel m ON m.uuid = c.modelUUID
                WHERE \(condition)
                GROUP BY c.modelUUID ORDER BY m.title, c.modelUUID
                """, arguments: StatementArguments([recent] + arguments))
            return rows.map { row in
                FunnelRow(modelUUID: row[0], title: row[1], registered: row[2], setupSent: row[3], delivered: row[4],
                          synced: row[5], syncedRecently: row[6])
            }
        }
    }
}
