import Foundation

/// Where one revision of the content comes from: a content folder on disk, or a folder at a git revision.
///
/// A git revision is read from the repository that holds the working content folder. `HEAD~1` means the content
/// folder's own path at that revision; `main:Content` names the path, relative to the top of the repository (as
/// in git's `<rev>:<path>`). The folder is exported with `git archive` into a temporary folder, which is always
/// removed again, and loaded and validated like any content folder.
public struct RevisionSource: Sendable, Hashable, CustomStringConvertible {
    public enum Location: Sendable, Hashable {
        /// A content folder on disk.
        case directory(URL)
        /// A commit (or anything git can turn into one) and a folder path from the top of the repository;
        /// `nil` means the working content folder's own path.
        case git(revision: String, path: String?)
    }

    public var location: Location
    /// The working content folder: its repository is the one revisions are read from, and its path within the
    /// repository is the default path.
    public var contentFolder: URL
    /// How the revision is named in messages (as the user typed it).
    public var name: String

    public init(_ location: Location, contentFolder: URL, name: String? = nil) {
        self.location = location
        self.contentFolder = contentFolder
        switch location {
        case .directory(let url): self.name = name ?? url.path
        case .git(let revision, let path): self.name = name ?? (path.map { "\(revision):\($0)" } ?? revision)
        }
    }

    /// Reads a command-line argument: an existing folder is a folder (so `careers diff Old-Content` works);
    /// anything else is a git revision, `<rev>` or `<rev>:<path>`.
    public init(parsing argument: String, contentFolder: URL) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue {
            let trimmed = argument.count > 1 && argument.hasSuffix("/") ? String(argument.dropLast()) : argument
            self.init(.directory(URL(fileURLWithPath: argument)), contentFolder: contentFolder, name: trimmed)
        } else if let colon = argument.firstIndex(of: ":") {
            let path = String(argument[argument.index(after: colon)...])
            self.init(.git(revision: String(argument[..<colon]), path: path), contentFolder: contentFolder, name: argument)
        } else {
            self.init(.git(revision: argument, path: nil), contentFolder: contentFolder, name: argument)
        }
    }

    public var description: String { name }

    /// Loads and validates the revision.
    ///
    /// - Parameter side: which side of a comparison this is, for the message when it does not build.
    public func load(as side: RevisionError.Side = .previous) throws(RevisionError) -> Framework {
        switch location {
        case .directory(let url):
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw .missingFolder(name)
            }
            return try Self.build(url, displayName: name, side: side)
        case .git(let revision, let path):
            return try loadFromGit(revision: revision, path: path, side: side)
        }
    }

    /// Loads and validates a content folder; `displayName` names it in diagnostics, `revisionName` in the error.
    static func build(
        _ folder: URL, displayName: String, side: RevisionError.Side, revisionName: String? = nil
    ) throws(RevisionError) -> Framework {
        let content = ContentLoader(root: folder, displayRoot: displayName).load()
        var builder = FrameworkBuilder(content: content)
        let (framework, diagnostics) = builder.build()
        guard let framework, !diagnostics.hasErrors else {
            let errors = diagnostics.filter { $0.severity == .error }
            throw .doesNotBuild(side: side, name: revisionName ?? displayName, diagnostics: errors)
        }
        return framework
    }

    // MARK: Git

    private func loadFromGit(revision: String, path: String?, side: RevisionError.Side) throws(RevisionError) -> Framework {
        guard !revision.isEmpty, !revision.hasPrefix("-") else { throw .unknownRevision(revision, repository: nil) }
        let top = try repositoryRoot()
        let folder: String
        if let path {
            folder = Self.cleanPath(path)
        } else {
            folder = try defaultPath(in: top)
        }

        let verify = Git.run(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], in: top)
        guard verify.status == 0 else { throw .unknownRevision(revision, repository: top.path) }
        let objectType = Git.run(["cat-file", "-t", "\(revision):\(folder)"], in: top)
        guard objectType.status == 0 else { throw .missingPath(folder.isEmpty ? "." : folder, revision: revision) }
        guard objectType.output.trimmingCharacters(in: .whitespacesAndNewlines) == "tree" else {
            throw .notAFolder(folder, revision: revision)
        }

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("careers-revision-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw .git("cannot create a temporary folder at \(work.path): \(error.localizedDescription)")
        }
        let archive = folder.isEmpty ? ["archive", "--format=tar", revision] : ["archive", "--format=tar", revision, "--", folder]
        if let problem = Git.pipe(archive, in: top, intoTarAt: work) { throw .git(problem) }
        let root = folder.isEmpty ? work : work.appendingPathComponent(folder)
        let displayRoot = folder.isEmpty ? revision : "\(revision):\(folder)"
        return try Self.build(root, displayName: displayRoot, side: side, revisionName: name)
    }

    /// The top of the repository that holds the content folder.
    private func repositoryRoot() throws(RevisionError) -> URL {
        var start = contentFolder.standardizedFileURL
        var isFolder: ObjCBool = false
        while !(FileManager.default.fileExists(atPath: start.path, isDirectory: &isFolder) && isFolder.boolValue), start.path != "/" {
            start = start.deletingLastPathComponent()
        }
        let result = Git.run(["rev-parse", "--show-toplevel"], in: start)
        if let launchProblem = result.launchProblem { throw .git(launchProblem) }
        let top = result.output.trimmingCharacters(in: .newlines)
        guard result.status == 0, !top.isEmpty else { throw .notARepository(contentFolder.path, revision: name) }
        return URL(fileURLWithPath: top)
    }

    /// The content folder's path from the top of the repository (`Content`; empty when it is the top).
    private func defaultPath(in top: URL) throws(RevisionError) -> String {
        let folder = contentFolder.standardizedFileURL.resolvingSymlinksInPath().path
        let root = top.standardizedFileURL.resolvingSymlinksInPath().path
        if folder == root { return "" }
        guard folder.hasPrefix(root + "/") else { throw .notARepository(contentFolder.path, revision: name) }
        return String(folder.dropFirst(root.count + 1))
    }

    /// `./Content/` -> `Content`.
    private static func cleanPath(_ path: String) -> String {
        var parts = path.split(separator: "/").map(String.init)
        parts.removeAll { $0 == "." }
        return parts.joined(separator: "/")
    }
}

