/// Which column of a spreadsheet holds which field of a registration.
///
/// Columns are found by header name, folded (case, spaces, `_`, `-`, `.` ignored), with the
/// aliases spreadsheets use; `--map column=field` names any other.
public struct ImportColumns: Sendable, Hashable {
    /// The fields an import reads.
    public enum Field: String, Sendable, CaseIterable {
        case phone, model, imei, timezone, user
    }

    static let aliases: [Field: [String]] = [
        .phone: ["phone", "msisdn", "phone_number", "phonenumber", "number", "mobile", "mobile_number", "tel", "telephone"],
        .model: ["model", "model_uuid", "modeluuid", "phone_model", "handset", "device"],
        .imei: ["imei", "imei_number", "serial"],
        .timezone: ["timezone", "tz", "time_zone"],
        .user: ["user", "owner", "username", "user_name", "login"],
    ]

    /// Column index of each field found.
    public private(set) var index: [Field: Int] = [:]
    /// Header names no field uses (reported once, then ignored).
    public private(set) var unknown: [String] = []

    /// Matches `header` to fields; `overrides` maps a header name to a field name (`--map`).
    public init(header: [String], overrides: [String: String] = [:]) throws(FieldError) {
        var folded: [String: Field] = [:]
        for (field, names) in Self.aliases {
            for name in names { folded[CSVTableReader.fold(name)] = field }
        }
        for (column, fieldName) in overrides {
            guard let field = Field(rawValue: fieldName.lowercased()) else {
                throw FieldError(field: "--map", value: "\(column)=\(fieldName)",
                                 reason: "unknown field \(fieldName) (fields: \(Field.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            folded[CSVTableReader.fold(column)] = field
        }
        for (position, name) in header.enumerated() {
            if let field = folded[CSVTableReader.fold(name)], index[field] == nil {
                index[field] = position
            } else if !name.trimmingCharacters(in: .whitespaces).isEmpty {
                unknown.append(name)
            }
        }
        guard index[.phone] != nil else {
            throw FieldError(field: "header", value: header.joined(separator: ","),
                             reason: "no phone number column (phone, msisdn, phone_number; or --map COLUMN=phone)")
        }
        guard index[.model] != nil else {
            throw FieldError(field: "header", value: header.joined(separator: ","),
                             reason: "no model column (model, model_uuid; or --map COLUMN=model)")
        }
    }

    /// The value of `field` in a row, trimmed; `nil` when absent or empty.
    public func value(_ field: Field, in row: [String]) -> String? {
        guard let position = index[field], position < row.count else { return nil }
        let value = row[position].trimmed
        return value.isEmpty ? nil : value
    }
}

extension ImportColumns {
    /// Opens a CSV file and finds its columns; a header without the needed columns is a
    /// ``FleetError/badInput(file:line:message:)`` naming the file and line 1.
    public static func open(path: String, delimiter: UInt8?, overrides: [String: String]) throws -> (CSVTableReader, ImportColumns) {
        let reader = try CSVTableReader(path: path, delimiter: delimiter)
        do {
            return (reader, try ImportColumns(header: reader.header, overrides: overrides))
        } catch {
            throw FleetError.badInput(file: path, line: 1, message: error.reason)
        }
    }
}
