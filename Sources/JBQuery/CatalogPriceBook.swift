import Foundation
import JBModels

/// Prices from the OpenRouter model catalogue (jb-models: live, cached or built in).
public struct CatalogPriceBook: PriceBook {
    public let catalog: ModelCatalog

    public init(_ catalog: ModelCatalog) { self.catalog = catalog }

    public func price(for model: String) -> ModelPrice? {
        catalog.pricing(for: model).map { ModelPrice(prompt: $0.promptPerToken, completion: $0.completionPerToken) }
    }

    /// The catalogue's overrides applied: a prompt of `min_prompt_tokens` or more is priced at
    /// the long-prompt rate, a request inside a UTC window at that window's rate.
    public func price(for model: String, promptTokens: Int, at date: Date) -> ModelPrice? {
        catalog.model(id: model)?.pricing.effective(promptTokens: promptTokens, at: date)
            .map { ModelPrice(prompt: $0.prompt, completion: $0.completion) }
    }
}
