import Foundation
import Synchronization
import Testing

@testable import CareerSite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file system whose disk fills up after a number of bytes: every write past it fails with ENOSPC.
final class FillingFileSystem: WriterFileSystem, @unchecked Sendable {
    private var remaining: Int
    private let lock = NSLock()
    private let real = POSIXFileSystem()
    /// Renames fail with EIO from this one on (counting from 0), to simulate a fault in phase 2.
    var failingRename: Int?
    private var renames = 0

    init(bytes: Int) { remaining = bytes }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard remaining > 0 || bytes.isEmpty else {
            errno = ENOSPC
            return -1
        }
        let count = min(remaining, bytes.count)
        remaining -= count
        return real.write(descriptor, UnsafeRawBufferPointer(rebasing: bytes[..<count]))
    }

    /// Each rename asked for, as the target's last two path components.
    private(set) var renamed: [String] = []

    func rename(_ from: String, _ to: String) -> Int32 {
        defer { renames += 1 }
        renamed.append(to.split(separator: "/").suffix(2).joined(separator: "/"))
        if let failingRename, renames >= failingRename { return EIO }
        return real.rename(from, to)
    }

    func synchronize(folder: String) throws {}
}

/// A file system whose first flush (phase 1's) says it has started, waits to be let go, and then fails if told to.
final class GatedFlushFileSystem: WriterFileSystem, @unchecked Sendable {
    private let real = POSIXFileSystem()
    let started = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let failure: WriteError?
    private let flushes = Atomic<Int>(0)

    init(failing failure: WriteError? = nil) { self.failure = failure }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int { real.write(descriptor, bytes) }
    func rename(_ from: String, _ to: String) -> Int32 { real.rename(from, to) }

    func synchronize(folder: String) throws {
        guard flushes.add(1, ordering: .relaxed).oldValue == 0 else { return try real.synchronize(folder: folder) }
        started.signal()
        release.wait()
        if let failure { throw failure }
        try real.synchronize(folder: folder)
    }
}

/// Every entry below a folder (hidden ones included): file bytes and modification times, and folders.
struct FolderState: Equatable, CustomStringConvertible {
    var files: [String: Data] = [:]
    var modified: [String: Date] = [:]
    var folders: Set<String> = []

    init(_ folder: URL) throws {
        let base = folder.standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
        while let url = enumerator?.nextObject() as? URL {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            if try url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory == true {
                folders.insert(relative)
            } else {
                files[relative] = try Data(contentsOf: url)
                modified[relative] = try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
            }
        }
    }

    var description: String { files.keys.sorted().joined(separator: ", ") + " | folders: " + folders.sorted().joined(separator: ", ") }

    /// This state without the staging folder of a write under way and what is in it.
    var outsideStaging: FolderState {
        var state = self
        let staged = { (path: String) in path == SiteWriter.staging || path.hasPrefix(SiteWriter.staging + "/") }
        state.files = state.files.filter { !staged($0.key) }
        state.modified = state.modified.filter { !staged($0.key) }
        state.folders = state.folders.filter { !staged($0) }
        return state
    }
}

@Suite struct AtomicWriteTests {
    /// A build's one flush goes through the C target (syncfs on Linux): it succeeds on a real folder, and a folder
    /// that cannot be opened is a "flush" error naming it.
    @Test func theFileSystemOfAFolderIsFlushed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("careers-flush-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("x".utf8).write(to: folder.appendingPathComponent("a.html"))
        try POSIXFileSystem().synchronize(folder: folder.path)
        let missing = folder.appendingPathComponent("missing").path
        let error = #expect(throws: WriteError.self) { try POSIXFileSystem().synchronize(folder: missing) }
        #expect(error.map { "\($0)".hasPrefix("cannot flush '\(missing)': ") } == true)
    }

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-atomic-\(UUID().uuidString)")
    var output: URL { root.appendingPathComponent("Output") }

