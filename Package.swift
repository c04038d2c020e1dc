// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "runbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .executable(name: "runbook-bench", targets: ["runbook-bench"]),
        // The team server (`runbook serve` runs it): networking stays out of the local CLI's binary and start-up.
        .executable(name: "runbook-server", targets: ["runbook-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        // Without the default SubprocessFoundation trait: Foundation (and ICU) would add ~10 ms to every start.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        // The command line's client of a team server (RUNBOOK_SERVER), in the server binary only.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // No pkgConfig for SQLite and libyaml: their headers and libraries are in the system's default paths, and the -L
        // that SwiftPM would add from a .pc file would come first on the link line, before the static archives that
        // release builds link instead (STATIC_LIBS in the Makefile).
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libpq, PostgreSQL's own client library (SPEC §10): its synchronous calls fit the store interface as SQLite's
        // do. Linked into the server binary only. Its header is found as <postgresql/libpq-fe.h> (Debian's path), without
        // pkgConfig for the same reason as above.
        .systemLibrary(
            name: "CLibPQ",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "RunbookCore",
            dependencies: [
                "CYAML",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RunbookStore",
            dependencies: ["CSQLite", "RunbookCore"],
            swiftSettings: strict
        ),
        .target(
            name: "RunbookPostgres",
            dependencies: ["CLibPQ", "RunbookCore", "RunbookRuntime"],
            swiftSettings: strict
        ),
        .target(
            name: "RunbookRuntime",
            dependencies: [
                "RunbookCore",
                "RunbookStore",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RunbookCLI",
            dependencies: [
                "RunbookCore",
                "RunbookStore",
                "RunbookRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "runbook",
            dependencies: ["RunbookCLI", "RunbookRuntime"],
            swiftSettings: strict
        ),
        .target(
            name: "RunbookServer",
            dependencies: [
                "RunbookCore",
                "RunbookStore",
                "RunbookRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RunbookRemote",
            dependencies: [
                "RunbookCore",
                "RunbookRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "runbook-server",
            dependencies: ["RunbookCore", "RunbookRuntime", "RunbookCLI", "RunbookServer", "RunbookRemote", "RunbookPostgres"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "runbook-bench",
            dependencies: ["CYAML", "CSQLite", "RunbookCore", "RunbookStore", "RunbookRuntime", "RunbookPostgres"],
            path: "Benchmarks/runbook-bench",
            swiftSettings: strict
        ),
        .target(
            name: "RunbookTestSupport",
            dependencies: ["RunbookCore", "RunbookStore", "RunbookRuntime"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RunbookCoreTests",
            dependencies: ["RunbookCore", "RunbookTestSupport"],
            exclude: ["Snapshots"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RunbookStoreTests",
            dependencies: ["RunbookCore", "RunbookStore", "RunbookPostgres", "RunbookTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RunbookRuntimeTests",
            dependencies: ["RunbookCore", "RunbookRuntime", "RunbookTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RunbookServerTests",
            dependencies: [
                "RunbookCore", "RunbookStore", "RunbookRuntime", "RunbookServer", "RunbookTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RunbookCLITests",
            dependencies: ["RunbookCore", "RunbookCLI", "RunbookTestSupport"],
            swiftSettings: strict
        ),
    ]
)

// The libFuzzer targets (Fuzz/), only when `make fuzz` asks for them: they link libFuzzer, which a plain
// `swift build` does not, so they stay out of the ordinary build and tests.
if Context.environment["RUNBOOK_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport", swiftSettings: strict))
    for name in ["fuzz-yaml", "fuzz-runbook", "fuzz-json", "fuzz-event"] {
        package.targets.append(.executableTarget(
            name: name, dependencies: ["FuzzSupport", "RunbookCore"], path: "Fuzz/\(name)", swiftSettings: strict))
    }
}
