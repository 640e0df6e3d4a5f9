import Foundation

/// Where a build reads from and writes to.
public struct BuildOptions: Sendable {
    public var content: URL
    public var templates: URL
    public var output: URL
    /// How each folder is named in messages (as the user typed it).
    public var contentName: String
    public var templatesName: String
    public var outputName: String
    /// The project folder, which the output may not be or contain. For folders given on the command line it is the
    /// content folder's parent, worked out (by standardizing the content folder's path) only when asked for: only a
    /// full build's overlap check asks, never a rebuild that has nothing to do.
    public var projectRoot: URL? {
        get { projectRootIsContentParent ? content.standardizedFileURL.deletingLastPathComponent() : givenProjectRoot }
        set {
            givenProjectRoot = newValue
            projectRootIsContentParent = false
        }
    }
    private var givenProjectRoot: URL?
    private var projectRootIsContentParent = false
    /// The previous revision to compare with (a content folder or a git revision such as `HEAD~1`), for
    /// `changes.html` and the "changed in this revision" marks.
    public var previous: String?
    /// The real-time clock in nanoseconds since 1970, which decides which input files have settled (`FileStamp`);
    /// tests set it far ahead, so that files they have just written count as settled.
    var clock: @Sendable () -> Int64 = { FileStamp.now() }

    public init(
        content: URL, templates: URL, output: URL, contentName: String? = nil, templatesName: String? = nil,
        outputName: String? = nil, projectRoot: URL? = nil
    ) {
        self.content = content
        self.templates = templates
        self.output = output
        self.contentName = contentName ?? content.path
        self.templatesName = templatesName ?? templates.path
        self.outputName = outputName ?? output.path
        self.givenProjectRoot = projectRoot
    }

    /// Options for folders given on the command line: each is named in messages as it was typed (less a trailing
    /// `/`), and the project folder is the content folder's parent.
    public init(contentPath: String, templatesPath: String, outputPath: String) {
        func trimmed(_ path: String) -> String { path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path }
        let content = URL(fileURLWithPath: contentPath)
        self.init(
            content: content, templates: URL(fileURLWithPath: templatesPath), output: URL(fileURLWithPath: outputPath),
            contentName: trimmed(contentPath), templatesName: trimmed(templatesPath), outputName: trimmed(outputPath))
        projectRootIsContentParent = true
    }
}

/// The result of a build or check: the problems found and, for a build, what was written.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages = 0
    public var write: WriteSummary?
    /// Each handout's path and size in bytes, by path.
    public var handouts: [(path: String, bytes: Int)] = []
    /// True when nothing had changed since the last build into this folder, so no page was made or written (only
    /// the record in the marker file may have gained the stamps of input files that have settled since).
    public var reusedPreviousBuild = false
    public var succeeded: Bool { !diagnostics.hasErrors }
}

/// The façade: find and load content, build the model, render, write. Each step is its own type.
public enum SiteBuilder {
    /// Loads and validates content (and templates); writes nothing.
    public static func check(_ options: BuildOptions) -> BuildReport {
        let (framework, templates, diagnostics) = load(options)
        guard !diagnostics.hasErrors, let framework, let templates else { return BuildReport(diagnostics: diagnostics) }
        // Rendered (and thrown away) only to find template names that no context provides.
        _ = SiteRenderer(framework: framework, templates: templates).render()
        _ = HandoutRenderer(framework: framework, templates: templates, contentAssets: (try? readAssets(framework)) ?? [:]).render()
        return BuildReport(diagnostics: (diagnostics + templates.unknownNameWarnings()).sortedForDisplay())
    }

