import Foundation

/// A gateway as the operator names it (`--gateway`, `SYNCFLEET_GATEWAY`, settings):
///
/// - `kannel://USER:PASSWORD@HOST:PORT[?from=NUMBER&smsc=ID&dlr-mask=N]`: Kannel's sendsms interface;
/// - `dir:PATH`: every SMS as a file `<client-uuid>.<setup|alert>.<n>.bin` (UDH then user data);
/// - `-`: every SMS as a line of hex on standard output.
public enum GatewayAddress: Sendable, Hashable, CustomStringConvertible {
    case kannel(KannelGateway.Configuration)
    case directory(String)
    case standardOutput

    public init(parsing text: String) throws(GatewayError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "-" {
            self = .standardOutput
        } else if trimmed.hasPrefix("dir:") {
            var path = String(trimmed.dropFirst(4))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw .invalidAddress("dir: needs a directory, e.g. dir:/var/spool/syncfleet") }
            self = .directory(path)
        } else if trimmed.lowercased().hasPrefix("kannel://") {
            guard let url = URLComponents(string: trimmed), let host = url.host, !host.isEmpty else {
                throw .invalidAddress("'\(Self.redacted(trimmed))' is not kannel://USER:PASSWORD@HOST:PORT")
            }
            guard let user = url.user, let password = url.password else {
                throw .invalidAddress("kannel:// needs the sendsms user and password: kannel://USER:PASSWORD@\(host):\(url.port ?? 13013)")
            }
            var configuration = KannelGateway.Configuration(
                host: host, port: url.port ?? 13013, username: user, password: password)
            for item in url.queryItems ?? [] {
                switch item.name {
                case "from": configuration.from = item.value
                case "smsc": configuration.smsc = item.value
                case "dlr-mask":
                    guard let mask = item.value.flatMap(Int.init), (0...31).contains(mask) else {
                        throw .invalidAddress("dlr-mask is a number from 0 to 31")
                    }
                    configuration.dlrMask = mask
                default: throw .invalidAddress("unknown kannel:// parameter '\(item.name)' (known: from, smsc, dlr-mask)")
                }
            }
            self = .kannel(configuration)
        } else {
            throw .invalidAddress("'\(Self.redacted(trimmed))' is none of kannel://USER:PASSWORD@HOST:PORT, dir:PATH, -")
        }
    }

    /// `text` with whatever stands between the first ':' after '//' and the last '@' masked.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "//"), let at = text.lastIndex(of: "@"), at > scheme.upperBound,
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[...colon]) + "********" + String(text[at...])
    }

    /// The address without its password.
    public var description: String {
        switch self {
        case .kannel(let c): "kannel://\(c.username)@\(c.host):\(c.port)"
        case .directory(let path): "dir:\(path)"
        case .standardOutput: "-"
        }
    }
}
