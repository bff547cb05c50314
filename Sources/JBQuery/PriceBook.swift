import Foundation
import JBCore

/// A model's prices in USD per token.
public struct ModelPrice: Sendable, Equatable {
    /// USD per prompt (input) token.
    public var prompt: Decimal
    /// USD per completion (output) token, reasoning included.
    public var completion: Decimal

    public init(prompt: Decimal, completion: Decimal) {
        self.prompt = prompt
        self.completion = completion
    }

    /// The cost of a request with these token counts, in USD.
    public func cost(promptTokens: Int, completionTokens: Int) -> Decimal {
        prompt * Decimal(promptTokens) + completion * Decimal(completionTokens)
    }
}

/// Where jb-query looks up a model's prices when the API does not report a cost, and for
/// `--estimate` and `--max-cost`. JBModels (the OpenRouter catalogue) conforms to this; until
/// then a pricing file and the simulated models' own prices do.
public protocol PriceBook: Sendable {
    /// The prices of `model` (an id as asked, e.g. `openai/gpt-4o-mini`), or nil if unknown.
    func price(for model: String) -> ModelPrice?
    /// The prices in force for one request of `promptTokens` prompt tokens sent at `date`:
    /// the catalogue's long-prompt (`min_prompt_tokens`) and time-window prices apply; a book
    /// without them gives its one price.
    func price(for model: String, promptTokens: Int, at date: Date) -> ModelPrice?
}

extension PriceBook {
    public func price(for model: String, promptTokens: Int, at date: Date) -> ModelPrice? { price(for: model) }
}

extension QueryConfig {
    /// The one price path of jb-query (answers, the estimate, `--max-cost` reservations):
    /// what one request of `model` with these token counts costs, at the prices in force for
    /// its prompt size and time; a simulated model's own price; nil when unknown.
    func cost(of model: String, promptTokens: Int, completionTokens: Int) -> Decimal? {
        let price: ModelPrice?
        if ModelID.isSimulated(model), let sim = try? SimModel.parse(model) {
            price = sim.price
        } else {
            price = priceBook.price(for: model, promptTokens: promptTokens, at: now())
        }
        return price?.cost(promptTokens: promptTokens, completionTokens: completionTokens)
    }
}

/// Several price books, asked in order.
public struct ChainedPriceBook: PriceBook {
    public var books: [any PriceBook]
    public init(_ books: [any PriceBook]) { self.books = books }
    public func price(for model: String) -> ModelPrice? {
        for b in books { if let p = b.price(for: model) { return p } }
        return nil
    }
    public func price(for model: String, promptTokens: Int, at date: Date) -> ModelPrice? {
        for b in books { if let p = b.price(for: model, promptTokens: promptTokens, at: date) { return p } }
        return nil
    }
}

/// Prices read from a JSON file: either `{"model-id": {"prompt": P, "completion": C}, …}`
/// with USD per token as numbers or decimal strings, or an OpenRouter `/models` response
/// (`{"data": [{"id", "pricing": {"prompt", "completion"}}]}`).
public struct PricingFile: PriceBook {
    public private(set) var prices: [String: ModelPrice]

    public init(prices: [String: ModelPrice]) { self.prices = prices }

    /// Loads `path`; a malformed file is a usage error naming it.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JBError.cannotOpen(path: path, reason: "no such file or not readable")
        }
        let value: JSON
        do { value = try JSONParser.parse(data) } catch {
            throw JBError.badConfig(path: path, line: 0, column: error.column, message: "not valid JSON: \(error.message)")
        }
        guard case .object(let top) = value else {
            throw JBError.badConfig(path: path, line: 0, column: 0, message: "expected an object of model id → prices")
        }
        var prices: [String: ModelPrice] = [:]
        func number(_ v: JSON?) -> Decimal? {
            switch v {
            case .string(let s)?: return Decimal(string: s.trimmingASCIISpace(), locale: Locale(identifier: "en_US_POSIX"))
            case .int(let i)?: return Decimal(i)
            case .double(let d)?: return Decimal(string: "\(d)", locale: Locale(identifier: "en_US_POSIX"))
            default: return nil
            }
        }
        func add(_ id: String, _ o: JSONObject) throws {
            guard let p = number(o["prompt"]), let c = number(o["completion"]) else {
                throw JBError.badConfig(path: path, line: 0, column: 0,
                                        message: "model \"\(id)\": expected \"prompt\" and \"completion\" prices (USD per token)")
            }
            // OpenRouter marks variable-price routers with -1: unknown, not negative.
            if p < 0 || c < 0 { return }
            prices[id] = ModelPrice(prompt: p, completion: c)
        }
        if case .array(let models)? = top["data"] {
            for m in models {
                guard let o = m.objectValue, let id = o["id"]?.stringValue, let pr = o["pricing"]?.objectValue else { continue }
                try add(id, pr)
            }
        } else {
            for (id, v) in top {
                guard let o = v.objectValue else {
                    throw JBError.badConfig(path: path, line: 0, column: 0, message: "model \"\(id)\": expected an object")
                }
                try add(id, o.objectValue(at: "pricing") ?? o)
            }
        }
        self.prices = prices
    }

    public func price(for model: String) -> ModelPrice? { prices[model] }
}

extension Dictionary where Key == String, Value == JSON {
    func objectValue(at key: String) -> JSONObject? { self[key]?.objectValue }
}

extension Decimal {
    /// The value as a Double (for JSON records).
    /// Through the decimal text, so 0.000103244 stays 0.000103244 (not …00000002).
    var doubleValue: Double { Double("\(self)") ?? NSDecimalNumber(decimal: self).doubleValue }
}
