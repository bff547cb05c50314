import Foundation
import JBCore

/// jb-grade's settings, checked (each by its `GradeSetting` declaration), and the `Grader`
/// they describe (kept here so the executable stays thin).
public struct GradeSettings: Sendable {
    public var mode: GradeMode = GradeSetting.mode.defaultValue
    public var lexicon: String = GradeSetting.lexicon.defaultValue
    public var judge: String? = GradeSetting.judge.defaultValue
    public var band: String = GradeSetting.judgeBand.defaultValue
    public var seed: UInt64 = GradeSetting.seed.defaultValue
    public var cacheDir: String? = GradeSetting.cacheDir.defaultValue
    /// False keeps judge verdicts in memory only (`--no-cache`).
    public var useCache = true

    public init() {}

    /// The settings in `source`.
    public init(_ source: some SettingSource) throws {
        mode = try source.value(GradeSetting.mode)
        lexicon = try source.value(GradeSetting.lexicon)
        judge = try source.value(GradeSetting.judge)
        band = try source.value(GradeSetting.judgeBand)
        seed = try source.value(GradeSetting.seed)
        cacheDir = try source.value(GradeSetting.cacheDir)
    }

    /// The grader these settings describe; `external` makes a judge backend for a model that
    /// is not built in.
    public func grader(external: ((String) throws -> (any JudgeBackend)?)? = nil) throws -> Grader {
        var tier: JudgeTier? = nil
        var cache: JudgeCache? = nil
        if let judge, !judge.isEmpty {
            tier = JudgeTier(backend: try JudgeBackends.make(model: judge, seed: seed, external: external),
                             band: try JudgeTier.parseBand(band))
            cache = try JudgeCache(path: useCache ? Self.cachePath(cacheDir) : nil)
        }
        return Grader(mode: mode, lexicon: try Self.lexicon(lexicon), judge: tier, cache: cache)
    }

    /// Reads the lexicon setting: `auto` (the default WordNet folder when present), `none`, or a folder.
    public static func lexicon(_ setting: String) throws -> Lexicon? {
        switch setting {
        case "none", "off", "": return nil
        case "auto":
            guard FileManager.default.fileExists(atPath: Lexicon.defaultPath + "/index.noun") else { return nil }
            return try Lexicon(directory: Lexicon.defaultPath)
        default: return try Lexicon(directory: setting)
        }
    }

    /// The judge cache file: `DIR/judge.jsonl`, where DIR is the setting, else
    /// jb's cache folder (`CacheFolder`).
    public static func cachePath(_ setting: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let s = setting, !s.isEmpty { return s + "/judge.jsonl" }
        return CacheFolder.path(environment: environment) + "/judge.jsonl"
    }
}
