// swift-tools-version:6.1
import PackageDescription

// Layout: the logic lives in library modules (JBCore shared, one module per stage); each
// tool is a thin `@main` executable over its module. A dependency lives only in the module
// that needs it. docs/architecture.md maps the modules and what may import what.
//
// Platform: Linux only (Debian/Ubuntu, x86_64 and arm64). JBHTTP drives libcurl through
// epoll and eventfd, which macOS does not have, so no other platform is claimed here.

let package = Package(
    name: "jb",
    products: [
        .executable(name: "jb", targets: ["jb"]),
        .executable(name: "jb-ingest", targets: ["jb-ingest"]),
        .executable(name: "jb-sample", targets: ["jb-sample"]),
        .executable(name: "jb-query", targets: ["jb-query"]),
        .executable(name: "jb-grade", targets: ["jb-grade"]),
        .executable(name: "jb-metrics", targets: ["jb-metrics"]),
        .executable(name: "jb-report", targets: ["jb-report"]),
        .executable(name: "jb-models", targets: ["jb-models"]),
        .executable(name: "jb-store", targets: ["jb-store"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Property-based tests only (the JBFuzzTests target): no tool links it.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev), for gzip input.
        .systemLibrary(name: "CJBZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The git commit built, from a header `make` generates (scripts/build-info.sh); optional.
        .target(name: "CJBBuildInfo"),

        // Records, JSON, JSON Lines I/O, errors, hashing: what every stage shares.
        .target(name: "JBCore", dependencies: [
            "CJBZlib",
            "CJBBuildInfo",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Shared command-line plumbing: option groups, diagnostics, exit codes, configuration.
        .target(name: "JBCLI", dependencies: [
            "JBCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),

        // The HTTP client shared by jb-query, jb-models and jb-ingest's Kaggle download.
        // libcurl (system): the HTTP client's engine.
        .systemLibrary(name: "CJBCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "JBHTTP", dependencies: ["JBCore", "CJBCurl"]),

        // Talking to a model: the chat request, streaming, retries and their policy, and the
        // providers (one protocol) — shared by jb-query and jb-grade's judge.
        .target(name: "JBChat", dependencies: ["JBCore", "JBHTTP"]),
        .testTarget(name: "JBChatTests", dependencies: ["JBChat", "JBCore", "JBHTTP", "JBTestSupport"]),

        // PostgreSQL, the second database engine (jb-store) and the shared response cache
        // (jb-query): libpq, PostgreSQL's own C client, from the system (Debian: libpq-dev),
        // driven the way JBHTTP drives libcurl. See docs/scaling.md for why not postgres-nio.
        .systemLibrary(name: "CJBPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "JBPostgres", dependencies: ["JBCore", "CJBPQ"]),

        // jb-ingest
        .target(name: "JBIngest", dependencies: [
            "JBCore",
            "JBHTTP",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .executableTarget(name: "jb-ingest", dependencies: ["JBCLI", "JBIngest"]),
        .testTarget(name: "JBIngestTests", dependencies: ["JBIngest", "JBTestSupport"]),

        // jb-sample
        .target(name: "JBSample", dependencies: ["JBCore"]),
        .executableTarget(name: "jb-sample", dependencies: ["JBCLI", "JBSample"]),
        .testTarget(name: "JBSampleTests", dependencies: ["JBSample", "JBCore"]),

        // jb-query
        // GRDB (system libsqlite3, Debian: libsqlite3-dev) holds the response cache.
        .target(name: "JBQuery", dependencies: [
            "JBCore",
            "JBChat",
            "JBHTTP",
            "JBModels",
            "JBPostgres",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "jb-query", dependencies: ["JBCLI", "JBQuery", "JBChat"]),
        .testTarget(name: "JBQueryTests", dependencies: ["JBQuery", "JBChat", "JBModels", "JBPostgres", "JBTestSupport"]),

        // jb-grade
        .target(name: "JBGrade", dependencies: ["JBCore"]),
        .executableTarget(name: "jb-grade", dependencies: ["JBCLI", "JBGrade", "JBChat", "JBHTTP"]),
        .testTarget(name: "JBGradeTests", dependencies: ["JBGrade"], exclude: ["Data"]),

        // jb-metrics
        .target(name: "JBMetrics", dependencies: ["JBCore"]),
        .executableTarget(name: "jb-metrics", dependencies: ["JBCLI", "JBMetrics"]),
        .testTarget(name: "JBMetricsTests", dependencies: ["JBMetrics", "JBCore"], exclude: ["Fixtures"]),

        // jb-report
        .target(name: "JBReport", dependencies: ["JBCore"]),
        .executableTarget(name: "jb-report", dependencies: ["JBCLI", "JBReport"]),
        .testTarget(name: "JBReportTests", dependencies: ["JBReport"]),

        // jb-models
        .target(name: "JBModels", dependencies: ["JBCore", "JBHTTP"]),
        .executableTarget(name: "jb-models", dependencies: ["JBCLI", "JBModels"]),
        .testTarget(name: "JBModelsTests", dependencies: [
            "JBModels", "JBTestSupport",
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),

        // jb-store
        // GRDB over the system libsqlite3 (Debian: libsqlite3-dev).
        .target(name: "JBStore", dependencies: [
            "JBCore",
            "JBPostgres",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's C API, for binding a bulk load's values without per-row wrappers.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "jb-store", dependencies: ["JBCLI", "JBStore"]),
        .testTarget(name: "JBStoreTests", dependencies: [
            "JBStore",
            "JBPostgres",
            "JBTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], exclude: ["Fixtures"]),

        // jb (pipelines and `jb TOOL` dispatch)
        .target(name: "JBPipeline", dependencies: [
            "JBCore",
            "JBCLI",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "jb", dependencies: ["JBCLI", "JBPipeline"]),
        .testTarget(name: "JBPipelineTests", dependencies: ["JBPipeline", "JBCore", "JBCLI"]),

        // Shared by the tests: fake HTTP peers on 127.0.0.1, running built tools, golden files.
        .target(name: "JBTestSupport", dependencies: [
            "JBCore",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Tests/JBTestSupport"),
        .testTarget(name: "JBCoreTests", dependencies: ["JBCore"]),
        .testTarget(name: "JBHTTPTests", dependencies: [
            "JBHTTP", "JBCore", "JBTestSupport",
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .testTarget(name: "JBCLITests", dependencies: ["JBCLI"]),
        // Generated hostile input against the libraries' parsers, conversions and renderers.
        .testTarget(name: "JBFuzzTests", dependencies: [
            "JBCore", "JBCLI", "JBMetrics", "JBReport", "JBPipeline",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "JBEndToEndTests", dependencies: [
            "JBCore",
            "JBTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
