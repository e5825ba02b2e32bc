import Foundation

/// Reads SMS back from what the `dir:` and `-` gateways write, grouped per push.
public enum SMSFiles {
    /// `paths`: `.bin` files (UDH then user data), directories of them, or `-` for the hex
    /// lines of the `-` gateway on stdin. Returns the pushes by name (`<uuid>.<kind>`), sorted.
    public static func read(_ paths: [String]) throws -> [(name: String, parts: [SMS])] {
        var groups: [String: [(Int, SMS)]] = [:]
        for path in paths {
            if path == "-" {
                let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                for (number, line) in text.split(separator: "\n").enumerated() {
                    // <uuid> <kind> <n>/<N> <to> <udh hex> <user data hex>
                    let fields = line.split(separator: " ")
                    guard fields.count == 6, let udh = Hex.bytes(String(fields[4])), let data = Hex.bytes(String(fields[5])),
                          let part = Int(fields[2].split(separator: "/").first ?? "") else {
                        throw PushError.malformed(what: "hex line \(number + 1) of stdin", offset: 0,
                                                  reason: "not '<uuid> <kind> <n>/<N> <to> <udh> <data>'")
                    }
                    groups["\(fields[0]).\(fields[1])", default: []].append((part, SMS(udh: udh, userData: data)))
                }
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw PushError.malformed(what: path, offset: 0, reason: "no such file")
            }
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".bin") }.map { path + "/" + $0 }
                : [path]
            for file in files {
                let octets = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                guard let udhl = octets.first, Int(udhl) + 1 <= octets.count else {
                    throw PushError.malformed(what: file, offset: 0, reason: "shorter than its UDH")
                }
                let base = (file as NSString).lastPathComponent
                let pieces = base.split(separator: ".")
                let (name, part) = pieces.count >= 4 ? (pieces[0..<2].joined(separator: "."), Int(pieces[2]) ?? 1) : (base, 1)
                groups[name, default: []].append((part, SMS(udh: Array(octets[0...Int(udhl)]), userData: Array(octets[(Int(udhl) + 1)...]))))
            }
        }
        return groups.keys.sorted().map { name in (name, groups[name]!.sorted { $0.0 < $1.0 }.map(\.1)) }
    }
}
