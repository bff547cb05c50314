import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM handling: the first signal asks the run to stop cleanly; a second SIGINT
/// (or SIGTERM) exits at once, after taking the output lock so no line is cut in half.
public final class Interrupts: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0
    private let onFirst: @Sendable () -> Void
    private let onSecond: @Sendable () -> Void

    public init(onFirst: @escaping @Sendable () -> Void, onSecond: @escaping @Sendable () -> Void) {
        self.onFirst = onFirst
        self.onSecond = onSecond
    }

    /// Starts listening.
    public func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in self?.received() }
            s.resume()
            sources.append(s)
        }
    }

    /// Stops listening and restores the default actions.
    public func uninstall() {
        for s in sources { s.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    private func received() {
        let n: Int = lock.withLock { count += 1; return count }
        if n == 1 { onFirst() } else { onSecond() }
    }
}

/// A flag one thread raises (a signal handler, say) and another polls.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    /// Raises the flag.
    public func raise() { lock.withLock { raised = true } }

    /// True once raised.
    public var isRaised: Bool { lock.withLock { raised } }
}
