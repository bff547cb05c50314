import Foundation
import JBCore
import Yams

/// Settings every tool that talks to OpenRouter or Kaggle shares: credentials and endpoints,
/// read from the conventional variables too.
public enum CommonSetting {
    /// The OpenRouter API key (`OPENROUTER_API_KEY`).
    public static let openRouterKey = Setting<String?>("openrouter.api_key", default: nil, secret: true,
                                                       aliases: ["OPENROUTER_API_KEY"])
    /// The OpenRouter (or OpenAI-compatible) base URL (`OPENROUTER_BASE_URL`).
    public static let openRouterBaseURL = Setting<String>("openrouter.base_url", flag: "base-url", default: Endpoint.openRouterBaseURL,
                                                          aliases: ["OPENROUTER_BASE_URL"])
    /// The Kaggle user name (`KAGGLE_USERNAME`).
    public static let kaggleUser = Setting<String?>("kaggle.username", default: nil, aliases: ["KAGGLE_USERNAME"])
    /// The Kaggle API key (`KAGGLE_KEY`).
    public static let kaggleKey = Setting<String?>("kaggle.key", default: nil, secret: true, aliases: ["KAGGLE_KEY"])

    /// The shared settings whose conventional variables are read by every tool, and the
    /// secrets among them, which are masked whichever tool loaded them.
    static let all: [any AnySetting] = [openRouterKey, openRouterBaseURL, kaggleUser, kaggleKey]
}

