// JBModels: OpenRouter's model catalogue, always available.
//
// The library API (what jb-query uses):
//
//     import JBModels
//
//     // Load: live API → cache (fresh for 24 h) → stale cache → catalogue built into jb.
//     // `load()` never throws; `result.tier` says which one answered and `result.notes`
//     // holds the lines to show on stderr (warnings for stale/built-in/corrupt cache).
//     let loader = CatalogLoader(baseURL: "https://openrouter.ai/api/v1",
//                                cache: CatalogCache(environment: ProcessInfo.processInfo.environment))
//     let result = await loader.load()
//     let catalog = result.catalog                 // ModelCatalog
//
//     // Check a model id before a run: unknown ids fail fast with the closest matches.
//     let model = try catalog.resolve(id: "openai/gpt4o-mini")
//     //   throws JBError.usage(#"unknown model "openai/gpt4o-mini"; closest: openai/gpt-4o-mini, …"#)
//     catalog.model(id: "openai/gpt-4o-mini")      // ModelInfo? (also canonical slugs, `:nitro`-style variants)
//     catalog.suggestions(for: "gpt4o")            // [String], closest first
//
//     // Prices: USD per token, Decimal; nil for unknown ids and variable-price routers.
//     catalog.pricing(for: "openai/gpt-4o-mini")   // (promptPerToken: 0.00000015, completionPerToken: 0.0000006)
//     catalog.cost(for: id, promptTokens: 1421, completionTokens: 20)   // Decimal USD, with overrides
//
// `ModelInfo` carries the rest (context length, supported parameters, modalities, alias target);
// `CatalogTier` is `.live`, `.cache`, `.staleCache` or `.builtIn`. Nothing here prints or exits.
import Foundation
import JBCore

/// A set of models with lookups by id, prices and closest-match suggestions.
public struct ModelCatalog: Sendable {
    /// The models, sorted by id.
    public let models: [ModelInfo]
    private let index: [String: Int]
    private let slugIndex: [String: Int]

    /// OpenRouter's dynamic variant suffixes, which are not listed in `/models` but route to the
    /// listed base model (`openai/gpt-4o:nitro` → `openai/gpt-4o`). `:free` variants are listed.
    public static let dynamicVariants: Set<String> = ["nitro", "floor", "online", "exacto", "thinking", "extended"]

    /// Creates a catalogue; on duplicate ids the first entry wins.
    public init(models: [ModelInfo]) {
        var seen = Set<String>()
        let unique = models.filter { seen.insert($0.id).inserted }
        self.models = unique.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        var index: [String: Int] = [:], slugs: [String: Int] = [:]
        for (k, m) in self.models.enumerated() {
            index[m.id] = k
            if let s = m.canonicalSlug, slugs[s] == nil { slugs[s] = k }
        }
        self.index = index
        slugIndex = slugs
    }

    /// The number of models.
    public var count: Int { models.count }

    /// The model with this id, else with this canonical slug, else (for `id:nitro`-style
    /// dynamic variants) the base model; nil when unknown.
    public func model(id: String) -> ModelInfo? {
        if let k = index[id] ?? slugIndex[id] { return models[k] }
        if let colon = id.lastIndex(of: ":"), ModelCatalog.dynamicVariants.contains(String(id[id.index(after: colon)...])) {
            let base = String(id[..<colon])
            if let k = index[base] ?? slugIndex[base] { return models[k] }
        }
        return nil
    }

    /// The model with this id, or a usage error naming the closest known ids.
    public func resolve(id: String) throws -> ModelInfo {
        if let m = model(id: id) { return m }
        let close = suggestions(for: id)
        if close.isEmpty {
            throw JBError.usage("unknown model \"\(id)\" (not in the model catalogue; try jb-models search)")
        }
        throw JBError.usage("unknown model \"\(id)\"; closest: \(close.joined(separator: ", "))")
    }

    /// Default prompt and completion prices, USD per token; nil for an unknown id, a missing
    /// price or a variable-price router (`-1`).
    public func pricing(for id: String) -> (promptPerToken: Decimal, completionPerToken: Decimal)? {
        guard let p = model(id: id)?.pricing, !p.isVariable, let prompt = p.prompt, let completion = p.completion else {
            return nil
        }
        return (prompt, completion)
    }

    /// The cost in USD of one request, applying long-prompt and time-window overrides; nil when
    /// the id is unknown or its price variable.
    public func cost(for id: String, promptTokens: Int, completionTokens: Int, at date: Date = Date()) -> Decimal? {
        guard let p = model(id: id)?.pricing.effective(promptTokens: promptTokens, at: date) else { return nil }
        return p.prompt * Decimal(promptTokens) + p.completion * Decimal(completionTokens)
    }

