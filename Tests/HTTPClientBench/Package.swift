// swift-tools-version:6.1
import PackageDescription

// Measures AsyncHTTPClient against URLSession on the same load (docs/http-client.md).
// A separate package so that AsyncHTTPClient (and SwiftNIO) are built only when someone
// re-runs the comparison, never by `swift build` of jb.
let package = Package(
    name: "HTTPClientBench",
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .executableTarget(name: "bench-ahc", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ], path: "Sources/bench-ahc"),
        .executableTarget(name: "bench-urlsession", path: "Sources/bench-urlsession"),
    ],
    swiftLanguageModes: [.v6]
)
