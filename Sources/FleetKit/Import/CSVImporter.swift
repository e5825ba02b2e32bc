import Foundation

/// Registers the phones of a spreadsheet: one ``ImportResult`` per row, in input order.
///
/// The file streams: rows are read, registered and reported a chunk at a time. On a local
/// store transactions span chunks (``BulkRegistration``); on a remote API
/// the rows of a chunk go out `parallel` at a time. Registration is idempotent on the natural
/// key, so running the same file again (after a crash, say) finishes the job and reports
/// what exists. A bad row never stops the others.
public struct CSVImporter: Sendable {
    /// What the import does with valid rows.
    public enum Mode: Sendable {
        /// Register every valid row; report bad ones.
        case register
        /// Validate everything first and register nothing if any row is bad.
        case strict
        /// Validate and report only.
        case dryRun
    }

    public var mode: Mode
    /// Requests in flight against a remote API.
    public var parallel: Int
    /// Rows per chunk against a remote API (results are written a chunk at a time).
    public var chunkSize: Int
    /// Rows read, checked and written at a time on a local store.
    public var localChunkSize: Int
    /// How long a local transaction stays open across chunks before it is committed.
    public var commitInterval: TimeInterval
    /// The owner when a row names none.
    public var defaultUser: String?

    /// The user names of the fleet, read once when a row names an owner.
    let users = UserNames()

    public init(mode: Mode = .register, parallel: Int = 8, chunkSize: Int = 500, localChunkSize: Int = 5_000,
                commitInterval: TimeInterval = 2, defaultUser: String? = nil) {
        self.mode = mode
        self.parallel = max(1, parallel)
        self.chunkSize = max(1, chunkSize)
        self.localChunkSize = max(1, localChunkSize)
        self.commitInterval = commitInterval
        self.defaultUser = defaultUser
    }

    struct Row: Sendable {
        var line: Int
        var phone: String
        var model: String
        var registration: Registration?
        var problem: String?
    }

    /// Imports the rows of `open()` (called twice in strict mode: once to check, once to register).
    /// - Parameter emit: receives every result, in input order.
    public func run(fleet: any Fleet, open: () throws -> (CSVTableReader, ImportColumns),
                    emit: (ImportResult) throws -> Void) async throws -> ImportSummary {
        var summary = ImportSummary()
        if mode == .strict {
            // First pass: check everything, write nothing.
            var bad: [ImportResult] = []
            var models: [String: String] = [:]
            let (reader, columns) = try open()
            while let chunk = try nextChunk(reader, columns) {
                for row in chunk {
                    if let problem = await check(row, fleet: fleet, models: &models) {
                        bad.append(ImportResult(line: row.line, status: .invalid, phone: row.phone, model: row.model, error: problem))
                    }
                }
            }
            if !bad.isEmpty {
                for result in bad {
                    summary.count(result.status)
                    try emit(result)
                }
                return summary
            }
        }
        var models: [String: String] = [:]
        let (reader, columns) = try open()
        if mode != .dryRun, let local = fleet as? LocalFleet {
            try await registerLocally(ChunkSource(importer: self, reader: reader, columns: columns), fleet: local) { result in
                summary.count(result.status)
                try emit(result)
            }
            return summary
        }
        while let chunk = try nextChunk(reader, columns) {
            let results: [ImportResult]
            if mode == .dryRun {
                var checked: [ImportResult] = []
                for row in chunk {
                    let problem = await check(row, fleet: fleet, models: &models)
                    checked.append(ImportResult(line: row.line, status: problem == nil ? .valid : .invalid,
                                                phone: row.phone, model: row.model, error: problem))
                }
                results = checked
            } else {
                results = try await register(chunk, fleet: fleet)
            }
            for result in results {
                summary.count(result.status)
                try emit(result)
            }
        }
        return summary
    }

