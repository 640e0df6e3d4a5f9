import Foundation
import Testing

@testable import CareerSite

@Suite struct ChangesPageTests {
    /// A build against a previous revision, then one without, with the content unchanged: the second is a real
    /// build, which drops the changes page, not "nothing changed" (which kept it and replayed the first's warning).
    @Test func aBuildWithoutThePreviousRevisionAfterOneWithItIsNotANoOp() throws {
        let previous = try TestSite()
        defer { previous.remove() }
        let site = try TestSite(["pages/help.md": "---\ntitle: Help\n---\nHelp.\n"])
        defer { site.remove() }
        var options = site.options
        options.previous = previous.content.path
        #expect(SiteBuilder.build(options).succeeded)
        let changes = site.output.appendingPathComponent("changes.html")
        #expect(FileManager.default.fileExists(atPath: changes.path))
        let plain = site.build()
        #expect(plain.succeeded && !plain.reusedPreviousBuild)
        #expect(plain.diagnostics.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: changes.path))
        #expect(site.build().reusedPreviousBuild)
    }

    @Test func aPreviousRevisionAddsChangesPageAndMarksChangedPages() throws {
        let previous = try TestSite()
        defer { previous.remove() }
        let site = try TestSite([
            "roles/nurse.md":
                "---\ntitle: Staff nurse\nstage: entry\nprofession: nursing\nsummary: A registered nurse.\ncapabilities: [assessment]\nnext: [lead-nurse]\n---\n",
            "pages/help.md": "---\ntitle: Help\n---\nHelp.\n",
        ])
        defer { site.remove() }
        var options = site.options
        options.previous = previous.content.path
        let report = SiteBuilder.build(options)
        #expect(report.succeeded)
        #expect(
            report.diagnostics.map(\.description) == [
                "Content/framework.md:1:1: warning: content changed but the edition is still '1'; update 'edition' in framework.md"
            ])
        let changes = try String(contentsOf: site.output.appendingPathComponent("changes.html"), encoding: .utf8)
        #expect(changes.contains("<li id=\"role-nurse\" class=\"change change-changed\">"))
        #expect(changes.contains("<a href=\"roles/nurse.html\">Staff nurse</a>"))
        #expect(changes.contains("<del>Nurse</del> → <ins>Staff nurse</ins>"))
        #expect(changes.contains("<li id=\"page-help\" class=\"change change-added\">"))
        let role = try String(contentsOf: site.output.appendingPathComponent("roles/nurse.html"), encoding: .utf8)
        #expect(
            role.contains("<p class=\"changed-mark\"><strong>Changed in this revision.</strong> <a href=\"../changes.html#role-nurse\">"))
        let stage = try String(contentsOf: site.output.appendingPathComponent("stages/entry.html"), encoding: .utf8)
        #expect(!stage.contains("<p class=\"changed-mark\">"))
        let handout = try String(contentsOf: site.output.appendingPathComponent("handouts/role-nurse.html"), encoding: .utf8)
        #expect(!handout.contains("<p class=\"changed-mark\">"))
    }

    @Test func anUnreadablePreviousRevisionIsAnErrorAndWritesNothing() throws {
        let site = try TestSite()
        defer { site.remove() }
        var options = site.options
        options.previous = site.root.appendingPathComponent("missing").path
        let report = SiteBuilder.build(options)
        #expect(!report.succeeded)
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }
}
