import Foundation
import JBCLI
import JBCore
import Yams

/// `--set KEY=VALUE` overrides applied to a loaded pipeline.
///
/// `STAGE.FLAG=VALUE` replaces a flag of a stage, or adds it (`sample.n=20` → `-n 20`);
/// `report.FLAG` and `sink.FLAG` do the same for jb-report and jb-store; `seed`, `name`,
/// `report.formats` and `sink.db` set those fields. A value `true` gives the flag alone,
/// `false` or `null` removes it, `[a, b]` repeats it.
public enum Overrides {
    /// Applies each `KEY=VALUE` in order.
    public static func apply(_ assignments: [String], to pipeline: Pipeline) throws -> Pipeline {
        var p = pipeline
        for assignment in assignments {
            guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
                throw JBError.usage("--set \(assignment): expected STAGE.FLAG=VALUE, e.g. --set sample.n=20")
            }
            let key = String(assignment[..<eq]), raw = String(assignment[assignment.index(after: eq)...])
            let value = try parse(raw, assignment: assignment)
            switch key {
            case "seed":
                guard case .text(let t) = value, let s = Int64(t), s >= 0 else {
                    if case .off = value { p.seed = nil; continue }
                    throw JBError.usage("--set \(assignment): expected a whole number, 0 or more")
                }
                p.seed = s
                continue
            case "preset":
                if case .off = value { p.preset = nil; continue }
                guard case .text(let t) = value, Preset.named(t) != nil else {
                    throw JBError.usage("--set \(assignment): expected \(Preset.all.map(\.name).joined(separator: ", ")) or null")
                }
                p.preset = t
                continue
            case "name":
                guard case .text(let t) = value, isValidName(t) else {
                    throw JBError.usage("--set \(assignment): use letters, digits, '-', '_' and '.' only")
                }
                p.name = t
                continue
            case "report.formats":
                let formats: [String]
                switch value {
                case .text(let t): formats = t.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                case .list(let l): formats = l
                case .on, .off: formats = []
                }
                for f in formats where Report.fileExtension(for: f) == nil {
                    throw JBError.usage("--set \(assignment): unknown format '\(f)' (expected \(Report.extensions.map(\.format).joined(separator: ", ")))")
                }
                if formats.isEmpty { p.report = nil } else {
                    if p.report == nil { p.report = Report(formats: []) }
                    p.report!.formats = formats
                }
                continue
            case "sink.db":
                guard case .text(let t) = value, !t.isEmpty else {
                    p.sink = nil
                    continue
                }
                if p.sink == nil { p.sink = Sink(db: t) } else { p.sink!.db = t }
                continue
            default:
                break
            }
            guard let dot = key.firstIndex(of: "."), dot != key.startIndex, key.index(after: dot) != key.endIndex else {
                throw JBError.usage("--set \(assignment): expected STAGE.FLAG=VALUE (stages: \(p.stages.map(\.name).joined(separator: ", "))), or seed=N")
            }
            let target = String(key[..<dot]), flag = String(key[key.index(after: dot)...])
            if target == "report" && p.stage(named: "report") == nil {
                guard p.report != nil else { throw JBError.usage("--set \(assignment): the pipeline has no report section") }
                p.report!.args = set(flag, value, in: p.report!.args)
            } else if target == "sink" && p.stage(named: "sink") == nil {
                guard p.sink != nil else { throw JBError.usage("--set \(assignment): the pipeline has no sink (set sink.db=FILE first)") }
                p.sink!.args = set(flag, value, in: p.sink!.args)
            } else if let k = p.stages.firstIndex(where: { $0.name == target }) {
                p.stages[k].args = set(flag, value, in: p.stages[k].args)
            } else {
                throw JBError.usage("--set \(assignment): no stage named '\(target)' (stages: \(p.stages.map(\.name).joined(separator: ", ")))")
            }
        }
        return p
    }

    /// Sets a flag, matching `n` to an existing `n`, `-n` or `--n` spelling.
    static func set(_ flag: String, _ value: FlagValue, in args: [StageArgument]) -> [StageArgument] {
        let wanted = StageArgument.spell(flag)
        let existing = args.compactMap { a -> String? in
            if case .flag(let n, _) = a, [wanted, "-" + flag, "--" + flag].contains(StageArgument.spell(n)) { return n }
            return nil
        }.first
        var stage = Stage(name: "_", tool: "_", args: args)
        stage.setFlag(existing ?? flag, value)
        return stage.args
    }

    /// A value as YAML reads it: `true`, `false`, `null`, `[a, b]`, else text.
    static func parse(_ raw: String, assignment: String) throws -> FlagValue {
        let t = raw.trimmingCharacters(in: .whitespaces)
        switch t {
        case "true": return .on
        case "false", "null", "~", "": return .off
        default: break
        }
        if t.hasPrefix("[") {
            guard let node = try? YAMLFile.parse(text: t, path: "--set"), case .sequence(let seq) = node else {
                throw JBError.usage("--set \(assignment): expected a list such as [a, b]")
            }
            return .list(seq.compactMap(\.string))
        }
        return .text(raw)
    }
}
