import Foundation
import JBCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `jb TOOL …`: runs `jb-TOOL`, found beside jb or on PATH, as git runs its subcommands.
public enum ToolDispatch {
    /// The jb tools and what each does, for `jb --help`.
    public static let known: [(String, String)] = [
        ("jb-ingest", "read Kaggle CSV/JSON, j-archive TSV, JSON Lines into questions"),
        ("jb-sample", "take a seeded, stratified, statistically sized sample"),
        ("jb-query", "ask models (OpenRouter, OpenAI-compatible, sim/…) for answers"),
        ("jb-grade", "grade responses as a Jeopardy! judge would, offline"),
        ("jb-metrics", "accuracy with intervals, dollar scores, paired comparisons"),
        ("jb-report", "terminal, markdown, CSV, JSON and HTML reports"),
        ("jb-models", "the OpenRouter model catalogue"),
        ("jb-store", "load records into SQLite, export them back"),
    ]

    /// The "Tools:" section of `jb --help`: the known tools, and any other jb-* found.
    public static func toolList(_ locator: ToolLocator) -> String {
        let found = Dictionary(locator.allTools().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = ["Tools (jb TOOL … runs jb-TOOL …):"]
        let width = max(12, (known.map(\.0) + found.keys).map(\.count).max() ?? 0)
        for (name, what) in known {
            let pad = String(repeating: " ", count: width - name.count)
            lines.append("  \(name)\(pad)  \(what)\(found[name] == nil ? " (not found)" : "")")
        }
        for name in found.keys.sorted() where !known.contains(where: { $0.0 == name }) {
            lines.append("  \(name)")
        }
        return lines.joined(separator: "\n")
    }

    /// Replaces this process with `jb-TOOL arguments…`; returns only if that fails, with why.
    public static func exec(tool: String, arguments: [String], locator: ToolLocator) -> JBError {
        let name = tool.hasPrefix("jb-") ? tool : "jb-" + tool
        guard !tool.contains("/"), let found = locator.find(name) else {
            return .usage("'\(tool)' is not a jb command, and no \(name) was found beside jb or on PATH (see 'jb --help')")
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([name] + arguments).map { strdup($0) } + [nil]
        execv(found.path, argv)
        return .internal("cannot run \(found.path): \(String(cString: strerror(errno)))")
    }
}
