import Foundation

/// A type a setting can hold: read from the text of a config file, an environment variable
/// or a flag, and written back as that text.
public protocol SettingValue: Sendable {
    /// The value `text` names, or nil when it names none.
    static func parse(settingText text: String) -> Self?
    /// The text for `--print-config` and for a flag's layer; nil is unset.
    var settingText: String? { get }
}

extension String: SettingValue {
    public static func parse(settingText text: String) -> String? { text }
    public var settingText: String? { self }
}

extension Int: SettingValue {
    public static func parse(settingText text: String) -> Int? { Int(text.trimmingASCIISpace()) }
    public var settingText: String? { String(self) }
}

extension UInt64: SettingValue {
    public static func parse(settingText text: String) -> UInt64? { UInt64(text.trimmingASCIISpace()) }
    public var settingText: String? { String(self) }
}

extension Double: SettingValue {
    /// Finite numbers only: `nan` and `inf` name no setting.
    public static func parse(settingText text: String) -> Double? {
        Double(text.trimmingASCIISpace()).flatMap { $0.isFinite ? $0 : nil }
    }
    /// Whole numbers without `.0` (`120`, not `120.0`), others as Swift writes them.
    public var settingText: String? { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : "\(self)" }
}

extension Decimal: SettingValue {
    /// Exact amounts, such as dollars: `2.50`.
    public static func parse(settingText text: String) -> Decimal? { Decimal(string: text.trimmingASCIISpace()) }
    public var settingText: String? { "\(self)" }
}

extension Bool: SettingValue {
    /// `true/false/yes/no/1/0/on/off`, any case; empty is false.
    public static func parse(settingText text: String) -> Bool? {
        switch text.trimmingASCIISpace().lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off", "": return false
        default: return nil
        }
    }
    public var settingText: String? { self ? "true" : "false" }
}

/// A list: comma-separated in a file or a variable, a repeated flag on the command line.
extension Array: SettingValue where Element: SettingValue {
    /// Empty items are skipped; one item that names no value spoils the list.
    public static func parse(settingText text: String) -> [Element]? {
        var out: [Element] = []
        for part in text.split(separator: ",") where !part.isEmpty {
            guard let v = Element.parse(settingText: String(part)) else { return nil }
            out.append(v)
        }
        return out
    }
    public var settingText: String? {
        isEmpty ? nil : compactMap(\.settingText).joined(separator: ",")
    }
}

/// A setting without a default: unset is nil.
extension Optional: SettingValue where Wrapped: SettingValue {
    public static func parse(settingText text: String) -> Wrapped?? { Wrapped.parse(settingText: text).map { .some($0) } }
    public var settingText: String? { self?.settingText ?? nil }
}

/// What every setting says of itself, whatever its type: what the loader and `--print-config` need.
public protocol AnySetting: Sendable {
    /// Dotted name, section then snake_case: `query.concurrency`.
    var key: String { get }
    /// The command-line flag with its dashes (`--concurrency`), if the setting has one.
    var flagName: String? { get }
    /// The built-in default as text; nil when unset by default.
    var defaultText: String? { get }
    /// Secrets are never printed, only reported as set or not.
    var secret: Bool { get }
    /// The environment variables that set it: `JB_SECTION_KEY`, then any conventional names.
    var environmentNames: [String] { get }
}

/// One setting, declared once: its config key, command-line flag, environment variables,
/// typed default, `--help` text and the values it accepts. Tools read it through a
/// `SettingSource`, which parses and checks it here, the one place that does.
public struct Setting<Value: SettingValue>: AnySetting {
    public let key: String
    /// The long flag without dashes (`concurrency`), if there is one.
    public let flag: String?
    /// The one-letter flag (`f` for `-f`), if there is one.
    public let short: Character?
    /// The value when no layer sets one.
    public let defaultValue: Value
    public let secret: Bool
    /// Conventional variables that set it besides `JB_…` (`OPENROUTER_API_KEY`).
    public let aliases: [String]
    /// The `--help` text; `{default}` stands for the default, `{key}` for the key.
    let helpTemplate: String
    /// The value name in `--help` (`<list>`), if not the flag's.
    public let valueName: String?
    /// What a wrong value is told, after the colon: `expected 1 to 10000`.
    public let expected: String
    let accepts: @Sendable (Value) -> Bool
    let parser: (@Sendable (String) throws -> Value)?

    /// Declares a setting. `accepts` says which values are valid (`expected` says so in
    /// words); `parse` replaces `Value`'s own reading and may throw its own usage error.
    public init(_ key: String, flag: String? = nil, short: Character? = nil, default defaultValue: Value, help: String = "",
                valueName: String? = nil, secret: Bool = false, aliases: [String] = [],
                expected: String? = nil, accepts: @escaping @Sendable (Value) -> Bool = { _ in true },
                parse: (@Sendable (String) throws -> Value)? = nil) {
        self.key = key
        self.flag = flag
        self.short = short
        self.defaultValue = defaultValue
        self.helpTemplate = help
        self.valueName = valueName
        self.secret = secret
        self.aliases = aliases
        self.expected = expected ?? Setting.expectedByType
        self.accepts = accepts
        self.parser = parse
    }

    public var flagName: String? { flag.map { "--" + $0 } }
    public var defaultText: String? { defaultValue.settingText }
    public var environmentNames: [String] {
        ["JB_" + key.replacingOccurrences(of: ".", with: "_").uppercased()] + aliases
    }

