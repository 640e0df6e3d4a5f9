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
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .file
        case S_IFDIR: self = .folder
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }
}

/// Lists a folder tree with `opendir`/`readdir` and `lstat`: Foundation's URL resource values cost tens of
/// microseconds per file on Linux, which added up to a noticeable share of a small site's build.
enum FileTree {
    /// Every entry below `root` (hidden ones included), as a path relative to it and its kind, in no particular
    /// order. Folders for which `descend` returns false (given their relative path) are listed but not entered;
    /// symbolic links are never followed.
    static func entries(below root: String, descend: (String) -> Bool = { _ in true }) -> [(path: String, kind: FileKind)] {
        var found: [(path: String, kind: FileKind)] = []
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
                let kind = FileKind(path: root + "/" + path)
                found.append((path, kind))
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
