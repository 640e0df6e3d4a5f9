import Foundation

/// A file of the built site, in memory.
public struct OutputFile: Sendable, Equatable {
    /// Site-root-relative path with `/` separators.
    public var path: String
    public var contents: Data
}

/// One file to make: independent of every other, so all of a build's files are made in one parallel pool.
struct OutputJob: Sendable {
    /// Large jobs start first, so the pool does not end waiting on one of them.
    enum Cost: Comparable, Sendable { case small, large }

    var path: String
    var cost: Cost = .small
    /// The entry whose page or handout this is, for `pairing`.
    var entry: EntryRef?
    /// The file's bytes. Every job makes its file: a build takes the jobs' paths as the files of the site, which
    /// links may reach, before the first is made.
    var make: @Sendable () -> Data
    /// For a file that can be made in pieces: hands each piece, in order, to the function it is given, so a
    /// consumer that takes pieces (`run`'s `streamed`) never holds the whole file.
    var stream: (@Sendable (_ write: (UnsafeBufferPointer<UInt8>) -> Void) -> Void)?

    init(path: String, cost: Cost = .small, make: @escaping @Sendable () -> Data) {
        self.path = path
        self.cost = cost
        self.make = make
    }

    /// A file made in pieces; `make` joins them.
    init(path: String, cost: Cost = .small, stream: @escaping @Sendable (_ write: (UnsafeBufferPointer<UInt8>) -> Void) -> Void) {
        self.path = path
        self.cost = cost
        self.stream = stream
        make = {
            let sink = ByteSink(capacity: 1 << 16)
            stream { sink.append($0) }
            return sink.takeData()
        }
    }

    /// `pages` with each of `handouts` put `lag` jobs after the page of the same entry (handouts of entries with no
    /// page go last, in order), so that an entry's handout runs soon after its page has made the context they share
    /// (`EntryContextCache`) and not at the same time: with `lag` above the number of threads, the page has started,
    /// and very likely finished, when the handout starts. Only the order of the jobs changes (see `run`).
    static func pairing(_ pages: [OutputJob], with handouts: [OutputJob], lag: Int) -> [OutputJob] {
        var pageIndex: [EntryRef: Int] = [:]
        for (index, job) in pages.enumerated() {
            if let entry = job.entry { pageIndex[entry] = index }
        }
        var after = Array(repeating: [OutputJob](), count: pages.count)
        var unpaired: [OutputJob] = []
        for job in handouts {
            if let entry = job.entry, let index = pageIndex[entry] {
                after[min(index + lag, pages.count - 1)].append(job)
            } else {
                unpaired.append(job)
            }
        }
        var jobs: [OutputJob] = []
        jobs.reserveCapacity(pages.count + handouts.count)
        for (index, job) in pages.enumerated() {
            jobs.append(job)
            jobs += after[index]
        }
        return jobs + unpaired
    }

    /// Runs the jobs (in parallel unless told otherwise) and returns the files sorted by path, so the result
    /// does not depend on scheduling.
    static func run(_ jobs: [OutputJob], parallel: Bool = true) -> [OutputFile] {
        run(jobs, parallel: parallel) { _, path, data in OutputFile(path: path, contents: data) }.map(\.1)
    }

    /// Runs the jobs and hands each file to `consume` on the thread that made it (with the job's index in
    /// `jobs`), so the bytes need not be kept; returns what `consume` returned, sorted by path.
    /// `streamed`: for a job that has `stream`, called instead of making the whole file and `consume`; it is given
    /// the job's `stream`, to call with a function that takes each piece.
    static func run<Result: Sendable>(
        _ jobs: [OutputJob], parallel: Bool = true, consume: @escaping @Sendable (Int, String, Data) -> Result,
        streamed: (@Sendable (Int, String, (_ write: (UnsafeBufferPointer<UInt8>) -> Void) -> Void) -> Result)? = nil
    ) -> [(String, Result)] {
        let order = jobs.indices.filter { jobs[$0].cost == .large } + jobs.indices.filter { jobs[$0].cost == .small }
        let results = ConcurrentResults<(String, Result)>(count: order.count)
        let work: @Sendable (Int) -> Void = { slot in
            let index = order[slot]
            let job = jobs[index]
            if let streamed, let stream = job.stream {
                results.set(slot, (job.path, streamed(index, job.path, stream)))
            } else {
                results.set(slot, (job.path, consume(index, job.path, job.make())))
            }
        }
        if parallel && order.count > 1 {
            DispatchQueue.concurrentPerform(iterations: order.count, execute: work)
        } else {
            for slot in order.indices { work(slot) }
        }
        return results.values.sorted { $0.0 < $1.0 }
    }
}

