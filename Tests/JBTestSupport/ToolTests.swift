import Foundation
import Testing

/// The trait of a suite whose tests run the built tools (`@Suite(.tools)`): each test case
/// gets a home folder of its own (HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME of every tool it
/// runs, removed afterwards), and its body runs on threads of its own, so a test that waits
/// for a tool never holds a thread of the shared concurrency pool, where the in-process fake
/// servers of the other tests answer. With both, the suite runs in parallel with the others.
public struct ToolTests: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }
        let home = ToolRunner.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try await ToolRunner.$home.withValue(home) {
            try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) {
                try await function()
            }
        }
    }
}

extension Trait where Self == ToolTests {
    /// Own home folder and own threads for each test (see `ToolTests`).
    public static var tools: Self { ToolTests() }
}

/// Runs every job on a new thread: a job that blocks (waiting for a process, a pipe, a lock)
/// blocks only its own thread. Tests only: a thread per job is cheap next to running a tool.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.start()
    }
}
