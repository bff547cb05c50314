import Foundation
import JBCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a plan: each segment's stages start at once as separate processes connected by
/// pipes, each stage's output is copied into its file in the run folder as it streams on to
/// the next stage, and each stage's stderr is shown prefixed with its name.
///
/// The first step that fails stops the run (the others of its segment are sent SIGTERM, so
/// jb-query saves what it has), and the run's status is that step's status.
public final class Runner: @unchecked Sendable {
    /// The environment the stages run in (jb adds `JB_RUN_ID` and `JB_RUN_DIR`).
    public let environment: [String: String]
    /// Finds the tools.
    public let locator: ToolLocator
    /// Where prefixed stderr lines go (jb's stderr, normally).
    public let stderrSink: @Sendable (String) -> Void
    /// Draws a progress line (records so far per stage), or clears it with nil; nil: none.
    public var progress: (@Sendable (String?) -> Void)?

    /// The record, updated as steps finish and rewritten to `run.json`.
    public private(set) var record: RunRecord

    private let lock = NSLock()
    private var group: pid_t = 0
    private var interruptedBy: Int32?
    private var logFD: Int32 = -1
    /// Set when a stage's output file could not be written: the run then fails with 74.
    private var teeWriteFailed = false

    public init(record: RunRecord, locator: ToolLocator,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                stderrSink: @escaping @Sendable (String) -> Void) {
        self.record = record
        self.locator = locator
        var env = environment
        env["JB_RUN_ID"] = record.plan.id
        env["JB_RUN_DIR"] = record.plan.runDirectory
        if let dir = locator.jbDirectory {
            env["PATH"] = dir + (env["PATH"].map { ":" + $0 } ?? "")
        }
        self.environment = env
        self.stderrSink = stderrSink
    }

    /// Forwards a signal to the running processes; no new step starts afterwards.
    public func interrupt(_ signal: Int32) {
        lock.lock()
        defer { lock.unlock() }
        interruptedBy = signal
        if group > 0 { killpg(group, signal) }
    }

    /// Runs stages `start…` (all, or the rest when resuming), then the reports and the sink.
    /// Returns the run's status: 0, or the status of the first step that failed.
    public func run(from start: Int = 0, resuming: Bool = false) throws -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let plan = record.plan
        try FileManager.default.createDirectory(atPath: plan.runDirectory, withIntermediateDirectories: true)
        logFD = try Spawn.openWrite(plan.runDirectory + "/run.log", append: resuming)
        defer { close(logFD) }
        if resuming {
            record.resumedAt.append(Runner.now())
            for k in start..<record.stages.count {
                record.stages[k].status = nil
                record.stages[k].startedAt = nil
                record.stages[k].endedAt = nil
                record.stages[k].records = nil
            }
            record.status = nil
            record.endedAt = nil
        }
        try record.write()

