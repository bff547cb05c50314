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
    @Option(name: Self.endpoint.name, help: Self.endpoint.argumentHelp) var baseURL: String?
    @Option(name: ModelsSetting.cacheDir.name, help: ModelsSetting.cacheDir.argumentHelp) var cacheDir: String?
    @Option(name: ModelsSetting.cacheTTLHours.name, help: ModelsSetting.cacheTTLHours.argumentHelp) var ttl: Double?
    @Flag(name: ModelsSetting.offline.name, help: ModelsSetting.offline.argumentHelp) var offline = false

    /// The catalogue's endpoint: the shared setting, with what `--base-url` means here, and
    /// checked to be an http(s) URL.
    static let endpoint = CommonSetting.openRouterBaseURL.with(
        help: "API base URL; the catalogue is BASE/models (default: $OPENROUTER_BASE_URL, config {key}, {default}).",
        valueName: "url", expected: "expected an http(s) URL", accepts: { $0.hasPrefix("http://") || $0.hasPrefix("https://") })

    /// The settings jb-models reads.
    static let settings: [any AnySetting] = [
        endpoint, CommonSetting.openRouterKey, ModelsSetting.cacheDir, ModelsSetting.cacheTTLHours,
        ModelsSetting.offline, ModelsSetting.timeoutSeconds,
    ]

    /// The flags' values by setting.
    var given: [(key: String, text: String?)] {
        [Self.endpoint.given(baseURL), ModelsSetting.cacheDir.given(cacheDir),
         ModelsSetting.cacheTTLHours.given(ttl), ModelsSetting.offline.given(offline ? true : nil)]
    }

    /// The loader the settings describe.
    static func loader(_ settings: Settings) throws -> CatalogLoader {
        let ttl = try settings.value(ModelsSetting.cacheTTLHours)
        let timeout = try settings.value(ModelsSetting.timeoutSeconds)
        let base = try settings.value(endpoint)
        let cache = try settings.value(ModelsSetting.cacheDir).map { CatalogCache(directory: $0, baseURL: base) }
            ?? CatalogCache(environment: ProcessInfo.processInfo.environment, baseURL: base)
        // The OpenRouter key goes to OpenRouter only; another server gets OPENAI_API_KEY, if any.
        let key = try Endpoint.isOpenRouter(base) ? settings.value(CommonSetting.openRouterKey)
            : ProcessInfo.processInfo.environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let key { Redactor.shared.register(key) }
        return CatalogLoader(baseURL: base, apiKey: key, cache: cache,
                             maxAge: ttl * 3600, offline: try settings.value(ModelsSetting.offline), timeout: timeout)
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
