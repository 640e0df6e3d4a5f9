internal import CSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a write changed.
public struct WriteSummary: Sendable, Equatable {
    public var written = 0
    public var unchanged = 0
    public var removed = 0
}

/// Writes the built site into the output folder as one change: either every file of the new site is in place, or
/// the folder still holds exactly the old site.
///
/// Phase 1 writes each new or changed file into a staging folder inside the output folder (so on the same file
/// system) and flushes them to disk; nothing visible changes, and any failure (a full disk, say) or an interrupt
/// removes the staging folder and leaves the old site as it was. Phase 2 renames the staged files into place and
/// removes stale ones, with SIGINT and SIGTERM held back until it ends. Unchanged files are not rewritten, so
/// their modification times stay. A staging folder left by a killed build is removed by the next one.
///
/// It writes only inside the output folder, only through real folders (never through a symbolic link), and only
/// into a folder it created (marked by `.careers-output`) or an empty one.
struct SiteWriter {
    static let marker = ".careers-output"
    /// Where phase 1 puts new files; hidden, so never a path of the site.
    static let staging = ".careers-staging"
    /// Where phase 1 makes the folders the output does not have yet, inside the staging folder.
    static let newTree = staging + "/new"
    static let markerHeader = "This folder is written by `careers build`; files in it may be replaced or removed.\n"
    let output: URL
    let displayOutput: String
    /// The file-system calls that can fail part-way; tests replace it to simulate a full disk.
    var fileSystem: any WriterFileSystem = POSIXFileSystem()
    private let fileManager = FileManager.default

    init(output: URL, displayOutput: String) {
        self.output = output.standardizedFileURL
        self.displayOutput = displayOutput
    }

    /// Checks the output folder can be used, before anything is built.
    ///
    /// - Parameters:
    ///   - inputs: folders the output may not be, contain, or sit inside (content, templates).
    ///   - project: a folder the output may sit inside but may not be or contain.
    func checkUsable(inputs: [(url: URL, name: String)], project: URL?) -> [Diagnostic] {
        let out = Self.canonical(output)
        var protected = inputs.map { (url: $0.url, name: $0.name, mayContainOutput: false) }
        if let project { protected.append((project, "the project folder", true)) }
        for (url, name, mayContainOutput) in protected {
            let other = Self.canonical(url)
            if out == other || Self.isInside(other, out) || (!mayContainOutput && Self.isInside(out, other)) {
                return [
                    .error(
                        "the output folder '\(displayOutput)' overlaps \(name) ('\(other.path)'); choose a separate folder such as Output/",
                        at: nil)
                ]
            }
        }
        var isFolder: ObjCBool = false
        if fileManager.fileExists(atPath: output.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                return [.error("the output path '\(displayOutput)' is a file, not a folder", at: nil)]
            }
            let entries = (try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []
            if !entries.isEmpty && !entries.contains(Self.marker) {
                return [
                    .error(
                        "the output folder '\(displayOutput)' is not empty and was not created by careers; to use it, empty or delete it first, or choose another folder with --output",
                        at: nil)
                ]
            }
        } else {
            var ancestor = output.deletingLastPathComponent()
            while !fileManager.fileExists(atPath: ancestor.path, isDirectory: &isFolder), ancestor.path != "/" {
                ancestor = ancestor.deletingLastPathComponent()
            }
            if !isFolder.boolValue {
                return [.error("the output path '\(displayOutput)' is inside '\(ancestor.path)', which is a file, not a folder", at: nil)]
            }
        }
        return []
    }

    /// The record the last successful build left in the marker file, if it is one this version wrote.
    func lastRecord() -> BuildRecord? { Self.lastRecord(in: output) }

