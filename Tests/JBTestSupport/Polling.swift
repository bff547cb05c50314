import Foundation

/// Reads `value` every `interval` seconds until `done` holds of it or `timeout` seconds have
/// passed; the value read last. For waiting on another process or thread without sleeping
/// longer than needed.
public func poll<T>(timeout: Double = 20, interval: Double = 0.02, _ value: () -> T, until done: (T) -> Bool) -> T {
    let deadline = Date().addingTimeInterval(timeout)
    var seen = value()
    while !done(seen) && Date() < deadline {
        usleep(UInt32(interval * 1_000_000))
        seen = value()
    }
    return seen
}
