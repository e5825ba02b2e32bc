import Foundation

extension Client: OutputRecord {
    /// The documented CSV columns; names follow the seed's elements.
    public static let csvFields = [
        "uuid", "title", "user_id", "user", "user_email", "phone_number", "model_uuid", "imei", "timezone",
        "datastores", "setup", "setup_sent", "published", "updated",
    ]

    public var csvValues: [String] {
        [
            uuid, title, String(userID), userName, userEmail, phoneNumber, modelUUID, imei ?? "", timezone,
            DatastoreBinding.formatList(datastores), setup?.name ?? "", setup?.sent.map(Timestamp.rfc3339) ?? "",
            Timestamp.rfc3339(published), Timestamp.rfc3339(updated),
        ]
    }

    public static let tableFields = ["UUID", "MODEL", "PHONE", "IMEI", "TIMEZONE", "USER", "SETUP", "PUBLISHED"]

    public var tableValues: [String] {
        let setupText: String
        if let setup {
            setupText = setup.sent.map { "\(setup.name) (\(Timestamp.setupForm($0)))" } ?? "\(setup.name) (queued)"
        } else {
            setupText = "-"
        }
        return [uuid, title, phoneNumber, imei ?? "-", timezone, userName, setupText, Timestamp.rfc3339(published)]
    }

    public var json: JSONValue {
        .object([
            ("uuid", .string(uuid)),
            ("title", .string(title)),
            ("user_id", .int(userID)),
            ("user", .string(userName)),
            ("user_email", .string(userEmail)),
            ("phone_number", .string(phoneNumber)),
            ("model_uuid", .string(modelUUID)),
            ("imei", .optional(imei)),
            ("timezone", .string(timezone)),
            ("datastores", .array(datastores.map { .object([("dataclass", .string($0.dataclass.rawValue)), ("name", .string($0.name))]) })),
            ("setup", setup.map { .object([("name", .string($0.name)), ("sent", .optional($0.sent.map(Timestamp.rfc3339)))]) } ?? .null),
            ("published", .string(Timestamp.rfc3339(published))),
            ("updated", .string(Timestamp.rfc3339(updated))),
        ])
    }

    public static let atomFeedTitle = "SyncML Clients"
    public static let atomFeedPath = ""

    /// The seed's entry shape, element for element.
    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let url = XMLText.escape(context.url(uuid))
        var xml = standalone ? "\(pad)<entry xmlns=\"\(AtomContext.atomNamespace)\">\n" : "\(pad)<entry>\n"
        xml += """
            \(pad)  <author>
            \(pad)    <name>\(XMLText.escape(userName))</name>
            \(pad)    <email>\(XMLText.escape(userEmail))</email>
            \(pad)  </author>
            \(pad)  <content src="\(url)" type="text/html" />
            \(pad)  <id>\(url)</id>
            \(pad)  <link href="\(url)" rel="self" />
            \(pad)  <link href="\(url)" rel="alternate" type="text/html" />
            \(pad)  <published>\(Timestamp.rfc3339(published))</published>
            \(pad)  <title>\(XMLText.escape(title))</title>
            \(pad)  <updated>\(Timestamp.rfc3339(updated))</updated>
            \(pad)  <client xmlns="\(AtomContext.namespace)">
            \(pad)    <uuid>\(XMLText.escape(uuid))</uuid>
            \(pad)    <user_id>\(userID)</user_id>

            """
        for store in datastores {
            let cls = XMLText.escape(store.dataclass.rawValue)
            xml += "\(pad)    <datastore dataclass=\"\(cls)\" href=\"\(XMLText.escape(context.url("datastores/" + store.dataclass.rawValue)))\">\(XMLText.escape(store.name))</datastore>\n"
        }
        xml += "\(pad)    <phone_number>\(XMLText.escape(phoneNumber))</phone_number>\n"
        xml += "\(pad)    <model_uuid>\(XMLText.escape(modelUUID))</model_uuid>\n"
        xml += imei.map { "\(pad)    <imei>\($0)</imei>\n" } ?? "\(pad)    <imei />\n"
        if let setup {
            xml += "\(pad)    <setup sent=\"\(setup.sent.map(Timestamp.setupForm) ?? "")\">\(XMLText.escape(setup.name))</setup>\n"
        } else {
            xml += "\(pad)    <setup sent=\"\" />\n"
        }
        xml += "\(pad)    <timezone>\(XMLText.escape(timezone))</timezone>\n"
        xml += "\(pad)  </client>\n\(pad)</entry>\n"
        return xml
    }
}
