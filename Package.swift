// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "SyncFleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "syncfleet", targets: ["syncfleet"]),
        .executable(name: "syncfleet-bench", targets: ["syncfleet-bench"]),
        .library(name: "FleetKit", targets: ["FleetKit"]),
        .library(name: "WBXML", targets: ["WBXML"]),
        .library(name: "SyncML", targets: ["SyncML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // WBXML codec and code pages: pure Swift, no dependencies.
        .target(name: "WBXML"),
        // SyncML message model and XML reading (libxml2 through FoundationXML).
        .target(name: "SyncML", dependencies: ["WBXML", .product(name: "Crypto", package: "swift-crypto")]),
        // What travels to phones by SMS: OMA CP + ProvSec, SAN, WSP push, segmentation; SMS gateways.
        .target(
            name: "PhonePush",
            dependencies: [
                "WBXML",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP face: the ObexCode REST API over any Fleet.
        .target(
            name: "FleetServer",
            dependencies: [
                "FleetKit",
                "SyncML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "FleetKit",
            dependencies: [
                "SyncML",
                "WBXML",
                "PhonePush",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C interface, for the statements a bulk import runs per row (FastStatement).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "syncfleet",
            dependencies: [
                "FleetKit",
                "FleetServer",
                "WBXML",
                "SyncML",
                "PhonePush",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "syncfleet-bench",
            dependencies: [
                "FleetKit",
                "FleetServer",
                "WBXML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // libFuzzer target for the WBXML decoder (see its main.swift for the build line).
        .executableTarget(
            name: "wbxml-fuzz",
            dependencies: ["WBXML"]
        ),
        // Helpers shared by the test targets (fixtures, libwbxml as an oracle).
        .target(
            name: "TestSupport",
            dependencies: ["WBXML", "SyncML"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "WBXMLTests",
            dependencies: ["WBXML", "SyncML", "TestSupport"]
        ),
        .testTarget(
            name: "PhonePushTests",
            dependencies: ["PhonePush", "WBXML", "SyncML", "TestSupport"]
        ),
        .testTarget(
            name: "FleetKitTests",
            dependencies: ["FleetKit", "PhonePush", "WBXML", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SyncServerTests",
            dependencies: ["SyncML", "FleetKit", "WBXML", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "FleetServerTests",
            dependencies: [
                "FleetServer",
                "FleetKit",
                "SyncML",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SyncfleetCLITests",
            dependencies: ["FleetKit", "PhonePush", "TestSupport", "syncfleet", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
