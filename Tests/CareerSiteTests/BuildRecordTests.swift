import Foundation
import Testing

@testable import CareerSite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct BuildRecordTests {
    private let record = BuildRecord(
        fingerprint: "0123456789abcdef",
        files: [
            "index.html": 2686, "roles/district-nurse.html": 10_404, "assets/a b\\c.png": 7, "assets/line\nfeed\r.png": 0,
            "assets/café.png": 12,
        ],
        warnings: [
            "Content/capabilities/x.md: warning: no role uses this capability",
            "two\nlines and a \\ backslash",
        ],
        handouts: ["handouts/role-district-nurse.html": 23_412])

    /// Every path and warning comes back as it was, whatever characters it holds.
    @Test func aRecordReadsBackAsWritten() throws {
        let text = record.text
        #expect(BuildRecord(text: text[...]) == record)
        #expect(text.hasPrefix("careers build record 2\nfingerprint 0123456789abcdef\nfile 7 assets/a b\\\\c.png\n"))
        #expect(text.contains("file 0 assets/line\\nfeed\\r.png\n"))
        #expect(text.contains("warning two\\nlines and a \\\\ backslash\n"))
        #expect(text.split(separator: "\n").count == 1 + 1 + 5 + 1 + 2, "one line per item")
        let empty = BuildRecord(fingerprint: "f", files: [:], warnings: [], handouts: [:])
        #expect(BuildRecord(text: empty.text[...]) == empty)
    }

    /// Anything else is no record, so the next build runs in full rather than trusting it.
    @Test func anythingElseIsNoRecord() {
        let text = record.text
        for damaged in [
            "",
            String(text.dropLast()),  // cut off before the last line feed
            String(text.prefix(40)),  // cut off inside a line
            text.replacingOccurrences(of: "careers build record 2", with: "careers build record 3"),
            text.replacingOccurrences(of: "file 2686 ", with: "file 2,686 "),
            text.replacingOccurrences(of: "file 2686 ", with: "file  "),
            text.replacingOccurrences(of: "\\n", with: "\\q"),  // an escape it never writes
            text + "stray line\n",
            text.replacingOccurrences(of: "fingerprint 0123456789abcdef\n", with: ""),
            text + "fingerprint again\n",
            // The JSON of format 1.
            #"{"files":{"index.html":9},"fingerprint":"f","handouts":{},"warnings":[]}"# + "\n",
        ] {
            #expect(BuildRecord(text: damaged[...]) == nil, "\(damaged.prefix(80))")
        }
    }

    /// The marker file written after a build is read back by the next one; one in another format is not.
    @Test func theMarkerFileRoundTrips() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-record-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let writer = SiteWriter(output: root, displayOutput: "Output")
        try writer.record(record)
        #expect(writer.lastRecord() == record)
        let marker = root.appendingPathComponent(SiteWriter.marker)
        try Data((SiteWriter.markerHeader + #"{"files":{},"fingerprint":"f","handouts":{},"warnings":[]}"# + "\n").utf8)
            .write(to: marker)
        #expect(writer.lastRecord() == nil)
    }

    /// `FileBytes.read` gives a file's bytes whole, at any size, and nil (without blocking) for what is not a
    /// readable regular file.
    @Test func fileBytesReadsWholeFilesOnly() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-bytes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for size in [0, 1, 4095, 4096, 65_537, 1_000_003] {
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let path = root.appendingPathComponent("file-\(size)").path
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(FileBytes.read(path) == bytes, "size \(size)")
        }
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("link").path, withDestinationPath: root.appendingPathComponent("file-1").path)
        #expect(FileBytes.read(root.appendingPathComponent("link").path)?.count == 1, "a symbolic link is read through")
        #expect(FileBytes.read(root.appendingPathComponent("missing").path) == nil)
        #expect(FileBytes.read(root.path) == nil, "a folder")
        let fifo = root.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(FileBytes.read(fifo) == nil, "a FIFO with no writer gives nil at once")
    }
}