    /// The record the last successful build left in the marker file of the folder `output`.
    static func lastRecord(in output: URL) -> BuildRecord? {
        guard let data = FileBytes.read(output.path + "/" + marker) else { return nil }
        let header = Array(markerHeader.utf8)
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.starts(with: header) else { return nil }
            return BuildRecord(bytes: UnsafeBufferPointer(rebasing: bytes[header.count...]))
        }
    }

    /// Whether the output still holds exactly the files a record lists, at their recorded sizes, and no staging
    /// folder left by an interrupted build. The files are looked at in parallel, a run of them per task.
    func matches(_ record: BuildRecord) -> Bool {
        let base = output.path + "/"
        var info = stat()
        if lstat(base + Self.staging, &info) == 0 { return false }
        let files = Array(record.files)
        let runs = min(files.count, 64)
        guard runs > 0 else { return true }
        let mismatches = ConcurrentResults<Bool>(count: runs)
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            var info = stat()
            for index in stride(from: run * files.count / runs, to: (run + 1) * files.count / runs, by: 1) {
                let (path, size) = files[index]
                guard stat(base + path, &info) == 0, Int(info.st_size) == size else {
                    mismatches.set(run, true)
                    return
                }
            }
            mismatches.set(run, false)
        }
        return !mismatches.values.contains(true)
    }

    /// Writes the marker file with the record of this build (staged and renamed into place).
    func record(_ record: BuildRecord) throws { try writeRecord(Self.markerBytes(record)) }

    /// The marker file's bytes for `record`.
    static func markerBytes(_ record: BuildRecord) -> Data { record.bytes(after: markerHeader) }

    /// Writes the marker file with these bytes (`markerBytes`), staged and renamed into place.
    func writeRecord(_ data: Data) throws {
        let signals = SignalDeferral.begin()
        defer { signals.end() }
        let temporary = output.appendingPathComponent(".careers-output.staged").path
        do {
            try stage(data, at: temporary, display: Self.marker)
            let failure = fileSystem.rename(temporary, output.appendingPathComponent(Self.marker).path)
            if failure != 0 { throw WriteError.system("rename", Self.marker, failure) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes `files` (and copies `assets`) as one change, leaving unchanged files untouched.
    func write(_ files: [OutputFile], copying assets: [Asset]) throws -> WriteSummary {
        let session = try begin(paths: files.map(\.path))
        for (index, file) in files.enumerated() { session.offer(index, file.contents) }
        return try session.finish(copying: assets)
    }

    /// Starts a write of a site with these file paths (assets come at the end): phase 1 then takes each file as
    /// soon as it is made, from any thread, so the build never holds the whole site in memory. Every path is
    /// checked and every folder made before any file is offered. Until `finish`, the old site is untouched; a
    /// build that cannot go on calls `abandon`, which leaves the folder exactly as it was (removing it again when
    /// this write created it).
    func begin(paths: [String]) throws -> StagedWrite {
        let signals = SignalDeferral.begin()
        let existed = FileKind(path: output.path) != .missing
        var plan = Plan()
        let stagingPath = output.appendingPathComponent(Self.staging).path
        var inNewFolder: [String?] = []
        do {
            try createOutputFolder()
            removeTree(stagingPath)  // left by a killed build
            guard mkdir(stagingPath, 0o755) == 0 else { throw WriteError.system("create", Self.staging, errno) }
            guard mkdir(output.path + "/" + Self.newTree, 0o755) == 0 else { throw WriteError.system("create", Self.staging, errno) }
            try stage(Data(Self.markerHeader.utf8), at: stagingPath + "/marker", display: Self.marker)
            plan.renames.append((Self.staging + "/marker", Self.marker))
            for path in paths {
                guard OutputPath.isSafe(path), !plan.expected.contains(path) else { throw WriteError.unsafePath(path) }
                plan.expected.insert(path)
                inNewFolder.append(try ensureFolders(for: path, plan: &plan))
            }
        } catch {
            abandon(plan, signals: signals, outputExisted: existed)
            throw error
        }
        return StagedWrite(
            writer: self, plan: plan, paths: paths, inNewFolder: inNewFolder, signals: signals,
            outputExisted: existed)
    }

    /// Phase 1 for one file: nothing when the output already holds these bytes, otherwise a staged copy. A file in a
    /// folder the output does not have (`inNewFolder`) has no old copy to compare with.
    fileprivate func offer(_ data: Data, path: String, staged: String, inNewFolder: Bool) throws -> Bool {
        if SignalDeferral.interruptPending { throw WriteError.interrupted }
        if !inNewFolder, Self.hasContents(output.path + "/" + path, data) { return false }
        try stage(data, at: output.path + "/" + staged, display: path)
        return true
    }

    /// Phase 1 for a file made in pieces: a staged copy written as the pieces come (see `StagedStream`).
    fileprivate func openStream(path: String, staged: String) throws -> StagedStream {
        if SignalDeferral.interruptPending { throw WriteError.interrupted }
        return try StagedStream(writer: self, existing: output.path + "/" + path, staged: output.path + "/" + staged, display: path)
    }

    /// The rest of phase 1 but the flush: stages the assets and finds the stale files.
    fileprivate func stageRest(_ plan: inout Plan, copying assets: [Asset], ledger: InputLedger?) throws {
        for asset in assets {
            let path = "assets/" + asset.path
            guard OutputPath.isSafe(path), !plan.expected.contains(path) else { throw WriteError.unsafePath(path) }
            plan.expected.insert(path)
            let inNewFolder = try ensureFolders(for: path, plan: &plan)
            let source = URL(fileURLWithPath: asset.sourcePath)
            guard let data = try? Data(contentsOf: source) else {
                throw WriteError.cannotRead(asset.sourcePath)
            }
            ledger?.note(data, from: source)
            let staged = inNewFolder ?? "\(Self.staging)/a\(plan.renames.count)"
            if try offer(data, path: path, staged: staged, inNewFolder: inNewFolder != nil) {
                if inNewFolder == nil { plan.renames.append((staged, path)) }
                plan.summary.written += 1
            } else {
                plan.summary.unchanged += 1
            }
        }
        plan.stale = try staleFiles(expected: plan.expected)
    }

    /// The end of phase 1: flushes every staged file to disk.
    fileprivate func flushStaging() throws {
        try fileSystem.synchronize(folder: output.appendingPathComponent(Self.staging).path)
    }

    /// Undoes phase 1: the staging folder, the folders it made and, when this write created it, the output
    /// folder itself.
    fileprivate func abandon(_ plan: Plan, signals: SignalDeferral, outputExisted: Bool) {
        defer { signals.end() }
        if !outputExisted {
            removeTree(output.path)
            return
        }
        removeTree(output.appendingPathComponent(Self.staging).path)
        for folder in plan.createdFolders.reversed() { rmdir(folder) }
    }

    /// What phase 1 prepared for phase 2.
    fileprivate struct Plan {
        var summary = WriteSummary()
        var expected = Set<String>()
        /// Staged files and where each goes, relative to the output folder.
        var renames: [(staged: String, target: String)] = []
        var stale: [String] = []
        /// Folders phase 1 created (outermost first), removed again if it fails.
        var createdFolders: [String] = []
        /// Folders known to be real folders inside the output folder, or made in the staging folder.
        var checkedFolders = Set<String>()
        /// The folders the output did not have, outermost only: each was made under the staging folder's `newTree`,
        /// with its files at their own paths, and phase 2 renames it into place whole. A first build into an empty
        /// folder so makes a dozen renames instead of one per file (4,653 at 2,000 roles).
        var newFolders: [String] = []
        /// Every folder under `newTree` (the new folders and the folders in them), with the number in `newFolders` of
        /// the new folder it is in.
        var stagedFolders: [String: Int] = [:]
        /// How many files each new folder holds, by its number, for the count a failed rename reports (a file in a new
        /// folder is always written: there is no old one to match).
        var newFolderFiles: [Int] = []

        /// Where `path`, a folder or a file in the new folder numbered `number`, is staged, relative to the output
        /// folder: the new folder is `newTree/<number>`, and what is in it keeps its path below it.
        func stagedPath(of path: String, in number: Int) -> String {
            SiteWriter.newTree + "/\(number)" + path.dropFirst(newFolders[number].count)
        }
    }

    private func createOutputFolder() throws {
        do {
            try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw WriteError.system("create", displayOutput, (error as NSError).code == NSFileWriteNoPermissionError ? EACCES : EIO)
        }
        let markerPath = output.appendingPathComponent(Self.marker).path
        var info = stat()
        if lstat(markerPath, &info) != 0 {
            // First build into this folder: claim it, so a build that stops part-way is still recognised as ours.
            try stage(Data(Self.markerHeader.utf8), at: markerPath, display: Self.marker)
        }
    }

    /// Phase 2: renames staged files into place and removes stale ones, with interrupts held back.
    fileprivate func commit(_ plan: Plan, signals: SignalDeferral) throws -> WriteSummary {
        var summary = plan.summary
        SignalDeferral.commitLock.lock()
        defer { SignalDeferral.commitLock.unlock() }
        // The files one by one, then each new folder with the files in it.
        let moves =
            plan.renames.map { (staged: $0.staged, target: $0.target, files: 1) }
            + plan.newFolders.enumerated().map { number, folder in
                (staged: Self.newTree + "/\(number)", target: folder, files: plan.newFolderFiles[number])
            }
        let total = moves.reduce(0) { $0 + $1.files }
        var done = 0
        for (staged, target, files) in moves {
            let failure = fileSystem.rename(output.path + "/" + staged, output.path + "/" + target)
            if failure != 0 {
                // Only a file-system fault gets here (phase 1 checked every path); say plainly what state it left.
                removeTree(output.path + "/" + Self.staging)
                throw WriteError.partialCommit(target, done: done, of: total, errno: failure)
            }
            done += files
        }
        for path in plan.stale {
            if unlink(output.path + "/" + path) == 0 { summary.removed += 1 }
        }
        removeEmptyFolders()
        removeTree(output.path + "/" + Self.staging)
        try? fileSystem.synchronize(folder: output.path)
        return summary
    }

    /// Writes `data` to a new file at `path` and closes it (flushing is done once for all staged files).
    private func stage(_ data: Data, at path: String, display: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError.system("write", display, errno) }
        var failure: Int32 = 0
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = fileSystem.write(descriptor, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += count
            }
        }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(path)
            throw WriteError.system("write", display, failure)
        }
    }

    /// Creates the folders above `path`, refusing anything in the way that is not a real folder (a symbolic link
    /// there could lead outside the output folder).
    ///
    /// A folder the output does not have yet is made inside the staging folder instead (under `newTree`), with
    /// everything below it: its files are staged at their own paths there, and phase 2 moves the whole folder into
    /// place with one rename (see `Plan.newFolders`). Returns where `path` is staged when it is in such a folder.
    fileprivate func ensureFolders(for path: String, plan: inout Plan) throws -> String? {
        // Most files share their folder with the file before: then there is nothing to split or check.
        let parent = path.lastIndex(ofASCII: UInt8(ascii: "/")).map { String(path[..<$0]) }
        var folder = ""
        let components = parent.map { plan.checkedFolders.contains($0) ? [] : path.split(separator: "/").dropLast() } ?? []
        for component in components {
            let enclosing = folder
            folder += folder.isEmpty ? String(component) : "/" + component
            if plan.checkedFolders.contains(folder) { continue }
            if let number = plan.stagedFolders[enclosing] {
                plan.stagedFolders[folder] = number
                let staged = plan.stagedPath(of: folder, in: number)
                guard mkdir(output.path + "/" + staged, 0o755) == 0 else { throw WriteError.system("create", folder, errno) }
            } else {
                let full = output.path + "/" + folder
                var info = stat()
                let found = lstat(full, &info) == 0
                let missing = !found && errno == ENOENT
                if found {
                    guard info.st_mode & S_IFMT == S_IFDIR else { throw WriteError.notAFolder(folder) }
                } else if missing {
                    plan.stagedFolders[folder] = plan.newFolders.count
                    plan.newFolders.append(folder)
                    plan.newFolderFiles.append(0)
                    let staged = plan.stagedPath(of: folder, in: plan.newFolders.count - 1)
                    guard mkdir(output.path + "/" + staged, 0o755) == 0 else { throw WriteError.system("create", folder, errno) }
                } else {
                    guard mkdir(full, 0o755) == 0 else { throw WriteError.system("create", folder, errno) }
                    plan.createdFolders.append(full)
                }
            }
            plan.checkedFolders.insert(folder)
        }
        if let parent, let number = plan.stagedFolders[parent] {
            plan.newFolderFiles[number] += 1
            return plan.stagedPath(of: path, in: number)
        }
        var info = stat()
        if lstat(output.path + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { throw WriteError.folderInTheWay(path) }
        return nil
    }

    /// Files in the output folder that the new site does not have (the marker and staging folder excepted).
    private func staleFiles(expected: Set<String>) throws -> [String] {
        FileTree.entries(below: output.path) { $0 != Self.staging }
            .filter { $0.kind != .folder && $0.path != Self.marker && $0.path != Self.staging && !expected.contains($0.path) }
            .map(\.path).sorted()
    }

    private func removeEmptyFolders() {
        let folders = FileTree.entries(below: output.path).filter { $0.kind == .folder }.map { output.path + "/" + $0.path }
        for folder in folders.sorted(by: { $0.count > $1.count }) { rmdir(folder) }  // fails, harmlessly, unless empty
    }

    private func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        try? fileManager.removeItem(atPath: path)
    }

    /// Whether the regular file at `path` holds exactly `data` (compared without reading it whole).
    static func hasContents(_ path: String, _ data: Data) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) == data.count else { return false }
        return data.withUnsafeBytes { expected in
            let chunk = 1 << 16
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
            defer { buffer.deallocate() }
            var offset = 0
            while offset < expected.count {
                let count = read(descriptor, buffer, min(chunk, expected.count - offset))
                if count < 0 && errno == EINTR { continue }
                guard count > 0, let base = expected.baseAddress, memcmp(buffer, base + offset, count) == 0 else { return false }
                offset += count
            }
            return true
        }
    }

    static func canonical(_ url: URL) -> URL {
        url.standardizedFileURL.resolvingSymlinksInPath()
    }

    /// Whether `inner` is strictly inside `outer`.
    static func isInside(_ inner: URL, _ outer: URL) -> Bool {
        let outerPath = outer.path.hasSuffix("/") ? outer.path : outer.path + "/"
        return inner.path.hasPrefix(outerPath)
    }
}

