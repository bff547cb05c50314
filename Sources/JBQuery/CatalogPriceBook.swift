import JBModels

/// Prices from the OpenRouter model catalogue (jb-models: live, cached or built in).
public struct CatalogPriceBook: PriceBook {
    public let catalog: ModelCatalog

    public init(_ catalog: ModelCatalog) { self.catalog = catalog }

    public func price(for model: String) -> ModelPrice? {
        catalog.pricing(for: model).map { ModelPrice(prompt: $0.promptPerToken, completion: $0.completionPerToken) }
    }
}
