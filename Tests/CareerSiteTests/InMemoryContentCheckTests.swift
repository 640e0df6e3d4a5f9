import Foundation
import Testing

@testable import CareerSite

@Suite struct InMemoryContentCheckTests {
    @Test func replacingAFileInMemoryReportsWhatTheDiskCheckReports() throws {
        let role = "---\ntitle: Nurse\nstage: entri\nprofession: nursing\nsummary: A nurse.\ncapabilities: [assessment]\n---\n"
        let site = try TestSite()
        defer { site.remove() }
        let inMemory = InMemoryContentCheck(root: site.content, displayRoot: "Content")
            .diagnostics(replacing: "roles/nurse.md", with: Data(role.utf8)).map(\.description)
        try site.write("roles/nurse.md", role)
        #expect(inMemory.contains("Content/roles/nurse.md:3:8: error: unknown stage 'entri' (did you mean 'entry'?)"))
        #expect(inMemory == site.check())
    }

    /// As on disk, a file that cannot be read is reported once, not at each reference to it; and what the loader
    /// said of the file on disk goes when its bytes are replaced.
    @Test func anUnreadableReplacementIsReportedOnceAsOnDisk() throws {
        let broken = "---\ntitle: Lead nurse\nbands: [\"8a\"\n---\n"
        let site = try TestSite()
        defer { site.remove() }
        let check = InMemoryContentCheck(root: site.content, displayRoot: "Content")
        let inMemory = check.diagnostics(replacing: "roles/lead-nurse.md", with: Data(broken.utf8)).map(\.description)
        try site.write("roles/lead-nurse.md", broken)
        #expect(
            inMemory == [
                "Content/roles/lead-nurse.md:4:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3)"
            ])
        #expect(inMemory == site.check())
        // Checked against the broken folder, the file's good bytes bring no error at all.
        let good = try #require(TestSite.valid["roles/lead-nurse.md"])
        #expect(
            InMemoryContentCheck(root: site.content, displayRoot: "Content").diagnostics(
                replacing: "roles/lead-nurse.md", with: Data(good.utf8)) == [])
    }

    @Test func undecodableBytesAreReportedAtTheFile() throws {
        let site = try TestSite()
        defer { site.remove() }
        let check = InMemoryContentCheck(root: site.content, displayRoot: "Content")
        #expect(
            check.diagnostics(replacing: "framework.md", with: Data([0x2D, 0xFF])).map(\.description) == [
                "Content/framework.md:1:2: error: this file is not valid UTF-8 (first bad byte 0xFF at offset 1); save it as UTF-8"
            ])
        #expect(
            check.diagnostics(replacing: "roles/Bad.md", with: Data()).map(\.description) == [
                "Content/roles/Bad.md:1:1: error: not a content file path: use framework.md or <kind folder>/<id>.md"
            ])
    }
}
