import FleetKit
import PhonePush
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The ObexCode SyncML REST API over a ``FleetBackend``, wire compatible with the seed document.
public struct APIServer: Sendable {
    /// Where the API lives.
    public static let basePath = "/v2/services/syncml"

    let backend: any FleetBackend
    let responses: APIResponses
    let logger: Logger
    /// The SyncML endpoint phones sync against, if served.
    public let sync: SyncEndpoint?

    /// - Parameter baseURL: ids and links in answers; `nil` builds them from each request's `Host`.
    public init(backend: any FleetBackend, baseURL: String? = nil, sync: SyncEndpoint? = nil, logger: Logger = Logger(label: "syncfleet.serve")) {
        self.backend = backend
        self.sync = sync
        self.responses = APIResponses(configuredBaseURL: baseURL)
        self.logger = logger
    }

    /// The router with every route and middleware.
    public func router() -> Router<FleetRequestContext> {
        let router = Router(context: FleetRequestContext.self)
        router.add(middleware: RequestLogger(logger: logger))
        return addRoutes(to: router)
    }

    /// The router with `middleware` in front of everything (fault injection in tests, say).
    public func router<M: RouterMiddleware>(inFront middleware: M) -> Router<FleetRequestContext> where M.Context == FleetRequestContext {
        let router = Router(context: FleetRequestContext.self)
        router.add(middleware: middleware)
        router.add(middleware: RequestLogger(logger: logger))
        return addRoutes(to: router)
    }

