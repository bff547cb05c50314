import Foundation
import JBCore

/// Turns the tool's settings into a ready `Grader` (kept here so the executable stays thin).
public enum GradeSetup {
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

    /// A grader from settings values.
    public static func grader(mode: String, lexicon: String, judge: String?, band: String, seed: UInt64,
                              cacheDir: String?, useCache: Bool,
                              external: ((String) throws -> (any JudgeBackend)?)? = nil) throws -> Grader {
        guard let m = GradeMode(rawValue: mode) else {
            throw JBError.usage("--mode \(mode): expected strict, lenient, jeopardy or adaptive")
        }
        var tier: JudgeTier? = nil
        var cache: JudgeCache? = nil
        if let judge, !judge.isEmpty {
            tier = JudgeTier(backend: try JudgeBackends.make(model: judge, seed: seed, external: external),
                             band: try JudgeTier.parseBand(band))
            cache = try JudgeCache(path: useCache ? cachePath(cacheDir) : nil)
        }
        return Grader(mode: m, lexicon: try GradeSetup.lexicon(lexicon), judge: tier, cache: cache)
    }
}
