import Foundation
import Testing

@testable import CareerSite

/// Serialized: the tests check that no temporary folder is left behind.
@Suite(.serialized) struct RevisionSourceTests {
    func temporaryFolders() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []
        return Set(names.filter { $0.hasPrefix("careers-revision-") })
    }

    /// A repository with two commits (the second rewords the about page) and an uncommitted new page.
    func twoCommits() throws -> TestRepository {
        let repository = try TestRepository()
        try repository.writeContent([:])
        try repository.commit("First")
        try repository.writeContent(["pages/about.md": "---\ntitle: About\n---\nAbout us.\n"])
        try repository.commit("Second")
        try repository.writeContent([
            "pages/about.md": "---\ntitle: About\n---\nAbout us.\n", "pages/contact.md": "---\ntitle: Contact\n---\n",
        ])
        return repository
    }

    @Test func parsingTellsFoldersFromRevisions() throws {
        let site = try TestSite()
        defer { site.remove() }
        let content = site.content
        #expect(RevisionSource(parsing: content.path, contentFolder: content).location == .directory(URL(fileURLWithPath: content.path)))
        #expect(RevisionSource(parsing: "HEAD~1", contentFolder: content).location == .git(revision: "HEAD~1", path: nil))
        #expect(RevisionSource(parsing: "main:Content", contentFolder: content).location == .git(revision: "main", path: "Content"))
        #expect(RevisionSource(parsing: "main:Content", contentFolder: content).name == "main:Content")
    }

    @Test func previousCommitAgainstTheWorkingFolder() throws {
        let repository = try twoCommits()
        defer { repository.remove() }
        let before = temporaryFolders()
        let old = try RevisionSource(parsing: "HEAD~1", contentFolder: repository.content).load(as: .previous)
        let new = try RevisionSource(.directory(repository.content), contentFolder: repository.content).load(as: .new)
        let report = ChangeReport(old: old, new: new)
        #expect(report.items.map { "\($0.change) \($0.id)" } == ["changed about", "added contact"])
        #expect(RevisionFixtures.lines(report) == ["body reworded: About {+us+}."])
        #expect(temporaryFolders() == before)
    }

    @Test func revisionWithAPathAndTwoRevisions() throws {
        let repository = try twoCommits()
        defer { repository.remove() }
        let old = try RevisionSource(parsing: "HEAD~1:Content", contentFolder: repository.content).load()
        let new = try RevisionSource(parsing: "HEAD:./Content/", contentFolder: repository.content).load(as: .new)
        #expect(ChangeReport(old: old, new: new).items.map(\.id) == ["about"])
        let same = try RevisionSource(parsing: "HEAD", contentFolder: repository.content).load()
        #expect(ChangeReport(old: same, new: new).isEmpty)
    }

    @Test func anUnknownRevisionIsAClearError() throws {
        let repository = try twoCommits()
        defer { repository.remove() }
        #expect(throws: RevisionError.unknownRevision("nope", repository: repository.root.path)) {
            try RevisionSource(parsing: "nope", contentFolder: repository.content).load()
        }
        #expect(throws: RevisionError.unknownRevision("HEAD~5", repository: repository.root.path)) {
            try RevisionSource(parsing: "HEAD~5", contentFolder: repository.content).load()
        }
        #expect(throws: RevisionError.unknownRevision("--help", repository: nil)) {
            try RevisionSource(parsing: "--help", contentFolder: repository.content).load()
        }
    }

    @Test func aPathMissingAtTheRevisionIsAClearError() throws {
        let repository = try twoCommits()
        defer { repository.remove() }
        let error = RevisionError.missingPath("Old", revision: "HEAD~1")
        #expect(throws: error) {
            try RevisionSource(parsing: "HEAD~1:Old", contentFolder: repository.content).load()
        }
        #expect(error.description == "'Old' does not exist at revision 'HEAD~1'; name the content folder as 'HEAD~1:<path>'")
        #expect(throws: RevisionError.notAFolder("Content/framework.md", revision: "HEAD")) {
            try RevisionSource(parsing: "HEAD:Content/framework.md", contentFolder: repository.content).load()
        }
    }

    @Test func aFolderOutsideAnyRepositoryIsAClearError() throws {
        let site = try TestSite()
        defer { site.remove() }
        // The temporary folder is not expected to be inside a git repository.
        guard Git.run(["rev-parse", "--show-toplevel"], in: site.root).status != 0 else { return }
        #expect(throws: RevisionError.notARepository(site.content.path, revision: "HEAD~1")) {
            try RevisionSource(parsing: "HEAD~1", contentFolder: site.content).load()
        }
        // A folder name with a typo is read as a revision: the message says so, naming what was typed.
        let typo = site.root.appendingPathComponent("Contnet").path
        #expect(
            RevisionError.notARepository(site.content.path, revision: typo).description
                == "'\(typo)' is not a folder, and it cannot be read as a git revision: the content folder '\(site.content.path)' "
                + "is not in a git repository; give a content folder instead")
    }

    @Test func aPreviousRevisionWithErrorsSaysItDoesNotBuild() throws {
        let repository = try TestRepository()
        defer { repository.remove() }
        try repository.writeContent([
            "roles/nurse.md": RevisionFixtures.role(stage: "entri"),
            "roles/lead-nurse.md": RevisionFixtures.role(title: "Lead nurse", stage: "advanced", profession: "nursin", extra: ""),
        ])
        try repository.commit("Broken")
        try repository.writeContent([:])
        try repository.commit("Fixed")
        let before = temporaryFolders()
        do {
            _ = try RevisionSource(parsing: "HEAD~1", contentFolder: repository.content).load(as: .previous)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description == """
                    the previous revision (HEAD~1) does not build: 2 errors
                      HEAD~1:Content/roles/lead-nurse.md:4:13: error: unknown profession 'nursin' (did you mean 'nursing'?)
                      HEAD~1:Content/roles/nurse.md:3:8: error: unknown stage 'entri' (did you mean 'entry'?)
                    """)
        }
        #expect(temporaryFolders() == before)
    }

    @Test func aMissingFolderIsAClearError() {
        let source = RevisionSource(
            .directory(URL(fileURLWithPath: "/nonexistent/Content")), contentFolder: URL(fileURLWithPath: "Content"))
        #expect(throws: RevisionError.missingFolder("/nonexistent/Content")) { try source.load() }
    }

    @Test func manyErrorsAreCutShort() {
        let diagnostics = (1...7).map { Diagnostic.error("problem \($0)", at: SourceLocation(path: "a.md", line: $0)) }
        let error = RevisionError.doesNotBuild(side: .new, name: "Content", diagnostics: diagnostics)
        #expect(
            error.description == """
                the new revision (Content) does not build: 7 errors
                  a.md:1:1: error: problem 1
                  a.md:2:1: error: problem 2
                  a.md:3:1: error: problem 3
                  a.md:4:1: error: problem 4
                  a.md:5:1: error: problem 5
                  … and 2 more
                """)
    }
}
