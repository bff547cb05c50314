import JBCore

/// How a sample size is shared among strata.
public enum Allocation {
    /// Proportional allocation of `total` over strata of the given sizes: each stratum gets
    /// `total × size / Σ size`, rounded by largest remainder so the shares add up to `total`
    /// exactly (ties go to the larger stratum, then the earlier one). With `minimum` > 0,
    /// every stratum first gets `min(minimum, size)` (a stratum smaller than that gives all it
    /// has) and the rest is shared proportionally among the strata whose share is above it.
    /// Throws a usage error when the minimums alone need more than `total`.
    public static func proportional(total: Int, sizes: [Int], minimum: Int = 0) throws -> [Int] {
        let floors = sizes.map { min(minimum, $0) }
        let needed = floors.reduce(0, +)
        if needed > total {
            throw JBError.usage("impossible sample size: --min-per-stratum \(minimum) needs \(needed) questions over \(sizes.count) strata, but the sample has \(total)")
        }
        var fixed = [Bool](repeating: false, count: sizes.count)
        var budget = total
        var population = sizes.reduce(0, +)
        while true {
            var changed = false
            for h in sizes.indices where !fixed[h] && population > 0 {
                // share < floor, in integers: budget·size / population < floor.
                if budget * sizes[h] < floors[h] * population {
                    fixed[h] = true
                    budget -= floors[h]
                    population -= sizes[h]
                    changed = true
                }
            }
            if !changed { break }
        }
        var shares = [Int](repeating: 0, count: sizes.count)
        var remainders: [(h: Int, rest: Int)] = []
        var given = 0
        for h in sizes.indices {
            if fixed[h] { shares[h] = floors[h]; continue }
            guard population > 0 else { continue }
            let product = budget * sizes[h]
            shares[h] = product / population
            given += shares[h]
            remainders.append((h, product % population))
        }
        remainders.sort { a, b in
            if a.rest != b.rest { return a.rest > b.rest }
            if sizes[a.h] != sizes[b.h] { return sizes[a.h] > sizes[b.h] }
            return a.h < b.h
        }
        var left = budget - given
        for r in remainders where left > 0 && shares[r.h] < sizes[r.h] {
            shares[r.h] += 1
            left -= 1
        }
        return shares
    }

    /// Equal allocation: `perStratum` from every stratum, or all it has when smaller.
    public static func equal(perStratum: Int, sizes: [Int]) -> [Int] {
        sizes.map { min(perStratum, $0) }
    }
}
