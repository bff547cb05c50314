import Foundation
import Testing
@testable import JBCore

@Suite struct GradeMethodTests {
    static let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/jb-grade.md")

    /// The method names in the first column of docs/jb-grade.md's method table.
    static func documentedMethods() throws -> [String] {
        let text = try String(contentsOf: doc, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("| method | verdict |") }) else { return [] }
        var names: [String] = []
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cell = line.split(separator: "|", omittingEmptySubsequences: false)[1]
            // "`refusal`, `empty`": every name in backquotes.
            names += cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        return names
    }

    @Test func everyMethodIsDocumentedAndEveryDocumentedMethodExists() throws {
        let documented = try Self.documentedMethods()
        #expect(documented.count >= 20, "the method table in \(Self.doc.path) was not found or is short")
        let names = GradeMethod.allCases.map(\.rawValue)
        #expect(Set(names).subtracting(documented).sorted() == [], "methods missing from docs/jb-grade.md's table")
        #expect(Set(documented).subtracting(names).sorted() == [], "documented methods GradeMethod lacks")
        #expect(documented.count == Set(documented).count, "a method documented twice")
    }

    @Test func rawValuesAreSnakeCase() {
        for m in GradeMethod.allCases {
            #expect(m.rawValue.allSatisfy { $0 == "_" || ("a"..."z").contains($0) }, "\(m.rawValue)")
        }
    }
}