/// The effective settings of one tool run, with the layer each value came from.
///
/// Later layers win: built-in defaults → `~/.config/jb/config.yaml` → the project's
/// `config/default.yaml` → `config/$JB_ENV.yaml` (or `~/.config/jb/$JB_ENV.yaml`) → a `.env`
/// file in the working directory → the process environment → command-line flags.
public struct Settings: SettingSource, Sendable {
    /// One value and the layer it came from.
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var source: String
    }

    /// The settings the tool declared, in declaration order.
    public let declared: [any AnySetting]
    /// Effective values by dotted name (every layer, not only declared keys).
    public private(set) var entries: [String: Entry]

    /// The text set for `key` and its layer.
    public func entry(_ key: String) -> (value: String, source: String)? { entries[key].map { ($0.value, $0.source) } }

    /// Where the files are looked for; injectable for tests.
    public struct Locations: Sendable {
        public var workingDirectory: String
        public var userConfigDirectory: String

        /// The real locations: the current directory and `$XDG_CONFIG_HOME/jb` or `~/.config/jb`.
        public static func current(environment: [String: String]) -> Locations {
            let cwd = FileManager.default.currentDirectoryPath
            let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
            return Locations(workingDirectory: cwd, userConfigDirectory: base + "/jb")
        }
    }

    /// Loads every layer. `flags` holds the values given on the command line, by dotted name.
    public static func load(_ declared: [any AnySetting], flags: [String: String?] = [:],
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            locations: Locations? = nil) throws -> Settings {
        let where_ = locations ?? .current(environment: environment)
        var entries: [String: Entry] = [:]
        for k in declared { if let d = k.defaultText { entries[k.key] = Entry(value: d, source: SettingLayer.builtIn) } }

        func merge(file path: String) throws {
            guard FileManager.default.fileExists(atPath: path) else { return }
            for (name, value) in try loadYAMLFile(path) { entries[name] = Entry(value: value, source: path) }
        }
        try merge(file: where_.userConfigDirectory + "/config.yaml")
        try merge(file: where_.workingDirectory + "/config/default.yaml")
        if let env = environment["JB_ENV"], !env.isEmpty {
            guard env.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw JBError.usage("JB_ENV=\(env): expected a name such as 'dev' or 'ci'")
            }
            let candidates = [where_.workingDirectory + "/config/\(env).yaml", where_.userConfigDirectory + "/\(env).yaml"]
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw JBError.usage("JB_ENV=\(env) but neither \(candidates[0]) nor \(candidates[1]) exists")
            }
            try merge(file: found)
        }

        let dotenvPath = where_.workingDirectory + "/.env"
        var variables: [(String, String, String)] = []
        if FileManager.default.fileExists(atPath: dotenvPath) {
            for (k, v) in try DotEnv.load(path: dotenvPath) { variables.append((k, v, ".env")) }
        }
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { variables.append((k, v, "environment ($\(k))")) }
        var known: [String: String] = [:]
        for s in CommonSetting.all { for name in s.environmentNames.dropFirst() { known[name] = s.key } }
        for s in declared { for name in s.environmentNames where known[name] == nil { known[name] = s.key } }
        for (k, v, source) in variables {
            if let name = known[k] {
                let src = source == ".env" ? ".env ($\(k))" : source
                entries[name] = Entry(value: v, source: src)
            }
        }
        for (name, value) in flags { if let value { entries[name] = Entry(value: value, source: SettingLayer.commandLine) } }

        let secretNames = Set((declared + CommonSetting.all).filter(\.secret).map(\.key))
        for name in secretNames { if let v = entries[name]?.value { Redactor.shared.register(v) } }
        Redactor.shared.registerSecrets(fromVariables: variables.map { ($0.0, $0.1) })
        return Settings(declared, entries: entries)
    }

    /// Creates settings from known entries (tests).
    public init(_ declared: [any AnySetting], entries: [String: Entry]) {
        self.declared = declared
        self.entries = entries
    }


    /// The `--print-config` text: one `name = value  # source` line per declared key,
    /// secrets masked.
    public func printable() -> String {
        var lines: [String] = []
        let width = declared.map(\.key.count).max() ?? 0
        for k in declared {
            let e = entries[k.key]
            let shown: String
            if k.secret {
                shown = Redactor.mask(e?.value)
            } else {
                shown = e.map { Settings.quoteIfNeeded(DatabaseURL.redacted($0.value)) } ?? "(not set)"
            }
            let pad = String(repeating: " ", count: max(0, width - k.key.count))
            lines.append("\(k.key)\(pad) = \(shown)  # \(e?.source ?? "unset")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoteIfNeeded(_ v: String) -> String {
        v.isEmpty || v.contains(" ") || v.contains("#") ? "\"\(v)\"" : v
    }

    /// Reads a YAML config file into dotted names. Nested maps become `a.b`; lists are
    /// joined with commas; scalars are kept as text.
    static func loadYAMLFile(_ path: String) throws -> [String: String] {
        let node = try YAMLFile.load(path: path)
        guard let node else { return [:] }
        guard case .mapping = node else {
            throw JBError.badConfig(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                                    message: "expected a mapping of sections (e.g. 'query:') at the top level")
        }
        var out: [String: String] = [:]
        func walk(_ n: Node, prefix: String) throws {
            switch n {
            case .mapping(let m):
                for (k, v) in m {
                    guard let key = k.string else {
                        throw JBError.badConfig(path: path, line: k.mark?.line ?? 0, column: k.mark?.column ?? 0,
                                                message: "expected a text key")
                    }
                    let name = (prefix.isEmpty ? "" : prefix + ".") + key.replacingOccurrences(of: "-", with: "_")
                    try walk(v, prefix: name)
                }
            case .sequence(let s):
                out[prefix] = s.compactMap { $0.string }.joined(separator: ",")
            case .scalar(let s):
                if s.tag.description.hasSuffix(":null") || s.string == "~" { return }
                out[prefix] = s.string
            case .alias:
                break
            }
        }
        try walk(node, prefix: "")
        return out
    }
}

/// Maps Yams' errors to located `JBError.badConfig` values.
public enum YAMLErrors {
    /// The error with the file, line and column libyaml reported.
    public static func located(_ error: Error, path: String) -> JBError {
        guard let y = error as? YamlError else {
            return .badConfig(path: path, line: 0, column: 0, message: "\(error)")
        }
        switch y {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = problem
            if let context { message = "\(problem) (\(context.text))" }
            return .badConfig(path: path, line: mark.line, column: mark.column, message: message)
        case .reader(let problem, _, _, _):
            return .badConfig(path: path, line: 0, column: 0, message: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .badConfig(path: path, line: context.mark.line, column: context.mark.column,
                              message: "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return .badConfig(path: path, line: 0, column: 0, message: "\(y)")
        }
    }
}

/// Reads `.env` files: `KEY=value` lines, optional `export `, `#` comments, single or double
/// quotes around values.
public enum DotEnv {
    /// The variables in the file, in order.
    public static func load(path: String) throws -> [(String, String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw JBError.cannotOpen(path: path, reason: "not readable UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses `.env` text; a line that is not `KEY=value` is an error with its number.
    public static func parse(_ text: String, path: String) throws -> [(String, String)] {
        var out: [(String, String)] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "="),
                  case let key = line[..<eq].trimmingCharacters(in: .whitespaces),
                  !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            else {
                throw JBError.badConfig(path: path, line: n + 1, column: 1, message: "expected KEY=value")
            }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
                value = String(value.dropFirst().dropLast())
                if q == "\"" { value = value.replacingOccurrences(of: "\\n", with: "\n") }
            } else if let hash = value.range(of: " #") {
                value = String(value[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
            out.append((key, value))
        }
        return out
    }
}