    /// Builds the site; writes nothing unless every step succeeds.
    ///
    /// When nothing the build reads has changed since the last successful build into the same folder, and that
    /// folder still holds what it wrote, it returns at once, writing nothing but perhaps the record's stamps
    /// (`reusedPreviousBuild`).
    public static func build(_ options: BuildOptions) -> BuildReport {
        var clock = PhaseClock()
        let writer = SiteWriter(output: options.output, displayOutput: options.outputName)
        // Files whose stamps are as the last build recorded them are not read again (see `FileStamp`).
        let now = options.clock()
        let (lastRecord, listing) = lastRecordAndInputs(writer, options)
        let fingerprint = listing.flatMap {
            BuildFingerprint(options: options, listing: $0, known: lastRecord?.inputs ?? [:], now: now)
        }
        // The record came from the marker file inside the output folder, so that folder exists and careers made it:
        // `checkUsable`'s other checks (overlaps with the content and templates) are of the full build below.
        if options.previous == nil, let fingerprint, let record = lastRecord, record.fingerprint == fingerprint.value,
            writer.matches(record)
        {
            if fingerprint.newlySettledCount > 0 {
                // Files read this time because the record had no stamp for them (saved just before the last build,
                // or a fresh checkout) have settled since: record their stamps, so the next build need not read
                // them. Only the marker changes, and if it cannot be written the old one is still right.
                var refreshed = record
                refreshed.inputs = fingerprint.inputs
                try? writer.record(refreshed)
            }
            var report = BuildReport(
                diagnostics: record.warnings.map { Diagnostic.recorded($0) }, pages: record.files.count,
                write: WriteSummary(written: 0, unchanged: record.files.count, removed: 0),
                handouts: record.handouts.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 })
            report.reusedPreviousBuild = true
            return report
        }
        let outputProblems = writer.checkUsable(
            inputs: [(options.content, "the content folder"), (options.templates, "the templates folder")],
            project: options.projectRoot)
        clock.lap("list and fingerprint the inputs")
        let ledger = fingerprint.map(InputLedger.init)
        let (framework, templates, diagnostics) = load(options, ledger: ledger)
        clock.lap("load")
        let all = (diagnostics + outputProblems).sortedForDisplay()
        guard !all.hasErrors, let framework, let templates else { return BuildReport(diagnostics: all) }
        let contentAssets: [String: Data]
        do {
            contentAssets = try readAssets(framework, ledger: ledger)
        } catch {
            return BuildReport(diagnostics: all + [error])
        }
        var changes: ChangeReport?
        if let previous = options.previous {
            do {
                let old = try RevisionSource(parsing: previous, contentFolder: options.content).load(as: .previous)
                clock.lap("load the previous revision")
                changes = ChangeReport(old: old, new: framework)
                clock.lap("compare the revisions")
            } catch {
                return BuildReport(diagnostics: all + [.error(error.description, at: nil)])
            }
        }
        var warnings: [Diagnostic] = []
        if let changes, changes.editionUnchanged, let warning = changes.editionWarning {
            warnings.append(.warning(warning, at: SourceLocation(path: "\(options.contentName)/framework.md")))
        }
        // Pages, handouts and data files are independent: one parallel pool makes them all. Each file goes to the
        // writer's staging area (phase 1) as soon as it is made, and its links are checked as far as the site's
        // paths tell (every job makes its file, so the jobs' paths are the site's); only its ids and the links to
        // other pages' anchors are kept, so the site is never held in memory whole. Nothing visible changes before
        // every link has been checked.
        // An entry's page and its handout share the entry's context, made by whichever runs first.
        let entryContexts = EntryContextCache()
        var handoutRenderer = HandoutRenderer(framework: framework, templates: templates, contentAssets: contentAssets)
        handoutRenderer.entryContexts = entryContexts
        var siteRenderer = SiteRenderer(framework: framework, templates: templates, changes: changes)
        siteRenderer.entryContexts = entryContexts
        let jobs = OutputJob.pairing(
            siteRenderer.jobs(), with: handoutRenderer.jobs(), lag: 2 * ProcessInfo.processInfo.activeProcessorCount + 4)
        let session: StagedWrite
        do {
            session = try writer.begin(paths: jobs.map(\.path))
        } catch {
            return BuildReport(diagnostics: all + warnings + [.error("writing the site failed: \(error)", at: nil)])
        }
        // The site's pages may link to each other; each handout must stand alone.
        let links = LinkChecker.EarlyCheck(paths: Set(jobs.map(\.path) + framework.assets.map { "assets/" + $0.path }))
        let standalone: @Sendable (String) -> Bool = { $0.hasPrefix(HandoutRenderer.folder + "/") }
        let made = OutputJob.run(
            jobs,
            consume: { index, path, data in
                let scan = path.hasSuffix(".html") ? LinkChecker.PageScan(data, links: true) : nil
                session.offer(index, data)
                return (bytes: data.count, links: scan.map { links.settle($0, page: path, standalone: standalone(path)) })
            },
            streamed: { index, path, stream in
                // A file made in pieces (the whole-framework handout) is scanned and staged piece by piece.
                var scanner = path.hasSuffix(".html") ? LinkChecker.PageScan.Scanner(links: true) : nil
                let bytes = session.offer(index) { write in
                    withoutActuallyEscaping(write) { write in
                        stream { piece in
                            scanner?.feed(piece)
                            write(piece)
                        }
                    }
                }
                let scan = scanner?.finish()
                return (bytes: bytes, links: scan.map { links.settle($0, page: path, standalone: standalone(path)) })
            })
        clock.lap("render and stage")
        // The disk writes the staged files while the links are checked and the build record is made.
        session.startFlush(copying: framework.assets, ledger: ledger)
        let reported = (all + warnings + templates.unknownNameWarnings()).sortedForDisplay()
        let broken = LinkChecker.check(settled: made.compactMap { path, result in result.links.map { (path, $0) } })
        clock.lap("link check")
        if !broken.isEmpty {
            session.abandon()
            let problems = broken.map { Diagnostic.error($0.description, at: nil) }
            return BuildReport(diagnostics: (reported + problems).sortedForDisplay())
        }
        let handouts = made.filter { $0.0.hasPrefix(HandoutRenderer.folder + "/") }.map { ($0.0, $0.1.bytes) }
        var marker: Data?
        if let fingerprint {
            // An input that changed between the fingerprint and the build's reading of it (even if it changed back
            // since) may not match what was built: record a fingerprint that cannot match, so the next build
            // runs in full. (Every input has been read by now: the assets were staged by `startFlush`.)
            let settled = ledger?.allMatched == true
            var sizes = Dictionary(made.map { ($0.0, $0.1.bytes) }) { first, _ in first }
            for asset in framework.assets { sizes["assets/" + asset.path] = contentAssets[asset.path]?.count ?? 0 }
            marker = SiteWriter.markerBytes(
                BuildRecord(
                    fingerprint: settled ? fingerprint.value : "changed during the build", files: sizes,
                    warnings: reported.map(\.description),
                    handouts: Dictionary(handouts.map { ($0.0, $0.1) }) { first, _ in first }, inputs: fingerprint.inputs))
            clock.lap("make the build record")
        }
        do {
            let summary = try session.finish()
            clock.lap("write")
            if let marker {
                try writer.writeRecord(marker)
                clock.lap("record the build")
            }
            return BuildReport(diagnostics: reported, pages: made.count + framework.assets.count, write: summary, handouts: handouts)
        } catch {
            return BuildReport(diagnostics: reported + [.error("writing the site failed: \(error)", at: nil)])
        }
    }

    /// The last build's record and the files this build reads, found at the same time: at 10,000 roles each
    /// is a few tens of milliseconds of a no-op rebuild.
    private static func lastRecordAndInputs(_ writer: SiteWriter, _ options: BuildOptions) -> (BuildRecord?, InputListing?) {
        let record = ConcurrentResults<BuildRecord?>(count: 1)
        let listing = ConcurrentResults<InputListing?>(count: 1)
        let output = writer.output
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 { record.set(0, SiteWriter.lastRecord(in: output)) } else { listing.set(0, InputListing(options: options)) }
        }
        return (record.values.first ?? nil, listing.values.first ?? nil)
    }

    /// Writes one handout (`kind:id`, or `framework`) to `file`; returns the problems found.
    public static func handout(_ options: BuildOptions, reference: String, to file: URL) -> BuildReport {
        let (framework, templates, diagnostics) = load(options)
        guard !diagnostics.hasErrors, let framework, let templates else { return BuildReport(diagnostics: diagnostics) }
        let contentAssets: [String: Data]
        do {
            contentAssets = try readAssets(framework)
        } catch {
            return BuildReport(diagnostics: diagnostics + [error])
        }
        let renderer = HandoutRenderer(framework: framework, templates: templates, contentAssets: contentAssets)
        let output: OutputFile
        if reference == "framework" {
            output = OutputFile(path: HandoutRenderer.frameworkPath, contents: renderer.renderFrameworkData())
        } else {
            let parts = reference.split(separator: ":", maxSplits: 1).map(String.init)
            let kinds = HandoutRenderer.kinds.map(\.rawValue)
            guard parts.count == 2, let kind = EntryKind(rawValue: parts[0]), HandoutRenderer.kinds.contains(kind) else {
                let hint = Suggestions.hint(for: parts.first ?? "", in: kinds)
                return BuildReport(
                    diagnostics: diagnostics + [
                        .error(
                            "'\(reference)' is not a handout: use framework or kind:id with kind one of \(kinds.joined(separator: ", "))\(hint)",
                            at: nil)
                    ])
            }
            guard let file = renderer.render(EntryRef(kind, parts[1])) else {
                let ids = framework.ids(of: kind)
                return BuildReport(
                    diagnostics: diagnostics + [
                        .error("unknown \(kind.rawValue) '\(parts[1])'\(Suggestions.hint(for: parts[1], in: ids))", at: nil)
                    ])
            }
            output = file
        }
        do {
            try output.contents.write(to: file, options: .atomic)
        } catch {
            return BuildReport(
                diagnostics: diagnostics + [.error("cannot write '\(file.path)': \(OutputFolder.writeFailure(error, to: file))", at: nil)])
        }
        return BuildReport(diagnostics: diagnostics, pages: 1, handouts: [(file.path, output.contents.count)])
    }

    /// Reads the bytes of content assets (for handouts, which inline images).
    private static func readAssets(_ framework: Framework, ledger: InputLedger? = nil) throws(Diagnostic) -> [String: Data] {
        var data: [String: Data] = [:]
        for asset in framework.assets {
            let url = URL(fileURLWithPath: asset.sourcePath)
            guard let bytes = try? Data(contentsOf: url) else {
                throw Diagnostic.error("cannot read this asset", at: SourceLocation(path: asset.sourcePath))
            }
            ledger?.note(bytes, from: url)
            data[asset.path] = bytes
        }
        return data
    }

    /// `ledger`: told the bytes of every file read, when a build checks its inputs.
    static func load(_ options: BuildOptions, ledger: InputLedger? = nil) -> (Framework?, TemplateSet?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var templates: TemplateSet?
        var clock = PhaseClock()
        // The templates and the content do not depend on each other: the templates are read on another thread
        // while the content is read here. (Reading the content inside a two-way concurrentPerform, as before, made
        // its own concurrentPerform over the files run partly serially, as nested ones do.)
        let steps = ConcurrentResults<LoadStep>(count: 2)
        let templatesRead = DispatchGroup()
        DispatchQueue.global().async(group: templatesRead) {
            steps.set(
                0,
                .templates(
                    Result { () throws(DiagnosticsError) in
                        try TemplateSet.load(from: options.templates, displayRoot: options.templatesName, ledger: ledger)
                    }))
        }
        var loader = ContentLoader(root: options.content, displayRoot: options.contentName, ledger: ledger)
        loader.rendersBodies = true
        steps.set(1, .content(loader.load()))
        templatesRead.wait()
        var loaded: LoadedContent?
        for step in steps.values {
            switch step {
            case .templates(.success(let set)): templates = set
            case .templates(.failure(let error)): diagnostics += error.diagnostics
            case .content(let content): loaded = content
            }
        }
        guard let content = loaded else { return (nil, templates, diagnostics) }
        clock.lap("  templates; read, parse and render content")
        var builder = FrameworkBuilder(content: content)
        let (framework, found) = builder.build()
        clock.lap("  check and build the model")
        diagnostics += found
        if let templates {
            for asset in content.assets {
                let path = "assets/" + asset.path
                if templates.assets["\(asset.path)"] != nil || SiteRenderer.generatedAssetPaths.contains(path) {
                    diagnostics.append(
                        .error(
                            "'\(path)' is also written by the templates or the generator; rename this file",
                            at: SourceLocation(path: "\(options.contentName)/assets/\(asset.path)")))
                }
            }
        }
        return (framework, templates, diagnostics.sortedForDisplay())
    }
}

