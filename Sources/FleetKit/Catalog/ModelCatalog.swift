import Foundation

/// Reads the phone model catalogue from CSV (`samples/models.csv`).
///
/// Columns, found by header name in any order: `model_uuid`, `title`, `manufacturer`,
/// `syncml_version` (1.0, 1.1, 1.2), `san_1_2` (yes/no), `provisioning` (`oma-cp`,
/// `nokia-ota`), `datastores` (`Contacts=C:Contacts.cdb;Calendar=C:Calendar`); optional
/// `san_content_type` (`0x4E`, `0x44`), `alert_port` and `alert_source_port` (``AlertPush``).
/// Other columns (notes, sources) are ignored.
public enum ModelCatalog {
    /// Parses every row; the first bad one stops it with its file, line and field.
    public static func read(path: String) throws -> [PhoneModel] {
        let reader = try CSVTableReader(path: path)
        func required(_ names: String...) throws -> Int {
            guard let index = reader.column(names) else {
                throw FleetError.badInput(file: path, line: 1, message: "the header has no \(names[0]) column (it has: \(reader.header.joined(separator: ", ")))")
            }
            return index
        }
        let uuidColumn = try required("model_uuid", "uuid", "id")
        let titleColumn = try required("title", "model", "name")
        let manufacturerColumn = try required("manufacturer", "make", "vendor")
        let versionColumn = try required("syncml_version", "syncml")
        let sanColumn = try required("san_1_2", "san12", "accepts_san_1_2")
        let provisioningColumn = try required("provisioning", "provisioning_format")
        let datastoresColumn = try required("datastores", "default_datastores")
        let contentTypeColumn = reader.column(["san_content_type"])
        let alertPortColumn = reader.column(["alert_port"])
        let alertSourcePortColumn = reader.column(["alert_source_port"])

        var models: [PhoneModel] = []
        var seen: [String: Int] = [:]
        while let (line, fields) = try reader.next() {
            func value(_ index: Int) -> String {
                index < fields.count ? fields[index].trimmingCharacters(in: .whitespaces) : ""
            }
            func fail(_ field: String, _ message: String) -> FleetError {
                .badInput(file: path, line: line, message: "\(field): \(message)")
            }
            let uuid = value(uuidColumn)
            guard !uuid.isEmpty else { throw fail("model_uuid", "is empty") }
            if let first = seen[uuid] { throw fail("model_uuid", "\(uuid) appears already on line \(first)") }
            seen[uuid] = line
            let title = value(titleColumn)
            guard !title.isEmpty else { throw fail("title", "is empty") }
            guard let version = SyncMLVersion(rawValue: value(versionColumn)) else {
                throw fail("syncml_version", "\"\(value(versionColumn))\" is not one of 1.0, 1.1, 1.2")
            }
            guard let san = parseBool(value(sanColumn)) else {
                throw fail("san_1_2", "\"\(value(sanColumn))\" is not yes or no")
            }
            guard let provisioning = ProvisioningFormat(rawValue: value(provisioningColumn).lowercased()) else {
                throw fail("provisioning", "\"\(value(provisioningColumn))\" is not one of \(ProvisioningFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let datastores: [DatastoreBinding]
            do {
                datastores = try DatastoreBinding.parseList(value(datastoresColumn))
            } catch {
                throw fail("datastores", error.reason)
            }
            let alertPush: AlertPush
            do {
                alertPush = try AlertPush(contentType: contentTypeColumn.map(value), port: alertPortColumn.map(value),
                                          sourcePort: alertSourcePortColumn.map(value))
            } catch {
                throw fail(error.field, error.reason)
            }
            models.append(PhoneModel(modelUUID: uuid, title: title, manufacturer: value(manufacturerColumn),
                                     syncMLVersion: version, acceptsSAN12: san, provisioning: provisioning,
                                     datastores: datastores, alertPush: alertPush))
        }
        return models
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "y", "true", "1": return true
        case "no", "n", "false", "0": return false
        default: return nil
        }
    }
}
