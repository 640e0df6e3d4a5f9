import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C at any moment of a real `careers build` over an existing site leaves either exactly the old site or exactly
/// the new one, and no temporary files.
///
/// Runs the built `careers` binary on two synthetic frameworks (different seeds, so almost every file differs).
/// The signal is sent while pages render and at fractions of the measured writing phase (timed from the moment
/// the staging folder appears), which covers staging, flushing and renaming. `CAREERS_INTERRUPT_ROLES` sets the
/// size (default 100 roles, about 330 files, to keep the suite quick; a 2000-role debug build takes 75-90 s).
@Suite struct InterruptTests {
    static var binary: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("careers"),
            Repository.root.appendingPathComponent(".build/debug/careers"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A child process started with SIGINT and SIGTERM at their default actions and unblocked, as from a
    /// terminal (a test runner may start tests with them ignored, which children would inherit).
    final class Child {
        let pid: pid_t
        private(set) var status: Int32?
        /// Where the child's standard error goes (a Thread Sanitizer report from the child lands there too).
        let errorLog: URL

        /// Where the child's standard output goes, when it is kept (otherwise /dev/null).
        let outputLog: URL?

        init(_ binary: URL, _ arguments: [String], keepOutput: Bool = false) throws {
            errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("careers-child-\(UUID().uuidString).log")
            outputLog =
                keepOutput ? FileManager.default.temporaryDirectory.appendingPathComponent("careers-child-\(UUID().uuidString).out") : nil
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var defaults = sigset_t()
            sigemptyset(&defaults)
            sigaddset(&defaults, SIGINT)
            sigaddset(&defaults, SIGTERM)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            var empty = sigset_t()
            sigemptyset(&empty)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, outputLog?.path ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, errorLog.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            let argv = ([binary.path] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let result = posix_spawn(&pid, binary.path, &actions, &attributes, argv, environ)
            guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
            self.pid = pid
        }

        var isRunning: Bool {
            if status != nil { return false }
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
            return status == nil
        }

        /// Waits for the child; returns its raw wait status.
        @discardableResult func wait() -> Int32 {
            while isRunning { usleep(1000) }
            return status ?? -1
        }

        var exitedCleanly: Bool { wait() == 0 }
        /// What the child wrote to standard error (read once it has ended), and the file removed.
        func takeErrors() -> String {
            wait()
            defer { try? FileManager.default.removeItem(at: errorLog) }
            return (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        }
        deinit {
            // The logs go with the child, read or not (a message built only when an expectation fails may never
            // have read them).
            try? FileManager.default.removeItem(at: errorLog)
            if let outputLog { try? FileManager.default.removeItem(at: outputLog) }
        }

        /// What the child has written to standard output so far (empty when it is not kept).
        var output: String {
            guard let outputLog else { return "" }
            return (try? String(contentsOf: outputLog, encoding: .utf8)) ?? ""
        }
        /// Whether it was stopped by SIGINT (WIFSIGNALED and WTERMSIG).
        var killedByInterrupt: Bool { wait() & 0x7f == SIGINT }
    }

    static func run(_ binary: URL, _ arguments: [String]) throws -> Child {
        try Child(binary, arguments)
    }

    /// The site's files and their bytes, without the marker (whose record is written after the site).
    static func site(_ folder: URL) throws -> [String: Data] {
        try filesBelow(folder).filter { $0.key != ".careers-output" }
    }

    static func copy(_ from: URL, to: URL) throws {
        try? FileManager.default.removeItem(at: to)
        try FileManager.default.copyItem(at: from, to: to)
    }

    @Test func ctrlCLeavesExactlyTheOldOrTheNewSite() throws {
        let binary = try #require(Self.binary, "build the careers binary first (swift build --build-tests)")
        let roles = ProcessInfo.processInfo.environment["CAREERS_INTERRUPT_ROLES"] ?? "100"
        let root = temporaryFolder()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        func path(_ name: String) -> String { root.appendingPathComponent(name).path }
        for (name, seed) in [("Old", "1"), ("New", "2")] {
            let synth = try Self.run(binary, ["synth", "--roles", roles, "--out", path(name), "--seed", seed])
            #expect(synth.exitedCleanly, "\(synth.takeErrors())")
        }
        func build(_ content: String) throws -> Child {
            try Self.run(
                binary, ["build", "--content", path(content), "--templates", Repository.templates.path, "--output", path("Output")])
        }
        let first = try build("Old")
        #expect(first.exitedCleanly, "\(first.takeErrors())")
        let oldOutput = root.appendingPathComponent("OldOutput")
        try Self.copy(root.appendingPathComponent("Output"), to: oldOutput)
        let oldSite = try Self.site(oldOutput)

        // An uninterrupted build gives the new site and the length of its writing phase.
        let staging = path("Output/.careers-staging")
        let timed = try build("New")
        var writingStarted: Date?
        while timed.isRunning {
            if writingStarted == nil, access(staging, F_OK) == 0 { writingStarted = Date() }
            usleep(500)
        }
        let writing = Date().timeIntervalSince(try #require(writingStarted, "the staging folder was never seen"))
        #expect(timed.exitedCleanly, "\(timed.takeErrors())")
        let newSite = try Self.site(root.appendingPathComponent("Output"))
        #expect(newSite != oldSite)

        // While rendering (nothing staged yet), then at fractions of the writing phase.
        let delays: [(afterStaging: Bool, seconds: Double)] =
            [(false, 0.3)] + [0, 0.3, 0.6, 0.85, 0.95, 0.99].map { (true, writing * $0) }
        var outcomes: [String] = []
        for (afterStaging, seconds) in delays {
            try Self.copy(oldOutput, to: root.appendingPathComponent("Output"))
            let process = try build("New")
            if afterStaging {
                while process.isRunning, access(staging, F_OK) != 0 { usleep(200) }
            }
            usleep(useconds_t(seconds * 1_000_000))
            kill(process.pid, SIGINT)
            process.wait()
            let state = try Self.site(root.appendingPathComponent("Output"))
            let outcome = state == oldSite ? "old" : state == newSite ? "new" : "MIXED"
            let signalled = process.killedByInterrupt
            let errors = process.takeErrors()
            outcomes.append(
                "\(afterStaging ? "writing+" : "")\(String(format: "%.3f", seconds))s: \(outcome)\(signalled ? "" : " (finished)")")
            let when = "SIGINT \(seconds) s \(afterStaging ? "after staging began" : "after start")"
            #expect(outcome != "MIXED", "\(when); the build printed: \(errors)")
            #expect(signalled || (process.exitedCleanly && outcome == "new"), "\(when): wait status \(process.wait()); \(errors)")
            let leftovers = try filesBelow(root.appendingPathComponent("Output")).keys.filter {
                $0.contains(".careers-staging") || $0.contains("careers-tmp") || $0.contains(".staged")
            }
            #expect(leftovers.isEmpty, "\(when); the build printed: \(errors)")
        }
        print(
            "Ctrl-C with \(roles) roles, \(oldSite.count) files, writing phase \(String(format: "%.2f", writing)) s: \(outcomes.joined(separator: "; "))"
        )
    }
}
