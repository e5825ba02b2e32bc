import Foundation
import Hummingbird
import Logging

/// Logs one line per request: method, path, status and time taken.
struct RequestLogger: RouterMiddleware {
    typealias Context = FleetRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now()
        func line(_ status: Int) {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
            logger.notice("\(request.method) \(request.uri.path) \(status) \(String(format: "%.1f", ms)) ms\(context.user.map { " user=\($0.name)" } ?? "")")
        }
        do {
            let response = try await next(request, context)
            line(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            line(error.status.code)
            throw error
        } catch {
            line(500)
            throw error
        }
    }
}