/// Why a revision could not be loaded.
public enum RevisionError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Side: String, Sendable, Hashable {
        case previous, new
    }

    case missingFolder(String)
    case notARepository(String, revision: String)
    /// The revision, and the repository it was looked up in (`nil` when it is not a revision at all).
    case unknownRevision(String, repository: String?)
    case missingPath(String, revision: String)
    case notAFolder(String, revision: String)
    case git(String)
    /// The content has errors; `diagnostics` holds every error.
    case doesNotBuild(side: Side, name: String, diagnostics: [Diagnostic])

    /// How many diagnostics a `doesNotBuild` message lists.
    public static let shownDiagnostics = 5

    public var description: String {
        switch self {
        case .missingFolder(let name):
            return "there is no folder '\(name)'"
        case .notARepository(let path, let revision):
            // Said of the revision the user typed: a folder name with a typo is read as a revision, and a message
            // about the content folder alone (often the default, `Content`) did not say why it was looked at.
            return "'\(revision)' is not a folder, and it cannot be read as a git revision: the content folder '\(path)' "
                + "is not in a git repository; give a content folder instead"
        case .unknownRevision(let revision, let repository):
            let place = repository.map { " in the git repository at \($0)" } ?? ""
            return "'\(revision)' is neither a folder nor a revision\(place)"
        case .missingPath(let path, let revision):
            return "'\(path)' does not exist at revision '\(revision)'; name the content folder as '\(revision):<path>'"
        case .notAFolder(let path, let revision):
            return "'\(path)' is not a folder at revision '\(revision)'"
        case .git(let message):
            return message
        case .doesNotBuild(let side, let name, let diagnostics):
            let count = diagnostics.count
            var lines = ["the \(side.rawValue) revision (\(name)) does not build: \(count) error\(count == 1 ? "" : "s")"]
            lines += diagnostics.prefix(Self.shownDiagnostics).map { "  " + $0.description }
            if count > Self.shownDiagnostics { lines.append("  … and \(count - Self.shownDiagnostics) more") }
            return lines.joined(separator: "\n")
        }
    }
}

/// Runs git (and tar) as child processes.
enum Git {
    struct Result {
        var status: Int32
        var output: String
        var error: String
        /// Set when the process could not be started at all.
        var launchProblem: String?
    }

    /// Runs `git <arguments>` in `directory` and collects its output.
    static func run(_ arguments: [String], in directory: URL) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Result(status: -1, output: "", error: "", launchProblem: "cannot run git: \(error.localizedDescription)")
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs `git <arguments> | tar -x -C <folder>`; the problem, if either fails.
    ///
    /// Each process's standard error goes to a file in `folder`'s parent, so neither can block on a full pipe.
    static func pipe(_ arguments: [String], in directory: URL, intoTarAt folder: URL) -> String? {
        let logs = folder.appendingPathComponent(".logs")
        let tree = folder
        do {
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        } catch {
            return "cannot create a temporary folder at \(logs.path): \(error.localizedDescription)"
        }
        let gitLog = logs.appendingPathComponent("git.err")
        let tarLog = logs.appendingPathComponent("tar.err")
        guard FileManager.default.createFile(atPath: gitLog.path, contents: nil),
            FileManager.default.createFile(atPath: tarLog.path, contents: nil),
            let gitError = try? FileHandle(forWritingTo: gitLog), let tarError = try? FileHandle(forWritingTo: tarLog)
        else { return "cannot write in the temporary folder \(folder.path)" }
        defer {
            try? gitError.close()
            try? tarError.close()
            try? FileManager.default.removeItem(at: logs)
        }

        let channel = Pipe()
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git"] + arguments
        git.currentDirectoryURL = directory
        git.standardInput = FileHandle.nullDevice
        git.standardOutput = channel
        git.standardError = gitError
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-x", "-f", "-", "-C", tree.path]
        tar.currentDirectoryURL = directory
        tar.standardInput = channel
        tar.standardOutput = FileHandle.nullDevice
        tar.standardError = tarError
        do {
            try git.run()
        } catch {
            return "cannot run git: \(error.localizedDescription)"
        }
        do {
            try tar.run()
        } catch {
            git.terminate()
            git.waitUntilExit()
            return "cannot run tar: \(error.localizedDescription)"
        }
        // Our copies of the pipe's ends must be closed, or tar never sees the end of its input.
        try? channel.fileHandleForWriting.close()
        try? channel.fileHandleForReading.close()
        git.waitUntilExit()
        tar.waitUntilExit()
        if git.terminationStatus != 0 {
            let message = (try? String(contentsOf: gitLog, encoding: .utf8)) ?? ""
            return "git \(arguments.joined(separator: " ")) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        if tar.terminationStatus != 0 {
            let message = (try? String(contentsOf: tarLog, encoding: .utf8)) ?? ""
            return "extracting the revision with tar failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        return nil
    }
}
