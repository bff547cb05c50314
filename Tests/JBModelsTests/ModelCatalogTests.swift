import Foundation
import JBCore
@testable import JBModels
import Testing

@Suite struct ModelCatalogTests {
    static let small = ModelCatalog(models: [
        ModelInfo(id: "openai/gpt-4o", pricing: ModelPricing(prices: ["prompt": Decimal(string: "0.0000025")!, "completion": Decimal(string: "0.00001")!])),
        ModelInfo(id: "openai/gpt-4o-mini", pricing: ModelPricing(prices: ["prompt": Decimal(string: "0.00000015")!, "completion": Decimal(string: "0.0000006")!]),
                  canonicalSlug: "openai/gpt-4o-mini-2024-07-18"),
        ModelInfo(id: "anthropic/claude-3.7-sonnet", pricing: ModelPricing(prices: ["prompt": Decimal(string: "0.000003")!, "completion": Decimal(string: "0.000015")!])),
        ModelInfo(id: "meta-llama/llama-3.3-70b-instruct:free", pricing: ModelPricing(prices: ["prompt": 0, "completion": 0])),
        ModelInfo(id: "openrouter/auto", pricing: ModelPricing(prices: ["prompt": -1, "completion": -1])),
    ])

    @Test func looksUpIdsSlugsAndDynamicVariants() {
        let c = Self.small
        #expect(c.model(id: "openai/gpt-4o")?.id == "openai/gpt-4o")
        #expect(c.model(id: "openai/gpt-4o-mini-2024-07-18")?.id == "openai/gpt-4o-mini")
        #expect(c.model(id: "openai/gpt-4o:nitro")?.id == "openai/gpt-4o")
        #expect(c.model(id: "openai/gpt-4o:bogus") == nil)
        #expect(c.model(id: "OpenAI/GPT-4o") == nil)
        #expect(c.models.map(\.id).first == "anthropic/claude-3.7-sonnet")
    }

    @Test func pricesAndCosts() throws {
        let c = Self.small
        let p = try #require(c.pricing(for: "anthropic/claude-3.7-sonnet"))
        #expect(p.promptPerToken == Decimal(string: "0.000003"))
        #expect(p.completionPerToken == Decimal(string: "0.000015"))
        // The fixtures' check: 1421 prompt + 20 completion tokens cost 0.004563 USD.
        #expect(c.cost(for: "anthropic/claude-3.7-sonnet", promptTokens: 1421, completionTokens: 20) == Decimal(string: "0.004563"))
        #expect(c.pricing(for: "openrouter/auto") == nil)
        #expect(c.pricing(for: "nobody/nothing") == nil)
        #expect(c.cost(for: "meta-llama/llama-3.3-70b-instruct:free", promptTokens: 5, completionTokens: 5) == 0)
    }

    @Test func suggestsTheClosestIds() {
        let c = Self.small
        #expect(c.suggestions(for: "openai/gpt4o-mini").first == "openai/gpt-4o-mini")
        #expect(c.suggestions(for: "gpt-4o") == ["openai/gpt-4o", "openai/gpt-4o-mini"])
        #expect(c.suggestions(for: "anthropic/claude-3.7-sonet") == ["anthropic/claude-3.7-sonnet"])
        #expect(c.suggestions(for: "zzzzzzzzzzzz").isEmpty)
        #expect(c.suggestions(for: "").isEmpty)
    }

