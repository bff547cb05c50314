import Testing
@testable import JBSample

@Suite struct ReservoirTests {
    func entry(_ priority: UInt64, _ seq: Int) -> Entry {
        Entry(key: SampleKey(priority: priority, seq: seq), id: "\(priority)", stratum: 0, line: [])
    }

    @Test func keepsTheSmallestKeys() {
        var r = Reservoir()
        var generator = SystemRandomNumberGenerator()
        let priorities = (0..<500).map { _ in UInt64.random(in: 0..<1_000_000, using: &generator) }
        for (seq, p) in priorities.enumerated() where r.admits(SampleKey(priority: p, seq: seq), capacity: 20) {
            r.insert(entry(p, seq))
            if r.count > 20 { _ = r.popMax() }
        }
        let expected = priorities.enumerated().map { SampleKey(priority: $1, seq: $0) }.sorted().prefix(20)
        #expect(r.sorted().map(\.key) == Array(expected))
        #expect(r.maxKey == expected.last)
    }

    @Test func tiesBreakByInputPosition() {
        #expect(SampleKey(priority: 5, seq: 1) < SampleKey(priority: 5, seq: 2))
        #expect(SampleKey(priority: 4, seq: 9) < SampleKey(priority: 5, seq: 0))
        var r = Reservoir()
        r.insert(entry(7, 2))
        r.insert(entry(7, 1))
        r.insert(entry(3, 5))
        #expect(r.popMax().key == SampleKey(priority: 7, seq: 2))
        #expect(!r.admits(SampleKey(priority: 8, seq: 0), capacity: 2))
        #expect(r.admits(SampleKey(priority: 6, seq: 0), capacity: 2))
    }
}