    /// The same setting with another tool's `--help` text (a shared setting such as
    /// `openrouter.base_url`, whose flag means something particular to each tool).
    /// `expected` and `accepts`, when given, replace the checks.
    public func with(help: String, valueName: String? = nil, expected: String? = nil,
                     accepts: (@Sendable (Value) -> Bool)? = nil) -> Setting {
        Setting(key, flag: flag, short: short, default: defaultValue, help: help, valueName: valueName ?? self.valueName,
                secret: secret, aliases: aliases, expected: expected ?? self.expected, accepts: accepts ?? self.accepts, parse: parser)
    }

    /// The `--help` text, the default filled in.
    public var help: String {
        helpTemplate.replacingOccurrences(of: "{default}", with: defaultText ?? "none").replacingOccurrences(of: "{key}", with: key)
    }

    /// The value `text` names, checked. A wrong one is a usage error that names what the
    /// person wrote: the flag (`--concurrency 0: …`) when it came from the command line, else
    /// the key, the text and its layer (`query.rpm = "fast" (from config/default.yaml): …`).
    public func value(_ text: String, from source: String) throws -> Value {
        let parsed: Value?
        if let parser {
            parsed = try parser(text)
        } else {
            parsed = Value.parse(settingText: text)
        }
        guard let v = parsed, accepts(v) else { throw invalid(text, from: source) }
        return v
    }

    /// Checks a value given in code (a library caller); a wrong one is the usage error the
    /// command line would give.
    public func check(_ value: Value) throws {
        guard accepts(value) else { throw invalid(value.settingText ?? "", from: SettingLayer.commandLine) }
    }

    func invalid(_ text: String, from source: String) -> JBError {
        if source == SettingLayer.commandLine, let flagName {
            return .usage("\(flagName) \(text): \(expected)")
        }
        return .usage("\(key) = \"\(text)\" (from \(source)): \(expected)")
    }

    static var expectedByType: String {
        switch Value.self {
        case is Int.Type, is Int?.Type: return "expected an integer"
        case is UInt64.Type, is UInt64?.Type: return "expected a whole number from 0 to \(UInt64.max)"
        case is Double.Type, is Double?.Type: return "expected a number"
        case is Bool.Type, is Bool?.Type: return "expected true or false"
        default: return "not a valid value"
        }
    }
}

/// The names of the layers a value can come from, besides a file's path.
public enum SettingLayer {
    /// Values given as flags.
    public static let commandLine = "command line"
    /// The built-in default.
    public static let builtIn = "default"
}

extension Setting where Value: BinaryInteger {
    /// A whole number in `range` (`expected 1 to 10000`).
    public init(_ key: String, flag: String? = nil, default defaultValue: Value, in range: ClosedRange<Value>,
                help: String = "", valueName: String? = nil, expected: String? = nil) {
        self.init(key, flag: flag, default: defaultValue, help: help, valueName: valueName,
                  expected: expected ?? "expected \(range.lowerBound) to \(range.upperBound)", accepts: { range.contains($0) })
    }
}

extension Setting {
    /// An optional whole number in `range`.
    public init<W: BinaryInteger & Sendable>(_ key: String, flag: String? = nil, in range: ClosedRange<W>,
                                             help: String = "", valueName: String? = nil, expected: String? = nil)
    where Value == W? {
        self.init(key, flag: flag, default: nil, help: help, valueName: valueName,
                  expected: expected ?? "expected \(range.lowerBound) to \(range.upperBound)",
                  accepts: { $0.map(range.contains) ?? true })
    }

    /// A number in `range` (`expected a number from 0 to 86400`).
    public init(_ key: String, flag: String? = nil, default defaultValue: Double, in range: ClosedRange<Double>,
                help: String = "", valueName: String? = nil, expected: String? = nil) where Value == Double {
        self.init(key, flag: flag, default: defaultValue, help: help, valueName: valueName,
                  expected: expected ?? "expected a number from \(range.lowerBound.settingText ?? "") to \(range.upperBound.settingText ?? "")",
                  accepts: { range.contains($0) })
    }

    /// An optional number in `range`.
    public init(_ key: String, flag: String? = nil, in range: ClosedRange<Double>,
                help: String = "", valueName: String? = nil, expected: String? = nil) where Value == Double? {
        self.init(key, flag: flag, default: nil, help: help, valueName: valueName,
                  expected: expected ?? "expected a number from \(range.lowerBound.settingText ?? "") to \(range.upperBound.settingText ?? "")",
                  accepts: { $0.map(range.contains) ?? true })
    }
}

/// Where typed settings are read from: jb's layered configuration (JBCLI's `Settings`), or a
/// dictionary in tests.
public protocol SettingSource {
    /// The text set for `key` and the layer it came from, if any layer set it.
    func entry(_ key: String) -> (value: String, source: String)?
}

extension SettingSource {
    /// The value of `setting`: its layers' text, parsed and checked, else its default.
    public func value<V>(_ setting: Setting<V>) throws -> V {
        guard let e = entry(setting.key) else { return setting.defaultValue }
        return try setting.value(e.value, from: e.source)
    }

    /// The layer `setting`'s value came from (`default` when none set it).
    public func source(_ setting: some AnySetting) -> String { entry(setting.key)?.source ?? SettingLayer.builtIn }
}

/// Settings by key, all from one layer: for library callers and tests.
public struct SettingTexts: SettingSource, Sendable {
    public var texts: [String: String]
    public var source: String
    public init(_ texts: [String: String], source: String = SettingLayer.commandLine) {
        self.texts = texts
        self.source = source
    }
    public func entry(_ key: String) -> (value: String, source: String)? { texts[key].map { ($0, source) } }
}
