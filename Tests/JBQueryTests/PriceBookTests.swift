import Foundation
import JBCore
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
