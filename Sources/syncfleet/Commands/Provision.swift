import ArgumentParser
import FleetKit
import Foundation
import PhonePush

struct Provision: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send sync settings to phones over WAP Push SMS (OMA Client Provisioning).",
        discussion: """
            Each phone gets an OMA CP document (APPID w5: sync URL, server id, profile name, \
            its own sync credentials, one resource per datastore), signed per OMA ProvSec \
            (USERPIN by default, the PIN the phone asks for), or Nokia OTA sync settings when \
            its model's catalogue entry says so. The credentials are generated at the first \
            setup and kept; --show-credentials prints them. A phone whose setup was sent \
            before is skipped unless --force, so `provision --all` may run from cron and a \
            killed run finishes when run again. --dry-run builds and signs only: nothing is \
            recorded, nothing is sent (a dir: or - gateway still shows the SMS). One result \
            per phone on stdout (not with --gateway -, whose SMS lines take stdout); a \
            summary on stderr; exit status 5 when a phone failed. With --remote, each phone \
            is a POST /{uuid}/setup/ and the server sends through its own gateway.
            """)

    @OptionGroup var globals: GlobalOptions
    @OptionGroup var targets: TargetOptions
    @OptionGroup var push: PushOptions

    @Option(help: ArgumentHelp("The PIN the phone asks for before it installs the settings (or a pin column of --from).", valueName: "pin"))
    var pin: String?

    @Option(help: ArgumentHelp("ProvSec method: USERPIN, NETWPIN, USERNETWPIN or USERPINMAC.", valueName: "method"))
    var sec: ProvisioningSecurity.Method = .userpin

    @Option(help: ArgumentHelp("The SIM's IMSI, the key of NETWPIN and USERNETWPIN (or an imsi column of --from).", valueName: "imsi"))
    var imsi: String?

    @Option(help: ArgumentHelp("The profile name the phone shows (default: the setup-name setting, else SyncServer).", valueName: "name"))
    var name: String?

    @Flag(help: "Send again to phones whose setup was sent before.")
    var force = false

    @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Build and sign only; record and send nothing.")
    var dryRun = false

    @Flag(name: .customLong("show-credentials"), help: "Put each phone's sync user name and password in the results.")
    var showCredentials = false

    func validate() throws {
        if let pin { _ = try SetupRequest.validatePincode(pin) }
    }

    func run() async throws {
        let context = CommandContext(globals)
        let fleet = try context.fleet(push: push)
        var request = ProvisionRequest(pincode: pin, name: name, security: sec, imsi: imsi, force: force, dryRun: dryRun,
                                       revealCredentials: showCredentials)
        request.undeliveredOnly = targets.undelivered
        let runner = PushRunner(context: context, targets: targets, kind: .setup)
        try await runner.run(fleet: fleet, printsResults: !context.printsSMS(fleet), job: .setup(request))
    }
}

extension ProvisioningSecurity.Method: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