/// What each of the two parallel loading steps gave.
private enum LoadStep: Sendable {
    case templates(Result<TemplateSet, DiagnosticsError>)
    case content(LoadedContent)
}

/// Prints how long each step of a build took, to standard error, when `CAREERS_TIMINGS` is set (for profiling;
/// `Scripts/bench.sh` measures whole processes).
struct PhaseClock {
    private let enabled = ProcessInfo.processInfo.environment["CAREERS_TIMINGS"] != nil
    private var last = DispatchTime.now()
    private var lastCPU = Self.processorTimeAndPeakMemory().cpu

    init() {
        if enabled { _ = Self.announceAllocator }
    }

    /// Names the allocator once per process, first (`Scripts/check-release.sh` checks a release build's).
    private static let announceAllocator: Void = {
        FileHandle.standardError.write(Data("careers: allocator: \(MemoryTuning.allocator)\n".utf8))
    }()

    mutating func lap(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        let (cpu, peak) = Self.processorTimeAndPeakMemory()
        let milliseconds = Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1_000_000
        let cpuMilliseconds = Double(cpu - lastCPU) / 1_000
        FileHandle.standardError.write(
            Data(
                "careers: \(phase): \(Int(milliseconds.rounded())) ms (CPU \(Int(cpuMilliseconds.rounded())) ms, peak memory so far \(peak / 1024) MB)\n"
                    .utf8))
        last = now
        lastCPU = cpu
    }

    /// User and system time of the whole process so far, in microseconds (against the wall time of a phase, it
    /// shows how many of the cores the phase kept busy), and its peak resident memory so far, in kilobytes.
    private static func processorTimeAndPeakMemory() -> (cpu: Int, peak: Int) {
        var usage = rusage()
        guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return (0, 0) }
        func micro(_ time: timeval) -> Int { Int(time.tv_sec) * 1_000_000 + Int(time.tv_usec) }
        return (micro(usage.ru_utime) + micro(usage.ru_stime), Int(usage.ru_maxrss))
    }
}
