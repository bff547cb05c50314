import Foundation
import JBCore

/// An LLM that answers judge prompts: prompt text in, verdict text out.
///
/// This is the seam for real models: jb-query's client (module JBQuery) implements it for
/// OpenRouter and OpenAI-compatible endpoints; JBGrade ships only `SimulatedJudge`.
public protocol JudgeBackend: Sendable {
    /// The model id recorded in `grade.judge.model`, e.g. `sim/judge`.
    var model: String { get }
    /// Sends one prompt and returns the model's whole reply.
    func complete(prompt: String) async throws -> String
}

/// The judge prompt and the parsing of its verdicts.
public enum JudgePrompt {
    /// The template; `{category}`, `{clue}`, `{answer}`, `{response}` are filled in.
    public static let template = """
        You are the judge on the quiz show Jeopardy!. Decide whether the contestant's reply names \
        the correct response. Accept misspellings that keep the answer recognisable, a surname \
        alone unless it is ambiguous, other names for the same thing, and answers more specific \
        but still true. Reject hedges between candidates, answers the reply itself rejects, \
        answers that are too general, and refusals. Phrasing as a question does not matter.

        Category: {category}
        Clue: {clue}
        Correct response: {answer}
        Contestant's reply: {response}

        Reply with one word on the first line, CORRECT or INCORRECT, then one sentence of reason.
        """

    /// 16 hex digits of the SHA-256 of the template: `grade.judge.prompt_hash`.
    public static let templateHash = ContentHash.shortHex(template)

    /// The prompt for one case.
    public static func render(category: String, clue: String, answer: String, response: String) -> String {
        func one(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces) }
        return template.replacingOccurrences(of: "{category}", with: one(Text.decodeEntities(category)))
            .replacingOccurrences(of: "{clue}", with: one(Text.decodeEntities(clue)))
            .replacingOccurrences(of: "{answer}", with: one(Text.cleanArchive(answer)))
            .replacingOccurrences(of: "{response}", with: one(response))
    }

    /// The fields of a rendered prompt, for the simulated judge.
    static func field(_ name: String, in prompt: String) -> String? {
        for line in prompt.split(separator: "\n") where line.hasPrefix(name + ": ") {
            return String(line.dropFirst(name.count + 2))
        }
        return nil
    }

    /// `correct`, `incorrect`, or `unclear` from a judge's reply: the first CORRECT/INCORRECT word.
    public static func verdict(_ raw: String) -> String {
        for token in raw.uppercased().split(whereSeparator: { !$0.isLetter }) {
            if token == "INCORRECT" || token == "WRONG" { return "incorrect" }
            if token == "CORRECT" || token == "RIGHT" { return "correct" }
        }
        return "unclear"
    }
}

/// A deterministic stand-in judge for tests and offline runs: it reads the prompt as a model
/// would, scores the reply against the correct response with the grader's own similarity, and
/// adds seeded noise, so the same seed and prompt always give the same verdict.
public struct SimulatedJudge: JudgeBackend {
    public let model: String
    /// The seed of the noise.
    public let seed: UInt64

    /// Creates `sim/judge` (any `sim/…` name is accepted).
    public init(model: String = "sim/judge", seed: UInt64 = 0) {
        self.model = model
        self.seed = seed
    }

    public func complete(prompt: String) async throws -> String {
        guard let answer = JudgePrompt.field("Correct response", in: prompt),
              let reply = JudgePrompt.field("Contestant's reply", in: prompt) else {
            return "UNCLEAR\nThe prompt has no correct response or reply line."
        }
        let extracted = Extractor.extract(reply).answer ?? ""
        let similarity = Matcher(lexicon: nil).bestSimilarity(Matcher.Reply(extracted), AnswerKey(answer))
        // Noise in [-0.1, 0.1] from the seed and the prompt.
        let u = Double(ContentHash.uint64("\(seed)\u{1F}\(prompt)") >> 11) / Double(1 << 53)
        let value = similarity + (u - 0.5) * 0.2
        let verdict = value >= 0.7 ? "CORRECT" : "INCORRECT"
        return "\(verdict)\nSimulated judge: similarity \(String(format: "%.2f", similarity)), seed \(seed)."
    }
}

