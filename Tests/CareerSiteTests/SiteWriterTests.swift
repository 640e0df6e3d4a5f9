import Foundation
import Testing

@testable import CareerSite

@Suite struct SiteWriterTests {
    func modificationDate(_ url: URL) throws -> Date {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
    }

    @Test func unchangedFilesAreNotRewrittenAndStaleOnesRemoved() throws {
        let site = try TestSite()
        defer { site.remove() }
        let first = site.build()
        #expect(first.succeeded)
        let role = site.output.appendingPathComponent("roles/nurse.html")
        let stage = site.output.appendingPathComponent("stages/entry.html")
        let past = Date(timeIntervalSince1970: 1_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: role.path)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: stage.path)

        let second = site.build()
        #expect(second.write == WriteSummary(written: 0, unchanged: first.pages, removed: 0))
        #expect(try modificationDate(role) == past)

        try site.write("stages/entry.md", "---\ntitle: Entry level\norder: 1\nsummary: First.\n---\n")
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("pages/about.md"))
        let third = site.build()
        #expect(third.succeeded)
        #expect(try modificationDate(stage) != past)
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("pages/about.html").path) == false)
        #expect(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("pages").path) == false)
        #expect(third.write?.removed == 1)
    }

    @Test func aRebuildWithNothingChangedReadsTheRecordAndWritesNothing() throws {
        let site = try TestSite(["capabilities/unused.md": "---\ntitle: U\ndomain: clinical\nsummary: U.\nlevels:\n  entry: x\n---\n"])
        defer { site.remove() }
        let first = site.build()
        #expect(first.succeeded && !first.reusedPreviousBuild)
        let before = try snapshot(site.output)
        let second = site.build()
        #expect(second.reusedPreviousBuild)
        #expect(second.write == WriteSummary(written: 0, unchanged: first.write?.written ?? -1, removed: 0))
        #expect(second.diagnostics == first.diagnostics, "warnings are reported again")
        #expect(try snapshot(site.output) == before)

        // Same bytes rewritten: still nothing to do. Different bytes, or a damaged output: a real build.
        try site.write("pages/about.md", "---\ntitle: About\n---\nAbout.\n")
        #expect(site.build().reusedPreviousBuild)
        try site.write("pages/about.md", "---\ntitle: About us\n---\nAbout.\n")
        let edited = site.build()
        #expect(!edited.reusedPreviousBuild && edited.write?.written ?? 0 > 0)
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("roles/nurse.html"))
        let repaired = site.build()
        #expect(!repaired.reusedPreviousBuild && repaired.write?.written == 1)
    }

    @Test func aFailedBuildLeavesTheOutputExactlyAsItWas() throws {
        let site = try TestSite()
        defer { site.remove() }
        #expect(site.build().succeeded)
        let before = try snapshot(site.output)
        try site.write("roles/nurse.md", "---\ntitle: Nurse\nstage: nowhere\nprofession: nursing\nsummary: A nurse.\n---\n")
        try site.write("pages/new.md", "---\ntitle: New\n---\n")
        let report = site.build()
        #expect(!report.succeeded)
        #expect(report.write == nil)
        #expect(try snapshot(site.output) == before)
    }

    @Test func refusesAForeignNonEmptyFolder() throws {
        let site = try TestSite()
        defer { site.remove() }
        try FileManager.default.createDirectory(at: site.output, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: site.output.appendingPathComponent("notes.txt"))
        let report = site.build()
        #expect(
            report.diagnostics.map(\.description) == [
                "error: the output folder 'Output' is not empty and was not created by careers; to use it, empty or delete it first, or choose another folder with --output"
            ])
        #expect(try String(contentsOf: site.output.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
    }

    @Test func refusesOutputThatOverlapsAnInput() throws {
        let site = try TestSite()
        defer { site.remove() }
        for output in [site.content, site.content.appendingPathComponent("out"), site.root, site.root.deletingLastPathComponent()] {
            var options = site.options
            options.output = output
            let report = SiteBuilder.build(options)
            #expect(report.diagnostics.count == 1)
            #expect(report.diagnostics.first?.message.contains("overlaps") == true, "\(output.path)")
        }
        var inside = site.options
        inside.output = site.root.appendingPathComponent("Output")
        #expect(SiteBuilder.build(inside).succeeded)
    }

    /// Options made from the command line take the content folder's parent as the project folder, worked out when
    /// asked for (so it follows a later change of the content folder); a project folder set by hand replaces it.
    @Test func commandLineOptionsTakeTheContentFoldersParentAsTheProject() {
        var options = BuildOptions(contentPath: "/srv/framework/./Content/", templatesPath: "Templates", outputPath: "Output")
        #expect(options.projectRoot?.path == "/srv/framework")
        options.content = URL(fileURLWithPath: "/other/place/Content")
        #expect(options.projectRoot?.path == "/other/place")
        options.projectRoot = URL(fileURLWithPath: "/given")
        #expect(options.projectRoot?.path == "/given")
        options.content = URL(fileURLWithPath: "/third/Content")
        #expect(options.projectRoot?.path == "/given")
        options.projectRoot = nil
        #expect(options.projectRoot == nil)
        let unset = BuildOptions(
            content: URL(fileURLWithPath: "/c/Content"), templates: URL(fileURLWithPath: "/c/Templates"),
            output: URL(fileURLWithPath: "/c/Output"))
        #expect(unset.projectRoot == nil)
    }

    @Test func sameInputGivesByteIdenticalOutputInParallelOrNot() throws {
        let site = try TestSite()
        defer { site.remove() }
        let (framework, templates, diagnostics) = SiteBuilder.load(site.options)
        #expect(diagnostics.isEmpty)
        let renderer = SiteRenderer(framework: try #require(framework), templates: try #require(templates))
        let parallel = renderer.render(parallel: true)
        #expect(parallel == renderer.render(parallel: false))
        #expect(parallel == renderer.render(parallel: true))
    }

    /// An entry's page and its handout share the entry's context (`EntryContextCache`): the files are the bytes each
    /// makes with a context of its own, in parallel or not, and after a run in order no context is left waiting.
    @Test func pagesAndHandoutsThatShareContextsMakeTheSameBytes() throws {
        let site = try TestSite()
        defer { site.remove() }
        let (loaded, loadedTemplates, _) = SiteBuilder.load(site.options)
        let framework = try #require(loaded)
        let templates = try #require(loadedTemplates)
        let alone =
            (SiteRenderer(framework: framework, templates: templates).render(parallel: false)
            + HandoutRenderer(framework: framework, templates: templates, contentAssets: [:]).render()).sorted { $0.path < $1.path }
        for parallel in [false, true] {
            let cache = EntryContextCache()
            var pages = SiteRenderer(framework: framework, templates: templates)
            pages.entryContexts = cache
            var handouts = HandoutRenderer(framework: framework, templates: templates, contentAssets: [:])
            handouts.entryContexts = cache
            let jobs = OutputJob.pairing(pages.jobs(), with: handouts.jobs(), lag: 3)
            #expect(jobs.count == pages.jobs().count + handouts.jobs().count)
            #expect(OutputJob.run(jobs, parallel: parallel) == alone)
            if !parallel { #expect(cache.waiting == 0, "every context made for a page was taken by its handout") }
        }
        // Pages alone leave one context for each entry with a handout; the handouts take them all.
        let cache = EntryContextCache()
        var pages = SiteRenderer(framework: framework, templates: templates)
        pages.entryContexts = cache
        var handouts = HandoutRenderer(framework: framework, templates: templates, contentAssets: [:])
        handouts.entryContexts = cache
        _ = OutputJob.run(pages.jobs(), parallel: false)
        let entries = framework.stages.count + framework.professions.count + framework.roles.count + framework.routes.count
        #expect(entries > 0 && cache.waiting == entries)
        #expect(OutputJob.run(handouts.jobs(), parallel: false) == alone.filter { $0.path.hasPrefix("handouts/") })
        #expect(cache.waiting == 0)
    }

    /// Each handout goes `lag` jobs after its entry's page (or last, when the page is near the end or missing).
    @Test func handoutsFollowTheirPagesByTheLag() {
        func job(_ path: String, _ entry: String?) -> OutputJob {
            var job = OutputJob(path: path) { Data() }
            job.entry = entry.map { EntryRef(.role, $0) }
            return job
        }
        let pages = [job("a", "a"), job("b", "b"), job("c", nil), job("d", "d")]
        let handouts = [job("hb", "b"), job("hx", "x"), job("ha", "a"), job("hd", "d")]
        #expect(OutputJob.pairing(pages, with: handouts, lag: 1).map(\.path) == ["a", "b", "ha", "c", "hb", "d", "hd", "hx"])
        #expect(OutputJob.pairing(pages, with: handouts, lag: 0).map(\.path) == ["a", "ha", "b", "hb", "c", "d", "hd", "hx"])
        #expect(OutputJob.pairing([], with: handouts, lag: 2).map(\.path) == ["hb", "hx", "ha", "hd"])
    }

    /// Files are staged while the site renders, before the link check: a build that fails the check after
    /// staging new files, in a folder the old site did not have, must still leave every file and folder as it was.
    @Test func aBrokenLinkFoundAfterStagingLeavesEveryFileAndFolderAsItWas() throws {
        let site = try TestSite()
        defer { site.remove() }
        #expect(SiteBuilder.build(site.options).succeeded)
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("settings.html"))
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("pages/about.md"))
        let pagesFolder = site.output.appendingPathComponent("pages")
        try FileManager.default.removeItem(at: pagesFolder)
        let before = try snapshot(site.output)
        try site.write("pages/about.md", "---\ntitle: About\n---\nChanged.\n")
        try site.write("pages/more.md", "---\ntitle: More\n---\nNew.\n")
        let report = SiteBuilder.build(try site.optionsWithABrokenTemplateLink())
        #expect(!report.succeeded)
        #expect(report.diagnostics.contains { $0.description.contains("broken link '../missing.html'") })
        #expect(try snapshot(site.output) == before)
        #expect(!FileManager.default.fileExists(atPath: pagesFolder.path), "the folder made for the new pages is gone again")
        #expect(!FileManager.default.fileExists(atPath: site.output.appendingPathComponent(SiteWriter.staging).path))
    }

    func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                files[url.path] = try Data(contentsOf: url)
            }
        }
        return files
    }
}