/// The file-system calls whose failure the writer must survive; the default is plain POSIX.
protocol WriterFileSystem {
    /// Like POSIX `write`: the number of bytes written, or -1 with `errno` set.
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
    /// Like POSIX `rename`, but returns 0 or the error number.
    func rename(_ from: String, _ to: String) -> Int32
    /// Flushes every file written so far in `folder`'s file system to disk.
    func synchronize(folder: String) throws
}

struct POSIXFileSystem: WriterFileSystem {
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        #if canImport(Glibc)
            return Glibc.write(descriptor, base, bytes.count)
        #else
            return Darwin.write(descriptor, base, bytes.count)
        #endif
    }

    func rename(_ from: String, _ to: String) -> Int32 {
        #if canImport(Glibc)
            let result = Glibc.rename(from, to)
        #else
            let result = Darwin.rename(from, to)
        #endif
        return result == 0 ? 0 : errno
    }

    func synchronize(folder: String) throws {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WriteError.system("flush", folder, errno) }
        defer { close(descriptor) }
        // On Linux one call flushes the whole file system: far cheaper than an fsync per file for thousands of files.
        if careers_sync_file_system(descriptor) != 0 { throw WriteError.system("flush", folder, errno) }
    }
}

enum WriteError: Error, CustomStringConvertible {
    case unsafePath(String)
    case system(String, String, Int32)
    case cannotRead(String)
    case notAFolder(String)
    case folderInTheWay(String)
    case interrupted
    case partialCommit(String, done: Int, of: Int, errno: Int32)

