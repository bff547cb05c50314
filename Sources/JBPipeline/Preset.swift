import JBCore

/// A run preset: the seed's benchmark modes `quick`, `standard` and `comprehensive`, each a
/// sample size. A pipeline names one with `preset:` (or `--set preset=NAME`); it sets `n` of
/// every jb-sample stage, over the file's value, while `--set sample.n=N` still wins. The run
/// records the mode and the sample size in run.json (`benchmark_mode`, `sample_size`).
public struct Preset: Sendable, Equatable {
    /// `quick`, `standard` or `comprehensive`.
    public var name: String
    /// Questions sampled.
    public var sampleSize: Int

    /// The presets, smallest first (the seed's sizes: 50, 200, 1000 questions).
    public static let all: [Preset] = [
        Preset(name: "quick", sampleSize: 50),
        Preset(name: "standard", sampleSize: 200),
        Preset(name: "comprehensive", sampleSize: 1000),
    ]

    /// The preset called `name`, if any.
    public static func named(_ name: String) -> Preset? { all.first { $0.name == name } }

    /// True for a stage that runs jb-sample.
    static func isSample(_ stage: Stage) -> Bool { stage.tool == "jb-sample" || stage.tool == "sample" }

    /// Applies the pipeline's preset, then the overrides: `preset=` overrides first (they
    /// choose the preset), the preset's sample size, then every other override.
    public static func apply(overrides: [String], to pipeline: Pipeline) throws -> Pipeline {
        let choosing = overrides.filter { $0.hasPrefix("preset=") }
        var p = try Overrides.apply(choosing, to: pipeline)
        if let name = p.preset, let preset = named(name) {
            for k in p.stages.indices where isSample(p.stages[k]) {
                p.stages[k].args = Overrides.set("n", .text(String(preset.sampleSize)), in: p.stages[k].args)
            }
        }
        return try Overrides.apply(overrides.filter { !$0.hasPrefix("preset=") }, to: p)
    }

    /// The sample size a pipeline runs with: `n` of its first jb-sample stage, if a number.
    public static func sampleSize(of pipeline: Pipeline) -> Int? {
        guard let stage = pipeline.stages.first(where: isSample) else { return nil }
        for name in ["n", "-n", "--n"] {
            if case .text(let t)? = stage.flag(name), let n = Int(t.trimmingCharacters(in: .whitespaces)) { return n }
        }
        return nil
    }
}
