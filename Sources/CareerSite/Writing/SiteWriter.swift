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

/// Writes the built site into the output folder: only files whose bytes changed, each replaced atomically
/// (written beside, then renamed), and removes files that no longer belong to the site.
///
/// It writes only inside the output folder, and only into a folder it created (marked by `.careers-output`)
/// or an empty one.
struct SiteWriter {
    static let marker = ".careers-output"
    let output: URL
    let displayOutput: String
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
        }
        return []
    }

    /// The record the last successful build left in the marker file, if it is one this version wrote.
    func lastRecord() -> BuildRecord? {
        guard let data = try? Data(contentsOf: output.appendingPathComponent(Self.marker)),
            let text = String(data: data, encoding: .utf8), let start = text.firstIndex(of: "{")
        else { return nil }
        return try? JSONDecoder().decode(BuildRecord.self, from: Data(text[start...].utf8))
    }

    /// Whether the output still holds exactly the files a record lists, at their recorded sizes.
    func matches(_ record: BuildRecord) -> Bool {
        for (path, size) in record.files {
            let attributes = try? fileManager.attributesOfItem(atPath: output.appendingPathComponent(path).path)
            guard (attributes?[.size] as? NSNumber)?.intValue == size else { return false }
        }
        return true
    }

    /// Writes the marker file with the record of this build (replacing it atomically).
    func record(_ record: BuildRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = "This folder is written by `careers build`; files in it may be replaced or removed.\n"
        try Data(header.utf8 + encoder.encode(record) + Data("\n".utf8)).write(
            to: output.appendingPathComponent(Self.marker), options: .atomic)
    }

    /// Writes `files` (and copies `assets`), leaving unchanged files untouched.
    func write(_ files: [OutputFile], copying assets: [Asset]) throws -> WriteSummary {
        var summary = WriteSummary()
        try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
        let markerURL = output.appendingPathComponent(Self.marker)
        if !fileManager.fileExists(atPath: markerURL.path) {
            try Data("This folder is written by `careers build`; files in it may be replaced or removed.\n".utf8).write(to: markerURL)
        }
        var expected = Set<String>()
        for file in files {
            guard OutputPath.isSafe(file.path) else { throw WriteError.unsafePath(file.path) }
            expected.insert(file.path)
            if try replaceIfChanged(file.path, with: file.contents) { summary.written += 1 } else { summary.unchanged += 1 }
        }
        for asset in assets {
            let path = "assets/" + asset.path
            guard OutputPath.isSafe(path), !expected.contains(path) else { throw WriteError.unsafePath(path) }
            expected.insert(path)
            let data = try Data(contentsOf: URL(fileURLWithPath: asset.sourcePath))
            if try replaceIfChanged(path, with: data) { summary.written += 1 } else { summary.unchanged += 1 }
        }
        summary.removed = try removeFiles(notIn: expected)
        return summary
    }

    /// Replaces a file atomically when its bytes differ; returns whether it wrote.
    private func replaceIfChanged(_ path: String, with data: Data) throws -> Bool {
        let url = output.appendingPathComponent(path)
        if let existing = try? Data(contentsOf: url), existing == data { return false }
        try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).careers-tmp")
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            try? fileManager.removeItem(at: temporary)
            throw WriteError.cannotReplace(path)
        }
        return true
    }

    private func removeFiles(notIn expected: Set<String>) throws -> Int {
        var removed = 0
        var folders: [URL] = []
        guard let enumerator = fileManager.enumerator(at: output, includingPropertiesForKeys: [.isDirectoryKey]) else { return 0 }
        let base = output.path.hasSuffix("/") ? output.path : output.path + "/"
        for case let url as URL in enumerator {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            if relative == Self.marker { continue }
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                folders.append(url)
                continue
            }
            if !expected.contains(relative) {
                try fileManager.removeItem(at: url)
                removed += 1
            }
        }
        for folder in folders.sorted(by: { $0.path.count > $1.path.count }) {
            if let contents = try? fileManager.contentsOfDirectory(atPath: folder.path), contents.isEmpty {
                try? fileManager.removeItem(at: folder)
            }
        }
        return removed
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

enum WriteError: Error, CustomStringConvertible {
    case unsafePath(String)
    case cannotReplace(String)

    var description: String {
        switch self {
        case .unsafePath(let path): "refusing to write outside the output folder: '\(path)'"
        case .cannotReplace(let path): "cannot replace '\(path)' in the output folder"
        }
    }
}

/// Output paths are relative, with no `..`, `.`, empty or hidden components, and no backslashes.
enum OutputPath {
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0"), !path.contains("%2") else {
            return false
        }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { component in
            !component.isEmpty && component != "." && component != ".." && !component.hasPrefix(".")
        }
    }
}