    var description: String {
        let unchanged = "the output folder was left as it was"
        switch self {
        case .unsafePath(let path): return "refusing to write outside the output folder: '\(path)'"
        case .system(let action, let path, let code):
            return "cannot \(action) '\(path)': \(systemReason(code)); \(unchanged)"
        case .cannotRead(let path): return "cannot read '\(path)' (it changed or vanished during the build); \(unchanged)"
        case .notAFolder(let path):
            return "'\(path)' in the output folder is a file or a symbolic link, not a folder; remove it; \(unchanged)"
        case .folderInTheWay(let path): return "'\(path)' in the output folder is a folder; remove it; \(unchanged)"
        case .interrupted: return "interrupted; \(unchanged)"
        case .partialCommit(let path, let done, let total, let code):
            return
                "cannot rename '\(path)' into place: \(systemReason(code)), after \(done) of \(total) files; the output folder now mixes old and new files: build again"
        }
    }
}

/// Output paths are relative, with no `..`, `.`, empty or hidden components, and no backslashes.
enum OutputPath {
    static func isSafe(_ path: String) -> Bool {
        // On bytes (this runs for every file of the site): no `\`, NUL or `%2`, and every `/`-separated
        // component non-empty and not starting with `.` (so neither `.` nor `..`).
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty else { return false }
        var componentStart = true
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "\\"), 0: return false
            case UInt8(ascii: "%") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "2"): return false
            case UInt8(ascii: "/"), UInt8(ascii: "."):
                if componentStart { return false }
            default: break
            }
            componentStart = byte == UInt8(ascii: "/")
        }
        return !componentStart
    }
}

