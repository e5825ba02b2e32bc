import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped through SQLite's C interface, for the few
/// statements run once per row of a bulk write.
///
/// GRDB's `execute(arguments:)` boxes every value into `StatementArguments` and runs its
/// observation hooks per call; for an import that cost as much as SQLite's own work. This
/// binds text straight from Swift's UTF-8 storage. Use it inside a GRDB transaction only,
/// for statements no transaction observer watches (GRDB still sees every change, as it
/// reads changes from the connection).
struct FastStatement {
    /// A value to bind.
    enum Value {
        case text(String)
        case integer(Int64)
    }

    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// Runs the statement (an INSERT, UPDATE or DELETE) with `values`.
    func run(_ values: [Value]) throws {
        let handle = try bind(values)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
    }

    /// The first row's first two columns (an integer and a text), or `nil` when there is no row.
    func first(_ values: [Value]) throws -> (Int64, String)? {
        let handle = try bind(values)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw error(code) }
        let text = sqlite3_column_text(handle, 1).map { String(cString: $0) } ?? ""
        return (sqlite3_column_int64(handle, 0), text)
    }

    private func bind(_ values: [Value]) throws -> OpaquePointer {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32
            switch value {
            case .integer(let number):
                code = sqlite3_bind_int64(handle, position, number)
            case .text(var text):
                // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
                let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
                code = text.withUTF8 { bytes in
                    guard let base = bytes.baseAddress, bytes.count > 0 else {
                        return sqlite3_bind_text(handle, position, "", 0, transient)
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                        sqlite3_bind_text(handle, position, chars, Int32(bytes.count), transient)
                    }
                }
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
        return handle
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
    }
}
