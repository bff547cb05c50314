import JBCore
import Testing
@testable import JBSample

@Suite struct AllocationTests {
    @Test func proportionalAddsUpByLargestRemainder() throws {
        // 10 of 600/300/100: exact shares 6/3/1.
        #expect(try Allocation.proportional(total: 10, sizes: [600, 300, 100]) == [6, 3, 1])
        // 10 of 500/300/200 → 5/3/2; 7 of 500/300/200 → 3.5/2.1/1.4: floors 3/2/1, one more to the .5.
        #expect(try Allocation.proportional(total: 7, sizes: [500, 300, 200]) == [4, 2, 1])
        // 100 of three equal strata: 33.33 each, the extra unit goes to the first (tie).
        #expect(try Allocation.proportional(total: 100, sizes: [50, 50, 50]) == [34, 33, 33])
    }

    @Test func everyShareIsWithinOneOfExact() throws {
        let sizes = [17, 400, 3, 1, 250, 99, 1230]
        for total in [1, 5, 50, 333, 2000] {
            let shares = try Allocation.proportional(total: total, sizes: sizes)
            #expect(shares.reduce(0, +) == total)
            let n = Double(sizes.reduce(0, +))
            for (share, size) in zip(shares, sizes) {
                #expect(abs(Double(share) - Double(total) * Double(size) / n) < 1)
                #expect(share <= size)
            }
        }
    }

    @Test func minimumPerStratum() throws {
        // 20 of 900/90/10 with at least 3: the 10-record stratum would get 0.2 and the 90 one 1.8,
        // so both get 3 and the remaining 14 go to the big one.
        #expect(try Allocation.proportional(total: 20, sizes: [900, 90, 10], minimum: 3) == [14, 3, 3])
        // A stratum smaller than the minimum gives all it has.
        #expect(try Allocation.proportional(total: 20, sizes: [900, 2], minimum: 5) == [18, 2])
    }

    @Test func impossibleMinimumIsAUsageError() {
        #expect(throws: JBError.self) { try Allocation.proportional(total: 5, sizes: [10, 10, 10], minimum: 2) }
    }

    @Test func equalAllocation() {
        #expect(Allocation.equal(perStratum: 5, sizes: [100, 3, 5]) == [5, 3, 5])
    }
}
