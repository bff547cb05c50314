import Foundation
import JBCore
@testable import JBModels
import JBTestSupport
import Testing

@Suite struct ModelPrinterTests {
    /// Prints through a JSONLWriter into a file and returns the text.
    static func printed(_ body: (ModelPrinter) throws -> Void, format: OutputFormat) throws -> String {
        let path = ToolRunner.makeTemporaryDirectory().appendingPathComponent("out").path
        do {
            let writer = try JSONLWriter(path: path, append: false)
            try body(ModelPrinter(format: format, writer: writer))
            try writer.flush()
        }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static let models = [
        ModelInfo(id: "openai/gpt-4o-mini", name: "OpenAI: GPT-4o-mini", contextLength: 128_000,
                  pricing: ModelPricing(prices: ["prompt": Decimal(string: "0.00000015")!, "completion": Decimal(string: "0.0000006")!])),
        ModelInfo(id: "openrouter/auto", name: "Auto Router", contextLength: 2_000_000,
                  pricing: ModelPricing(prices: ["prompt": -1, "completion": -1])),
    ]

    @Test func listAsATable() throws {
        let text = try Self.printed({ try $0.list(Self.models) }, format: .table)
        #expect(text == """
            ID                    CONTEXT  PROMPT $/M  COMPLETION $/M  NAME
            openai/gpt-4o-mini    128,000        0.15            0.60  OpenAI: GPT-4o-mini
            openrouter/auto     2,000,000    variable        variable  Auto Router

            """)
    }

    @Test func listAsJSONLines() throws {
        let lines = try Self.printed({ try $0.list(Self.models) }, format: .jsonLines).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONParser.parse(String(lines[0])).objectValue)
        #expect(first["id"] == "openai/gpt-4o-mini")
        #expect(first["prompt_price_per_million"] == .double(0.15))
        #expect(first["completion_price_per_million"] == .double(0.6))
    }

    @Test func infoAsLabelledLines() throws {
        var m = Self.models[0]
        m.maxCompletionTokens = 16384
        m.modality = "text+image->text"
        m.supportedParameters = ["max_tokens", "seed"]
        m.pricing.prices["image"] = Decimal(string: "0.000217")!
        m.pricing.overrides = [PriceOverride(minPromptTokens: 200_000, prices: ["prompt": Decimal(string: "0.0000003")!])]
        let text = try Self.printed({ try $0.info(m) }, format: .table)
        #expect(text.contains("context length    128,000 tokens\n"))
        #expect(text.contains("max completion    16,384 tokens\n"))
        #expect(text.contains("prompt price      $0.15 per million tokens\n"))
        #expect(text.contains("completion price  $0.60 per million tokens\n"))
        #expect(text.contains("image price       $0.000217 per image\n"))
        #expect(text.contains("price override    from 200,000 prompt tokens: prompt $0.30 per million tokens\n"))
        #expect(text.contains("parameters        max_tokens, seed\n"))
        #expect(text.contains("modality          text+image->text\n"))
    }

    @Test func moneyAndGrouping() {
        #expect(ModelPrinter.money(Decimal(string: "0.15")!) == "0.15")
        #expect(ModelPrinter.money(15) == "15.00")
        #expect(ModelPrinter.money(Decimal(string: "0.078596")!) == "0.078596")
        #expect(ModelPrinter.money(Decimal(string: "0.0000001")!) == "0.00")
        #expect(ModelPrinter.grouped(1_048_576) == "1,048,576")
        #expect(ModelPrinter.grouped(999) == "999")
        #expect(ModelPrinter.price(nil) == "-")
    }
}
