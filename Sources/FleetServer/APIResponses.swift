import FleetKit
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Builds the API's answers: Atom by default, JSON for `Accept: application/json`.
struct APIResponses {
    /// `--base-url`, or `nil` to build URLs from the request's `Host`.
    let configuredBaseURL: String?

    static let atomType = "application/atom+xml"
    static let jsonType = "application/json"

    func atom(for request: Request) -> AtomContext {
        if let configuredBaseURL { return AtomContext(baseURL: configuredBaseURL) }
        let host = request.head.authority ?? "localhost"
        return AtomContext(baseURL: "http://\(host)\(APIServer.basePath)/")
    }

    func wantsJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.contains("application/json") && !accept.contains("application/atom+xml")
    }

    /// One record: an Atom entry or a JSON object.
    func single<R: OutputRecord>(_ record: R, status: HTTPResponse.Status = .ok, request: Request, headers: HTTPFields = [:]) -> Response {
        let json = wantsJSON(request)
        let sink = OutputSink.memory()
        let writer = RecordWriter<R>(format: json ? .json : .atom, sink: sink, shape: .single, atom: atom(for: request))
        try? writer.write(record)
        try? writer.finish()
        var fields = headers
        fields[.contentType] = json ? Self.jsonType : Self.atomType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: sink.takeCaptured())))
    }

    /// A listing streamed as it is read: an Atom feed or a JSON array.
    func feed<S: AsyncSequence & Sendable>(_ records: S, request: Request, updated: Date?) -> Response where S.Element: OutputRecord {
        let json = wantsJSON(request)
        let atom = atom(for: request)
        let body = ResponseBody { writer in
            let sink = OutputSink.memory()
            let recordWriter = RecordWriter<S.Element>(format: json ? .json : .atom, sink: sink, shape: .list, atom: atom,
                                                       feedUpdated: updated ?? Date(timeIntervalSince1970: 0))
            var count = 0
            for try await record in records {
                try recordWriter.write(record)
                count += 1
                if count % 200 == 0 { try await writer.write(ByteBuffer(bytes: sink.takeCaptured())) }
            }
            try recordWriter.finish()
            try await writer.write(ByteBuffer(bytes: sink.takeCaptured()))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: json ? Self.jsonType : Self.atomType], body: body)
    }

    /// One page of a listing, with its `next` link (Atom `<link rel="next">` and an HTTP `Link` header).
    func page<R: OutputRecord>(_ items: [R], next: String?, request: Request, updated: Date?) -> Response {
        let json = wantsJSON(request)
        let atom = atom(for: request)
        var nextURL: String?
        if let next {
            var query = request.uri.queryParameters.filter { $0.key != "after" }.map { "\($0.key)=\(APIQuery.escape(String($0.value)))" }
            query.append("after=\(APIQuery.escape(next))")
            nextURL = atom.baseURL.dropLast() + String(request.uri.path.dropFirst(APIServer.basePath.count)) + "?" + query.sorted().joined(separator: "&")
        }
        let sink = OutputSink.memory()
        let writer = RecordWriter<R>(format: json ? .json : .atom, sink: sink, shape: .list, atom: atom,
                                     feedUpdated: updated ?? Date(timeIntervalSince1970: 0), nextURL: nextURL)
        for item in items { try? writer.write(item) }
        try? writer.finish()
        var headers: HTTPFields = [.contentType: json ? Self.jsonType : Self.atomType]
        if let nextURL, let link = HTTPField.Name("Link") { headers[link] = "<\(nextURL)>; rel=\"next\"" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: sink.takeCaptured())))
    }

    /// The seed's answers to `POST /{uuid}/setup/` (201 and the entry with the generated
    /// fields; 200 when the setup was sent before) and `POST /{uuid}/sync/` (200, empty for Atom).
    func push(_ outcome: PushOutcome, request: Request) -> Response {
        let atom = atom(for: request)
        let path = outcome.kind == .setup ? "setup" : "sync"
        let id = outcome.requestID.map { atom.url("\(outcome.clientUUID)/\(path)/\($0)/") }
        let status: HTTPResponse.Status = outcome.kind == .alert || outcome.status == .skipped ? .ok : .created
        var headers: HTTPFields = [:]
        if let id, status == .created { headers[.location] = id }
        if wantsJSON(request) {
            guard case .object(var fields) = outcome.json else { return Response(status: .internalServerError) }
            fields.removeAll { $0.0 == "id" || $0.0 == "line" }
            fields.insert(("id", .optional(id)), at: 0)
            if outcome.kind == .setup {
                fields.append(("pincode", .optional(outcome.pincode)))
                fields.append(("setup", .optional(outcome.name)))
            }
            headers[.contentType] = Self.jsonType
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: JSONValue.object(fields).serialized() + "\n")))
        }
        guard outcome.kind == .setup else {
            headers[.contentType] = Self.atomType
            headers[.contentLength] = "0"
            return Response(status: status, headers: headers)
        }
        // The seed's three elements; the outcome's own only when it is not the plain sent or queued.
        var extra = ""
        if outcome.status != .sent && outcome.status != .queued {
            extra += "  <oc:status>\(outcome.status.rawValue)</oc:status>\n  <oc:messages>\(outcome.messages)</oc:messages>\n"
        }
        if let pin = outcome.pinToType { extra += "  <oc:pin_to_type>\(pin)</oc:pin_to_type>\n" }
        if let error = outcome.error { extra += "  <oc:error>\(XMLText.escape(error))</oc:error>\n" }
        let xml = """
            <entry xmlns="\(AtomContext.atomNamespace)"
                   xmlns:oc="\(AtomContext.namespace)">
              <id>\(XMLText.escape(id ?? atom.url(outcome.clientUUID)))</id>
              <oc:pincode>\(XMLText.escape(outcome.pincode ?? ""))</oc:pincode>
              <oc:setup sent="\(outcome.sent.map(Timestamp.rfc3339) ?? "")">\(XMLText.escape(outcome.name ?? ""))</oc:setup>
            \(extra)</entry>

            """
        headers[.contentType] = Self.atomType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }
}
