import Foundation
import GRDB
import Logging

/// A ``Fleet`` on one SQLite file: the embedded default.
///
/// The file is opened in WAL mode with foreign keys on; its schema is migrated on
/// open. A store from a newer schema, or a file that is not a SyncFleet store, is
/// refused. The local operator owns the file and acts as an administrator; a fleet
/// opened ``acting(as:)`` a user (as the API server does) sees only that user's phones
/// unless the user is an administrator.
public struct LocalFleet: Fleet {
    /// How to treat a missing file.
    public enum OpenMode: Sendable {
        /// Create the store (and its directory) when it does not exist.
        case createIfMissing
        /// Refuse a missing store with ``FleetError/storeNotFound(path:)``.
        case mustExist
    }

    /// Where the store lives.
    public let path: String
    let database: DatabasePool
    /// The user whose view this is; `nil` is the local operator (an administrator).
    public let actingUser: User?
    /// The user named by `--user`: narrows listings and owns new phones.
    public let defaultUser: String?
    let clock: @Sendable () -> Date
    /// How setups and alerts leave: gateway and overrides of the store's settings.
    public var push = PushConfiguration()

    /// Opens (or creates) the store at `path`.
    public static func open(path: String, mode: OpenMode, defaultUser: String? = nil,
                            clock: @escaping @Sendable () -> Date = { Date() },
                            logger: Logger = Logger(label: "syncfleet.store")) throws -> LocalFleet {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard mode == .createIfMissing else { throw FleetError.storeNotFound(path: path) }
            logger.debug("creating store \(path)")
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        let configuration = Self.configuration()
        let pool: DatabasePool
        // The store holds the phones' sync passwords: its files (and the -wal/-shm made on
        // open) are readable by their owner only.
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let pending = try pool.write { db in
                try check(db, path: path)
                let applied = try Schema.migrator.appliedIdentifiers(db)
                return Schema.migrator.migrations.filter { !applied.contains($0) }
            }
            if !pending.isEmpty {
                logger.debug("migrating \(path): \(pending.joined(separator: ", "))")
                try Schema.migrator.migrate(pool)
            }
            // 16 MiB of page cache for the one writer (SQLite's default is 2 MiB): the client
            // indexes of a large fleet stay in memory while a batch inserts into them. Readers keep the default.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -16384") }
            for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
                // Stores made before sync passwords were kept, too (best effort: another owner's file stays as it is).
                try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            }
            logger.debug("opened store \(path)")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw FleetError.notAStore(path: path, reason: "it is not an SQLite database")
        }
        return LocalFleet(path: path, database: pool, actingUser: nil, defaultUser: defaultUser, clock: clock)
    }

    /// How every connection to a store is set up: foreign keys on, up to 30 s of waiting for
    /// another writer, and WAL with NORMAL synchronisation (a crash of the process loses nothing
    /// committed; a power loss at most the last transactions, never the file).
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Checks that the file is a SyncFleet store of a schema this version knows.
    private static func check(_ db: Database, path: String) throws {
        let migrator = Schema.migrator
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if applicationID != Schema.applicationID {
            let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
            if applicationID != 0 || tables > 0 {
                throw FleetError.notAStore(path: path, reason: "it is an SQLite database of another application")
            }
        }
        if try migrator.hasBeenSuperseded(db) {
            let known = Set(migrator.migrations)
            let unknown = try migrator.appliedIdentifiers(db).filter { !known.contains($0) }.sorted()
            throw FleetError.schemaTooNew(path: path, unknownMigrations: unknown)
        }
    }

    /// This fleet as `user` sees it: only their phones unless they are an administrator.
    public func acting(as user: User) -> LocalFleet {
        LocalFleet(path: path, database: database, actingUser: user, defaultUser: nil, clock: clock, push: push)
    }

    var isAdmin: Bool { actingUser?.isAdmin ?? true }

    func requireAdmin(_ what: String) throws {
        guard isAdmin else { throw FleetError.forbidden("only administrators may \(what)") }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// Closes the store: waits for running accesses and releases the file.
    public func close() throws {
        try database.close()
    }
}
