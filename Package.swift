// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "SyncFleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "syncfleet", targets: ["syncfleet"]),
        .executable(name: "syncfleet-bench", targets: ["syncfleet-bench"]),
        .library(name: "FleetKit", targets: ["FleetKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        .target(
            name: "FleetKit",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "syncfleet",
            dependencies: [
                "FleetKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "syncfleet-bench",
            dependencies: ["FleetKit"]
        ),
        .testTarget(
            name: "FleetKitTests",
            dependencies: ["FleetKit"]
        ),
        .testTarget(
            name: "SyncfleetCLITests",
            dependencies: ["FleetKit", "syncfleet"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