/// Renders every page of the site from a validated framework: a pure function, no disk access.
///
/// Each page is independent, so pages are rendered in parallel; the result is sorted by path, so the
/// output does not depend on scheduling.
public struct SiteRenderer: Sendable {
    let framework: Framework
    let templates: TemplateSet
    /// What changed since the previous revision, when one was given.
    let changes: ChangeReport?
    /// `changes.changedEntries`, made once: pages look themselves up in it.
    let changedEntries: Set<EntryRef>
    /// The shared part of page contexts, made once per depth and section.
    let commonCache = CommonContextCache()
    /// Where an entry's context waits for its handout, when the handouts are made in the same run of jobs.
    var entryContexts: EntryContextCache?

    public init(framework: Framework, templates: TemplateSet, changes: ChangeReport? = nil) {
        self.framework = framework
        self.templates = templates
        self.changes = changes
        changedEntries = changes?.changedEntries ?? []
    }

    /// A page to render: where it goes, and how to make its body and title.
    struct PageJob: Sendable {
        var path: String
        var entry: EntryRef?
        var render: @Sendable (PageContextBuilder) -> Data

        init(path: String, entry: EntryRef? = nil, render: @escaping @Sendable (PageContextBuilder) -> Data) {
            self.path = path
            self.entry = entry
            self.render = render
        }
    }

    public func render(parallel: Bool = true) -> [OutputFile] {
        OutputJob.run(jobs(), parallel: parallel)
    }

    /// Every file this renderer makes, as independent jobs: the pages, the search index, the data files, the
    /// sitemap and the templates' assets.
    func jobs() -> [OutputJob] {
        let builder: @Sendable (String) -> PageContextBuilder = {
            [framework, templates, changes, changedEntries, commonCache, entryContexts] path in
            var builder = PageContextBuilder(framework: framework, templates: templates, path: path)
            builder.changes = changes
            builder.changedEntries = changedEntries
            builder.commonCache = commonCache
            builder.entryContexts = entryContexts
            return builder
        }
        var jobs = pageJobs().map { job in
            var output = OutputJob(path: job.path) { job.render(builder(job.path)) }
            output.entry = job.entry
            return output
        }
        jobs.append(OutputJob(path: SearchIndex.path, cost: .large) { [framework] in Data(SearchIndex.script(for: framework).utf8) })
        jobs.append(
            OutputJob(path: DataExport.jsonPath, cost: .large) { [framework] write in DataExport.writeJSON(for: framework, into: write) })
        jobs.append(
            OutputJob(path: DataExport.csvPath, cost: .large) { [framework] write in DataExport.writeCSV(for: framework, into: write) })
        if let sitemap = SitemapWriter.sitemap(for: framework) {
            jobs.append(OutputJob(path: SiteURLs.sitemap) { Data(sitemap.utf8) })
        }
        for (path, data) in templates.assets { jobs.append(OutputJob(path: "assets/\(path)") { data }) }
        return jobs
    }

    /// Paths of files the renderer writes that do not come from templates' assets (for clash checks).
    static let generatedAssetPaths: Set<String> = [SearchIndex.path, DataExport.jsonPath, DataExport.csvPath, SiteURLs.sitemap]

