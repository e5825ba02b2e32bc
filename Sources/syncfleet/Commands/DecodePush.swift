import ArgumentParser
import FleetKit
import Foundation
import PhonePush

struct DecodePush: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode-push",
        abstract: "Show what the SMS of a setup or alert carry (files of a dir: gateway, or the hex lines of -).",
        discussion: """
            Files named <uuid>.<setup|alert>.<n>.bin are grouped by uuid and kind and joined \
            in order; the hex lines that `--gateway -` prints (from stdin with -) are grouped \
            the same way. For each push: the ports and concatenation, the WSP headers, the \
            body as XML (OMA CP, Nokia sync settings, SyncML 1.1 alert) or the SAN's fields. \
            --pin (with --sec and --imsi as for provision) checks a provisioning MAC, \
            --san-password a SAN digest; exit status 3 when a check fails.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: ArgumentHelp("SMS files (.bin), a directory of them, or - for hex lines on stdin.", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("Check provisioning MACs with this PIN.", valueName: "pin"))
    var pin: String?

    @Option(help: ArgumentHelp("The ProvSec method of --pin/--imsi.", valueName: "method"))
    var sec: ProvisioningSecurity.Method = .userpin

    @Option(help: ArgumentHelp("The IMSI for NETWPIN and USERNETWPIN.", valueName: "imsi"))
    var imsi: String?

    @Option(name: .customLong("san-password"), help: ArgumentHelp("Check SAN digests with this password.", valueName: "password"))
    var sanPassword: String?

    func run() async throws {
        let context = CommandContext(globals)
        var security: ProvisioningSecurity?
        if pin != nil || imsi != nil { security = try ProvisioningSecurity(method: sec, pin: pin, imsi: imsi) }
        let inspector = PushInspector(security: security, sanPassword: sanPassword)
        let pushes = try SMSFiles.read(files.isEmpty ? ["-"] : files)
        var failed = false
        for (name, parts) in pushes {
            try context.sink.write("## \(name)\n")
            do {
                let report = try inspector.inspect(parts)
                try context.sink.write(report.text)
                if report.verified == false { failed = true }
            } catch {
                failed = true
                try context.sink.flush()
                Console.error("\(name): \(error.localizedDescription)")
            }
        }
        try context.sink.flush()
        if failed { throw ExitCode(ExitStatus.invalidInput.rawValue) }
    }
}
