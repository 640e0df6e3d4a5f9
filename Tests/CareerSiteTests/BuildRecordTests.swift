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
        handouts: ["handouts/role-district-nurse.html": 23_412],
        inputs: [
            "content/roles/district-nurse.md": KnownInput(
                stamp: FileStamp(
                    device: 2049, inode: 1_835_263, size: 1730, modified: 1_764_583_815_123_456_789, changed: 1_764_583_815_123_456_790),
                hash: 0x9c0e_5a1d_33b2_f870),
            "templates/a b\\c\n\r.mustache": KnownInput(
                stamp: FileStamp(device: .max, inode: .max, size: 0, modified: .min, changed: -1), hash: 0),
            "content/pages/café.md": KnownInput(
                stamp: FileStamp(device: 0, inode: 1, size: .max, modified: .max, changed: 0), hash: .max),
        ])

    /// Every path and warning comes back as it was, whatever characters it holds.
    @Test func aRecordReadsBackAsWritten() throws {
        let text = record.text
        #expect(BuildRecord(text: text[...]) == record)
        #expect(text.hasPrefix("careers build record 3\nfingerprint 0123456789abcdef\nfile 7 assets/a b\\\\c.png\n"))
        #expect(text.contains("file 0 assets/line\\nfeed\\r.png\n"))
        #expect(text.contains("warning two\\nlines and a \\\\ backslash\n"))
        #expect(
            text.contains(
                "input 9c0e5a1d33b2f870 2049 1835263 1730 1764583815123456789 1764583815123456790 content/roles/district-nurse.md\n"))
        #expect(
            text.contains(
                "input 0000000000000000 18446744073709551615 18446744073709551615 0 -9223372036854775808 -1 "
                    + "templates/a b\\\\c\\n\\r.mustache\n"))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 13, "one line per item: the format, the fingerprint, 5 files, 1 handout, 3 inputs, 2 warnings")
        let inputs = lines.filter { $0.hasPrefix("input ") }
        #expect(inputs.count == 3)
        #expect(inputs.first?.hasSuffix(" content/pages/café.md") == true, "in byte order")
        #expect(inputs.last?.hasSuffix(".mustache") == true, "in byte order")
        #expect(record.bytes(after: "header\n") == Data(("header\n" + text).utf8))
        let empty = BuildRecord(fingerprint: "f", files: [:], warnings: [], handouts: [:])
        #expect(empty.text == "careers build record 3\nfingerprint f\n")
        #expect(BuildRecord(text: empty.text[...]) == empty)
    }

    /// Anything else is no record, so the next build runs in full rather than trusting it.
    @Test func anythingElseIsNoRecord() {
        let text = record.text
        let damages: [String] = [
            "",
            String(text.dropLast()),  // cut off before the last line feed
            String(text.prefix(40)),  // cut off inside a line
            text.replacingOccurrences(of: "careers build record 3", with: "careers build record 2"),
            text.replacingOccurrences(of: "careers build record 3", with: "careers build record 4"),
            text.replacingOccurrences(of: "input 9c0e5a1d33b2f870 ", with: "input 9c0e5a1d33b2f87 "),  // 15 digits
            text.replacingOccurrences(of: "input 9c0e5a1d33b2f870 ", with: "input 9C0E5A1D33B2F870 "),
            text.replacingOccurrences(of: "input 9c0e5a1d33b2f870 ", with: "input 9c0e5a1d33b2f87g "),
            text.replacingOccurrences(of: " 2049 1835263 ", with: " 2049 "),  // a field missing
            text.replacingOccurrences(of: " 18446744073709551615 18446744073709551615 ", with: " 18446744073709551616 1 "),
            text.replacingOccurrences(of: " -9223372036854775808 ", with: " -9223372036854775809 "),
            text.replacingOccurrences(of: " 1730 1764583815123456789 ", with: " -1730 1764583815123456789 "),
            text.replacingOccurrences(of: "1764583815123456790 content/", with: "+1764583815123456790 content/"),
            text.replacingOccurrences(of: "file 2686 ", with: "file -2686 "),
            text.replacingOccurrences(of: "fingerprint 0123456789abcdef\n", with: "fingerprint 0123456789abcdef\n\n"),
            text.replacingOccurrences(of: "file 2686 ", with: "file 2,686 "),
            text.replacingOccurrences(of: "file 2686 ", with: "file  "),
            text.replacingOccurrences(of: "\\n", with: "\\q"),  // an escape it never writes
            text + "stray line\n",
            text.replacingOccurrences(of: "fingerprint 0123456789abcdef\n", with: ""),
            text + "fingerprint again\n",
            // The JSON of format 1.
            #"{"files":{"index.html":9},"fingerprint":"f","handouts":{},"warnings":[]}"# + "\n",
        ]
        for damaged in damages {
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
