import Foundation
import JBCore
import Yams

/// A configuration key a tool reads: `section.name`, e.g. `query.concurrency`.
public struct ConfigKey: Sendable, Hashable {
    /// Dotted name: section, then snake_case key.
    public var name: String
    /// The built-in default, as text; nil means unset.
    public var defaultValue: String?
    /// Secrets are never printed, only reported as set or not.
    public var secret: Bool
    /// One line for `--print-config`.
    public var help: String

    /// Declares a key.
    public init(_ name: String, default defaultValue: String? = nil, secret: Bool = false, help: String = "") {
        self.name = name
        self.defaultValue = defaultValue
        self.secret = secret
        self.help = help
    }

    /// The environment variable for this key: `JB_SECTION_KEY`, upper case.
    public var environmentName: String {
        "JB_" + name.replacingOccurrences(of: ".", with: "_").uppercased()
    }
}

/// Keys every tool shares: credentials and endpoints read from the conventional variables.
public enum CommonKeys {
    /// The OpenRouter API key (`OPENROUTER_API_KEY`).
    public static let openRouterKey = ConfigKey("openrouter.api_key", secret: true, help: "OpenRouter API key")
    /// The OpenRouter base URL (`OPENROUTER_BASE_URL`).
    public static let openRouterBaseURL = ConfigKey("openrouter.base_url", default: "https://openrouter.ai/api/v1",
                                                    help: "OpenRouter or OpenAI-compatible base URL")
    /// The Kaggle user name (`KAGGLE_USERNAME`).
    public static let kaggleUser = ConfigKey("kaggle.username", help: "Kaggle user name")
    /// The Kaggle API key (`KAGGLE_KEY`).
    public static let kaggleKey = ConfigKey("kaggle.key", secret: true, help: "Kaggle API key")

    /// Conventional variable names that map onto config keys, besides `JB_…`.
    public static let aliases: [String: String] = [
        "OPENROUTER_API_KEY": "openrouter.api_key",
        "OPENROUTER_BASE_URL": "openrouter.base_url",
        "KAGGLE_USERNAME": "kaggle.username",
        "KAGGLE_KEY": "kaggle.key",
    ]
}

/// The effective configuration of one tool run, with where each value came from.
///
/// Later layers win: built-in defaults → `~/.config/jb/config.yaml` → the project's
/// `config/default.yaml` → `config/$JB_ENV.yaml` (or `~/.config/jb/$JB_ENV.yaml`) → a `.env`
/// file in the working directory → the process environment → command-line flags.
public struct Settings: Sendable {
    /// One value and the layer it came from.
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var source: String
    }

    /// The keys the tool declared, in declaration order.
    public let keys: [ConfigKey]
    /// Effective values by dotted name (every layer, not only declared keys).
    public private(set) var entries: [String: Entry]

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
    public static func load(keys: [ConfigKey], flags: [String: String?] = [:],
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            locations: Locations? = nil) throws -> Settings {
        let where_ = locations ?? .current(environment: environment)
        var entries: [String: Entry] = [:]
        for k in keys { if let d = k.defaultValue { entries[k.name] = Entry(value: d, source: "default") } }

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
        let known = Dictionary(keys.map { ($0.environmentName, $0.name) }, uniquingKeysWith: { a, _ in a })
        for (k, v, source) in variables {
            if let name = CommonKeys.aliases[k] ?? known[k] {
                let src = source == ".env" ? ".env ($\(k))" : source
                entries[name] = Entry(value: v, source: src)
            }
        }
        for (name, value) in flags { if let value { entries[name] = Entry(value: value, source: "command line") } }

        let secretNames = Set(keys.filter(\.secret).map(\.name) + [CommonKeys.openRouterKey.name, CommonKeys.kaggleKey.name])
        for name in secretNames { if let v = entries[name]?.value { Redactor.shared.register(v) } }
        Redactor.shared.registerSecrets(fromVariables: variables.map { ($0.0, $0.1) })
        return Settings(keys: keys, entries: entries)
    }

    /// Creates settings from known entries (tests).
    public init(keys: [ConfigKey], entries: [String: Entry]) {
        self.keys = keys
        self.entries = entries
    }

    /// The text value of a key, or nil.
    public func string(_ name: String) -> String? { entries[name]?.value }

    /// An integer value; a non-integer is a usage error naming its source.
    public func int(_ name: String) throws -> Int? {
        guard let e = entries[name] else { return nil }
        guard let v = Int(e.value.trimmingASCIISpace()) else {
            throw JBError.usage("\(name) = \"\(e.value)\" (from \(e.source)): expected an integer")
        }
        return v
    }

    /// A number value; anything else is a usage error naming its source.
    public func double(_ name: String) throws -> Double? {
        guard let e = entries[name] else { return nil }
        guard let v = Double(e.value.trimmingASCIISpace()), v.isFinite else {
            throw JBError.usage("\(name) = \"\(e.value)\" (from \(e.source)): expected a number")
        }
        return v
    }

    /// An integer value that must lie in `range`; anything else is a usage error naming the
    /// key, its source and the range (numbers from flags are bounded before any arithmetic).
    public func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let v = try int(name) else { return nil }
        guard range.contains(v) else {
            throw JBError.usage("\(Settings.flagName(name)) \(v) (from \(entries[name]?.source ?? "default")): expected \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    /// A number that must lie in `range`; anything else is a usage error naming the key, its
    /// source and the range.
    public func double(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let v = try double(name) else { return nil }
        guard range.contains(v) else {
            throw JBError.usage("\(Settings.flagName(name)) \(v) (from \(entries[name]?.source ?? "default")): expected a number from \(Settings.plain(range.lowerBound)) to \(Settings.plain(range.upperBound))")
        }
        return v
    }

    /// `--flag-name` for `section.flag_name`, as the person typed it on the command line.
    static func flagName(_ key: String) -> String {
        "--" + (key.split(separator: ".").last.map(String.init) ?? key).replacingOccurrences(of: "_", with: "-")
    }

    static func plain(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
    }

    /// A boolean value (`true/false/yes/no/1/0/on/off`).
    public func bool(_ name: String) throws -> Bool? {
        guard let e = entries[name] else { return nil }
        switch e.value.trimmingASCIISpace().lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off", "": return false
        default: throw JBError.usage("\(name) = \"\(e.value)\" (from \(e.source)): expected true or false")
        }
    }

    /// The `--print-config` text: one `name = value  # source` line per declared key,
    /// secrets masked.
    public func printable() -> String {
        var lines: [String] = []
        let width = keys.map(\.name.count).max() ?? 0
        for k in keys {
            let e = entries[k.name]
            let shown: String
            if k.secret {
                shown = Redactor.mask(e?.value)
            } else {
                shown = e.map { Settings.quoteIfNeeded(DatabaseURL.redacted($0.value)) } ?? "(not set)"
            }
            let pad = String(repeating: " ", count: max(0, width - k.name.count))
            lines.append("\(k.name)\(pad) = \(shown)  # \(e?.source ?? "unset")")
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
