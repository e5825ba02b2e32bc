import Foundation

extension PhoneModel: OutputRecord {
    /// The same columns `models import` reads, so that a listing can be edited and imported again.
    public static let csvFields = ["model_uuid", "title", "manufacturer", "syncml_version", "san_1_2", "provisioning", "datastores",
                                        "san_content_type", "alert_port", "alert_source_port"]

    public var csvValues: [String] {
        [modelUUID, title, manufacturer, syncMLVersion.rawValue, acceptsSAN12 ? "yes" : "no", provisioning.rawValue,
         DatastoreBinding.formatList(datastores), alertPush.contentTypeText, String(alertPush.destinationPort), String(alertPush.sourcePort)]
    }

    public static let tableFields = ["MODEL_UUID", "TITLE", "MANUFACTURER", "SYNCML", "SAN1.2", "PROVISIONING", "DATASTORES"]

    public var tableValues: [String] {
        [modelUUID, title, manufacturer, syncMLVersion.rawValue, acceptsSAN12 ? "yes" : "no", provisioning.rawValue,
         datastores.map { "\($0.dataclass.rawValue)=\($0.name)" }.joined(separator: " ")]
    }

    public var json: JSONValue {
        .object([
            ("model_uuid", .string(modelUUID)), ("title", .string(title)), ("manufacturer", .string(manufacturer)),
            ("syncml_version", .string(syncMLVersion.rawValue)), ("san_1_2", .bool(acceptsSAN12)),
            ("provisioning", .string(provisioning.rawValue)),
            ("datastores", .array(datastores.map { .object([("dataclass", .string($0.dataclass.rawValue)), ("name", .string($0.name))]) })),
            ("san_content_type", .string(alertPush.contentTypeText)), ("alert_port", .int(Int64(alertPush.destinationPort))),
            ("alert_source_port", .int(Int64(alertPush.sourcePort))),
        ])
    }

    public static let atomFeedTitle = "SyncML Phone Models"
    public static let atomFeedPath = "models/"

    public func atomEntry(_ context: AtomContext, indent: Int, standalone: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let url = XMLText.escape(context.url("models/" + modelUUID))
        let open = standalone ? "<entry xmlns=\"\(AtomContext.atomNamespace)\">" : "<entry>"
        var xml = """
            \(pad)\(open)
            \(pad)  <id>\(url)</id>
            \(pad)  <title>\(XMLText.escape(title))</title>
            \(pad)  <updated>1970-01-01T00:00:00Z</updated>
            \(pad)  <model xmlns="\(AtomContext.namespace)">
            \(pad)    <model_uuid>\(XMLText.escape(modelUUID))</model_uuid>
            \(pad)    <manufacturer>\(XMLText.escape(manufacturer))</manufacturer>
            \(pad)    <syncml_version>\(syncMLVersion.rawValue)</syncml_version>
            \(pad)    <san_1_2>\(acceptsSAN12)</san_1_2>
            \(pad)    <provisioning>\(provisioning.rawValue)</provisioning>
            \(pad)    <san_content_type>\(alertPush.contentTypeText)</san_content_type>
            \(pad)    <alert_port>\(alertPush.destinationPort)</alert_port>
            \(pad)    <alert_source_port>\(alertPush.sourcePort)</alert_source_port>

            """
        for store in datastores {
            xml += "\(pad)    <datastore dataclass=\"\(store.dataclass.rawValue)\">\(XMLText.escape(store.name))</datastore>\n"
        }
        xml += "\(pad)  </model>\n\(pad)</entry>\n"
        return xml
    }
}

extension PhoneModel {
    /// The JSON form `models list --format json` prints, read back (by the API and by ``RemoteFleet``).
    public struct JSONForm: Decodable, Sendable {
        public struct Store: Decodable, Sendable {
            public var dataclass: String
            public var name: String
        }

        public var model_uuid: String
        public var title: String
        public var manufacturer: String
        public var syncml_version: String
        public var san_1_2: Bool
        public var provisioning: String
        public var datastores: [Store]
        public var san_content_type: String?
        public var alert_port: Int?
        public var alert_source_port: Int?

        /// The model, with every field checked.
        public func model() throws(FieldError) -> PhoneModel {
            guard let version = SyncMLVersion(rawValue: syncml_version) else {
                throw FieldError(field: "syncml_version", value: syncml_version, reason: "not one of 1.0, 1.1, 1.2")
            }
            guard let format = ProvisioningFormat(rawValue: provisioning) else {
                throw FieldError(field: "provisioning", value: provisioning, reason: "not one of oma-cp, nokia-ota")
            }
            var stores: [DatastoreBinding] = []
            for store in datastores {
                guard let dataclass = Dataclass(parsing: store.dataclass) else {
                    throw FieldError(field: "datastores", value: store.dataclass, reason: "unknown dataclass")
                }
                stores.append(DatastoreBinding(dataclass: dataclass, name: store.name))
            }
            let push = try AlertPush(contentType: san_content_type, port: alert_port.map(String.init),
                                     sourcePort: alert_source_port.map(String.init))
            return PhoneModel(modelUUID: model_uuid, title: title, manufacturer: manufacturer, syncMLVersion: version,
                              acceptsSAN12: san_1_2, provisioning: format, datastores: stores, alertPush: push)
        }
    }
}