/// A write under way (see `SiteWriter.begin`): takes each file of the site, from any thread, and then either
/// finishes (phase 2) or is abandoned. Each file goes to its own staging name, so offers never wait on each other
/// except to note the result.
final class StagedWrite: @unchecked Sendable {
    private let writer: SiteWriter
    private let paths: [String]
    /// For each path in a folder the output does not have yet, where it is staged: under `SiteWriter.newTree`, at
    /// its path in the folder, which moves into place whole.
    private let inNewFolder: [String?]
    private let signals: SignalDeferral
    private let outputExisted: Bool
    private let lock = NSLock()
    private var plan: SiteWriter.Plan
    private var staged: [Int: String] = [:]
    private var unchanged = 0
    private var failure: (any Error)?
    private var ended = false
    /// The flush `startFlush` started.
    private var flush: BackgroundFlush?

    fileprivate init(
        writer: SiteWriter, plan: SiteWriter.Plan, paths: [String], inNewFolder: [String?], signals: SignalDeferral,
        outputExisted: Bool
    ) {
        self.writer = writer
        self.plan = plan
        self.paths = paths
        self.inNewFolder = inNewFolder
        self.signals = signals
        self.outputExisted = outputExisted
    }

    /// Phase 1 for the file at `paths[index]`. A failure is kept and reported by `finish`; after one, further
    /// files are skipped.
    func offer(_ index: Int, _ data: Data) {
        lock.lock()
        let failed = failure != nil
        lock.unlock()
        guard !failed else { return }
        let name = stagedName(index)
        note(index, name) { try writer.offer(data, path: paths[index], staged: name, inNewFolder: inNewFolder[index] != nil) }
    }

