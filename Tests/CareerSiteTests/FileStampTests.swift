import Foundation
import Testing

@testable import CareerSite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A build does not read an input file again while its stamp is the one the last build recorded (`FileStamp`).
@Suite struct FileStampTests {
    /// A clock far ahead of every file's times, so every file has settled.
    private static let later = Int64.max / 2
    private static let about = "content/pages/about.md"

    private static func hash(of url: URL) throws -> UInt64 {
        var hash = InputHash()
        hash.add(try Data(contentsOf: url))
        return hash.state
    }

    /// A file whose stamp is the recorded one is not read: the recorded hash stands for its bytes.
    @Test func aFileWithItsRecordedStampIsNotRead() throws {
        let site = try TestSite()
        defer { site.remove() }
        let file = site.content.appendingPathComponent("pages/about.md")
        let first = try #require(BuildFingerprint(options: site.options, now: Self.later))
        #expect(first.hashedCount == first.files.count, "nothing known: every file is read")
        #expect(first.inputs.count == first.files.count, "every input is a settled regular file")
        let recorded = try #require(first.inputs[Self.about])
        #expect(recorded.hash == (try Self.hash(of: file)))
        #expect(first.inputs.keys.contains("templates/layout.mustache"))

        let again = try #require(BuildFingerprint(options: site.options, known: first.inputs, now: Self.later))
        #expect(again.hashedCount == 0)
        #expect(again.value == first.value)
        #expect(again.files == first.files)

        var known = first.inputs
        known[Self.about] = KnownInput(stamp: recorded.stamp, hash: 42)
        let trusted = try #require(BuildFingerprint(options: site.options, known: known, now: Self.later))
        #expect(trusted.hashedCount == 0)
        #expect(trusted.files[file.path] == 42, "the file was not read")
        #expect(trusted.value != first.value)
    }

    /// Any part of the stamp that differs from the record (device, inode, size, either time) means the file is
    /// read again.
    @Test func anyDifferenceInTheStampMeansTheFileIsRead() throws {
        let site = try TestSite()
        defer { site.remove() }
        let file = site.content.appendingPathComponent("pages/about.md")
        let first = try #require(BuildFingerprint(options: site.options, now: Self.later))
        let stamp = try #require(first.inputs[Self.about]).stamp
        let changes: [(String, (inout FileStamp) -> Void)] = [
            ("device", { $0.device &+= 1 }), ("inode", { $0.inode &+= 1 }), ("size", { $0.size += 1 }),
            ("modified", { $0.modified -= 1 }), ("changed", { $0.changed -= 1 }),
        ]
        for (field, change) in changes {
            var other = stamp
            change(&other)
            var known = first.inputs
            known[Self.about] = KnownInput(stamp: other, hash: 42)
            let fingerprint = try #require(BuildFingerprint(options: site.options, known: known, now: Self.later))
            #expect(fingerprint.hashedCount == 1, "\(field)")
            #expect(fingerprint.files[file.path] == (try Self.hash(of: file)), "\(field)")
            #expect(fingerprint.value == first.value, "\(field)")
            #expect(fingerprint.inputs[Self.about] == first.inputs[Self.about], "\(field): the new stamp is recorded")
        }
    }

    /// A stamp is recorded only when the file last changed more than the settling time before the files were
    /// looked at: a change in the same clock tick as the stamp would leave it as it was.
    @Test func onlySettledFilesAreRecorded() throws {
        let site = try TestSite()
        defer { site.remove() }
        let stamp = try #require(BuildFingerprint(options: site.options, now: Self.later)?.inputs[Self.about]).stamp
        let lastChange = max(stamp.changed, stamp.modified)
        let tooSoon = lastChange + FileStamp.settlingNanoseconds
        #expect(!stamp.isSettled(before: tooSoon))
        #expect(stamp.isSettled(before: tooSoon + 1))
        #expect(try #require(BuildFingerprint(options: site.options, now: tooSoon)).inputs[Self.about] == nil)
        #expect(try #require(BuildFingerprint(options: site.options, now: tooSoon + 1)).inputs[Self.about]?.stamp == stamp)
        #expect(try #require(BuildFingerprint(options: site.options)).inputs[Self.about] == nil, "just written")

        var modifiedLater = stamp
        modifiedLater.modified = stamp.changed + 10 * FileStamp.settlingNanoseconds  // a time set ahead with touch
        #expect(!modifiedLater.isSettled(before: stamp.changed + 2 * FileStamp.settlingNanoseconds))
    }

