import Foundation
import JBCLI
import JBChat
import JBCore
import JBModels
import JBQuery

/// Before a run that asks OpenRouter: checks every model id against the catalogue (an unknown
/// id fails fast, with the closest ids suggested) and adds the catalogue's prices to the price
/// book, after any `--pricing` file. Simulated models, other servers, and stand-ins for
/// OpenRouter at other addresses (test servers, proxies) need neither.
enum ModelCheck {
    static func apply(to config: inout QueryConfig, settings: Settings, diagnostics: Diagnostics) async throws {
        let remote = config.models.filter { !ModelID.isSimulated($0) }
        guard !remote.isEmpty, config.provider.usesOpenRouterCatalogue, Endpoint.isOpenRouter(config.baseURL) else { return }
        let load = await CatalogLoader(baseURL: config.baseURL, apiKey: config.apiKey,
                                       cache: CatalogCache(environment: ProcessInfo.processInfo.environment,
                                                                           baseURL: config.baseURL)).load()
        for note in load.notes {
            if note.isWarning { diagnostics.warning(note.text) } else { diagnostics.verbose(note.text) }
        }
        for model in remote {
            do {
                _ = try load.catalog.resolve(id: model)
            } catch {
                // The built-in catalogue can be older than the model: warn, do not refuse.
                guard load.tier == .builtIn else { throw error }
                diagnostics.warning("\(model) is not in the built-in model catalogue (the live one was unreachable); asking anyway")
            }
        }
        config.priceBook = ChainedPriceBook([config.priceBook, CatalogPriceBook(load.catalog)])
    }
}