    @Test func resolveFailsFastWithSuggestions() {
        #expect(throws: JBError.usage("unknown model \"openai/gpt4o\"; closest: openai/gpt-4o, openai/gpt-4o-mini")) {
            try Self.small.resolve(id: "openai/gpt4o")
        }
        #expect(throws: JBError.usage("unknown model \"qqqqqqqqqqqqqqq\" (not in the model catalogue; try jb-models search)")) {
            try Self.small.resolve(id: "qqqqqqqqqqqqqqq")
        }
    }

    @Test func editDistance() {
        #expect(ModelCatalog.editDistance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
        #expect(ModelCatalog.editDistance([], Array("abc".utf8)) == 3)
        #expect(ModelCatalog.editDistance(Array("abc".utf8), Array("abc".utf8)) == 0)
    }

    @Test func filters() {
        let c = Self.small
        #expect(c.filter(ModelFilter(provider: "OpenAI")).map(\.id) == ["openai/gpt-4o", "openai/gpt-4o-mini"])
        #expect(c.filter(ModelFilter(freeOnly: true)).map(\.id) == ["meta-llama/llama-3.3-70b-instruct:free"])
        #expect(c.filter(ModelFilter(maxPricePerMillion: 3)).map(\.id) == ["meta-llama/llama-3.3-70b-instruct:free", "openai/gpt-4o-mini"])
        #expect(c.filter(ModelFilter(terms: ["GPT", "mini"])).map(\.id) == ["openai/gpt-4o-mini"])
    }

    @Test func decodeRejectsGarbage() {
        #expect(throws: CatalogFormatError.self) { try ModelCatalog.decode(Array("<html>502 Bad Gateway</html>".utf8)) }
        #expect(throws: CatalogFormatError(message: "no \"data\" array of models")) { try ModelCatalog.decode(Array(#"{"models":[]}"#.utf8)) }
        #expect(throws: CatalogFormatError(message: "expected a JSON object with a \"data\" array, got an array")) {
            try ModelCatalog.decode(Array("[1,2]".utf8))
        }
        #expect(throws: CatalogFormatError(message: "the server answered with an error: down")) {
            try ModelCatalog.decode(Array(#"{"error":{"code":503,"message":"down"}}"#.utf8))
        }
        #expect(throws: CatalogFormatError.self) { try ModelCatalog.decode(Array(#"{"data":[{"id":"a/b"}"#.utf8)) }
    }

    @Test func decodesAnOpenAIStyleListWithoutPrices() throws {
        let page = try ModelCatalog.decode(Array(#"{"object":"list","data":[{"id":"llama3","object":"model","created":1700000000,"owned_by":"library"}]}"#.utf8))
        #expect(page.catalog.models.map(\.id) == ["llama3"])
        #expect(try page.catalog.resolve(id: "llama3").provider == "")
        #expect(page.catalog.pricing(for: "llama3") == nil)
    }

    @Test(.enabled(if: Fixtures.data(Fixtures.newer) != nil && Fixtures.data(Fixtures.older) != nil, "needs ../shared/fixtures/openrouter/models"))
    func decodesBothRealReplies() throws {
        for (path, count) in [(Fixtures.newer, 414), (Fixtures.older, 321)] {
            let data = try #require(Fixtures.data(path))
            let page = try ModelCatalog.decode(Array(data))
            #expect(page.catalog.count == count, "\(path)")
            #expect(page.skipped == 0)
            #expect(page.next == nil)
            // The fixtures' cost check: 1421 + 20 tokens at $3/$15 per million cost 0.004563 USD
            // (Claude 3.7 Sonnet in 2025; gone by 2026, when Claude Sonnet 4 has the same prices).
            let sonnet = count == 321 ? "anthropic/claude-3.7-sonnet" : "anthropic/claude-sonnet-4"
            #expect(page.catalog.cost(for: sonnet, promptTokens: 1421, completionTokens: 20) == Decimal(string: "0.004563"))
            #expect(page.catalog.models.allSatisfy { $0.contextLength != nil && !$0.name.isEmpty })
        }
        do {
            let data = try #require(Fixtures.data(Fixtures.newer))
            let c = try ModelCatalog.decode(Array(data)).catalog
            #expect(c.model(id: "openrouter/auto")?.pricing.isVariable == true)
            #expect(c.model(id: "~x-ai/grok-latest")?.aliasTarget == "x-ai/grok-4.6")
            #expect(c.models.filter { $0.supports("temperature") }.count == 327)
            #expect(c.models.filter { $0.supports("seed") }.count == 320)
            #expect(c.models.filter { !$0.pricing.overrides.isEmpty }.count == 61)
            #expect(c.model(id: "qwen/qwen3.8-27b-20260814")?.id == "qwen/qwen3.8-27b")
            // A long prompt switches to the override price.
            #expect(c.cost(for: "x-ai/grok-4.6", promptTokens: 200_000, completionTokens: 0) == Decimal(string: "0.8"))
            #expect(c.cost(for: "x-ai/grok-4.6", promptTokens: 100_000, completionTokens: 0) == Decimal(string: "0.2"))
        }
        do {
            let data = try #require(Fixtures.data(Fixtures.older))
            let c = try ModelCatalog.decode(Array(data)).catalog
            #expect(c.models.filter { $0.id.hasSuffix(":free") }.count == 68)
            #expect(c.models.filter(\.pricing.isFree).count >= 68)
        }
    }

    @Test func theBuiltInCatalogueIsTheTrimmedNewerReply() throws {
        let c = ModelCatalog.builtIn
        #expect(c.count == 414)
        #expect(ModelCatalog.builtInCapturedAt == "2026-08-19")
        #expect(c.pricing(for: "openai/gpt-4o-mini")! == (Decimal(string: "0.00000015")!, Decimal(string: "0.0000006")!))
        #expect(c.model(id: "openrouter/auto")?.pricing.isVariable == true)
        // Every field jb reads survives the trimming.
        if let data = Fixtures.data(Fixtures.newer) {
            let full = try ModelCatalog.decode(Array(data)).catalog
            #expect(full.models == c.models)
        }
    }
}
