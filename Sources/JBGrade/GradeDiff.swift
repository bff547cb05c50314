import JBCore

/// Compares two gradings of the same responses: the verdicts that flipped.
///
/// Records are matched by `key` when both have one, else by `id` + `model` + `epoch`. OLD is
/// held in memory (a few fields per record); NEW is streamed.
public final class GradeDiff {
    /// Counts for the summary line.
    public struct Summary: Sendable, Equatable {
        public var matched = 0, flipped = 0, nowCorrect = 0, nowWrong = 0, otherFlips = 0, onlyOld = 0, onlyNew = 0
        public var methodChanged = 0

        /// One line for stderr.
        public var text: String {
            "diff: \(matched) matched, \(flipped) flipped (\(nowCorrect) now correct, \(nowWrong) now wrong, "
                + "\(otherFlips) to or from not answered), \(methodChanged) same verdict by another method, "
                + "\(onlyOld) only in OLD, \(onlyNew) only in NEW"
        }
    }

    private struct Old {
        var grade: JSONObject
        var seen = false
    }

    /// The summary after `run`.
    public private(set) var summary = Summary()

    public init() {}

    /// The matching key of a graded record.
    static func matchKey(_ o: JSONObject, fail: (String) -> JBError) throws -> String {
        if let k = o[Response.Key.key]?.stringValue { return "key:" + k }
        guard let id = o[Question.Key.id]?.stringValue else { throw fail("missing field \"key\" or \"id\"") }
        let model = o[Response.Key.model]?.stringValue ?? ""
        let epoch = o[Response.Key.epoch]?.intValue.map(String.init) ?? "1"
        return "id:\(id)\u{1F}\(model)\u{1F}\(epoch)"
    }

    static func gradeOf(_ o: JSONObject, fail: (String) -> JBError) throws -> JSONObject {
        guard let g = o[Grade.recordKey] else { throw fail("missing field \"grade\" (not a graded record)") }
        guard case .object(let grade) = g else { throw fail("field \"grade\": expected an object, found \(g.typeName)") }
        return grade
    }

    /// The grade fields a flip shows.
    static let shownFields: Set<String> = Set([Grade.Key.correct, .method, .mode, .extracted, .score, .answered].map(\.rawValue))
    /// The record fields a flip carries.
    static let recordFields = [Question.Key.id.rawValue, Response.Key.model.rawValue, Response.Key.epoch.rawValue,
                               Response.Key.key.rawValue, Question.Key.answer.rawValue]

    /// Reads OLD whole, streams NEW, writes one record per flipped verdict.
    public func run(old: JSONLReader, new: JSONLReader, writer: JSONLWriter) throws {
        var olds: [String: Old] = [:]
        while let o = try old.next() {
            let k = try GradeDiff.matchKey(o, fail: { old.error($0) })
            var g = try GradeDiff.gradeOf(o, fail: { old.error($0) })
            // Keep only what the diff shows, so OLD costs little memory.
            g = g.filter { GradeDiff.shownFields.contains($0.key) }
            for f in GradeDiff.recordFields { if let v = o[f] { g["_" + f] = v } }
            olds[k] = Old(grade: g)
        }
        while let n = try new.next() {
            let k = try GradeDiff.matchKey(n, fail: { new.error($0) })
            let g = try GradeDiff.gradeOf(n, fail: { new.error($0) })
            guard var o = olds[k] else { summary.onlyNew += 1; continue }
            if o.seen { continue }
            o.seen = true
            olds[k] = o
            summary.matched += 1
            let before = o.grade[Grade.Key.correct] ?? .null, after = g[Grade.Key.correct] ?? .null
            if before == after {
                if o.grade[Grade.Key.method] != g[Grade.Key.method] { summary.methodChanged += 1 }
                continue
            }
            summary.flipped += 1
            switch (before.boolValue, after.boolValue) {
            case (false?, true?): summary.nowCorrect += 1
            case (true?, false?): summary.nowWrong += 1
            default: summary.otherFlips += 1
            }
            var out: JSONObject = ["kind": "flip"]
            for f in GradeDiff.recordFields { if let v = n[f] ?? o.grade["_" + f] { out[f] = v } }
            out["old"] = .object(o.grade.filter { !$0.key.hasPrefix("_") })
            out["new"] = .object(g.filter { GradeDiff.shownFields.contains($0.key) })
            try writer.write(out)
        }
        summary.onlyOld = olds.values.filter { !$0.seen }.count
    }
}
