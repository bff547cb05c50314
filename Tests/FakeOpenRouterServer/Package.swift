// swift-tools-version:6.1
import PackageDescription

// The fake OpenRouter server as a stand-alone executable, for scripts/bench/query.sh only.
// It compiles the very file the test suite uses (Tests/JBTestSupport/FakeOpenRouter.swift,
// linked here), with no dependencies, so it builds in seconds and not as part of `swift build`.
let package = Package(
    name: "FakeOpenRouterServer",
    targets: [
        .executableTarget(name: "fake-openrouter", path: "Sources/fake-openrouter"),
    ],
    swiftLanguageModes: [.v6]
)