    /// Up to `limit` known ids closest to `unknownID`, best first: ids containing it, then ids
    /// containing it once punctuation is ignored (`gpt4o` in `gpt-4o-mini`), then ids within a
    /// few edits of it (on the whole id, or on the part after `/`); ties by edit distance.
    public func suggestions(for unknownID: String, limit: Int = 5) -> [String] {
        let query = unknownID.lowercased().trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { return [] }
        let q = Array(query.utf8)
        let qSlug = ModelCatalog.slug(q)
        let qLoose = ModelCatalog.alphanumerics(q), qSlugLoose = ModelCatalog.alphanumerics(qSlug)
        var scored: [(rank: Int, distance: Int, id: String)] = []
        for m in models {
            let id = Array(m.id.lowercased().utf8)
            let slug = ModelCatalog.slug(id)
            let distance = ModelCatalog.editDistance(q, id)
            let rank: Int
            if m.id.lowercased().contains(query) {
                rank = 0
            } else if qSlugLoose.count >= 3,
                      ModelCatalog.alphanumerics(id).contains(qLoose) || ModelCatalog.alphanumerics(slug).contains(qSlugLoose) {
                rank = 1
            } else if distance <= max(2, q.count / 4) || ModelCatalog.editDistance(qSlug, slug) <= max(1, qSlug.count / 4) {
                rank = 2
            } else {
                continue
            }
            scored.append((rank, distance, m.id))
        }
        scored.sort { ($0.rank, $0.distance, $0.id) < ($1.rank, $1.distance, $1.id) }
        return scored.prefix(limit).map(\.id)
    }

    /// The part after the first `/` (the whole id when there is none).
    static func slug(_ id: [UInt8]) -> [UInt8] {
        guard let slash = id.firstIndex(of: UInt8(ascii: "/")) else { return id }
        return Array(id[(slash + 1)...])
    }

    /// The letters and digits only, as a string.
    static func alphanumerics(_ s: [UInt8]) -> String {
        String(decoding: s.filter { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }, as: UTF8.self)
    }

    /// Levenshtein distance between two byte strings.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The models a filter keeps, in id order.
    public func filter(_ f: ModelFilter) -> [ModelInfo] { models.filter(f.matches) }

    /// The catalogue compiled into jb (a trimmed real reply; see scripts/models-static-catalog.py).
    public static let builtIn: ModelCatalog = {
        (try? ModelCatalog.decode(Array(StaticCatalog.reply.utf8)).catalog) ?? ModelCatalog(models: [])
    }()

    /// When the built-in catalogue was captured (UTC date).
    public static var builtInCapturedAt: String { StaticCatalog.capturedAt }
}

/// Why a reply or cache file is not a model list.
public struct CatalogFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A lowercase phrase.
    public var message: String
    public var description: String { message }
}

extension ModelCatalog {
    /// One decoded page of a `GET /models` reply.
    public struct Page: Sendable {
        /// The models on the page.
        public var catalog: ModelCatalog
        /// `links.next`, when the server pages its answer.
        public var next: String?
        /// `total_count`, when given.
        public var totalCount: Int?
        /// Entries skipped because they had no `id`.
        public var skipped: Int
    }

    /// Decodes a `GET /models` reply of either schema generation.
    public static func decode(_ bytes: some Collection<UInt8>) throws(CatalogFormatError) -> Page {
        let json: JSON
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw CatalogFormatError(message: "not JSON (byte \(error.column): \(error.message))")
        }
        return try decode(json)
    }

    /// Decodes an already parsed reply: an object whose `data` is an array of model entries.
    public static func decode(_ json: JSON) throws(CatalogFormatError) -> Page {
        guard let object = json.objectValue else {
            throw CatalogFormatError(message: "expected a JSON object with a \"data\" array, got \(json.typeName)")
        }
        guard let data = object["data"]?.arrayValue else {
            if let message = object["error"]?.objectValue?["message"]?.stringValue {
                throw CatalogFormatError(message: "the server answered with an error: \(message)")
            }
            throw CatalogFormatError(message: "no \"data\" array of models")
        }
        var models: [ModelInfo] = []
        var skipped = 0
        for entry in data {
            if let o = entry.objectValue, let m = ModelInfo(entry: o) { models.append(m) } else { skipped += 1 }
        }
        let next = object["links"]?.objectValue?["next"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return Page(catalog: ModelCatalog(models: models), next: next,
                    totalCount: object["total_count"]?.intValue, skipped: skipped)
    }
}

/// Which models `jb-models list` and `search` keep.
public struct ModelFilter: Sendable {
    /// Keep models whose provider (the id's author part) equals this, ignoring case.
    public var provider: String?
    /// Keep only free models (prompt, completion and request price zero).
    public var freeOnly: Bool
    /// Keep models whose prompt and completion prices are both at most this, USD per million
    /// tokens (variable-price routers never match).
    public var maxPricePerMillion: Decimal?
    /// Every term must occur (ignoring case) in the id, name, provider or description.
    public var terms: [String]

    /// Creates a filter; the default keeps everything.
    public init(provider: String? = nil, freeOnly: Bool = false, maxPricePerMillion: Decimal? = nil, terms: [String] = []) {
        self.provider = provider
        self.freeOnly = freeOnly
        self.maxPricePerMillion = maxPricePerMillion
        self.terms = terms.map { $0.lowercased() }.filter { !$0.isEmpty }
    }

    /// Whether `m` passes.
    public func matches(_ m: ModelInfo) -> Bool {
        if let provider, m.provider.lowercased() != provider.lowercased() { return false }
        if freeOnly && !m.pricing.isFree { return false }
        if let max = maxPricePerMillion {
            guard !m.pricing.isVariable, let p = m.pricing.prompt, let c = m.pricing.completion,
                  p * 1_000_000 <= max, c * 1_000_000 <= max else { return false }
        }
        if !terms.isEmpty {
            let haystack = [m.id, m.name, m.provider, m.description].joined(separator: "\n").lowercased()
            for t in terms where !haystack.contains(t) { return false }
        }
        return true
    }
}
