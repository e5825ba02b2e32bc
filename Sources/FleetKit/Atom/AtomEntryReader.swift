import PhonePush
import Foundation
import SyncML
import WBXML

/// Reads the Atom entries the API accepts: a client to create, a setup to send.
///
/// Namespace-aware: ObexCode elements may carry a prefix (`oc:client` with
/// `xmlns:oc`) or sit in a default namespace; unknown elements are ignored. The XML
/// is read by ``XMLTreeReader``, which refuses entity declarations.
public enum AtomEntryReader {
    /// The registration in a `<entry><oc:client>…</oc:client></entry>` body.
    public static func registration(from data: Data) throws -> Registration {
        let entry = try entryElement(data)
        guard let client = entry.children.first(where: { $0.is("client", in: AtomContext.namespace) }) else {
            throw AtomReadError("the entry has no <client> element in the \(AtomContext.namespace) namespace")
        }
        func text(_ name: String) -> String? {
            client.children.first { $0.is(name, in: AtomContext.namespace) }?.text
        }
        guard let phone = text("phone_number"), !phone.isEmpty else {
            throw AtomReadError("<client> has no <phone_number>")
        }
        guard let model = text("model_uuid"), !model.isEmpty else {
            throw AtomReadError("<client> has no <model_uuid>")
        }
        let datastores = try client.children.filter { $0.is("datastore", in: AtomContext.namespace) }.map { element in
            guard let cls = element.attributes["dataclass"], let dataclass = Dataclass(parsing: cls) else {
                throw AtomReadError("<datastore> needs a dataclass attribute of \(Dataclass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return DatastoreBinding(dataclass: dataclass, name: element.text.isEmpty ? dataclass.rawValue : element.text)
        }
        return Registration(
            phoneNumber: phone, model: model, imei: text("imei").flatMap { $0.isEmpty ? nil : $0 },
            timezone: text("timezone").flatMap { $0.isEmpty ? nil : $0 }, user: nil,
            datastores: datastores.isEmpty ? nil : datastores, uuid: text("uuid").flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The PIN and optional setup name in a `<entry><oc:pincode>…</oc:pincode></entry>` body.
    /// The setup entry of `POST /{uuid}/setup/`: the seed's `oc:pincode` and `oc:setup`
    /// (the name), plus SyncFleet's `oc:sec`, `oc:imsi`, `oc:force`, `oc:undelivered` and `oc:dry_run`.
    public static func setup(from data: Data) throws -> ProvisionRequest {
        let entry = try entryElement(data)
        func value(_ name: String) -> String? {
            let text = entry.children.first(where: { $0.is(name, in: AtomContext.namespace) })?.text ?? ""
            return text.isEmpty ? nil : text
        }
        var request = ProvisionRequest(pincode: value("pincode"), name: value("setup"), imsi: value("imsi"))
        if let sec = value("sec") {
            guard let method = ProvisioningSecurity.Method(rawValue: sec.uppercased()) else {
                throw AtomReadError("<sec> is '\(sec)'; one of \(ProvisioningSecurity.Method.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            request.security = method
        }
        guard request.pincode != nil || request.security == .netwpin else {
            throw AtomReadError("the entry has no <pincode> element in the \(AtomContext.namespace) namespace")
        }
        request.force = value("force") == "true"
        request.undeliveredOnly = value("undelivered") == "true"
        request.dryRun = value("dry_run") == "true"
        return request
    }

    /// The optional body of `POST /{uuid}/sync/`: `oc:datastore`s, `oc:sync_type`, `oc:ui`, `oc:san_version`.
    public static func alert(from data: Data) throws -> AlertRequest {
        var request = AlertRequest()
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return request }
        let entry = try entryElement(data)
        for child in entry.children where child.is("datastore", in: AtomContext.namespace) {
            if !child.text.isEmpty { request.datastores.append(child.text) }
        }
        func value(_ name: String) -> String? {
            let text = entry.children.first(where: { $0.is(name, in: AtomContext.namespace) })?.text ?? ""
            return text.isEmpty ? nil : text
        }
        if let type = value("sync_type") {
            guard let parsed = ServerAlertedNotification.SyncType(name: type) else { throw AtomReadError("<sync_type> '\(type)' is not 206 to 210 or its name") }
            request.syncType = parsed
        }
        if let ui = value("ui") {
            guard let parsed = ServerAlertedNotification.UIMode(name: ui) else { throw AtomReadError("<ui> '\(ui)' is not background, informative or interactive") }
            request.uiMode = parsed
        }
        if let version = value("san_version") {
            guard version == "1.1" || version == "1.2" else { throw AtomReadError("<san_version> is 1.1 or 1.2") }
            request.sanVersion = version
        }
        request.dryRun = value("dry_run") == "true"
        return request
    }

    static func entryElement(_ data: Data) throws -> ResolvedElement {
        let root: WBXMLElement
        do {
            root = try XMLTreeReader().read(data).root
        } catch let error as XMLReadError {
            throw AtomReadError("not well-formed XML: \(error.description)")
        }
        let resolved = ResolvedElement(root, scope: [:])
        guard resolved.is("entry", in: AtomContext.atomNamespace) else {
            throw AtomReadError("the body is <\(root.name)>, not an Atom <entry> (namespace \(AtomContext.atomNamespace))")
        }
        return resolved
    }
}

/// An Atom body the API cannot use, with what is wrong.
public struct AtomReadError: Error, Sendable, LocalizedError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}

/// An element with its namespace resolved from the `xmlns` declarations in scope.
struct ResolvedElement {
    var localName: String
    var namespace: String?
    var attributes: [String: String]
    var children: [ResolvedElement]
    var text: String

    init(_ element: WBXMLElement, scope: [String: String]) {
        var scope = scope
        var attributes: [String: String] = [:]
        for attribute in element.attributes {
            if attribute.name == "xmlns" {
                scope[""] = attribute.value
            } else if attribute.name.hasPrefix("xmlns:") {
                scope[String(attribute.name.dropFirst(6))] = attribute.value
            } else {
                attributes[attribute.name.split(separator: ":").last.map(String.init) ?? attribute.name] = attribute.value
            }
        }
        let parts = element.name.split(separator: ":", maxSplits: 1)
        if parts.count == 2 {
            localName = String(parts[1])
            namespace = scope[String(parts[0])]
        } else {
            localName = element.name
            namespace = scope[""]
        }
        self.attributes = attributes
        var children: [ResolvedElement] = []
        var text = ""
        for node in element.children {
            switch node {
            case .element(let child): children.append(ResolvedElement(child, scope: scope))
            case .text(let value): text += value
            case .opaque(let bytes): text += String(decoding: bytes, as: UTF8.self)
            default: break
            }
        }
        self.children = children
        self.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func `is`(_ name: String, in namespace: String) -> Bool {
        localName == name && self.namespace == namespace
    }
}
