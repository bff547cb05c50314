import Foundation
import JBTestSupport
import Testing

/// Runs every `Golden/<tool>/<case>/` folder against the built executables.
@Suite(.tools) struct GoldenTests {
    @Test(arguments: GoldenCase.all())
    func golden(_ c: GoldenCase) throws {
        if let problem = try c.check() {
            Issue.record("\(c): \(problem)")
        }
    }
}