    private func addRoutes(to router: Router<FleetRequestContext>) -> Router<FleetRequestContext> {
        // The gateway's delivery reports carry an unguessable message id instead of credentials.
        // Phones authenticate inside SyncML, on the sync path.
        var open: Set<String> = [Self.basePath + "/dlr"]
        if let sync {
            open.insert(sync.path)
            router.post(RouterPath(sync.path)) { request, context in try await sync.handle(request, context: context) }
        }
        router.add(middleware: BasicAuthenticator(backend: backend, openPaths: open))
        let api = router.group(RouterPath(Self.basePath))
        let responses = self.responses
        let backend = self.backend

        @Sendable func fleet(_ context: FleetRequestContext) throws -> any Fleet {
            guard let user = context.user else { throw BasicAuthenticator.challenge("credentials required") }
            return backend.fleet(for: user)
        }
        @Sendable func guarded(_ body: () async throws -> Response) async throws -> Response {
            do { return try await body() } catch { throw APIError.http(error) }
        }

        // Clients.
        api.get { request, context in
            try await guarded {
                let fleet = try fleet(context)
                let query = request.uri.queryParameters
                let filter = try Self.clientFilter(query)
                let updated = try await fleet.clientsUpdated(filter)
                // `?limit=N` asks for one page (and a next link); without it the whole feed streams, as the seed has it.
                if let limit = query.get("limit").flatMap(Int.init) {
                    let page = try await fleet.clients(filter, page: PageRequest(after: query.get("after"), limit: limit))
                    return responses.page(page.items, next: page.next, request: request, updated: updated)
                }
                return responses.feed(fleet.clients(filter), request: request, updated: updated)
            }
        }
        api.post { request, context in
            try await guarded {
                let fleet = try fleet(context)
                var request = request
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let registration = try AtomEntryReader.registration(from: Data(buffer: body))
                let result = try await fleet.register(registration)
                let url = responses.atom(for: request).url(result.client.uuid)
                return responses.single(result.client, status: result.outcome == .created ? .created : .ok, request: request,
                                        headers: [.location: url])
            }
        }
        api.get(":uuid") { request, context in
            try await guarded {
                responses.single(try await fleet(context).client(uuid: try context.parameters.require("uuid")), request: request)
            }
        }
        api.delete(":uuid") { _, context in
            try await guarded {
                try await fleet(context).deleteClients(uuids: [try context.parameters.require("uuid")])
                return Response(status: .ok, headers: [.contentType: APIResponses.atomType, .contentLength: "0"])
            }
        }
        for method in [HTTPRequest.Method.put, .patch] {
            api.on(":uuid", method: method) { _, _ -> Response in
                throw HTTPError(.methodNotAllowed, headers: [.allow: "GET, DELETE"],
                                message: "clients are not edited, by design: register the new phone as a new client")
            }
        }
        // Users and the model catalogue: SyncFleet's own additions, so that every command works remotely.
        api.get("users") { request, context in
            try await guarded {
                let query = request.uri.queryParameters
                let page = try await fleet(context).users(page: PageRequest(after: query.get("after"), limit: query.get("limit").flatMap(Int.init) ?? 500))
                return responses.page(page.items, next: page.next, request: request, updated: nil)
            }
        }
        api.post("users") { request, context in
            try await guarded {
                var request = request
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let new = try JSONDecoder().decode(NewUserBody.self, from: Data(buffer: body))
                let user = try await fleet(context).addUser(NewUser(name: new.name, email: new.email, password: new.password, isAdmin: new.admin ?? false))
                return responses.single(user, status: .created, request: request)
            }
        }
        api.get("models") { request, context in
            try await guarded {
                let query = request.uri.queryParameters
                let page = try await fleet(context).models(page: PageRequest(after: query.get("after"), limit: query.get("limit").flatMap(Int.init) ?? 500))
                return responses.page(page.items, next: page.next, request: request, updated: nil)
            }
        }
        api.get("models/:model") { request, context in
            try await guarded {
                let name = try context.parameters.require("model")
                return responses.single(try await fleet(context).resolveModel(name.removingPercentEncoding ?? name), request: request)
            }
        }
        api.post("models") { request, context in
            try await guarded {
                var request = request
                let body = try await request.collectBody(upTo: 4 * 1024 * 1024)
                let models = try JSONDecoder().decode([PhoneModel.JSONForm].self, from: Data(buffer: body)).map { try $0.model() }
                let (added, updated) = try await fleet(context).importModels(models)
                let json = "{\"added\":\(added),\"updated\":\(updated)}\n"
                return Response(status: .ok, headers: [.contentType: APIResponses.jsonType], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
            }
        }
        // Setup and server-initiated sync: sent through the server's gateway, queued without one.
        api.post(":uuid/setup") { request, context in
            try await guarded {
                var request = request
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let setup = try AtomEntryReader.setup(from: Data(buffer: body))
                let outcome = try await fleet(context).provision(uuid: try context.parameters.require("uuid"), request: setup)
                if outcome.status == .invalid { throw HTTPError(.badRequest, message: outcome.error ?? "the setup cannot be built") }
                return responses.push(outcome, request: request)
            }
        }
        api.post(":uuid/sync") { request, context in
            try await guarded {
                var request = request
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let alert = try AtomEntryReader.alert(from: Data(buffer: body))
                let outcome = try await fleet(context).alert(uuid: try context.parameters.require("uuid"), request: alert)
                if outcome.status == .invalid { throw HTTPError(.badRequest, message: outcome.error ?? "the alert cannot be built") }
                return responses.push(outcome, request: request)
            }
        }
        // Delivery reports from the SMS gateway (Kannel's dlr-url): no login, the id is the secret.
        api.get("dlr") { request, _ in
            try await guarded {
                let query = request.uri.queryParameters
                guard let id = query.get("id"), let type = query.get("type").flatMap(Int.init) else {
                    throw HTTPError(.badRequest, message: "a delivery report needs id and type")
                }
                guard try await backend.recordDeliveryReport(messageID: id, type: type) else {
                    throw HTTPError(.notFound, message: "no SMS with that id")
                }
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
            }
        }
        // Setups and alerts with their SMS and delivery reports; the fleet's funnel.
        api.get("pushes") { request, context in
            try await guarded {
                let query = request.uri.queryParameters
                let filter = try Self.pushFilter(query)
                let fleet = try fleet(context)
                if let limit = query.get("limit").flatMap(Int.init) {
                    let page = try await fleet.pushes(filter, page: PageRequest(after: query.get("after"), limit: limit))
                    return responses.page(page.items, next: page.next, request: request, updated: nil)
                }
                // An unknown client is a 404 before the stream starts, not a broken 200.
                _ = try await fleet.pushes(filter, page: PageRequest(after: nil, limit: 1))
                return responses.feed(fleet.pushes(filter), request: request, updated: nil)
            }
        }
        api.get("status") { request, context in
            try await guarded {
                let rows = try await fleet(context).funnel(user: request.uri.queryParameters.get("user"))
                return responses.page(rows, next: nil, request: request, updated: nil)
            }
        }
        // Sessions recorded by the SyncML server: filters as query parameters, ?limit=N pages with a next link;
        // the chatlog is for administrators (403 for others).
        api.get("sessions") { request, context in
            try await guarded {
                let query = request.uri.queryParameters
                let filter = try Self.sessionFilter(query)
                let fleet = try fleet(context)
                if let limit = query.get("limit").flatMap(Int.init) {
                    let page = try await fleet.sessions(filter, page: PageRequest(after: query.get("after"), limit: limit))
                    return responses.page(page.items, next: page.next, request: request, updated: nil)
                }
                return responses.feed(fleet.sessions(filter), request: request, updated: nil)
            }
        }
        api.get("sessions/:id") { request, context in
            try await guarded {
                let id = try Self.sessionID(context)
                return responses.single(try await fleet(context).session(id: id), request: request)
            }
        }
        api.get("sessions/:id/chatlog") { request, context in
            try await guarded {
                let id = try Self.sessionID(context)
                let query = request.uri.queryParameters
                let fleet = try fleet(context)
                if let limit = query.get("limit").flatMap(Int.init) {
                    let page = try await fleet.chatlog(sessionID: id, page: PageRequest(after: query.get("after"), limit: limit))
                    return responses.page(page.items, next: page.next, request: request, updated: nil)
                }
                // The first page answers the checks (403, 404) before the feed starts streaming.
                _ = try await fleet.chatlog(sessionID: id, page: PageRequest(limit: 1))
                return responses.feed(fleet.chatlog(sessionID: id), request: request, updated: nil)
            }
        }
        // Datastores: what phones registered on their first sync, all or of one dataclass; ?client=UUID narrows,
        // ?limit=N pages (with a next link), and without it the whole listing streams.
        @Sendable func datastores(_ dataclass: Dataclass?, _ request: Request, _ context: FleetRequestContext) async throws -> Response {
            let query = request.uri.queryParameters
            var named: Dataclass?
            if let text = query.get("dataclass") {
                guard let parsed = Dataclass(parsing: text) else {
                    throw HTTPError(.badRequest, message: "dataclass=\(text): Contacts, Calendar, Tasks or Notes")
                }
                named = parsed
            }
            let filter = DatastoreFilter(clientUUID: query.get("client"), dataclass: dataclass ?? named)
            let fleet = try fleet(context)
            if let limit = query.get("limit").flatMap(Int.init) {
                let page = try await fleet.datastores(filter, page: PageRequest(after: query.get("after"), limit: limit))
                return responses.page(page.items, next: page.next, request: request, updated: nil)
            }
            return responses.feed(fleet.datastores(filter), request: request, updated: nil)
        }
        api.get("datastores") { request, context in
            try await guarded { try await datastores(nil, request, context) }
        }
        api.get("datastores/:dataclass") { request, context in
            try await guarded {
                let name = try context.parameters.require("dataclass")
                guard let dataclass = Dataclass(parsing: name) else {
                    throw HTTPError(.notFound, message: "no dataclass \(name) (\(Dataclass.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return try await datastores(dataclass, request, context)
            }
        }
        return router
    }

    static func sessionID(_ context: FleetRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text) else { throw HTTPError(.notFound, message: "no session \(text)") }
        return id
    }

    /// A date query parameter (RFC 3339 or a date), 400 when it is not one.
    static func date(_ query: Hummingbird.Parameters, _ name: String) throws -> Date? {
        guard let text = query.get(name) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw HTTPError(.badRequest, message: "\(name)=\(text) is not a date (2026-11-30 or 2026-11-30T10:00:00Z)")
        }
        return date
    }

    /// The filters of `GET /`: user, phone, model, never_synced, synced_since, not_synced_since.
    static func clientFilter(_ query: Hummingbird.Parameters) throws -> ClientFilter {
        ClientFilter(user: query.get("user"), phoneNumber: query.get("phone"), modelUUID: query.get("model"),
                     neverSynced: query.get("never_synced") == "true", syncedSince: try date(query, "synced_since"),
                     notSyncedSince: try date(query, "not_synced_since"))
    }

    /// The filters of `GET /pushes/`: kind, status, client, since, undelivered, created_before.
    static func pushFilter(_ query: Hummingbird.Parameters) throws -> PushFilter {
        var kind: PushMessage.Kind?
        if let text = query.get("kind") {
            guard let value = PushMessage.Kind(rawValue: text) else { throw HTTPError(.badRequest, message: "kind=\(text): setup or alert") }
            kind = value
        }
        var status: PushStatus?
        if let text = query.get("status") {
            guard let value = PushStatus(rawValue: text) else {
                throw HTTPError(.badRequest, message: "status=\(text): \(PushStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = value
        }
        return PushFilter(kind: kind, status: status, clientUUID: query.get("client"), since: try date(query, "since"),
                          undelivered: query.get("undelivered") == "true", createdBefore: try date(query, "created_before"))
    }

    /// The filters of `GET /sessions/`: client, user, since, until (RFC 3339 or a date), status.
    static func sessionFilter(_ query: Hummingbird.Parameters) throws -> SessionFilter {
        let status = query.get("status")
        if let status, !["ok", "failed", "active"].contains(status) {
            throw HTTPError(.badRequest, message: "status=\(status): ok, failed or active")
        }
        return SessionFilter(clientUUID: query.get("client"), user: query.get("user"), since: try date(query, "since"),
                             until: try date(query, "until"), status: status)
    }

    /// An HTTP application serving the API on `host:port`.
    public func application(host: String, port: Int, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "syncfleet"),
                    onServerRunning: onServerRunning, logger: logger)
    }
}

/// The JSON body of `POST /users/`.
struct NewUserBody: Decodable {
    var name: String
    var email: String
    var password: String
    var admin: Bool?
}