    func file(_ path: String, _ text: String) -> OutputFile { OutputFile(path: path, contents: Data(text.utf8)) }

    var oldSite: [OutputFile] {
        [file("index.html", "old index"), file("roles/a.html", "old a"), file("roles/b.html", "old b"), file("gone.html", "stale")]
    }
    /// Changes two files, keeps one, adds two (one in a new folder) and drops one.
    var newSite: [OutputFile] {
        [
            file("index.html", "new index, longer"), file("roles/a.html", "old a"), file("roles/b.html", "new b"),
            file("settings/x.html", "new folder"), file("z.html", String(repeating: "z", count: 300_000)),
        ]
    }

    func writer(_ fileSystem: any WriterFileSystem = POSIXFileSystem()) -> SiteWriter {
        var writer = SiteWriter(output: output, displayOutput: "Output")
        writer.fileSystem = fileSystem
        return writer
    }

    @Test func aDiskThatFillsAtAnyPointLeavesTheOldSiteExactlyAsItWas() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: output.appendingPathComponent("index.html").path)
        let before = try FolderState(output)
        let changed = newSite.filter { $0.path != "roles/a.html" }
        let total = changed.reduce(0) { $0 + $1.contents.count } + SiteWriter.markerHeader.utf8.count
        for budget in [0, 10, 100, 120, 150, 100_000, total - 1] {
            #expect(throws: WriteError.self) { try writer(FillingFileSystem(bytes: budget)).write(newSite, copying: []) }
            #expect(try FolderState(output) == before, "disk full after \(budget) bytes")
        }
        let summary = try writer(FillingFileSystem(bytes: total)).write(newSite, copying: [])
        #expect(summary == WriteSummary(written: 4, unchanged: 1, removed: 1))
    }

    /// Offers each file in pieces of `size` bytes, as the build offers the whole-framework handout.
    func offerInPieces(_ files: [OutputFile], size: Int, to writer: SiteWriter) throws -> WriteSummary {
        let session = try writer.begin(paths: files.map(\.path))
        for (index, file) in files.enumerated() {
            let bytes = Array(file.contents)
            let offered = session.offer(index) { write in
                bytes.withUnsafeBufferPointer { all in
                    for start in stride(from: 0, to: all.count, by: size) {
                        write(UnsafeBufferPointer(rebasing: all[start..<min(start + size, all.count)]))
                    }
                }
            }
            #expect(offered == bytes.count)
        }
        return try session.finish(copying: [])
    }

    /// A file given in pieces is staged as they come and compared on the way with the file already there: it is
    /// written, kept or refused exactly as the whole file would be.
    @Test func aFileGivenInPiecesIsWrittenOrKeptAsTheWholeFileWouldBe() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        for size in [1, 3, 1_000, 1 << 20] {
            #expect(try offerInPieces(oldSite, size: size, to: writer()) == WriteSummary(written: 0, unchanged: oldSite.count, removed: 0))
        }
        let before = try FolderState(output)
        for budget in [0, 10, 150, 100_000] {
            #expect(throws: WriteError.self) { try offerInPieces(newSite, size: 7, to: writer(FillingFileSystem(bytes: budget))) }
            #expect(try FolderState(output) == before, "disk full after \(budget) bytes")
        }
        #expect(try offerInPieces(newSite, size: 7, to: writer()) == WriteSummary(written: 4, unchanged: 1, removed: 1))
        for file in newSite { #expect(try Data(contentsOf: output.appendingPathComponent(file.path)) == file.contents, "\(file.path)") }
        // Files that differ from the one there only at the end, or are shorter or longer, are written.
        let longer = String(repeating: "z", count: 300_000)
        for text in [String(longer.dropLast()) + "y", String(longer.dropLast()), longer + "z"] {
            _ = try writer().write(newSite, copying: [])
            let files = newSite.map { $0.path == "z.html" ? file("z.html", text) : $0 }
            #expect(try offerInPieces(files, size: 4_096, to: writer()) == WriteSummary(written: 1, unchanged: 4, removed: 0))
            #expect(try Data(contentsOf: output.appendingPathComponent("z.html")) == Data(text.utf8))
            #expect(try offerInPieces(files, size: 4_095, to: writer()) == WriteSummary(written: 0, unchanged: 5, removed: 0))
        }
    }

    /// `startFlush` starts the flush on a thread of its own and returns, so the build checks links while the disk
    /// works; `finish` waits for it before anything is renamed. A flush that fails (a full disk found only when the
    /// pages go to it) and a write abandoned during the flush both leave the old site exactly as it was.
    @Test func theFlushRunsWhileTheCallerGoesOnAndItsFailureChangesNothing() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        let before = try FolderState(output)
        func started(_ fileSystem: GatedFlushFileSystem) throws -> StagedWrite {
            let session = try writer(fileSystem).begin(paths: newSite.map(\.path))
            for (index, file) in newSite.enumerated() { session.offer(index, file.contents) }
            session.startFlush(copying: [])
            #expect(fileSystem.started.wait(timeout: .now() + 30) == .success, "the flush starts before finish")
            #expect(try FolderState(output).outsideStaging == before, "nothing is in place during the flush")
            return session
        }

        let failing = GatedFlushFileSystem(failing: .system("flush", "Output/.careers-staging", ENOSPC))
        let failed = try started(failing)
        failing.release.signal()
        #expect(throws: WriteError.self) { try failed.finish() }
        #expect(try FolderState(output) == before)

        let abandoned = GatedFlushFileSystem()
        let session = try started(abandoned)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { abandoned.release.signal() }
        session.abandon()
        #expect(try FolderState(output) == before)

        let gated = GatedFlushFileSystem()
        let done = try started(gated)
        gated.release.signal()
        #expect(try done.finish() == WriteSummary(written: 4, unchanged: 1, removed: 1))
        for file in newSite { #expect(try Data(contentsOf: output.appendingPathComponent(file.path)) == file.contents, "\(file.path)") }
    }

    @Test func theFullDiskErrorNamesTheFileAndSaysNothingChanged() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        let markerBytes = SiteWriter.markerHeader.utf8.count
        do {
            _ = try writer(FillingFileSystem(bytes: markerBytes + 20)).write(newSite, copying: [])
            Issue.record("expected the write to fail")
        } catch {
            #expect(
                "\(error)"
                    == "cannot write 'roles/b.html': No space left on device (errno 28); the output folder was left as it was")
        }
    }

    @Test func unchangedFilesKeepTheirTimesAndStaleFilesGo() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        let kept = output.appendingPathComponent("roles/a.html").path
        let past = Date(timeIntervalSince1970: 1_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: kept)
        let summary = try writer().write(newSite, copying: [])
        #expect(summary == WriteSummary(written: 4, unchanged: 1, removed: 1))
        let after = try FolderState(output)
        #expect(after.modified["roles/a.html"] == past)
        #expect(Set(after.files.keys) == Set(newSite.map(\.path) + [SiteWriter.marker]))
        #expect(after.folders == ["roles", "settings"], "no staging folder is left")
    }

    /// A folder the output does not have is staged whole and moved into place with one rename; files in folders
    /// it has are renamed one by one. Either way the result is the same files.
    @Test func aNewFolderIsMovedIntoPlaceWhole() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let site = [
            file("index.html", "index"), file("roles/a.html", "a"), file("roles/deep/b.html", "b"), file("roles/deep/er/c.html", "c"),
            file("settings/x.html", "x"),
        ]
        let first = FillingFileSystem(bytes: .max)
        #expect(try writer(first).write(site, copying: []) == WriteSummary(written: 5, unchanged: 0, removed: 0))
        #expect(first.renamed == ["Output/.careers-output", "Output/index.html", "Output/roles", "Output/settings"])
        var state = try FolderState(output)
        #expect(state.files.keys.sorted() == [SiteWriter.marker] + site.map(\.path).sorted())
        #expect(state.folders == ["roles", "roles/deep", "roles/deep/er", "settings"], "no staging folder is left")

        // roles/ is there now: its changed file is renamed alone, its new folder moves whole.
        let next = site.map { $0.path == "roles/a.html" ? file("roles/a.html", "a, changed") : $0 } + [file("roles/new/d.html", "d")]
        let second = FillingFileSystem(bytes: .max)
        #expect(try writer(second).write(next, copying: []) == WriteSummary(written: 2, unchanged: 4, removed: 0))
        #expect(second.renamed == ["Output/.careers-output", "roles/a.html", "roles/new"])
        state = try FolderState(output)
        #expect(state.files["roles/new/d.html"] == Data("d".utf8) && state.files["roles/a.html"] == Data("a, changed".utf8))
        #expect(state.folders == ["roles", "roles/deep", "roles/deep/er", "roles/new", "settings"])
    }

    @Test func aFaultWhileRenamingSaysTheFolderIsMixed() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        let faulty = FillingFileSystem(bytes: .max)
        faulty.failingRename = 2  // the marker and one file are in place
        do {
            _ = try writer(faulty).write(newSite, copying: [])
            Issue.record("expected the write to fail")
        } catch {
            #expect(
                "\(error)"
                    == "cannot rename 'roles/b.html' into place: Input/output error (errno 5), after 2 of 5 files; the output folder now mixes old and new files: build again"
            )
        }
        // The new folder (settings/) is moved into place after the files one by one, so it was still in the staging
        // folder, and went with it.
        #expect(try FolderState(output).folders == ["roles"], "the staging folder is removed")
    }

    /// The output matches a record only with every listed file there at its size, wherever it is (the output
    /// folder itself, a folder, a nested folder, a folder of more than one piece of 256 names).
    @Test func theOutputMatchesARecordOnlyWithEveryFileAtItsSize() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        var files = [file("index.html", "home"), file("a/b/c.html", "deep"), file("a/d.html", "d")]
        for index in 0..<600 { files.append(file("roles/role-\(index).html", String(repeating: "r", count: index))) }
        _ = try writer().write(files, copying: [])
        let sizes = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.contents.count) })
        func record(_ sizes: [String: Int]) -> BuildRecord {
            BuildRecord(fingerprint: "f", files: sizes, warnings: [], handouts: [:])
        }
        #expect(writer().matches(record(sizes)))
        #expect(writer().matches(record([:])))
        for (change, sizes) in [
            ("a size in the output folder", sizes.merging(["index.html": 5]) { $1 }),
            ("a size in a nested folder", sizes.merging(["a/b/c.html": 3]) { $1 }),
            ("a size in the last piece of a large folder", sizes.merging(["roles/role-599.html": 1]) { $1 }),
            ("a missing file", sizes.merging(["roles/role-600.html": 600]) { $1 }),
            ("a missing folder", sizes.merging(["b/e.html": 0]) { $1 }),
            ("a folder where a file should be", sizes.merging(["a/b": 0]) { $1 }),
        ] {
            #expect(!writer().matches(record(sizes)), "\(change)")
        }
        try FileManager.default.removeItem(at: output.appendingPathComponent("roles/role-300.html"))
        #expect(!writer().matches(record(sizes)), "a file removed from the output")
    }

    @Test func stagingLeftByAKilledBuildIsRemovedAndNeverPublished() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        let staging = output.appendingPathComponent(SiteWriter.staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: staging.appendingPathComponent("3"))
        try Data("half".utf8).write(to: output.appendingPathComponent("roles/.a.html.careers-tmp"))  // older versions' temporaries
        let record = BuildRecord(fingerprint: "f", files: ["index.html": 9], warnings: [], handouts: [:])
        #expect(!writer().matches(record), "a staging folder means the last build did not finish")
        _ = try writer().write(oldSite, copying: [])
        let after = try FolderState(output)
        #expect(Set(after.files.keys) == Set(oldSite.map(\.path) + [SiteWriter.marker]))
        #expect(after.folders == ["roles"])
    }

    @Test func aSymbolicLinkInsideTheOutputIsNeverWrittenThrough() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try writer().write(oldSite, copying: [])
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: output.appendingPathComponent("settings"), withDestinationURL: elsewhere)
        do {
            _ = try writer().write(newSite, copying: [])
            Issue.record("expected the write to fail")
        } catch {
            #expect(
                "\(error)"
                    == "'settings' in the output folder is a file or a symbolic link, not a folder; remove it; the output folder was left as it was"
            )
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        #expect(try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8) == "old index")
    }

    @Test func aFolderInTheWayOfALateFileLeavesTheWholeOldSite() throws {
        let site = try TestSite()
        defer { site.remove() }
        #expect(site.build().succeeded)
        // Block the last file the build writes with a folder, then change every page.
        let blocked = site.output.appendingPathComponent("stages/entry.html")
        let before = try FolderState(site.output)
        try FileManager.default.removeItem(at: blocked)
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("x"), withIntermediateDirectories: true)
        let blockedState = try FolderState(site.output)
        try site.write("framework.md", "---\ntitle: Renamed framework\nedition: \"2\"\nstatus: draft\nupdated: 2026-01-15\n---\nHello.\n")
        let report = site.build()
        #expect(
            report.diagnostics.map(\.description) == [
                "error: writing the site failed: 'stages/entry.html' in the output folder is a folder; remove it; the output folder was left as it was"
            ])
        #expect(try FolderState(site.output) == blockedState)
        #expect(before.files.count == blockedState.files.count + 1)
    }
}