    /// The same for a file made in pieces: `produce` hands each piece, in order, to the function it is given, and
    /// the pieces are written as they come, so the file is never whole in memory. Returns the file's size.
    func offer(_ index: Int, producing produce: ((UnsafeBufferPointer<UInt8>) -> Void) -> Void) -> Int {
        lock.lock()
        let failed = failure != nil
        lock.unlock()
        var size = 0
        guard !failed else {
            produce { size += $0.count }
            return size
        }
        let name = stagedName(index)
        note(index, name) {
            let file = try writer.openStream(path: paths[index], staged: name)
            var writeError: (any Error)?
            produce { piece in
                size += piece.count
                guard writeError == nil else { return }
                do { try file.write(piece) } catch { writeError = error }
            }
            if let writeError {
                file.cancel()
                throw writeError
            }
            return try file.finish()
        }
        return size
    }

    /// Where the file at `paths[index]` is staged: at its own path in a new folder, or else under its index.
    private func stagedName(_ index: Int) -> String {
        inNewFolder[index] ?? "\(SiteWriter.staging)/\(index)"
    }

    /// Runs `stage` (which returns whether it staged the file as `name`, rather than finding it unchanged) and
    /// notes the result, or the failure.
    private func note(_ index: Int, _ name: String, _ stage: () throws -> Bool) {
        do {
            let wrote = try stage()
            lock.lock()
            if wrote { staged[index] = name } else { unchanged += 1 }
            lock.unlock()
        } catch {
            lock.lock()
            if failure == nil { failure = error }
            lock.unlock()
        }
    }

