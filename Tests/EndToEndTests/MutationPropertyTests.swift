import Foundation
import Testing

@testable import CareerSite

/// The reliability property, checked against thousands of seeded random mutations of the minimal fixture site:
/// loading never traps; the result is a successful build, or at least one error that says which file (and, inside
/// a file, which line) is wrong; and a build that fails leaves the output folder byte-for-byte as it was.
///
/// Environment (all optional): `CAREERS_MUTATION_SEED` (base seed), `CAREERS_MUTATION_ITERATIONS` (cases),
/// `CAREERS_MUTATION_CASE` (run only the case with this seed, as printed in a failure).
@Suite struct MutationPropertyTests {
    static let defaultSeed: UInt64 = 0x00C0_FFEE_CA2E_E125
    static let defaultIterations = 2000
    /// One case in this many runs a full build (and compares the output folder); one in `checkEvery` runs
    /// `SiteBuilder.check` with the templates; the rest run the content loader and model builder alone (fast).
    static let buildEvery = environmentInt("CAREERS_MUTATION_BUILD_EVERY") ?? 40
    static let checkEvery = 25
    /// Recorded before each case, so a case that traps (and takes the test process with it) can be replayed.
    static let lastCaseFile = FileManager.default.temporaryDirectory.appendingPathComponent("careers-mutation-last-case.txt")

    @Test func mutatedContentBuildsOrReportsWhereItIsWrong() throws {
        let environment = ProcessInfo.processInfo.environment
        let baseSeed = environment["CAREERS_MUTATION_SEED"].flatMap(parseSeed) ?? Self.defaultSeed
        let iterations = environment["CAREERS_MUTATION_ITERATIONS"].flatMap { Int($0) } ?? Self.defaultIterations
        var caseSeeds: [UInt64]
        if let single = environment["CAREERS_MUTATION_CASE"].flatMap(parseSeed) {
            caseSeeds = [single]
        } else {
            var seeds = SplitMix64(seed: baseSeed)
            caseSeeds = (0..<iterations).map { _ in seeds.next() }
        }
        print("mutation property: base seed \(hex(baseSeed)), \(caseSeeds.count) cases; each case is recorded in \(Self.lastCaseFile.path)")

        let base = try filesBelow(Repository.tests.appendingPathComponent("Fixtures/minimal/Content")).mapValues { [UInt8]($0) }
        let workspace = try Workspace(base: base)
        defer { workspace.remove() }
        let first = SiteBuilder.build(workspace.options)
        try #require(first.succeeded && first.write != nil, "the unmutated fixture must build: \(first.diagnostics)")

        let watchdog = Watchdog(limit: 60)
        defer { watchdog.stop() }
        var failures: [String] = []
        var counts = (build: 0, check: 0, content: 0, succeeded: 0)
        let started = Date()
        for caseSeed in caseSeeds {
            var random = SplitMix64(seed: caseSeed)
            let mode = random.below(Self.buildEvery) == 0 ? "build" : random.below(Self.checkEvery) == 0 ? "check" : "content"
            var mutator = Mutator(random: random, files: base)
            // Link errors are found only once the rest of the site is valid, so half the builds get one link and nothing else.
            if mode == "build" && mutator.random.chance(0.5) {
                mutator.insertBodyLink()
            } else {
                for _ in 0..<mutator.random.weighted([0, 6, 3, 1]) { mutator.mutateOnce() }
            }
            let record = "case \(hex(caseSeed)) (\(mode)), mutations:\n  " + mutator.log.joined(separator: "\n  ")
            try Data(record.utf8).write(to: Self.lastCaseFile)
            watchdog.start(record)
            try workspace.sync(to: mutator.files)

            var diagnostics: [Diagnostic]
            var problems: [String] = []
            switch mode {
            case "build":
                counts.build += 1
                let before = try snapshot(workspace.output)
                let report = SiteBuilder.build(workspace.options)
                diagnostics = report.diagnostics
                if report.succeeded {
                    if report.write == nil && !report.reusedPreviousBuild { problems.append("the build succeeded but wrote nothing") }
                } else if try snapshot(workspace.output) != before {
                    problems.append("the build failed but changed the output folder")
                }
            case "check":
                counts.check += 1
                diagnostics = SiteBuilder.check(workspace.options).diagnostics
            default:
                counts.content += 1
                var builder = FrameworkBuilder(content: ContentLoader(root: workspace.content, displayRoot: "Content").load())
                let (framework, found) = builder.build()
                diagnostics = found
                if (framework == nil) != found.hasErrors {
                    problems.append(framework == nil ? "no framework and no error" : "a framework despite errors")
                }
            }
            if !diagnostics.hasErrors { counts.succeeded += 1 }
            problems += positionProblems(diagnostics, files: mutator.files, folders: workspace.existingFolders)
            if !problems.isEmpty {
                failures.append(
                    "\(record)\nproblems:\n  \(problems.joined(separator: "\n  "))\ndiagnostics:\n  "
                        + diagnostics.map(\.description).joined(separator: "\n  ")
                        + "\nreplay: CAREERS_MUTATION_CASE=\(hex(caseSeed)) swift test --filter MutationPropertyTests")
                if failures.count >= 5 { break }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print(
            "mutation property: \(caseSeeds.count) cases in \(String(format: "%.1f", seconds)) s (\(counts.build) builds, "
                + "\(counts.check) checks, \(counts.content) content loads); \(counts.succeeded) had no error")
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
    }

    /// Why each error is not positioned: every error names a file or folder of the mutated site that exists,
    /// with a line inside that file. The one allowed exception: the missing `framework.md`, which has no file.
    func positionProblems(_ diagnostics: [Diagnostic], files: [String: [UInt8]], folders: Set<String>) -> [String] {
        var problems: [String] = []
        for diagnostic in diagnostics where diagnostic.severity == .error {
            guard let location = diagnostic.location else {
                let missingFramework =
                    files["framework.md"] == nil && !folders.contains("framework.md")
                    && diagnostic.message.hasPrefix("missing 'Content/framework.md'")
                if !missingFramework { problems.append("error without a location: \(diagnostic.message)") }
                continue
            }
            guard location.path.hasPrefix("Content/") else {
                problems.append("error outside the content folder: \(diagnostic)")
                continue
            }
            let path = String(location.path.dropFirst("Content/".count))
            if let bytes = files[path] {
                let lines = bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
                if location.line < 1 || location.line > lines || location.column < 1 {
                    problems.append("error outside its file's \(lines) lines: \(diagnostic)")
                }
            } else if !folders.contains(path) {
                problems.append("error at a path that does not exist: \(diagnostic)")
            } else if location.line != 1 || location.column != 1 {
                problems.append("error on a line of a folder: \(diagnostic)")
            }
        }
        return problems
    }
}

private func parseSeed(_ text: String) -> UInt64? {
    text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
}

private func environmentInt(_ name: String) -> Int? {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
}

private func hex(_ seed: UInt64) -> String { "0x" + String(seed, radix: 16) }

/// Every file and folder below `folder`, with each file's bytes: what "the output is unchanged" compares.
private func snapshot(_ folder: URL) throws -> [String: Data?] {
    var entries: [String: Data?] = [:]
    let base = folder.standardizedFileURL.path + "/"
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
    while let url = enumerator?.nextObject() as? URL {
        let path = String(url.standardizedFileURL.path.dropFirst(base.count))
        if (try url.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true {
            entries[path + "/"] = .some(nil)
        } else {
            entries[path] = try Data(contentsOf: url)
        }
    }
    return entries
}

/// Ends the test process when one case runs longer than `limit` seconds, printing the case: a hang must fail the
/// run with its replay seed, not stall CI until its time limit.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var current: (record: String, started: Date)?
    private var stopped = false

    init(limit: TimeInterval) {
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                let (running, stopped) = lock.withLock { (current, self.stopped) }
                if stopped { return }
                if let running, Date().timeIntervalSince(running.started) > limit {
                    print("mutation property: a case ran for more than \(Int(limit)) s; \(running.record)")
                    abort()
                }
            }
        }
    }

