import ArgumentParser
import Foundation
import JBCLI
import JBCore
import JBModels

#if canImport(Glibc)
import Glibc
#endif

/// Where the catalogue comes from: flags shared by every jb-models subcommand that reads it.
struct CatalogOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: ArgumentHelp(
        "API base URL; the catalogue is BASE/models (default: $OPENROUTER_BASE_URL, config openrouter.base_url, https://openrouter.ai/api/v1).",
        valueName: "url"))
    var baseURL: String?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp(
        "Cache folder (default: $XDG_CACHE_HOME/jb, else ~/.cache/jb; config models.cache_dir).", valueName: "dir"))
    var cacheDir: String?

    @Option(name: .customLong("ttl"), help: ArgumentHelp(
        "Hours a cached catalogue stays fresh (default 24; config models.cache_ttl_hours).", valueName: "hours"))
    var ttl: Double?

    @Flag(name: .long, help: "Never use the network: the cache at any age, else the built-in catalogue.")
    var offline = false

    /// The configuration keys jb-models reads.
    static let keys: [ConfigKey] = [
        CommonKeys.openRouterBaseURL,
        CommonKeys.openRouterKey,
        ConfigKey("models.cache_dir", help: "cache folder (default $XDG_CACHE_HOME/jb or ~/.cache/jb)"),
        ConfigKey("models.cache_ttl_hours", default: "24", help: "hours a cached catalogue stays fresh"),
        ConfigKey("models.offline", default: "false", help: "never use the network"),
        ConfigKey("models.timeout_seconds", default: "20", help: "seconds before the API request is abandoned"),
    ]

    /// The flags' values by configuration key.
    var flags: [String: String?] {
        ["openrouter.base_url": baseURL, "models.cache_dir": cacheDir,
         "models.cache_ttl_hours": ttl.map { String($0) }, "models.offline": offline ? "true" : nil]
    }

    /// The loader the settings describe.
    static func loader(_ settings: Settings) throws -> CatalogLoader {
        let ttl = try settings.double("models.cache_ttl_hours") ?? 24
        guard ttl >= 0 else { throw JBError.usage("models.cache_ttl_hours = \(ttl): expected hours >= 0") }
        // Hours and seconds become integer nanoseconds further on: bounded so they cannot overflow.
        guard ttl <= 1_000_000 else { throw JBError.usage("models.cache_ttl_hours = \(ttl): expected hours from 0 to 1000000") }
        let timeout = try settings.double("models.timeout_seconds") ?? 20
        guard timeout > 0 else { throw JBError.usage("models.timeout_seconds = \(timeout): expected seconds > 0") }
        guard timeout <= 86_400 else { throw JBError.usage("models.timeout_seconds = \(timeout): expected seconds from 0 to 86400") }
        let base = settings.string("openrouter.base_url") ?? Endpoint.openRouterBaseURL
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw JBError.usage("openrouter.base_url = \"\(base)\": expected an http(s) URL")
        }
        let cache = settings.string("models.cache_dir").map { CatalogCache(directory: $0, baseURL: base) }
            ?? CatalogCache(environment: ProcessInfo.processInfo.environment, baseURL: base)
        // The OpenRouter key goes to OpenRouter only; another server gets OPENAI_API_KEY, if any.
        let key = Endpoint.isOpenRouter(base) ? settings.string("openrouter.api_key")
            : ProcessInfo.processInfo.environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let key { Redactor.shared.register(key) }
        return CatalogLoader(baseURL: base, apiKey: key, cache: cache,
                             maxAge: ttl * 3600, offline: try settings.bool("models.offline") ?? false,
                             timeout: timeout)
    }

    /// Loads the catalogue and says on stderr which tier answered.
    static func load(_ settings: Settings, _ diagnostics: Diagnostics) async throws -> ModelCatalog {
        let result = try await loader(settings).load()
        report(result, diagnostics)
        return result.catalog
    }

    static func report(_ result: CatalogLoad, _ diagnostics: Diagnostics) {
        for note in result.notes {
            if note.isWarning { diagnostics.warning(note.text) } else { diagnostics.info(note.text) }
        }
    }
}

/// `--json` / `--table`; by default a table on a terminal and JSON Lines otherwise.
struct FormatOptions: ParsableArguments {
    @Flag(name: .long, help: "Write JSON Lines (the default when stdout is not a terminal).")
    var json = false

    @Flag(name: .long, help: "Write a table (the default on a terminal).")
    var table = false

    func validate() throws {
        if json && table { throw ValidationError("--json and --table exclude each other") }
    }

    var format: OutputFormat {
        if json { return .jsonLines }
        if table { return .table }
        return isatty(1) == 1 ? .table : .jsonLines
    }
}