    /// The next rows (at most `chunkSize`), turned into registrations; `nil` at the end.
    func nextChunk(_ reader: CSVTableReader, _ columns: ImportColumns, size: Int? = nil) throws -> [Row]? {
        // A bad line found after some rows of this chunk: those rows go first, the error on the next call.
        if let error = reader.pendingError {
            reader.pendingError = nil
            throw error
        }
        var rows: [Row] = []
        let size = size ?? chunkSize
        rows.reserveCapacity(size)
        while rows.count < size, let (line, fields) = try nextRecord(reader, holdingErrorAfter: rows.count) {
            let phone = columns.value(.phone, in: fields)
            let model = columns.value(.model, in: fields)
            var row = Row(line: line, phone: phone ?? "", model: model ?? "")
            if phone == nil {
                row.problem = "the phone number is empty"
            } else if model == nil {
                row.problem = "the model is empty"
            } else {
                row.registration = Registration(phoneNumber: phone!, model: model!, imei: columns.value(.imei, in: fields),
                                                timezone: columns.value(.timezone, in: fields),
                                                user: columns.value(.user, in: fields) ?? defaultUser)
            }
            rows.append(row)
        }
        return rows.isEmpty ? nil : rows
    }

    /// The reader's next record; a read error after `count` rows of a chunk is kept for the
    /// next chunk, so the rows before a bad line are registered and reported first.
    private func nextRecord(_ reader: CSVTableReader, holdingErrorAfter count: Int) throws -> (line: Int, fields: [String])? {
        do {
            return try reader.next()
        } catch {
            if count == 0 { throw error }
            reader.pendingError = error
            return nil
        }
    }

    /// Why a row would be refused, or `nil` (the same rules as registration, without writing).
    func check(_ row: Row, fleet: any Fleet, models: inout [String: String]) async -> String? {
        if let problem = row.problem { return problem }
        guard let registration = row.registration else { return "nothing to register" }
        do {
            _ = try PhoneNumber.normalize(registration.phoneNumber)
            _ = try IMEI.normalize(registration.imei)
            _ = try TimeZoneName.normalize(registration.timezone)
            if models[registration.model] == nil {
                models[registration.model] = try await fleet.resolveModel(registration.model).modelUUID
            }
            if let user = registration.user {
                let known = try await users.names(fleet)
                if !known.contains(user.lowercased()) {
                    return FleetError.userNotFound(user, known: known.sorted()).localizedDescription
                }
            }
            return nil
        } catch {
            return Self.message(error)
        }
    }

    /// Registers on a local store, in three overlapping stages: while the store writes a
    /// chunk, the next one is read and checked and the results of committed ones are
    /// written out. Transactions span chunks (``BulkRegistration``); a row is reported
    /// once its transaction is committed, so a result on stdout is always in the store.
    func registerLocally(_ source: ChunkSource, fleet: LocalFleet, emit: (ImportResult) throws -> Void) async throws {
        let bulk = try BulkRegistration(fleet: fleet, commitInterval: commitInterval)
        // Results of rows written but not committed, then of rows committed but not yet reported.
        var written: [ImportResult] = []
        var committed: [ImportResult] = []
        var readError: (any Error)?
        do {
            var current = try source.next(fleet)
            while let chunk = current {
                async let outcome = bulk.write(chunk.prepared)
                async let following = source.next(fleet)
                let reporting = committed
                committed = []
                for result in reporting { try emit(result) }
                let done = try await outcome
                written += Self.results(chunk, done.results)
                if done.committed {
                    committed = written
                    written = []
                }
                do {
                    current = try await following
                } catch {
                    // A bad line: what was read before it is written and reported, then the error.
                    readError = error
                    current = nil
                }
            }
            try await bulk.finish()
        } catch {
            // The store failed (or the output did): what is committed is in the store, so it is
            // reported; what is not is rolled back, unreported.
            await bulk.abandon()
            for result in committed { try? emit(result) }
            throw error
        }
        for result in committed + written { try emit(result) }
        if let readError { throw readError }
    }

    /// The results of a written chunk, one per row, in order.
    static func results(_ chunk: PreparedChunk, _ outcomes: [Result<RegisteredClient, any Error>]) -> [ImportResult] {
        var outcomes = outcomes.makeIterator()
        return chunk.rows.map { row in
            if row.registration != nil, let outcome = outcomes.next() {
                return result(row, outcome)
            }
            return ImportResult(line: row.line, status: .invalid, phone: row.phone, model: row.model, error: row.problem)
        }
    }

