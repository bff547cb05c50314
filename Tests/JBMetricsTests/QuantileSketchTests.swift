import JBCore
@testable import JBMetrics
import Testing

@Suite struct QuantileSketchTests {
    /// numpy.percentile's default (linear) on a sorted array.
    func exact(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    @Test func exactBelow2048() throws {
        var rng = SystemRandomNumberGenerator()
        var s = QuantileSketch()
        var values: [Double] = []
        for _ in 0..<5000 {
            let v = Double(Int.random(in: 0..<2048, using: &rng))
            values.append(v)
            s.add(v)
        }
        values.sort()
        let q = try #require(s.quantiles([0, 0.5, 0.95, 0.99, 1]))
        for (k, p) in [0, 0.5, 0.95, 0.99, 1].enumerated() {
            #expect(abs(q[k] - exact(values, p)) < 1e-9)
        }
        #expect(abs(s.mean! - values.reduce(0, +) / 5000) < 1e-9)
    }

    @Test func withinOneIn2048Above() throws {
        var s = QuantileSketch()
        var values: [Double] = []
        var x: UInt64 = 12345
        for _ in 0..<20000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let v = Double(2048 + Int(x >> 40) % 3_000_000)
            values.append(v)
            s.add(v)
        }
        values.sort()
        let ps = [0.01, 0.5, 0.95, 0.99, 0.999]
        let q = try #require(s.quantiles(ps))
        for (k, p) in ps.enumerated() {
            let e = exact(values, p)
            #expect(abs(q[k] - e) <= e / 2048 + 1e-9, "p\(p): \(q[k]) vs \(e)")
        }
    }

    @Test func memoryIsBounded() {
        var s = QuantileSketch()
        for v in stride(from: 0, to: 10_000_000, by: 7) { s.add(Double(v)) }
        // 2048 exact buckets + 1024 per doubling from 2^11 to 2^24.
        #expect(s.bucketCount <= 2048 + 1024 * 13)
        #expect(s.count == 1_428_572)
    }

    @Test func bucketsAreMonotonicAndRepresentativesInside() {
        var last = -1
        for v in [0, 1, 2047, 2048, 2050, 4095, 4096, 1 << 20, (1 << 21) - 1, 1 << 40] {
            let b = QuantileSketch.bucket(v)
            #expect(b > last)
            last = b
            let r = QuantileSketch.representative(b)
            #expect(abs(r - Double(v)) <= Double(v) / 2048 + 0.5)
        }
    }

    @Test func emptyAndNegative() {
        var s = QuantileSketch()
        #expect(s.quantiles([0.5]) == nil)
        #expect(s.mean == nil)
        s.add(-5)
        #expect(s.quantiles([0.5]) == [0])
    }
}