/// Judge verdicts already paid for, in a JSON Lines file keyed by model and prompt.
///
/// Each line is `{"key": sha256(model ␟ prompt), "model": …, "raw": …}`. The file is read once
/// at start and appended to as new verdicts arrive, so an interrupted run keeps what it got.
public final class JudgeCache: @unchecked Sendable {
    private var entries: [String: String] = [:]
    private let writer: JSONLWriter?
    /// Where the cache lives (nil: in memory only).
    public let path: String?
    /// Lookups answered from the cache.
    public private(set) var hits = 0
    /// What opening the file repaired or skipped, for warnings.
    public private(set) var notes: [String] = []

    /// Opens (creating if needed) the cache file at `path`; nil keeps the cache in memory.
    public init(path: String?) throws {
        self.path = path
        guard let path else { writer = nil; return }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw JBError.cannotCreate(path: dir, reason: "cannot create the cache directory")
            }
        }
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw JBError.cannotOpen(path: path, reason: "cannot read the judge cache; delete it or use --no-cache")
            }
            // A killed run can leave its last line cut short: cut it off (that verdict is
            // asked again), so the lines appended from now on start on a line of their own.
            // A line that is not a cache entry is skipped: the cache only saves requests.
            var end = data.count
            if let last = data.lastIndex(of: 0x0A) { end = last + 1 } else { end = 0 }
            if end < data.count {
                guard truncate(path, off_t(end)) == 0 else {
                    throw JBError.cannotCreate(path: path, reason: "cannot repair the judge cache's cut-short last line; delete it or use --no-cache")
                }
                notes.append("\(path): removed a cut-short last line (left by a killed run)")
            }
            var skipped = 0
            for line in data[..<end].split(separator: 0x0A, omittingEmptySubsequences: true) {
                if let o = try? JSONParser.parse(Data(line)).objectValue, let k = o["key"]?.stringValue,
                   let raw = o["raw"]?.stringValue {
                    entries[k] = raw
                } else {
                    skipped += 1
                }
            }
            if skipped > 0 { notes.append("\(path): skipped \(counted(skipped, "line")) that \(skipped == 1 ? "is not a" : "are not") cache \(skipped == 1 ? "entry" : "entries")") }
        }
        writer = try JSONLWriter(path: path, append: true, flushEachRecord: true)
    }

    /// The cache key of a prompt sent to a model.
    public static func key(model: String, prompt: String) -> String {
        ContentHash.sha256Hex(model + "\u{1F}" + prompt)
    }

    /// A cached reply, counting the hit.
    public func lookup(model: String, prompt: String) -> String? {
        guard let raw = entries[JudgeCache.key(model: model, prompt: prompt)] else { return nil }
        hits += 1
        return raw
    }

    /// Stores a reply.
    public func store(model: String, prompt: String, raw: String) throws {
        let k = JudgeCache.key(model: model, prompt: prompt)
        entries[k] = raw
        try writer?.write(["key": .string(k), "model": .string(model), "raw": .string(raw)])
    }
}

/// The judge tier: which cases go to the judge, and asking it (through the cache).
public struct JudgeTier: Sendable {
    /// The backend.
    public let backend: any JudgeBackend
    /// Scores in this closed range are the grey band the rules cannot settle.
    public let band: ClosedRange<Double>

    /// Creates a tier.
    public init(backend: any JudgeBackend, band: ClosedRange<Double>) {
        self.backend = backend
        self.band = band
    }

    /// Parses a band given as `LOW:HIGH` (or `LOW,HIGH`).
    public static func parseBand(_ text: String) throws -> ClosedRange<Double> {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "," }).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo >= 0, hi <= 1, lo <= hi else {
            throw JBError.usage("--judge-band \(text): expected LOW:HIGH with 0 <= LOW <= HIGH <= 1, e.g. 0.3:0.9")
        }
        return lo...hi
    }

    /// True when a rule decision falls in the grey band.
    public func wants(_ d: Decision) -> Bool { !d.settled && band.contains(d.score) }
}

/// Makes judge backends by model name: `sim/…` is built in; other names need a backend maker
/// (the seam where jb-query's client plugs in).
public enum JudgeBackends {
    /// Returns a backend for `model`, or throws a usage error naming what is available.
    public static func make(model: String, seed: UInt64,
                            external: ((String) throws -> (any JudgeBackend)?)? = nil) throws -> any JudgeBackend {
        if ModelID.isSimulated(model) { return SimulatedJudge(model: model, seed: seed) }
        if let external, let b = try external(model) { return b }
        throw JBError.usage("--judge \(model): no judge backend for this model")
    }
}