    func start(_ record: String) { lock.withLock { current = (record, Date()) } }
    func stop() { lock.withLock { stopped = true } }
}

/// A site in a temporary folder whose `Content/` is brought to a given set of files by writing only the difference.
private final class Workspace {
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }
    var output: URL { root.appendingPathComponent("Output") }
    private var current: [String: [UInt8]] = [:]
    private var folders: Set<String> = []
    /// The folders under `Content/` now (relative paths; "" is `Content/` itself).
    var existingFolders: Set<String> { folders }
    private let baseFolders: Set<String>

    init(base: [String: [UInt8]]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-mutation-\(UUID().uuidString)")
        baseFolders = Self.folders(of: base)
        try sync(to: base)
    }

    var options: BuildOptions {
        BuildOptions(
            content: content, templates: Repository.templates, output: output, contentName: "Content", templatesName: "Templates",
            outputName: "Output", projectRoot: root)
    }

    static func folders(of files: [String: [UInt8]]) -> Set<String> {
        var folders: Set<String> = [""]
        for path in files.keys {
            var parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            while !parts.isEmpty {
                folders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        return folders
    }

    func sync(to files: [String: [UInt8]]) throws {
        let manager = FileManager.default
        let wanted = Self.folders(of: files).union(baseFolders)
        for (path, _) in current where files[path] == nil {
            try? manager.removeItem(at: content.appendingPathComponent(path))
            current[path] = nil
        }
        for folder in folders.subtracting(wanted).sorted(by: >) {
            try? manager.removeItem(at: content.appendingPathComponent(folder))
        }
        for folder in wanted.subtracting(folders).sorted() {
            try manager.createDirectory(at: content.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        folders = wanted
        for (path, bytes) in files where current[path] != bytes {
            try Data(bytes).write(to: content.appendingPathComponent(path))
            current[path] = bytes
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