    /// The rows of a chunk, and their registrations checked (``LocalFleet/prepare(_:)``), in order.
    struct PreparedChunk: Sendable {
        var rows: [Row]
        var prepared: [Result<PreparedRegistration, any Error>]
    }

    /// Reads chunks for ``registerLocally(_:fleet:emit:)``. Never used by two tasks at once:
    /// each chunk is read after the previous one was handed over. (Progress reads the
    /// reader's ``CSVTableReader/bytesRead`` meanwhile; that one is behind a lock.)
    final class ChunkSource: @unchecked Sendable {
        let importer: CSVImporter
        let reader: CSVTableReader
        let columns: ImportColumns

        init(importer: CSVImporter, reader: CSVTableReader, columns: ImportColumns) {
            self.importer = importer
            self.reader = reader
            self.columns = columns
        }

        func next(_ fleet: LocalFleet) throws -> PreparedChunk? {
            guard let rows = try importer.nextChunk(reader, columns, size: importer.localChunkSize) else { return nil }
            return PreparedChunk(rows: rows, prepared: fleet.prepare(rows.compactMap(\.registration)))
        }
    }

    /// Registers a chunk on a remote API, `parallel` requests at a time.
    func register(_ chunk: [Row], fleet: any Fleet) async throws -> [ImportResult] {
        let valid = chunk.filter { $0.registration != nil }
        // Each task hands back the finished ImportResult; the group's results are returned.
        let parallel = self.parallel
        let done = try await withThrowingTaskGroup(of: ImportResult.self) { group in
            var collected: [Int: ImportResult] = [:]
            var next = 0
            while next < valid.count || !group.isEmpty {
                while next < valid.count && next - collected.count < parallel {
                    let row = valid[next]
                    next += 1
                    group.addTask {
                        do {
                            let registered = try await fleet.register(row.registration!)
                            return Self.result(row, .success(RegisteredClient(uuid: registered.client.uuid, outcome: registered.outcome)))
                        } catch {
                            return Self.result(row, .failure(error))
                        }
                    }
                }
                guard let result = try await group.next() else { break }
                collected[result.line] = result
            }
            return collected
        }
        return chunk.map { row in
            done[row.line] ?? ImportResult(line: row.line, status: .invalid, phone: row.phone, model: row.model, error: row.problem)
        }
    }

    static func result(_ row: Row, _ outcome: Result<RegisteredClient, any Error>) -> ImportResult {
        switch outcome {
        case .success(let result):
            return ImportResult(line: row.line, status: result.outcome == .created ? .created : .exists,
                                uuid: result.uuid, phone: row.phone, model: row.model)
        case .failure(let error):
            return ImportResult(line: row.line, status: status(of: error), phone: row.phone, model: row.model, error: message(error))
        }
    }

    /// Invalid (the row is wrong) or failed (the store or server is).
    static func status(of error: any Error) -> ImportResult.Status {
        switch error {
        case is FieldError: return .invalid
        case let fleet as FleetError:
            switch fleet {
            case .invalid, .unknownModel, .ambiguousModel, .userNotFound, .ownerRequired, .noUsers, .badInput, .forbidden:
                return .invalid
            case .remote(let status, _):
                return (400...499).contains(status) && status != 408 && status != 429 ? .invalid : .failed
            default:
                return .failed
            }
        default:
            return .failed
        }
    }

    static func message(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}

/// The fleet's user names (lower case), read on first use.
final class UserNames: @unchecked Sendable {
    private var names: Set<String>?
    private let lock = NSLock()

    func names(_ fleet: any Fleet) async throws -> Set<String> {
        if let cached = lock.withLock({ names }) { return cached }
        var found: Set<String> = []
        for try await user in fleet.allUsers() { found.insert(user.name.lowercased()) }
        lock.withLock { names = found }
        return found
    }
}
