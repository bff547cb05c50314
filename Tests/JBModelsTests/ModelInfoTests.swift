import Foundation
import JBCore
@testable import JBModels
import Testing

@Suite struct ModelInfoTests {
    static func entry(_ text: String) throws -> JSONObject {
        try #require(try JSONParser.parse(text).objectValue)
    }

    @Test func decodesTheNewerShape() throws {
        let m = try #require(ModelInfo(entry: try Self.entry("""
            {"id":"openai/gpt-4o-mini","canonical_slug":"openai/gpt-4o-mini","hugging_face_id":null,
             "name":"OpenAI: GPT-4o-mini","created":1721260800,"description":"Small.","context_length":128000,
             "architecture":{"modality":"text+image+file->text","input_modalities":["text","image","file"],
                             "output_modalities":["text"],"tokenizer":"GPT","instruct_type":null},
             "pricing":{"prompt":"0.00000015","completion":"0.0000006","input_cache_read":"0.000000075"},
             "top_provider":{"context_length":128000,"max_completion_tokens":16384,"is_moderated":true},
             "per_request_limits":null,"supported_parameters":["max_tokens","seed","temperature"],
             "default_parameters":{},"knowledge_cutoff":"2023-10-31","expiration_date":null,
             "links":{"details":"/api/v1/models/openai/gpt-4o-mini/endpoints"},"benchmarks":{"x":1}}
            """)))
        #expect(m.id == "openai/gpt-4o-mini")
        #expect(m.provider == "openai")
        #expect(m.name == "OpenAI: GPT-4o-mini")
        #expect(m.contextLength == 128000)
        #expect(m.maxCompletionTokens == 16384)
        #expect(m.inputModalities == ["text", "image", "file"])
        #expect(m.supports("seed") && !m.supports("top_k"))
        #expect(m.pricing.prompt == Decimal(string: "0.00000015"))
        #expect(m.pricing.completion == Decimal(string: "0.0000006"))
        #expect(m.knowledgeCutoff == "2023-10-31")
        #expect(!m.pricing.isFree && !m.pricing.isVariable)
    }

    @Test func decodesTheOlderShapeAndFillsModalitiesFromTheSummary() throws {
        let m = try #require(ModelInfo(entry: try Self.entry("""
            {"id":"meta-llama/llama-3.3-70b-instruct:free","name":"","context_length":null,
             "architecture":{"modality":"text+image->text","tokenizer":"Llama3"},
             "pricing":{"prompt":"0","completion":"0","request":"0","image":"0","web_search":"0","internal_reasoning":"0"},
             "top_provider":{"context_length":131072,"max_completion_tokens":null}}
            """)))
        #expect(m.name == m.id)
        #expect(m.contextLength == 131072)
        #expect(m.maxCompletionTokens == nil)
        #expect(m.inputModalities == ["text", "image"])
        #expect(m.outputModalities == ["text"])
        #expect(m.pricing.isFree)
        #expect(m.canonicalSlug == nil)
    }

    @Test func anEntryWithoutAnIdIsRejectedAndMistypedFieldsAreIgnored() throws {
        #expect(ModelInfo(entry: try Self.entry(#"{"name":"x"}"#)) == nil)
        #expect(ModelInfo(entry: try Self.entry(#"{"id":42}"#)) == nil)
        let m = try #require(ModelInfo(entry: try Self.entry(
            #"{"id":"a/b","context_length":"big","pricing":{"prompt":"abc","completion":0.000002},"supported_parameters":"seed"}"#)))
        #expect(m.contextLength == nil)
        #expect(m.pricing.prompt == nil)
        #expect(m.pricing.completion == Decimal(string: "0.000002"))
        #expect(m.supportedParameters.isEmpty)
    }

    @Test func routersHaveVariablePricesAndAliasesTheirTarget() throws {
        let router = try #require(ModelInfo(entry: try Self.entry(#"{"id":"openrouter/auto","pricing":{"prompt":"-1","completion":"-1"}}"#)))
        #expect(router.pricing.isVariable)
        #expect(!router.pricing.isFree)
        #expect(router.pricing.effective(promptTokens: 10) == nil)
        #expect(router.record["prompt_price_per_million"] == .null)
        #expect(router.record["variable_price"] == .bool(true))
        let alias = try #require(ModelInfo(entry: try Self.entry(
            #"{"id":"~x-ai/grok-latest","alias_target":{"name":"Grok","slug":"x-ai/grok-4.6"},"pricing":{"prompt":"0.000002","completion":"0.000006"}}"#)))
        #expect(alias.provider == "x-ai")
        #expect(alias.aliasTarget == "x-ai/grok-4.6")
    }

    @Test func overridesApplyByPromptSizeAndTimeWindowLaterOnesWinning() throws {
        let p = ModelPricing(json: try Self.entry("""
            {"prompt":"0.00000003","completion":"0.00000013","overrides":[
              {"min_prompt_tokens":32000,"prompt":"0.0000001","completion":"0.0000004"},
              {"min_prompt_tokens":256000,"prompt":"0.0000002","completion":"0.0000008"}]}
            """))
        #expect(p.effective(promptTokens: 1000)! == (Decimal(string: "0.00000003")!, Decimal(string: "0.00000013")!))
        #expect(p.effective(promptTokens: 32000)! == (Decimal(string: "0.0000001")!, Decimal(string: "0.0000004")!))
        #expect(p.effective(promptTokens: 300_000)! == (Decimal(string: "0.0000002")!, Decimal(string: "0.0000008")!))

        let windows = ModelPricing(json: try Self.entry("""
            {"prompt":"0.00000066","completion":"0.00000198","overrides":[
              {"utc_start":1000,"utc_end":100,"prompt":"0.00000066","completion":"0.00000198"},
              {"utc_start":100,"utc_end":400,"prompt":"0.00000132","completion":"0.00000396"}]}
            """))
        let at0200 = Date(timeIntervalSince1970: 2 * 3600)        // 02:00 UTC: second window
        let at2330 = Date(timeIntervalSince1970: 23.5 * 3600)     // 23:30 UTC: first window, wrapping midnight
        #expect(windows.effective(promptTokens: 10, at: at0200)!.prompt == Decimal(string: "0.00000132"))
        #expect(windows.effective(promptTokens: 10, at: at2330)!.prompt == Decimal(string: "0.00000066"))
    }

    @Test func theRecordKeepsPerTokenStringsAndAddsPerMillionNumbers() throws {
        let m = try #require(ModelInfo(entry: try Self.entry(
            #"{"id":"anthropic/claude-3.7-sonnet","name":"Claude","pricing":{"prompt":"0.000003","completion":"0.000015","image":"0.0048"}}"#)))
        let r = m.record
        #expect(r["prompt_price_per_million"] == .double(3))
        #expect(r["completion_price_per_million"] == .double(15))
        #expect(r["pricing"] == .object(["prompt": "0.000003", "completion": "0.000015", "image": "0.0048"]))
        #expect(r["provider"] == "anthropic")
        #expect(r["description"] == .null)
        #expect(r["free"] == .bool(false))
    }
}
