import Foundation
import JBCore
import JBModels
import JBTestSupport
import Testing
@testable import JBQuery

@Suite struct PriceBookTests {
    @Test func pricingFileOfModelPrices() throws {
        let path = TestData.tempPath("prices.json")
        try #"{"a/x": {"prompt": "0.000003", "completion": 0.000015}, "b/y": {"pricing": {"prompt": "0", "completion": "0"}}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let book = try PricingFile(path: path)
        let p = try #require(book.price(for: "a/x"))
        // The fixture check: 1421 prompt + 20 completion tokens of Claude 3.7 Sonnet = $0.004563.
        #expect(p.cost(promptTokens: 1421, completionTokens: 20) == Decimal(string: "0.004563")!)
        #expect(book.price(for: "b/y") == ModelPrice(prompt: 0, completion: 0))
        #expect(book.price(for: "c/z") == nil)
    }

    @Test(.enabled(if: SharedData.file("fixtures/openrouter/models/models-2025-05-321.json") != nil, "needs ../shared/fixtures/openrouter/models/models-2025-05-321.json"))
    func openRouterModelsResponse() throws {
        let url = try #require(SharedData.file("fixtures/openrouter/models/models-2025-05-321.json"))
        let book = try PricingFile(path: url.path)
        let found = book.price(for: "anthropic/claude-3.7-sonnet")
        let p = try #require(found)
        #expect(p.cost(promptTokens: 1421, completionTokens: 20) == Decimal(string: "0.004563")!)
        #expect(book.price(for: "openrouter/auto") == nil)  // "-1": variable
        let count = book.prices.count
        #expect(count > 300)
    }

    @Test func badFilesAreClearErrors() throws {
        let path = TestData.tempPath("prices.json")
        try #"{"a/x": {"prompt": "cheap"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: JBError.self) { try PricingFile(path: path) }
        #expect(throws: JBError.self) { try PricingFile(path: path + ".missing") }
    }

    @Test func chainAsksInOrder() {
        let a = PricingFile(prices: ["m": ModelPrice(prompt: 1, completion: 1)])
        let b = PricingFile(prices: ["m": ModelPrice(prompt: 2, completion: 2), "n": ModelPrice(prompt: 3, completion: 3)])
        let chain = ChainedPriceBook([a, b])
        #expect(chain.price(for: "m")?.prompt == 1)
        #expect(chain.price(for: "n")?.prompt == 3)
    }
}

/// One price path: the catalogue's long-prompt prices reach jb-query's costs.
@Suite struct LongPromptPriceTests {
    /// google/gemini-2.5-pro in the built-in catalogue: $1.25/M prompt and $10/M completion,
    /// $2.50/M and $15/M from 200,000 prompt tokens.
    @Test func aLongPromptIsPricedAtTheLongPromptRate() throws {
        var c = QueryConfig()
        c.priceBook = ChainedPriceBook([PricingFile(prices: [:]), CatalogPriceBook(.builtIn)])
        let short = try #require(c.cost(of: "google/gemini-2.5-pro", promptTokens: 1_000, completionTokens: 100))
        #expect(short == Decimal(string: "0.00125")! + Decimal(string: "0.001")!)
        let long = try #require(c.cost(of: "google/gemini-2.5-pro", promptTokens: 200_000, completionTokens: 100))
        #expect(long == Decimal(string: "0.5")! + Decimal(string: "0.0015")!, "the long-prompt rate from 200,000 tokens")
        #expect(c.cost(of: "nobody/nothing", promptTokens: 1, completionTokens: 1) == nil)
        // A flat price book has no long-prompt rate: the same price at any size.
        c.priceBook = PricingFile(prices: ["m": ModelPrice(prompt: 1, completion: 2)])
        #expect(c.cost(of: "m", promptTokens: 300_000, completionTokens: 1) == 300_002)
    }
}