/// A real full disk: a tiny tmpfs, which needs root and permission to mount (skipped, saying why, otherwise).
@Suite struct RealFullDiskTests {
    static let mountProblem: String? = {
        #if os(Linux)
            guard getuid() == 0 else { return "not running as root, so a tmpfs cannot be mounted" }
            let probe = FileManager.default.temporaryDirectory.appendingPathComponent("careers-mount-probe-\(getpid())")
            try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: probe) }
            guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]) == 0 else {
                return "mounting a tmpfs is not permitted here"
            }
            _ = run("/bin/umount", [probe.path])
            return nil
        #else
            return "tmpfs mounts are tested on Linux only"
        #endif
    }()

    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func aRealFullDiskLeavesTheOldSiteExactlyAsItWas() throws {
        if let problem = Self.mountProblem {
            print("RealFullDiskTests skipped: \(problem); the injected full disk in AtomicWriteTests still runs.")
            return
        }
        let site = try TestSite()
        defer { site.remove() }
        // Just big enough for the first site and a little more.
        try FileManager.default.createDirectory(at: site.output, withIntermediateDirectories: true)
        #expect(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", site.output.path]) == 0)
        defer { _ = Self.run("/bin/umount", [site.output.path]) }
        #expect(site.build().succeeded)
        let before = try FolderState(site.output)
        let words = String(repeating: "Long text that fills the disk. ", count: 40_000)
        try site.write("pages/about.md", "---\ntitle: About\n---\n\(words)\n")
        let report = site.build()
        // Files are staged by parallel workers as they are made, so which file meets the full disk first depends
        // on scheduling; the message always names one file of the site, and the folder is untouched.
        let messages = report.diagnostics.map(\.description)
        #expect(messages.count == 1)
        let prefix = "error: writing the site failed: cannot write '"
        let suffix = "': No space left on device (errno 28); the output folder was left as it was"
        let message = messages.first ?? ""
        #expect(message.hasPrefix(prefix) && message.hasSuffix(suffix), "\(message)")
        let named = String(message.dropFirst(prefix.count).dropLast(suffix.count))
        #expect(OutputPath.isSafe(named) && named.contains("."), "\(named)")
        #expect(try FolderState(site.output) == before)
    }
}
