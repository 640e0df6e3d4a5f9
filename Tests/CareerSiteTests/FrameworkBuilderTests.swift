import Foundation
import Testing

@testable import CareerSite

@Suite struct FrameworkBuilderTests {
    func check(_ files: [String: String?]) throws -> [String] {
        let site = try TestSite(files)
        defer { site.remove() }
        return site.check()
    }

    @Test func theValidSiteHasNoProblems() throws {
        #expect(try check([:]) == [])
    }

    @Test func unknownReferencesSuggestTheNearestId() throws {
        let diagnostics = try check([
            "roles/nurse.md":
                "---\ntitle: Nurse\nstage: entri\nprofession: nursin\nsummary: A nurse.\ncapabilities: [assesment]\nnext: [lead-nurze]\n---\n"
        ])
        #expect(
            diagnostics == [
                "Content/capabilities/assessment.md:1:1: warning: capability 'assessment' is not listed by any role",
                "Content/roles/nurse.md:3:8: error: unknown stage 'entri' (did you mean 'entry'?)",
                "Content/roles/nurse.md:4:13: error: unknown profession 'nursin' (did you mean 'nursing'?)",
                "Content/roles/nurse.md:6:16: error: unknown capability 'assesment' (did you mean 'assessment'?)",
                "Content/roles/nurse.md:7:8: error: unknown next role 'lead-nurze' (did you mean 'lead-nurse'?)",
            ])
    }

    /// Found by the mutation property test: a fragment naming no heading passed the check and failed the build
    /// in the link checker, with an error that named an output page instead of the line in the content.
    @Test func fragmentsThatNameNoHeadingAreReportedAtTheLink() throws {
        let diagnostics = try check([
            "pages/about.md":
                "---\ntitle: About\n---\n## Pay bands\n\n[a](#pay-bands) [b](#nope) [c](role:nurse#pay)\n[d](page:about#pay-band)\n",
            "roles/lead-nurse.md":
                "---\ntitle: Lead nurse\nstage: advanced\nprofession: nursing\nsummary: Leads.\nentry: \"See [a](#x).\"\n---\n",
        ])
        #expect(
            diagnostics == [
                "Content/pages/about.md:6:21: error: no heading '#nope' in this file; its heading ids: pay-bands",
                "Content/pages/about.md:6:32: error: no heading '#pay' in role 'nurse'; it has no headings",
                "Content/pages/about.md:7:5: error: no heading '#pay-band' in page 'about' (did you mean 'pay-bands'?); its heading ids: pay-bands",
                "Content/roles/lead-nurse.md:6:8: error: a '#x' link in a one-line value has no page of its own; link to the entry, as kind:id#x",
            ])
    }

    @Test func duplicateOrdersAndCodesAreReportedAtEachUse() throws {
        let diagnostics = try check([
            "stages/advanced.md": "---\ntitle: Advanced\norder: 1\nsummary: Second.\n---\n",
            "capabilities/triage.md": "---\ntitle: Triage\ncode: CL1\ndomain: clinical\nsummary: T.\nlevels:\n  entry: Sorts.\n---\n",
            "roles/nurse.md":
                "---\ntitle: Nurse\nstage: entry\nprofession: nursing\nsummary: A nurse.\ncapabilities: [assessment, triage]\n---\n",
        ])
        #expect(
            diagnostics == [
                "Content/capabilities/assessment.md:3:7: error: duplicate capability code 'CL1': used by 'assessment', 'triage'; each must be unique",
                "Content/capabilities/triage.md:3:7: error: duplicate capability code 'CL1': used by 'assessment', 'triage'; each must be unique",
                "Content/stages/advanced.md:3:8: error: duplicate stage order 1: used by 'advanced', 'entry'; each must be unique",
                "Content/stages/entry.md:3:8: error: duplicate stage order 1: used by 'advanced', 'entry'; each must be unique",
            ])
    }

    @Test func routesNeedTwoStepsAndNoRepeatedRole() throws {
        let diagnostics = try check([
            "routes/nursing.md": "---\ntitle: R\nsummary: S.\nsteps:\n  - role: nurse\n---\n",
            "routes/loop.md":
                "---\ntitle: R\nsummary: S.\nsteps:\n  - role: nurse\n  - role: lead-nurse\n  - role: nurse\n    vai: x\n---\n",
        ])
        #expect(
            diagnostics == [
                "Content/routes/loop.md:7:11: error: role 'nurse' appears twice in this route (first at line 5); a role may appear only once per route",
                "Content/routes/loop.md:8:5: error: unknown key 'vai' in route step (did you mean 'via'?); known keys: role, via",
                "Content/routes/nursing.md:2:1: error: a route needs at least two steps, found 1",
            ])
    }

    @Test func emptyStepsAndEmptyLevelsAreErrors() throws {
        let diagnostics = try check([
            "routes/nursing.md": "---\ntitle: R\nsummary: S.\nsteps: []\n---\n",
            "capabilities/assessment.md": "---\ntitle: Assessment\ndomain: clinical\nsummary: Assessing.\nlevels: {}\n---\n",
        ])
        #expect(
            diagnostics == [
                "Content/capabilities/assessment.md:2:1: error: 'levels' must describe the capability at one stage at least",
                "Content/routes/nursing.md:2:1: error: a route needs at least two steps, found 0",
            ])
    }

    @Test func strayFilesAndBadNamesAreErrors() throws {
        let diagnostics = try check([
            "notes.txt": "x", "roles/Head Nurse.md": "---\ntitle: X\n---\n", "roles/draft.txt": "x", "role/x.md": "x",
            ".hidden/ignored.md": "x", "assets/logo.svg": "<svg/>",
        ])
        #expect(
            diagnostics == [
                "Content/notes.txt:1:1: error: unexpected file 'notes.txt' in the content folder; expected framework.md, assets/ or one of the folders stages, domains, capabilities, professions, roles, routes, pages",
                "Content/role:1:1: error: unexpected folder 'role' in the content folder (did you mean 'roles'?); expected framework.md, assets/ or one of the folders stages, domains, capabilities, professions, roles, routes, pages",
                "Content/roles/Head Nurse.md:1:1: error: invalid file name 'Head Nurse.md': an id is lower-case letters, digits and single hyphens, starting with a letter, at most 64 characters (rename it to 'head-nurse.md'?)",
                "Content/roles/draft.txt:1:1: error: unexpected file 'draft.txt' in Content/roles/: only .md files belong here",
            ])
    }

    @Test func malformedFrontMatterIsReportedPerFile() throws {
        let diagnostics = try check([
            "pages/a.md": "", "pages/b.md": "title: B\n", "pages/c.md": "---\ntitle: C\n", "pages/d.md": "---\n- a\n- b\n---\n",
            "pages/e.md": "---\ntitle: E\n\ttab: x\n---\n", "pages/f.md": "---\n---\nBody\n",
        ])
        #expect(diagnostics.count == 6)
        #expect(diagnostics[0] == "Content/pages/a.md:1:1: error: this file is empty; it needs front matter between two '---' lines")
        #expect(diagnostics[1] == "Content/pages/b.md:1:1: error: missing front matter: the first line must be exactly '---'")
        #expect(diagnostics[2] == "Content/pages/c.md:1:1: error: front matter is not closed: add a line that is exactly '---' after it")
        #expect(diagnostics[3] == "Content/pages/d.md:2:1: error: front matter must be a map of 'key: value' lines, found a list")
        #expect(diagnostics[4].hasPrefix("Content/pages/e.md:3:1: error: invalid YAML: "))
        #expect(diagnostics[4].hasSuffix("indent with spaces, not tabs"))
        #expect(diagnostics[5] == "Content/pages/f.md:2:1: error: front matter is empty; a page needs at least: title")
    }

    @Test func everyProblemIsReportedInOneRun() throws {
        let diagnostics = try check([
            "framework.md": "---\ntitle: T\nedition: 1\nstatus: drift\nupdated: 15/01/2026\nbase_url: example.org\n---\n",
            "stages/entry.md": "---\ntitle: Entry\norder: one\nsummary: First.\nlevel: 10\n---\n",
            "capabilities/assessment.md":
                "---\ntitle: Assessment\ndomain: clinical\nsummary: Assessing.\nlevels:\n  entry: Observes.\n  expert: Diagnoses.\n---\nSee [x](route:nurzing).\n",
        ])
        #expect(
            diagnostics == [
                "Content/capabilities/assessment.md:7:3: error: unknown stage 'expert'; the stages are advanced, entry",
                "Content/capabilities/assessment.md:9:9: error: unknown route 'nurzing' in link 'route:nurzing' (did you mean 'nursing'?)",
                "Content/framework.md:4:9: error: 'status' must be one of 'draft', 'consultation', 'published', found 'drift' (did you mean 'draft'?)",
                "Content/framework.md:5:10: error: 'updated' must be a date written YYYY-MM-DD, found '15/01/2026'",
                "Content/framework.md:6:11: error: 'base_url' must be an absolute http:// or https:// address, found 'example.org'",
                "Content/stages/entry.md:3:8: error: 'order' must be a whole number, found 'one'",
                "Content/stages/entry.md:5:8: error: 'level' must be between 1 and 9, found 10",
            ])
    }

    @Test func contentAssetsMayNotClashWithGeneratedFiles() throws {
        let diagnostics = try check(["assets/site.css": "body {}", "assets/search-index.js": "x", "assets/logo.svg": "<svg/>"])
        #expect(
            diagnostics == [
                "Content/assets/search-index.js:1:1: error: 'assets/search-index.js' is also written by the templates or the generator; rename this file",
                "Content/assets/site.css:1:1: error: 'assets/site.css' is also written by the templates or the generator; rename this file",
            ])
    }

    @Test func missingFrameworkFileIsAnError() throws {
        let diagnostics = try check(["framework.md": nil])
        #expect(
            diagnostics == [
                "error: missing 'Content/framework.md': every site needs one framework.md with its title, edition, status and date"
            ])
    }

    /// A role file with broken YAML brought an "unknown role" error from every file that named it, besides its own.
    @Test func anUnreadableFileIsReportedOnceNotAtEachReference() throws {
        let diagnostics = try check([
            "roles/lead-nurse.md": "---\ntitle: Lead nurse\nbands: [\"8a\"\n---\n## Scope\n",
            "pages/about.md": "---\ntitle: About\n---\nSee [the lead](role:lead-nurse) and [its scope](role:lead-nurse#scope).\n",
        ])
        #expect(
            diagnostics == [
                "Content/roles/lead-nurse.md:4:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3)"
            ])
    }

    /// Codes sorted as plain text put "CL10" between "CL1" and "CL2" once a domain had ten capabilities.
    @Test func capabilitiesFollowTheirCodesAsNumbersAreRead() throws {
        func capability(_ title: String, code: String?) -> String {
            "---\ntitle: \(title)\n" + (code.map { "code: \($0)\n" } ?? "")
                + "domain: clinical\nsummary: S.\nlevels:\n  entry: E.\n---\n"
        }
        let site = try TestSite([
            "capabilities/a-tenth.md": capability("A tenth", code: "CL10"),
            "capabilities/a-second.md": capability("A second", code: "CL2"),
            "capabilities/a-plain.md": capability("A plain one", code: nil),
            "capabilities/a-ninth.md": capability("A ninth", code: "CL9"),
        ])
        defer { site.remove() }
        var builder = FrameworkBuilder(content: ContentLoader(root: site.content, displayRoot: "Content").load())
        let framework = try #require(builder.build().0)
        #expect(framework.capabilities.map(\.id.rawValue) == ["assessment", "a-second", "a-ninth", "a-tenth", "a-plain"])
    }

    @Test func naturalOrderReadsDigitRunsAsNumbers() {
        let expected = [
            "", "1.2", "1.9", "1.10", "2", "PC", "PC-1", "PC01", "PC1", "PC2", "PC010", "PC10", "PC99", "PC100", "PCa", "Pé1",
            "Pé2",
        ]
        #expect(expected.reversed().sorted(by: NaturalOrder.less) == expected)
        #expect(expected.shuffled().sorted(by: NaturalOrder.less) == expected)
        // A strict total order: exactly one of less, greater or the same bytes, for every pair.
        for a in expected {
            for b in expected {
                let outcomes = [NaturalOrder.less(a, b), NaturalOrder.less(b, a), Array(a.utf8) == Array(b.utf8)]
                #expect(outcomes.filter { $0 }.count == 1, "\(a) and \(b)")
            }
        }
    }

    /// A build's loader renders each body as it reads the file (`ContentLoader.rendersBodies`), against the ids of
    /// the files it found: the same HTML, problems and heading checks as rendering them all once every file is read,
    /// with links to entries that exist, that do not, and whose file cannot be read, and to headings and assets.
    @Test func bodiesRenderedAsTheyAreReadAreTheSame() throws {
        let site = try TestSite([
            "roles/nurse.md":
                "---\ntitle: Nurse\nstage: entry\nprofession: nursing\nsummary: A nurse.\ncapabilities: [assessment]\nnext: [lead-nurse]\n---\n"
                + "## Duties\n\nSee [lead](role:lead-nurse#duties), [gone](role:gone), [broken](role:broken), [top](#duties), "
                + "[none](#none), [image](assets/x.png), [missing](assets/y.png) and [route](route:nursing#x).\n",
            "roles/lead-nurse.md":
                "---\ntitle: Lead nurse\nstage: advanced\nprofession: nursing\nsummary: Leads.\n---\n## Duties\n\n[back](role:nurse#duties)\n",
            "pages/about.md": "---\ntitle: About\n---\nAbout [stage](stage:entry) and [a mistake](stage:entyr).\n",
            "framework.md":
                "---\ntitle: Test framework\nedition: \"1\"\nstatus: draft\nupdated: 2026-01-15\n---\n[Roles](role:nurse#duties)\n",
        ])
        defer { site.remove() }
        try site.write("roles/broken.md", Data([0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0x0A]))
        try site.write("assets/x.png", Data([1]))
        var later = FrameworkBuilder(content: ContentLoader(root: site.content, displayRoot: "Content").load())
        var loader = ContentLoader(root: site.content, displayRoot: "Content")
        loader.rendersBodies = true
        let content = loader.load()
        #expect(content.documents.allSatisfy { $0.body.isEmpty } && content.framework?.body.isEmpty == true)
        #expect(content.renderedBodies?.count == content.documents.count + 1)
        var early = FrameworkBuilder(content: content)
        let (laterBuilt, laterFound) = later.build()
        let (earlyBuilt, earlyFound) = early.build()
        #expect(earlyFound.map(\.description) == laterFound.map(\.description))
        #expect(laterFound.count >= 5 && laterBuilt == nil && earlyBuilt == nil)
        // Without the errors, the same bodies.
        try site.write("roles/broken.md", "---\ntitle: Broken\nstage: entry\nprofession: nursing\nsummary: Mended.\n---\n")
        try site.write(
            "roles/nurse.md",
            "---\ntitle: Nurse\nstage: entry\nprofession: nursing\nsummary: A nurse.\n---\n## Duties\n\n[lead](role:lead-nurse#duties) "
                + "[top](#duties) ![image](assets/x.png)\n")
        try site.write("pages/about.md", "---\ntitle: About\n---\nAbout [stage](stage:entry).\n")
        var mendedLater = FrameworkBuilder(content: ContentLoader(root: site.content, displayRoot: "Content").load())
        var mendedEarly = FrameworkBuilder(content: loader.load())
        let first = try #require(mendedLater.build().0)
        let second = try #require(mendedEarly.build().0)
        #expect(first.roles.map(\.body.html) == second.roles.map(\.body.html))
        #expect(first.pages.map(\.body.html) == second.pages.map(\.body.html))
        #expect(first.info.introduction.html == second.info.introduction.html)
        #expect(first.roles.contains { $0.body.html.contains("<h2 id=\"duties\">") })
    }

    @Test func modelIndexesLinkBothWays() throws {
        let site = try TestSite()
        defer { site.remove() }
        var builder = FrameworkBuilder(content: ContentLoader(root: site.content, displayRoot: "Content").load())
        let (built, diagnostics) = builder.build()
        let framework = try #require(built)
        #expect(diagnostics.isEmpty)
        #expect(framework.roles(at: StageID("entry")).map(\.id) == [RoleID("nurse")])
        #expect(framework.roles(using: CapabilityID("assessment")).map(\.id) == [RoleID("nurse")])
        #expect(framework.roles(leadingTo: RoleID("lead-nurse")).map(\.id) == [RoleID("nurse")])
        #expect(framework.routes(through: RoleID("lead-nurse")).map(\.id) == [RouteID("nursing")])
        #expect(framework.routes(for: ProfessionID("nursing")).map(\.id) == [RouteID("nursing")])
        #expect(framework.stage(before: StageID("advanced"))?.id == StageID("entry"))
        #expect(framework.info.edition == "1")
    }
}
