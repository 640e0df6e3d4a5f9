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
