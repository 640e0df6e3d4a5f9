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
        var hash = InputHash()
        hash.add(try Data(contentsOf: file))
        #expect(before.files[file.path] == hash.state)
        try Data("---\ntitle: About\n---\nChanged.\n".utf8).write(to: file)
        let after = try #require(BuildFingerprint(options: site.options))
        #expect(after.value != before.value)
        #expect(after.files[file.path] != before.files[file.path])
    }

    /// The hash is written into the build record, so it must be the same in every run and on every machine: these
    /// values were computed once and are fixed. Every byte counts, wherever it sits (a 16-byte block or the tail),
    /// and so does how the bytes were split between calls.
    @Test func theHashIsStableAndEveryByteCounts() {
        func hash(_ pieces: [String]) -> UInt64 {
            var hash = InputHash()
            for piece in pieces { hash.add(Data(piece.utf8)) }
            return hash.state
        }
        #expect(InputHash().hexDigest == "2d358dccaa6c78a5")
        #expect(hash([""]) == 0xc381_5e35_be42_4d96)
        #expect(hash(["district nurse: community care, 2026"]) == 0x3dda_384b_efca_3dda)
        let text = Array("---\ntitle: District nurse\nstage: enhanced\n---\nDistrict nurses lead care at home.\n".utf8)
        var seen: Set<UInt64> = [hash([String(decoding: text, as: UTF8.self)])]
        for index in text.indices {
            for bit in 0..<8 {
                var changed = text
                changed[index] ^= 1 << bit
                var hash = InputHash()
                changed.withUnsafeBytes { hash.add($0) }
                seen.insert(hash.state)
            }
        }
        #expect(seen.count == 1 + text.count * 8, "every one-bit change gives a hash of its own")
        #expect(hash(["ab", "c"]) != hash(["a", "bc"]))
        #expect(hash(["abc"]) != hash(["abc", ""]))
        var zeros = Set<UInt64>()
        for count in 0...40 { zeros.insert(hash([String(repeating: "\u{0}", count: count)])) }
        #expect(zeros.count == 41, "runs of zero bytes of different lengths differ")
    }
}