    /// Every page of the site, in a fixed order.
    func pageJobs() -> [PageJob] {
        var jobs: [PageJob] = [
            PageJob(path: SiteURLs.home) { $0.home() },
            PageJob(path: SiteURLs.matrix) { $0.matrix() },
            PageJob(path: SiteURLs.notFound) { $0.notFound() },
            PageJob(path: SiteURLs.search) { $0.search() },
        ]
        for kind in [EntryKind.stage, .capability, .profession, .role, .route] {
            jobs.append(PageJob(path: SiteURLs.index(of: kind)) { $0.index(of: kind) })
        }
        if changes != nil { jobs.append(PageJob(path: SiteURLs.changes) { $0.changesPage() }) }
        jobs.append(PageJob(path: SiteURLs.settingsIndex) { $0.settingsIndex() })
        jobs += framework.settings.map { setting in PageJob(path: SiteURLs.path(forSetting: setting.slug)) { $0.setting(setting) } }
        jobs += framework.stages.map { stage in
            PageJob(path: SiteURLs.path(for: stage.id), entry: EntryRef(.stage, stage.id.rawValue)) { $0.stage(stage) }
        }
        jobs += framework.domains.map { domain in PageJob(path: SiteURLs.path(for: domain.id)) { $0.domain(domain) } }
        jobs += framework.capabilities.map { capability in
            PageJob(path: SiteURLs.path(for: capability.id)) { $0.capability(capability) }
        }
        jobs += framework.professions.map { profession in
            PageJob(path: SiteURLs.path(for: profession.id), entry: EntryRef(.profession, profession.id.rawValue)) {
                $0.profession(profession)
            }
        }
        jobs += framework.roles.map { role in
            PageJob(path: SiteURLs.path(for: role.id), entry: EntryRef(.role, role.id.rawValue)) { $0.role(role) }
        }
        jobs += framework.routes.map { route in
            PageJob(path: SiteURLs.path(for: route.id), entry: EntryRef(.route, route.id.rawValue)) { $0.route(route) }
        }
        jobs += framework.pages.map { page in PageJob(path: SiteURLs.path(for: page.id)) { $0.page(page) } }
        return jobs
    }
}

/// Writes `sitemap.xml` when the framework has a `base_url`.
enum SitemapWriter {
    static func sitemap(for framework: Framework) -> String? {
        guard let base = framework.info.baseURL else { return nil }
        var paths = [SiteURLs.home, SiteURLs.matrix, SiteURLs.search]
        for kind in [EntryKind.stage, .capability, .profession, .role, .route] { paths.append(SiteURLs.index(of: kind)) }
        paths.append(SiteURLs.settingsIndex)
        paths += framework.settings.map { SiteURLs.path(forSetting: $0.slug) }
        paths += framework.stages.map { SiteURLs.path(for: $0.id) }
        paths += framework.domains.map { SiteURLs.path(for: $0.id) }
        paths += framework.capabilities.map { SiteURLs.path(for: $0.id) }
        paths += framework.professions.map { SiteURLs.path(for: $0.id) }
        paths += framework.roles.map { SiteURLs.path(for: $0.id) }
        paths += framework.routes.map { SiteURLs.path(for: $0.id) }
        paths += framework.pages.map { SiteURLs.path(for: $0.id) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths.sorted() {
            xml += "  <url><loc>\(HTML.escape(base + path))</loc><lastmod>\(framework.info.updated)</lastmod></url>\n"
        }
        xml += "</urlset>\n"
        return xml
    }
}

/// HTML helpers for the few strings built outside templates.
enum HTML {
    /// Escapes `& < > " '` (as `&amp; &lt; &gt; &quot; &#39;`), byte by byte: every value in every page goes
    /// through here, so text with nothing to escape is returned as it is.
    static func escape(_ text: String) -> String {
        let special: (UInt8) -> Bool = { byte in
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "'")
        }
        // Most values need no escaping: look at the contiguous bytes (a tight loop) before making anything.
        let needsEscaping = text.utf8.withContiguousStorageIfAvailable { $0.contains(where: special) } ?? text.utf8.contains(where: special)
        guard needsEscaping else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): result += "&amp;".utf8
            case UInt8(ascii: "<"): result += "&lt;".utf8
            case UInt8(ascii: ">"): result += "&gt;".utf8
            case UInt8(ascii: "\""): result += "&quot;".utf8
            case UInt8(ascii: "'"): result += "&#39;".utf8
            default: result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
