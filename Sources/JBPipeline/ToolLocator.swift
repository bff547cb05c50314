import Foundation

/// Finds tools the way `jb TOOL` does: `jb-TOOL` beside the running `jb`, then on PATH, then
/// (for pipeline stages) the plain command `TOOL` on PATH, such as `jq` or `sh`.
public struct ToolLocator: Sendable {
    /// The folder holding the `jb` executable, searched first; nil skips it.
    public var jbDirectory: String?
    /// The PATH folders, in order.
    public var searchPath: [String]

    /// Creates a locator.
    public init(jbDirectory: String?, path: String?) {
        self.jbDirectory = jbDirectory
        self.searchPath = (path ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }

    /// The locator for this process: the folder of the running executable and `$PATH`.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> ToolLocator {
        ToolLocator(jbDirectory: executableDirectory(), path: environment["PATH"])
    }

    /// The folder of the running executable (`/proc/self/exe` on Linux).
    public static func executableDirectory() -> String? {
        #if os(Linux)
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return (target as NSString).deletingLastPathComponent
        }
        #endif
        guard let exe = Bundle.main.executablePath else { return nil }
        return ((exe as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
    }

    /// A resolved tool: the name written in commands and the file that runs.
    public struct Found: Sendable, Equatable {
        /// `jb-query`, `jq`, or the path as given when it contains a `/`.
        public var name: String
        /// The absolute path of the executable.
        public var path: String
        /// True when found beside jb rather than on PATH.
        public var besideJB: Bool

        public init(name: String, path: String, besideJB: Bool) {
            self.name = name
            self.path = path
            self.besideJB = besideJB
        }
    }

    /// Resolves a stage's `tool:` value: `query` → `jb-query` if there is one, else `query`.
    public func resolve(_ tool: String) -> Found? {
        if tool.contains("/") {
            return FileManager.default.isExecutableFile(atPath: tool) ? Found(name: tool, path: tool, besideJB: false) : nil
        }
        let names = tool.hasPrefix("jb-") ? [tool] : ["jb-\(tool)", tool]
        for name in names {
            if let found = find(name) { return found }
        }
        return nil
    }

    /// Finds an executable by exact name: beside jb first, then on PATH.
    public func find(_ name: String) -> Found? {
        if let dir = jbDirectory {
            let p = dir + "/" + name
            if isExecutable(p) { return Found(name: name, path: p, besideJB: true) }
        }
        if let p = findOnPath(name) { return Found(name: name, path: p, besideJB: false) }
        return nil
    }

    /// The first `name` on PATH.
    public func findOnPath(_ name: String) -> String? {
        for dir in searchPath {
            let p = dir + "/" + name
            if isExecutable(p) { return p }
        }
        return nil
    }

    /// Every `jb-*` tool beside jb and on PATH, by name, first found wins.
    public func allTools() -> [Found] {
        var seen: [String: Found] = [:]
        let dirs = (jbDirectory.map { [$0] } ?? []) + searchPath
        for (k, dir) in dirs.enumerated() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasPrefix("jb-") && seen[name] == nil {
                let p = dir + "/" + name
                if isExecutable(p) { seen[name] = Found(name: name, path: p, besideJB: k == 0 && jbDirectory != nil) }
            }
        }
        return seen.values.sorted { $0.name < $1.name }
    }

    private func isExecutable(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