    /// Copies the assets, removes stale files and puts everything in place; on any failure the folder is left as
    /// it was.
    func finish(copying assets: [Asset], ledger: InputLedger? = nil) throws -> WriteSummary {
        startFlush(copying: assets, ledger: ledger)
        return try finish()
    }

    /// The rest of phase 1: stages the assets and finds the stale files, then starts flushing every staged file to
    /// disk on a thread of its own and returns, so that what the caller still has to do before `finish` (the link
    /// check, the build record) runs while the disk works. No file may be offered after it. A failure is kept and
    /// reported by `finish`.
    func startFlush(copying assets: [Asset], ledger: InputLedger? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard !ended, flush == nil, failure == nil else { return }
        for index in staged.keys.sorted() {
            if inNewFolder[index] == nil, let name = staged[index] { plan.renames.append((name, paths[index])) }
        }
        plan.summary.written = staged.count
        plan.summary.unchanged = unchanged
        do {
            try writer.stageRest(&plan, copying: assets, ledger: ledger)
        } catch {
            failure = error
            return
        }
        let writer = writer
        flush = BackgroundFlush { try writer.flushStaging() }
    }

    /// Waits for the flush `startFlush` started, then puts everything in place (phase 2); on any failure before
    /// that, the folder is left as it was.
    func finish() throws -> WriteSummary {
        lock.lock()
        defer { lock.unlock() }
        ended = true
        do {
            if let failure { throw failure }
            guard let flush else { throw WriteError.system("flush", writer.displayOutput, EINVAL) }
            try flush.wait()
            if signals.interrupted { throw WriteError.interrupted }
            let summary = try writer.commit(plan, signals: signals)
            signals.end()
            return summary
        } catch let error as WriteError {
            if case .partialCommit = error {
                signals.end()
            } else {
                writer.abandon(plan, signals: signals, outputExisted: outputExisted)
            }
            throw error
        } catch {
            writer.abandon(plan, signals: signals, outputExisted: outputExisted)
            throw error
        }
    }

    /// Gives up: the output folder is left exactly as it was before `begin`.
    func abandon() {
        lock.lock()
        defer { lock.unlock() }
        guard !ended else { return }
        ended = true
        // The flush may still be writing staged files: let it end before they are removed.
        try? flush?.wait()
        writer.abandon(plan, signals: signals, outputExisted: outputExisted)
    }
}