        var status: Int32 = 0
        let segments = plan.segments(from: start, resuming: resuming)
        for segment in segments {
            if let s = stoppedStatus() { status = s; break }
            for step in segment where step.resumes { try Runner.dropPartialLine(plan.stages[step.index].output) }
            let units = segment.map { step in
                Unit(label: plan.stages[step.index].name, command: step.command, input: step.input, output: step.output)
            }
            let results = run(units) { k, result in
                let i = segment[k].index
                self.record.stages[i].startedAt = result.startedAt
                self.record.stages[i].endedAt = result.endedAt
                self.record.stages[i].status = result.status
                // A resumed stage writes its file itself (`-o`): count the file's lines.
                self.record.stages[i].records = segment[k].resumes
                    ? LineCounter(path: plan.stages[i].output).count() : result.lines
                self.record.stages[i].resumed = segment[k].resumes
            }
            try record.write()
            let writeFailed = lock.withLock { teeWriteFailed }
            // Interrupted: the stages that died of the forwarded signal (143, 130) are its
            // consequence; the run's status is the documented 130.
            if let failure = results.failure ?? (writeFailed ? ExitStatus.ioError.rawValue : nil) { status = stoppedStatus() ?? failure; break }
        }
        if status == 0 {
            for (k, report) in plan.reports.enumerated() {
                if let s = stoppedStatus() { status = s; break }
                let unit = Unit(label: "report.\(report.format)", command: ["jb-report"] + report.arguments,
                                input: .none, output: .discard)
                let results = run([unit]) { _, result in
                    self.record.reports[k].startedAt = result.startedAt
                    self.record.reports[k].endedAt = result.endedAt
                    self.record.reports[k].status = result.status
                }
                try record.write()
                if let failure = results.failure { status = stoppedStatus() ?? failure; break }
            }
        }
        if status == 0, let sink = plan.sink {
            if let s = stoppedStatus() { status = s } else {
                let unit = Runner.sinkUnit(sink)
                let results = run([unit]) { _, result in
                    self.record.sink?.startedAt = result.startedAt
                    self.record.sink?.endedAt = result.endedAt
                    self.record.sink?.status = result.status
                }
                if let failure = results.failure { status = stoppedStatus() ?? failure }
            }
        }
        record.status = status
        record.endedAt = Runner.now()
        try record.write()
        return status
    }

    private func stoppedStatus() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        return interruptedBy.map { _ in ExitStatus.interrupted.rawValue }
    }

    // MARK: Running one segment

    /// One process to start.
    struct Unit {
        var label: String
        var command: [String]
        var input: Step.Input
        var output: Step.Output
        /// Variables added to the environment the unit runs in.
        var environment: [String: String] = [:]
    }

    /// The sink's `jb-store load` call. A password in a `postgres://` URL goes to jb-store in
    /// `PGPASSWORD`, where libpq reads it, and not in its arguments, which every user of the
    /// machine can read (`ps`).
    static func sinkUnit(_ sink: PlannedSink) -> Unit {
        var unit = Unit(label: "sink", command: ["jb-store"] + sink.arguments, input: .none, output: .discard)
        if let password = DatabaseURL.password(of: sink.db) {
            unit.command = unit.command.map { $0 == sink.db ? DatabaseURL.redacted($0) : $0 }
            unit.environment["PGPASSWORD"] = password
        }
        return unit
    }

    struct UnitResult {
        var status: Int32
        var startedAt: String
        var endedAt: String
        var lines: Int?
    }

    struct SegmentResult {
        /// The status of the first process that failed on its own, if any.
        var failure: Int32?
    }

    /// The descriptors of one unit: the child's three, and those its copying threads use.
    struct Wiring {
        var stdin: Int32 = -1, stdout: Int32 = -1, stderr: Int32 = -1
        var errRead: Int32 = -1
        var teeRead: Int32 = -1, teeFile: Int32 = -1, teeNext: Int32 = -1
        var teePath = ""
        var counter: LineCounter?

        var childSide: [Int32] { [stdin, stdout, stderr] }
        var ourSide: [Int32] { [errRead, teeRead, teeFile, teeNext] }
    }

    /// Opens every file and pipe of a segment first, so a file that cannot be opened stops it
    /// before anything starts; on failure everything opened is closed again.
    private func wire(_ units: [Unit]) throws -> [Wiring] {
        var wirings: [Wiring] = []
        var nextStdin: Int32 = -1
        do {
            for unit in units {
                var w = Wiring()
                wirings.append(w)
                switch unit.input {
                case .none: w.stdin = try Spawn.openRead("/dev/null")
                case .file(let f): w.stdin = try Spawn.openRead(f)
                case .pipe: w.stdin = nextStdin
                }
                nextStdin = -1
                wirings[wirings.count - 1] = w
                switch unit.output {
                case .file(let f):
                    w.stdout = try Spawn.openWrite(f)
                    w.counter = LineCounter(path: f)
                case .discard:
                    w.stdout = try Spawn.openWrite("/dev/null")
                case .tee(let f):
                    let out = try Spawn.pipe()
                    (w.stdout, w.teeRead) = (out.write, out.read)
                    wirings[wirings.count - 1] = w
                    let next = try Spawn.pipe()
                    (nextStdin, w.teeNext) = (next.read, next.write)
                    wirings[wirings.count - 1] = w
                    w.teeFile = try Spawn.openWrite(f)
                    w.teePath = f
                    w.counter = LineCounter(path: nil)
                }
                wirings[wirings.count - 1] = w
                let err = try Spawn.pipe()
                (w.stderr, w.errRead) = (err.write, err.read)
                wirings[wirings.count - 1] = w
            }
        } catch {
            for w in wirings { for fd in w.childSide + w.ourSide where fd >= 0 { close(fd) } }
            if nextStdin >= 0 { close(nextStdin) }
            throw error
        }
        return wirings
    }

    /// Starts the units connected by pipes, waits for all of them, and reports each as it ends.
    private func run(_ units: [Unit], finished: @escaping (Int, UnitResult) -> Void) -> SegmentResult {
        let startedAt = Runner.now()
        let done = DispatchGroup()
        var pids: [pid_t] = []
        var failure: Int32?
        var stopping = false
        func fail(_ k: Int, _ error: Error) {
            let e = error as? JBError ?? .internal("\(error)")
            emit(label: units[k].label, line: "jb: error: \(e)")
            failure = e.status.rawValue
            stopping = true
            finished(k, UnitResult(status: e.status.rawValue, startedAt: startedAt, endedAt: Runner.now(), lines: nil))
        }

        let wirings: [Wiring]
        do {
            wirings = try wire(units)
        } catch {
            fail(0, error)
            return SegmentResult(failure: failure)
        }
        lock.lock()
        group = 0
        lock.unlock()
        for (k, unit) in units.enumerated() {
            let w = wirings[k]
            do {
                guard let found = locator.resolve(unit.command[0]) else {
                    throw JBError.cannotOpen(path: unit.command[0], reason: "tool not found beside jb or on PATH")
                }
                // A stage writing straight into its file names that file, not "<stdout>", in
                // its messages (a tee'd stage's file is written, and named, by jb).
                var env = environment.merging(unit.environment) { _, added in added }
                if case .file(let f) = unit.output { env["JB_STDOUT_NAME"] = f }
                let pid = try Spawn.start(path: found.path, arguments: unit.command, environment: env,
                                          stdin: w.stdin, stdout: w.stdout, stderr: w.stderr, group: pids.first ?? 0)
                lock.lock()
                if pids.isEmpty { group = pid }
                let interrupted = interruptedBy
                lock.unlock()
                pids.append(pid)
                if let interrupted { killpg(pid, interrupted) }
            } catch {
                // This one and the later ones never start: close their descriptors (the stage
                // before sees its reader gone and keeps copying into its file).
                // (The ones before are running, their copying threads started.)
                for later in wirings[k...] { for fd in later.childSide + later.ourSide where fd >= 0 { close(fd) } }
                fail(k, error)
                lock.lock()
                if group > 0 { killpg(group, SIGTERM) }
                lock.unlock()
                break
            }
            for fd in w.childSide where fd >= 0 { close(fd) }
            startCopying(w, label: unit.label, done: done)
        }
        let groupID = pids.first ?? 0
        let state = Locked(WaitState(failure: failure, stopping: stopping))
        for (k, pid) in pids.enumerated() {
            done.enter()
            Thread {
                let status = Spawn.wait(pid)
                let end = Runner.now()
                let interrupted = self.stoppedStatus() != nil
                state.withLock { s in
                    if status != 0 && !s.stopping {
                        // The first failure is the cause; the others are stopped, so they save
                        // their work (after an interrupt they have their signal already: a second
                        // one would make jb-query quit without waiting for its requests).
                        s.failure = status
                        s.stopping = true
                        if !interrupted { killpg(groupID, SIGTERM) }
                    }
                    s.ended[k] = (status, end)
                }
                done.leave()
            }.start()
        }
        if let progress {
            // While the segment runs: the records each stage has passed on so far.
            let labels = units.map(\.label), counters = wirings.map(\.counter)
            while done.wait(timeout: .now() + 0.5) == .timedOut {
                let parts = zip(labels, counters).map { label, c in c?.live.map { "\(label) \($0)" } ?? "\(label) …" }
                emitLock.lock()
                progress(parts.joined(separator: " · "))
                emitLock.unlock()
            }
            emitLock.lock()
            progress(nil)
            emitLock.unlock()
        }
        done.wait()
        // Each unit is recorded once every copy and relay has finished, so line counts are final.
        let final = state.withLock { $0 }
        for (k, ended) in final.ended.sorted(by: { $0.key < $1.key }) {
            finished(k, UnitResult(status: ended.0, startedAt: startedAt, endedAt: ended.1, lines: wirings[k].counter?.count()))
        }
        lock.lock()
        group = 0
        lock.unlock()
        return SegmentResult(failure: final.failure)
    }

    struct WaitState {
        var failure: Int32?
        var stopping: Bool
        var ended: [Int: (Int32, String)] = [:]
    }

    // MARK: Threads

    /// Starts the threads that copy a started unit's stdout (when it tees) and stderr.
    private func startCopying(_ w: Wiring, label: String, done: DispatchGroup) {
        if w.teeRead >= 0, let counter = w.counter {
            tee(from: w.teeRead, file: w.teeFile, path: w.teePath, next: w.teeNext, counter: counter, done: done).start()
        }
        relay(from: w.errRead, label: label, done: done).start()
    }

    /// Copies a stage's stdout into its file and on to the next stage. If the next stage
    /// stops reading, the copy into the file goes on: nothing the stage wrote is lost.
    private func tee(from source: Int32, file: Int32, path: String, next: Int32, counter: LineCounter, done: DispatchGroup) -> Thread {
        done.enter()
        let runDirectory = record.plan.runDirectory
        return Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var nextOpen = true
            var fileFailed = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                buffer.withUnsafeBytes { raw in
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                    counter.add(chunk)
                    if !fileFailed && !Spawn.writeAll(file, chunk) {
                        // Once, naming the file and the reason; the run then fails (status 74),
                        // and --resume continues it after the cause is fixed.
                        let code = errno
                        fileFailed = true
                        self.lock.lock()
                        self.teeWriteFailed = true
                        self.lock.unlock()
                        self.emit(label: "jb", line: "jb: error: cannot write \(path): \(ByteSource.errnoText(code))\(StandardStreams.hint(code)); "
                            + "then continue with 'jb run --resume \(runDirectory)'")
                    }
                    if nextOpen && !Spawn.writeAll(next, chunk) {
                        nextOpen = false
                        close(next)
                    }
                }
            }
            close(source)
            close(file)
            if nextOpen { close(next) }
            done.leave()
        }
    }

    /// Shows a process's stderr line by line, prefixed with its label, and keeps it in run.log.
    private func relay(from source: Int32, label: String, done: DispatchGroup) -> Thread {
        done.enter()
        return Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 14)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                pending += buffer[0..<n]
                while let nl = pending.firstIndex(of: 0x0A) {
                    self.emit(label: label, line: String(decoding: pending[..<nl], as: UTF8.self))
                    pending.removeSubrange(...nl)
                }
            }
            if !pending.isEmpty { self.emit(label: label, line: String(decoding: pending, as: UTF8.self)) }
            close(source)
            done.leave()
        }
    }

    private let emitLock = NSLock()

    private func emit(label: String, line: String) {
        // A progress line redrawn with \r shows its last state only.
        var text = line.split(separator: "\r", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        if text.hasPrefix("\u{1B}[2K") { text.removeFirst(4) }
        // A stage's stderr may quote data: control characters are made harmless here, as
        // every jb diagnostic does.
        let out = TerminalText.safe(Redactor.shared.redact("[\(label)] \(text)")) + "\n"
        emitLock.lock()
        defer { emitLock.unlock() }
        progress?(nil)
        if logFD >= 0 { _ = out.utf8CString.withUnsafeBytes { Spawn.writeAll(logFD, UnsafeRawBufferPointer(rebasing: $0.dropLast())) } }
        stderrSink(out)
    }

    // MARK: Helpers

    /// The current time, ISO 8601 UTC with milliseconds.
    public static func now() -> String { Timestamp.formatMilliseconds(Date()) }

    /// Cuts a file back to its last complete line, so a continued file never holds half a record.
    static func dropPartialLine(_ path: String) throws {
        guard let handle = FileHandle(forUpdatingAtPath: path) else { return }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        var end = size
        let chunk: UInt64 = 1 << 16
        while end > 0 {
            let start = end > chunk ? end - chunk : 0
            try handle.seek(toOffset: start)
            let data = try handle.read(upToCount: Int(end - start)) ?? Data()
            if let nl = data.lastIndex(of: 0x0A) {
                let keep = start + UInt64(nl - data.startIndex) + 1
                if keep < size { try handle.truncate(atOffset: keep) }
                return
            }
            end = start
        }
        if size > 0 { try handle.truncate(atOffset: 0) }
    }
}

/// Counts the lines (newlines) of a stage's output: as it streams, or by reading its file.
final class LineCounter: @unchecked Sendable {
    private let path: String?
    private var lines = 0
    private let lock = NSLock()

    init(path: String?) { self.path = path }

    func add(_ bytes: UnsafeRawBufferPointer) {
        var n = 0
        for b in bytes where b == 0x0A { n += 1 }
        lock.lock()
        lines += n
        lock.unlock()
    }

    /// The lines copied so far (nil for a file written by the stage itself).
    var live: Int? {
        guard path == nil else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    func count() -> Int? {
        guard let path else { return live }
        guard let fd = try? Spawn.openRead(path) else { return nil }
        defer { close(fd) }
        // Only a regular file has lines to count: a device (an output linked to /dev/full or
        // /dev/zero) would be read for ever.
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var n = 0
        while true {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            for k in 0..<got where buffer[k] == 0x0A { n += 1 }
        }
        return n
    }
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