    /// A symbolic link is read every time: its own stamp does not change when what it points to does.
    @Test func aSymbolicLinkIsAlwaysRead() throws {
        let site = try TestSite()
        defer { site.remove() }
        let link = site.content.appendingPathComponent("pages/linked.md")
        try FileManager.default.createSymbolicLink(
            atPath: link.path, withDestinationPath: site.content.appendingPathComponent("pages/about.md").path)
        let first = try #require(BuildFingerprint(options: site.options, now: Self.later))
        #expect(first.files[link.path] != nil)
        #expect(first.inputs["content/pages/linked.md"] == nil)
        let again = try #require(BuildFingerprint(options: site.options, known: first.inputs, now: Self.later))
        #expect(again.hashedCount == 1)
    }

    /// A build that does nothing still records the stamps of files that were too new to record at the last build
    /// (a fresh checkout built at once), so later builds need not read them; when there is nothing new to record,
    /// it leaves the marker as it was.
    @Test func aBuildThatDoesNothingRecordsFilesThatHaveSettledSince() throws {
        let site = try TestSite()
        defer { site.remove() }
        var options = site.options
        let writer = SiteWriter(output: site.output, displayOutput: "Output")
        let marker = site.output.appendingPathComponent(SiteWriter.marker)
        #expect(SiteBuilder.build(options).succeeded)
        let fresh = try #require(writer.lastRecord())
        #expect(fresh.inputs[Self.about] == nil, "just written: not settled")
        let before = try Data(contentsOf: marker)

        options.clock = { FileStampTests.later }
        #expect(SiteBuilder.build(options).reusedPreviousBuild)
        let refreshed = try #require(writer.lastRecord())
        let listing = try #require(InputListing(options: options))
        #expect(refreshed.inputs.count == listing.roots.map(\.files.count).reduce(0, +))
        #expect(refreshed.inputs[Self.about]?.hash == (try Self.hash(of: site.content.appendingPathComponent("pages/about.md"))))
        var expected = fresh
        expected.inputs = refreshed.inputs
        #expect(refreshed == expected, "only the stamps changed")
        let after = try Data(contentsOf: marker)
        #expect(after != before)

        var written = stat()
        #expect(lstat(marker.path, &written) == 0)
        #expect(SiteBuilder.build(options).reusedPreviousBuild)
        var left = stat()
        #expect(lstat(marker.path, &left) == 0)
        #expect(FileStamp(left) == FileStamp(written), "nothing new to record: the marker is left alone (not replaced)")
        #expect(try Data(contentsOf: marker) == after)
    }

    /// End to end: a build records every input's stamp, and the next build reads none of them and does nothing.
    /// A file rewritten with other bytes of the same size, its modification time put back, is still seen: its
    /// status-change time moved.
    @Test func aRewriteThatKeepsSizeAndModificationTimeIsSeen() throws {
        let site = try TestSite()
        defer { site.remove() }
        var options = site.options
        options.clock = { FileStampTests.later }
        #expect(SiteBuilder.build(options).succeeded)
        let listing = try #require(InputListing(options: options))
        let record = try #require(SiteWriter(output: site.output, displayOutput: "Output").lastRecord())
        #expect(record.inputs.count == listing.roots.map(\.files.count).reduce(0, +))
        #expect(SiteBuilder.build(options).reusedPreviousBuild)

        // The stamp's times come from a clock that may tick only every few milliseconds: the settling time makes
        // sure of a later tick in real use, and this wait does here.
        Thread.sleep(forTimeInterval: 0.05)
        let file = site.content.appendingPathComponent("pages/about.md")
        var before = stat()
        #expect(lstat(file.path, &before) == 0)
        let old = try String(contentsOf: file, encoding: .utf8)
        try Data(old.replacingOccurrences(of: "About.\n", with: "Above.\n").utf8).write(to: file)
        #if canImport(Darwin)
            var times = [before.st_atimespec, before.st_mtimespec]
        #else
            var times = [before.st_atim, before.st_mtim]
        #endif
        #expect(utimensat(AT_FDCWD, file.path, &times, 0) == 0)
        var after = stat()
        #expect(lstat(file.path, &after) == 0)
        let (oldStamp, newStamp) = (FileStamp(before), FileStamp(after))
        #expect(newStamp.size == oldStamp.size && newStamp.modified == oldStamp.modified && newStamp.inode == oldStamp.inode)
        #expect(newStamp.changed != oldStamp.changed)

        let rebuilt = SiteBuilder.build(options)
        #expect(rebuilt.succeeded)
        #expect(!rebuilt.reusedPreviousBuild)
        let page = try String(contentsOf: site.output.appendingPathComponent("pages/about.html"), encoding: .utf8)
        #expect(page.contains("Above."))
    }
}