/// Work run on a thread of its own (`StagedWrite.startFlush`); `wait` waits for it to end, as often as asked.
private final class BackgroundFlush: @unchecked Sendable {
    private let work: () throws -> Void
    private let done = DispatchSemaphore(value: 0)
    /// Set by the thread before it signals `done`, read only after `done`.
    private var error: (any Error)?

    init(_ work: @escaping () throws -> Void) {
        self.work = work
        Thread.detachNewThread { self.run() }
    }

    private func run() {
        do { try work() } catch { self.error = error }
        done.signal()
    }

    /// Waits for the work to end and rethrows its error.
    func wait() throws {
        done.wait()
        done.signal()  // for any later wait
        if let error { throw error }
    }
}

/// One file of phase 1 written to its staging name piece by piece, and compared on the way with the file already at
/// its path (as `SiteWriter.hasContents` compares a whole file): when they are the same, nothing is staged.
final class StagedStream {
    private let writer: SiteWriter
    private let stagedPath: String
    private let display: String
    private var staged: Int32
    /// The file already at the path while it matches what was written so far; -1 once it does not (or there is none).
    private var existing: Int32 = -1
    private var existingSize = 0
    private var written = 0
    private var buffer: [UInt8] = []

    fileprivate init(writer: SiteWriter, existing existingPath: String, staged stagedPath: String, display: String) throws {
        self.writer = writer
        self.stagedPath = stagedPath
        self.display = display
        staged = open(stagedPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard staged >= 0 else { throw WriteError.system("write", display, errno) }
        let descriptor = open(existingPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        var info = stat()
        if descriptor >= 0, fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            existing = descriptor
            existingSize = Int(info.st_size)
        } else if descriptor >= 0 {
            close(descriptor)
        }
    }

    deinit {
        if staged >= 0 { close(staged) }
        if existing >= 0 { close(existing) }
    }

    func write(_ piece: UnsafeBufferPointer<UInt8>) throws {
        guard let base = piece.baseAddress, !piece.isEmpty else { return }
        compare(piece)
        var offset = 0
        while offset < piece.count {
            let count = writer.fileSystem.write(staged, UnsafeRawBufferPointer(start: base + offset, count: piece.count - offset))
            if count < 0 {
                if errno == EINTR { continue }
                let failure = errno
                cancel()
                throw WriteError.system("write", display, failure)
            }
            offset += count
        }
        written += piece.count
    }

    /// Whether the file was staged: false when the file already at the path has exactly these bytes (the staged
    /// copy is then removed).
    func finish() throws -> Bool {
        let failed = close(staged) != 0 ? errno : 0
        staged = -1
        if failed != 0 {
            cancel()
            throw WriteError.system("write", display, failed)
        }
        let same = existing >= 0 && written == existingSize
        if existing >= 0 {
            close(existing)
            existing = -1
        }
        if same { unlink(stagedPath) }
        return !same
    }

    /// Removes the staged copy.
    func cancel() {
        if staged >= 0 { close(staged) }
        staged = -1
        if existing >= 0 { close(existing) }
        existing = -1
        unlink(stagedPath)
    }

    /// Reads as many bytes of the existing file and stops comparing at the first difference.
    private func compare(_ piece: UnsafeBufferPointer<UInt8>) {
        guard existing >= 0 else { return }
        guard written + piece.count <= existingSize, let base = piece.baseAddress else { return differs() }
        if buffer.count < piece.count { buffer = [UInt8](repeating: 0, count: piece.count) }
        let same = buffer.withUnsafeMutableBytes { target -> Bool in
            var filled = 0
            while filled < piece.count {
                let count = read(existing, target.baseAddress.unsafelyUnwrapped + filled, piece.count - filled)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                filled += count
            }
            return memcmp(target.baseAddress.unsafelyUnwrapped, base, piece.count) == 0
        }
        if !same { differs() }
    }

    private func differs() {
        close(existing)
        existing = -1
    }
}
