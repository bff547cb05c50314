import ArgumentParser
import Foundation
import JBCLI
import JBCore
import JBModels

@main
struct ModelsCommand: AsyncParsableCommand {
    /// Through JBCLI's entry point: one-line usage errors naming the tool, guarded descriptors.
    static func main() async { await ToolEntry.runAsync(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "jb-models",
        abstract: "Find OpenRouter model ids, prices and context lengths (live API, cache, or built-in catalogue).",
        discussion: "Example:\n  jb-models search llama --json | jq -r .id",
        version: JBVersion.string,
        subcommands: [Refresh.self, List.self, Search.self, Info.self, Cache.self])

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fetch the catalogue from the API into the cache.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var catalog: CatalogOptions
        func validate() throws { if catalog.offline { throw ValidationError("refresh needs the network; drop --offline") } }
        func run() async throws {
            try await ToolMain.run(tool: "jb-models", common: common, settings: CatalogOptions.settings, given: catalog.given) { settings, diagnostics in
                CatalogOptions.report(try await CatalogOptions.loader(settings).refresh(), diagnostics)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List models, optionally filtered.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only this provider (the id's author part, e.g. openai).") var provider: String?
        @Flag(help: "Only free models.") var free = false
        @Option(name: .customLong("max-price"), help: ArgumentHelp(
            "Only models whose prompt and completion prices are both at most this many USD per million tokens.",
            valueName: "usd")) var maxPrice: Double?
        func run() async throws {
            let filter = ModelFilter(provider: provider, freeOnly: free,
                                     maxPricePerMillion: maxPrice.flatMap { Decimal(string: String($0)) })
            try await show(common, catalog, output, filter)
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List models whose id, name, provider or description contain every term (ignoring case).")
        @OptionGroup var common: CommonOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: ArgumentHelp("Text to look for.", valueName: "pattern")) var terms: [String]
        func run() async throws { try await show(common, catalog, output, ModelFilter(terms: terms)) }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one model: prices per million tokens, context length, parameters, modality.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: ArgumentHelp("The model id, e.g. openai/gpt-4o-mini.", valueName: "id")) var id: String
        func run() async throws {
            try await ToolMain.run(tool: "jb-models", common: common, settings: CatalogOptions.settings, given: catalog.given) { settings, diagnostics in
                let models = try await CatalogOptions.load(settings, diagnostics)
                let writer = JSONLWriter()
                try ModelPrinter(format: output.format, writer: writer).info(try models.resolve(id: id))
                try writer.flush()
            }
        }
    }

    struct Cache: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or delete the cached catalogue.", subcommands: [Status.self, Clear.self])

        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the cache file, its age and freshness.")
            @OptionGroup var common: CommonOptions
            @OptionGroup var catalog: CatalogOptions
            @OptionGroup var output: FormatOptions
            func run() throws {
                try ToolMain.run(tool: "jb-models", common: common, settings: CatalogOptions.settings, given: catalog.given) { settings, _ in
                    let loader = try CatalogOptions.loader(settings)
                    let writer = JSONLWriter()
                    try ModelPrinter(format: output.format, writer: writer).cacheStatus(loader.cache.status(now: Date(), maxAge: loader.maxAge))
                    try writer.flush()
                }
            }
        }

        struct Clear: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete the cached catalogue.")
            @OptionGroup var common: CommonOptions
            @OptionGroup var catalog: CatalogOptions
            func run() throws {
                try ToolMain.run(tool: "jb-models", common: common, settings: CatalogOptions.settings, given: catalog.given) { settings, diagnostics in
                    let cache = try CatalogOptions.loader(settings).cache
                    diagnostics.info(try cache.clear() ? "removed \(cache.path)" : "no cache at \(cache.path)")
                }
            }
        }
    }
}

/// `list` and `search`: load, filter, print.
private func show(_ common: CommonOptions, _ catalog: CatalogOptions, _ output: FormatOptions, _ filter: ModelFilter) async throws {
    try await ToolMain.run(tool: "jb-models", common: common, settings: CatalogOptions.settings, given: catalog.given) { settings, diagnostics in
        let models = try await CatalogOptions.load(settings, diagnostics).filter(filter)
        let writer = JSONLWriter()
        try ModelPrinter(format: output.format, writer: writer).list(models)
        try writer.flush()
        if models.isEmpty { diagnostics.info("no model matches") }
    }
}
