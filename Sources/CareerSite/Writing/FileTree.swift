import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What is at a path, from `lstat` (so a symbolic link is reported as one, never followed).
enum FileKind: Equatable, Sendable {
    case missing, file, folder, symbolicLink, other

    init(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            self = .missing
            return
        }
        self.init(mode: info.st_mode)
    }

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .file
        case S_IFDIR: self = .folder
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }
}

/// Where a single file (a handout, its PDF) is to be written.
enum OutputFolder {
    /// Why `file` cannot be written because of where it is (its folder is missing or a file, or the path is a folder
    /// itself), in the user's terms; nil when nothing is in the way. Foundation's own text for a missing folder
    /// ("The file doesn't exist") names neither the folder nor what to do, and Chromium's ends a page of its log.
    static func problem(for file: URL) -> String? {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        if fileManager.fileExists(atPath: file.path, isDirectory: &isFolder), isFolder.boolValue {
            return "it is a folder; name a file in it"
        }
        let folder = file.deletingLastPathComponent().path
        if !fileManager.fileExists(atPath: folder, isDirectory: &isFolder) {
            return "there is no folder '\(folder)'; create it first, or choose another path"
        }
        return isFolder.boolValue ? nil : "'\(folder)' is a file, not a folder"
    }

    /// Why writing `file` failed with `error`, in the user's terms: the problem with where it is, else the system's
    /// reason, else that the folder would not take a new file.
    static func writeFailure(_ error: any Error, to file: URL) -> String {
        if let problem = problem(for: file) { return problem }
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return systemReason(Int32(underlying.code))
        }
        let folder = file.deletingLastPathComponent().path
        if access(folder, W_OK) != 0 { return systemReason(errno) }
        return "'\(folder)' does not take new files"
    }
}

/// The system's words for an `errno` value, with the number: "No space left on device (errno 28)".
func systemReason(_ code: Int32) -> String { "\(String(cString: strerror(code))) (errno \(code))" }

/// What `lstat` says of a regular file that changes whenever its bytes do: its device, inode and size, and the
/// times of its last modification and last status change, in nanoseconds since 1970. As in git's index, a file
/// whose stamp is the one recorded when its bytes were hashed still has those bytes, provided the stamp was taken
/// well after its last change (`isSettled`): every later write, truncation or `touch` sets the status-change time
/// from the clock, which no program can set back, and a file saved by renaming a new one over it is a new inode.
struct FileStamp: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64

    /// How long before a stamp is taken the file's last change must be for the stamp to be trusted later: more
    /// than the coarsest timestamps in use (two seconds on FAT) and the kernel's coarse clock.
    static let settlingNanoseconds: Int64 = 3_000_000_000

    /// Whether the file last changed at least `settlingNanoseconds` before `time` (nanoseconds since 1970), the
    /// moment just before the stamp was taken. A change after that moment gets a later status-change time than
    /// the stamp's, even from the coarsest clock; a change in the same clock tick as the stamp would not.
    func isSettled(before time: Int64) -> Bool {
        let limit = time &- Self.settlingNanoseconds
        return changed < limit && modified < limit
    }

    /// The real-time clock now, in nanoseconds since 1970.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return nanoseconds(time)
    }

    fileprivate static func nanoseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ Int64(time.tv_nsec)
    }
}

extension FileStamp {
    /// The stamp of what `lstat` (or `fstatat`) filled in; in an extension, so the memberwise initializer stays.
    init(_ info: stat) {
        #if canImport(Darwin)
            let modified = info.st_mtimespec
            let changed = info.st_ctimespec
        #else
            let modified = info.st_mtim
            let changed = info.st_ctim
        #endif
        self.init(
            device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
            size: Int64(info.st_size), modified: Self.nanoseconds(modified), changed: Self.nanoseconds(changed))
    }
}

/// Lists a folder tree with `opendir`/`readdir` and `fstatat` on each name in its open folder (as `lstat` would):
/// Foundation's URL resource values cost tens of microseconds per file on Linux, which added up to a noticeable
/// share of a small site's build.
enum FileTree {
    /// Every entry below `root` (hidden ones included), as a path relative to it, its kind and, for a regular
    /// file, its stamp, in no particular order. Folders for which `descend` returns false (given their relative
    /// path) are listed but not entered; symbolic links are never followed.
    static func entries(
        below root: String, descend: (String) -> Bool = { _ in true }
    ) -> [(path: String, kind: FileKind, stamp: FileStamp?)] {
        var found: [(path: String, kind: FileKind, stamp: FileStamp?)] = []
        var info = stat()
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? root : root + "/" + relative
            guard let directory = opendir(folder) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                // Looked up in the open folder by name: no full path to build, and no walk down it in the kernel.
                let looked = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    guard let name = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return Int32(-1) }
                    return fstatat(dirfd(directory), name, &info, AT_SYMLINK_NOFOLLOW)
                }
                guard looked == 0 else {
                    found.append((path, .missing, nil))
                    continue
                }
                let kind = FileKind(mode: info.st_mode)
                found.append((path, kind, kind == .file ? FileStamp(info) : nil))
                if kind == .folder && descend(path) { pending.append(path) }
            }
        }
        return found
    }
}

/// Reads whole files with `open`/`read` into memory from `malloc`, handed to `Data` without a copy.
/// `Data(contentsOf:)` goes through a `URL` and Foundation's file reading, which cost more than the read itself
/// for the small files a build is made of.
enum FileBytes {
    /// The bytes of the file at `path` (through a symbolic link, as `Data(contentsOf:)` reads); nil when it cannot
    /// be opened or read. A FIFO or device is opened without waiting and gives nil rather than blocking.
    static func read(_ path: String) -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        // One byte more than the size, so that the end is seen by the first short read; a file that grew since
        // `fstat` is still read whole.
        var capacity = max(Int(info.st_size), 0) + 1
        guard var buffer = malloc(capacity) else { return nil }
        var count = 0
        while true {
            if count == capacity {
                capacity *= 2
                guard let grown = realloc(buffer, capacity) else {
                    free(buffer)
                    return nil
                }
                buffer = grown
            }
            let got = readSome(descriptor, buffer + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                free(buffer)
                return nil
            }
            if got == 0 { break }
            count += got
        }
        if count == 0 {
            free(buffer)
            return Data()
        }
        return Data(bytesNoCopy: buffer, count: count, deallocator: .free)
    }
}

/// `read(2)`, under a name that `FileBytes.read` does not hide.
private func readSome(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

extension String {
    /// Whether this string's UTF-8 bytes come before `other`'s in byte order: the first byte that differs decides,
    /// then the length. A total order like `<`, the same on every platform, and far cheaper than `<`'s Unicode
    /// comparison for long paths that share their beginnings (sorting 12,000 input paths took 90 million
    /// instructions with `<`).
    func precedesInByteOrder(_ other: String) -> Bool {
        let order = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in
                let common = min(a.count, b.count)
                if common > 0, let x = a.baseAddress, let y = b.baseAddress {
                    let order = memcmp(x, y, common)
                    if order != 0 { return order < 0 }
                }
                return a.count < b.count
            }
        }
        return (order ?? nil) ?? utf8.lexicographicallyPrecedes(other.utf8)
    }
}
