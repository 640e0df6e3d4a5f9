import Foundation
import Testing

@testable import CareerSite

@Suite struct InputLedgerTests {
    /// A build records its fingerprint only when every file it read had the bytes the fingerprint saw: checking
    /// the fingerprint again at the end missed a file that changed and changed back while the build ran.
    @Test func readsAreCheckedAgainstTheFingerprintTakenBefore() throws {
        let site = try TestSite()
        defer { site.remove() }
        let fingerprint = try #require(BuildFingerprint(options: site.options))
        let file = site.content.appendingPathComponent("pages/about.md")
        let bytes = try Data(contentsOf: file)

        let same = InputLedger(fingerprint)
        same.note(bytes, from: file)
        same.note(bytes, from: URL(fileURLWithPath: site.content.path + "/./pages/about.md"))
        #expect(same.allMatched)

        let changed = InputLedger(fingerprint)
        changed.note(Data("---\ntitle: Another version\n---\n".utf8), from: file)
        changed.note(bytes, from: file)  // read back as it was: the build has still seen the other version
        #expect(!changed.allMatched)

        let unknown = InputLedger(fingerprint)
        unknown.note(bytes, from: site.content.appendingPathComponent("pages/new.md"))
        #expect(!unknown.allMatched)
    }

    /// The fingerprint keeps each file's own hash, and one file's bytes change the whole.
    @Test func theFingerprintHashesEachFile() throws {
        let site = try TestSite()
        defer { site.remove() }
        let before = try #require(BuildFingerprint(options: site.options))
        let file = site.content.appendingPathComponent("pages/about.md")
        var hash = FNV1a()
        hash.add(try Data(contentsOf: file))
        #expect(before.files[file.path] == hash.state)
        try Data("---\ntitle: About\n---\nChanged.\n".utf8).write(to: file)
        let after = try #require(BuildFingerprint(options: site.options))
        #expect(after.value != before.value)
        #expect(after.files[file.path] != before.files[file.path])
    }
}