@Suite struct TemplateSetTests {
    static let minimal = Dictionary(uniqueKeysWithValues: TemplateSet.required.map { ($0, "{{title}}") })

    @Test func syntaxErrorsArePositioned() {
        var templates = Self.minimal
        templates["role"] = "<h1>{{title}}</h1>\n{{#roles}}\n<p>{{name}}</p>\n{{/rolez}}\n"
        #expect(throws: DiagnosticsError.self) { try TemplateSet(templates: templates) }
        do {
            _ = try TemplateSet(templates: templates)
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "Templates/role.mustache:4:1: error: template syntax error: a section is closed with a different name than it was opened with"
                ])
        }
    }

    @Test func missingTemplatesAreNamed() {
        var templates = Self.minimal
        templates["route"] = nil
        do {
            _ = try TemplateSet(templates: templates)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["error: missing template 'Templates/route.mustache'"])
        }
    }

    @Test func valuesAreEscapedAndMarkdownIsNot() throws {
        var templates = Self.minimal
        templates["page"] = "{{title}}|{{{body}}}"
        let set = try TemplateSet(templates: templates)
        #expect(
            set.render("page", ["title": "<script>\"x\" & 'y'", "body": RawHTML("<p>ok</p>")])
                == "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;|<p>ok</p>")
    }

    /// Escaping follows the value, not the tag: text from front matter stays escaped even in `{{{…}}}` (or
    /// `{{&…}}`), at any depth and in lists of text, and generated markup is not escaped twice in `{{…}}`.
    @Test func escapingFollowsTheValueNotTheTag() throws {
        var templates = Self.minimal
        templates["page"] = "{{{title}}}|{{&title}}|{{body}}|{{#items}}{{.}};{{/items}}|{{#nested}}{{{name}}}{{/nested}}\nline 2"
        let set = try TemplateSet(templates: templates)
        let context: TemplateContext = [
            "title": "<b onclick='x'>", "body": RawHTML("<p>a &amp; b</p>"), "items": ["<i>", "", "&"],
            "nested": ["name": "\"q\""] as TemplateContext,
        ]
        #expect(
            set.render("page", context)
                == "&lt;b onclick=&#39;x&#39;&gt;|&lt;b onclick=&#39;x&#39;&gt;|<p>a &amp; b</p>|&lt;i&gt;;;&amp;;|&quot;q&quot;\nline 2")
    }
}
