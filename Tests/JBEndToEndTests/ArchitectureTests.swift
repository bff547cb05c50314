import Foundation
import JBTestSupport
import Testing

/// The import rules of docs/architecture.md, checked on both what Package.swift declares and
/// what the sources import: no stage module reaches into another stage module.
@Suite struct ArchitectureTests {
    /// One library module per pipeline stage.
    static let stages: Set = ["JBIngest", "JBSample", "JBQuery", "JBGrade", "JBMetrics", "JBReport", "JBStore"]
    /// Services a stage may use: HTTP, PostgreSQL, the model catalogue, the chat client.
    static let services: Set = ["JBHTTP", "JBPostgres", "JBModels", "JBChat"]

    /// The jb modules each module may import; a module not named here may import nothing of jb's.
    static func allowed(_ module: String) -> Set<String>? {
        switch module {
        case "JBCore": return []
        case _ where module.hasPrefix("CJB"): return []  // C shims over system libraries
        case "JBHTTP", "JBPostgres": return ["JBCore"]
        case "JBModels": return ["JBCore", "JBHTTP"]
        case "JBChat": return ["JBCore", "JBHTTP"]
        case "JBCLI": return ["JBCore"]
        case "JBPipeline": return ["JBCore", "JBCLI"]
        case _ where stages.contains(module): return Set(["JBCore"]).union(services)
        case "jb": return ["JBCore", "JBCLI", "JBPipeline"]
        case "JBTestSupport": return ["JBCore"]
        case _ where module.hasPrefix("jb-"):
            // A tool: the shared plumbing, the services, and its own stage module only.
            let own = "JB" + module.dropFirst(3).capitalized
            return Set(["JBCore", "JBCLI", own]).union(services)
        default: return nil
        }
    }

    /// Imports the map does not allow yet, each with who removes it. The tests fail when one of
    /// these is no longer there, so the list cannot go stale.
    static let pending: Set<String> = []

    static let root = ToolRunner.packageRoot

    /// The `JB…` modules each target under Sources/ imports.
    static func sourceImports() throws -> [String: Set<String>] {
        let fm = FileManager.default
        var out: [String: Set<String>] = [:]
        let sources = root.appendingPathComponent("Sources")
        for module in try fm.contentsOfDirectory(atPath: sources.path) where !module.hasPrefix("C") {
            var imports: Set<String> = []
            let dir = sources.appendingPathComponent(module)
            guard let files = fm.enumerator(atPath: dir.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                    guard words.first == "import", let last = words.last else { continue }
                    let name = String(last.split(separator: ".").first ?? last)
                    if name.hasPrefix("JB") && name != module { imports.insert(name) }
                }
            }
            out[module] = imports
        }
        return out
    }

    /// The jb targets each library and executable target in Package.swift depends on.
    static func packageDependencies() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var out: [String: Set<String>] = [:]
        let declarations = text.components(separatedBy: ".target(name: \"").dropFirst()
            + text.components(separatedBy: ".executableTarget(name: \"").dropFirst()
        for declaration in declarations {
            guard let nameEnd = declaration.firstIndex(of: "\"") else { continue }
            let name = String(declaration[..<nameEnd])
            // The declaration ends where the next target begins.
            let body = declaration.components(separatedBy: "Target(name:").first!
                .components(separatedBy: ".target(name:").first!
                .components(separatedBy: ".systemLibrary(").first!
            var dependencies: Set<String> = []
            if let list = body.range(of: "dependencies: [") {
                let rest = body[list.upperBound...]
                let inner = rest[..<(rest.firstIndex(of: "]") ?? rest.endIndex)]
                // `.product(name: "X", package: "Y")` is another package's product, not ours.
                let own = inner.replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
                for part in own.components(separatedBy: "\"").enumerated() where part.offset % 2 == 1 {
                    if part.element.hasPrefix("JB") { dependencies.insert(part.element) }
                }
            }
            out[name] = dependencies
        }
        return out
    }

    static func violations(_ graph: [String: Set<String>]) -> [String] {
        graph.keys.sorted().flatMap { module -> [String] in
            guard let allowed = allowed(module) else { return ["\(module): not in docs/architecture.md's map"] }
            return graph[module]!.subtracting(allowed).sorted().map { "\(module) → \($0)" }
        }
    }

    @Test func sourcesImportOnlyWhatTheMapAllows() throws {
        let graph = try Self.sourceImports()
        #expect(graph.count >= 20, "Sources/ read: \(graph.keys.sorted())")
        let found = Set(Self.violations(graph))
        #expect(found.subtracting(Self.pending).sorted() == [], "imports against docs/architecture.md")
        #expect(Self.pending.subtracting(found).sorted() == [], "no longer pending: take these out of ArchitectureTests.pending")
    }

    @Test func packageDependsOnlyOnWhatTheMapAllows() throws {
        let graph = try Self.packageDependencies()
        #expect(graph["JBGrade"] != nil && graph["jb-store"] != nil, "Package.swift read: \(graph.keys.sorted())")
        let found = Set(Self.violations(graph))
        #expect(found.subtracting(Self.pending).sorted() == [], "Package.swift dependencies against docs/architecture.md")
        #expect(Self.pending.subtracting(found).sorted() == [], "no longer pending: take these out of ArchitectureTests.pending")
    }

    /// A test file that runs the tools or starts a fake server declares its suites `.tools`,
    /// so in the parallel run no test waits for a tool on the shared concurrency pool.
    @Test func suitesThatRunToolsSayTools() throws {
        let fm = FileManager.default
        let tests = Self.root.appendingPathComponent("Tests")
        let markers = ["ToolRunner.run(", "ToolRunner.runAsync(", "FakeOpenRouter(", "FakeHTTPServer(", "CatalogServer(", "TLSPeer("]
        var missing: [String] = []
        for case let file as String in fm.enumerator(atPath: tests.path)! where file.hasSuffix(".swift") && !file.hasPrefix("JBTestSupport/") {
            let text = try String(contentsOf: tests.appendingPathComponent(file), encoding: .utf8)
            guard file != "JBEndToEndTests/ArchitectureTests.swift", markers.contains(where: text.contains) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("@Suite") && !line.contains(".tools") {
                missing.append("\(file): \(line)")
            }
        }
        #expect(missing == [], "suites that run tools or fake servers without .tools")
    }

    /// The check itself: a stage importing another stage is caught.
    @Test func aStageImportingAStageIsCaught() {
        #expect(Self.violations(["JBGrade": ["JBCore", "JBIngest"]]) == ["JBGrade → JBIngest"])
        #expect(Self.violations(["jb-grade": ["JBCLI", "JBGrade", "JBQuery"]]) == ["jb-grade → JBQuery"])
        #expect(Self.violations(["JBReport": ["JBMetrics"], "JBCore": ["JBCLI"]]) == ["JBCore → JBCLI", "JBReport → JBMetrics"])
    }
}
