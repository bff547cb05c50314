import Foundation
import JBCore

/// Paces requests evenly: one every 60/R seconds, so no 60 s window holds more than R and no
/// 6 s window more than R/10. Every HTTP attempt, retries included, takes a slot.
///
/// A lock, not an actor: with no `--rpm` and no `Retry-After` pause, taking a slot costs no
/// hop to another executor (at 5,000 requests a second, those hops were measurable).
public final class RateLimiter: @unchecked Sendable {
    private let interval: Duration
    private let lock = NSLock()
    private var next: ContinuousClock.Instant
    private var pausedUntil: ContinuousClock.Instant

    /// `rpm` nil or 0 means unlimited (only `Retry-After` pauses apply).
    public init(rpm: Double?) {
        if let rpm, rpm > 0 {
            // A hair over 60/R so that even timer jitter cannot squeeze R+1 into a window.
            interval = .nanoseconds(Int64((60.0 / rpm) * 1e9) + 1_000_000)
        } else {
            interval = .zero
        }
        next = .now
        pausedUntil = .now
    }

    /// Waits for the next send slot.
    public func acquire() async throws {
        let t: ContinuousClock.Instant = lock.withLock {
            let t = max(ContinuousClock.now, next, pausedUntil)
            next = t + interval
            return t
        }
        // Sleep in a loop: a timer may wake a little early, and a slot must never come early.
        while true {
            let left = t - ContinuousClock.now
            if left <= .zero { break }
            try await Task.sleep(nanoseconds: UInt64(left.components.seconds) * 1_000_000_000
                                 + UInt64(left.components.attoseconds / 1_000_000_000) + 1)
        }
    }

    /// Holds every send until `seconds` from now (a server's `Retry-After`).
    public func pause(seconds: Double) {
        let until = ContinuousClock.now + .nanoseconds(Int64(seconds * 1e9))
        lock.withLock { if until > pausedUntil { pausedUntil = until } }
    }
}

/// How many requests may be in flight: starts at `--concurrency`, is halved on a 429 (at
/// most once a second), and grows back by one after each run of `limit` successes.
/// A lock, not an actor, so that a free slot is taken without a hop.
public final class ConcurrencyGate: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int
    public let maximum: Int
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Bool, Never>] = []
    private var closed = false
    private var lastCut: ContinuousClock.Instant?
    private var successes = 0

    public init(maximum: Int) {
        self.maximum = max(1, maximum)
        current = self.maximum
    }

    /// The limit now.
    public var limit: Int { lock.withLock { current } }

    /// Waits for a slot; false once the gate is closed (the run is stopping).
    public func acquire() async -> Bool {
        let now: Bool? = lock.withLock {
            if closed { return false }
            if inFlight < current {
                inFlight += 1
                return true
            }
            return nil
        }
        if let now { return now }
        return await withCheckedContinuation { c in
            lock.lock()
            if closed {
                lock.unlock()
                c.resume(returning: false)
            } else if inFlight < current {
                inFlight += 1
                lock.unlock()
                c.resume(returning: true)
            } else {
                waiters.append(c)
                lock.unlock()
            }
        }
    }

    /// Gives a slot back.
    public func release() {
        let woken = lock.withLock { () -> [CheckedContinuation<Bool, Never>] in
            inFlight -= 1
            return wakeable()
        }
        for w in woken { w.resume(returning: true) }
    }

    /// The waiters that now get a slot (called with the lock held).
    private func wakeable() -> [CheckedContinuation<Bool, Never>] {
        var out: [CheckedContinuation<Bool, Never>] = []
        while !closed && inFlight < current && !waiters.isEmpty {
            inFlight += 1
            out.append(waiters.removeFirst())
        }
        return out
    }

    /// Refuses every waiting and future `acquire`.
    public func close() {
        let refused = lock.withLock { () -> [CheckedContinuation<Bool, Never>] in
            closed = true
            defer { waiters.removeAll() }
            return waiters
        }
        for w in refused { w.resume(returning: false) }
    }

    /// A 429 came back: cut the limit.
    public func rateLimited() {
        let now = ContinuousClock.now
        lock.withLock {
            if let lastCut, now - lastCut < .seconds(1) { return }
            lastCut = now
            current = max(1, current / 2)
            successes = 0
        }
    }

    /// A request succeeded: regrow the limit slowly.
    public func succeeded() {
        let woken = lock.withLock { () -> [CheckedContinuation<Bool, Never>] in
            guard current < maximum else { return [] }
            successes += 1
            if successes >= current {
                successes = 0
                current += 1
                return wakeable()
            }
            return []
        }
        for w in woken { w.resume(returning: true) }
    }
}

/// Money: what was spent, and what requests in flight may still cost (`--max-cost`).
public final class Ledger: @unchecked Sendable {
    private let lock = NSLock()
    private var spentValue: Decimal = 0
    private var reservedValue: Decimal = 0
    /// The budget in USD, if any.
    public let budget: Decimal?

    public init(budget: Decimal?) { self.budget = budget }

    /// True while some request holds a reservation.
    public var hasReservations: Bool { lock.withLock { reservedValue > 0 } }

    /// Spent so far, USD.
    public var spent: Decimal { lock.withLock { spentValue } }

    /// Reserves `amount` for a request about to be sent; false if that could pass the budget.
    public func reserve(_ amount: Decimal) -> Bool {
        lock.withLock {
            if let budget, spentValue + reservedValue + amount > budget { return false }
            reservedValue += amount
            return true
        }
    }

    /// Counts money spent before this process started (the records already in the `-o`
    /// file): the budget is the run's, not one invocation's.
    public func addEarlier(_ amount: Decimal) {
        lock.withLock { spentValue += amount }
    }

    /// Replaces a reservation by the actual cost.
    public func settle(reserved: Decimal, actual: Decimal) {
        lock.withLock {
            reservedValue -= reserved
            spentValue += actual
        }
    }
}
