import Foundation
import Testing

@testable import CareerSite

/// Paths of the repository, found from this file so tests run from any working directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let templates = root.appendingPathComponent("Templates")
    static let content = root.appendingPathComponent("Content")
    static let tests = root.appendingPathComponent("Tests/EndToEndTests")
    /// Set `CAREERS_RECORD=1` to rewrite golden files; the test then fails so a new baseline is never accepted silently.
    static var recording: Bool { ProcessInfo.processInfo.environment["CAREERS_RECORD"] == "1" }
}

func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("careers-e2e-\(UUID().uuidString)")
}

/// Every regular file below `folder`, by path relative to it (hidden files included).
func filesBelow(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let base = folder.standardizedFileURL.path + "/"
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
    while let url = enumerator?.nextObject() as? URL {
        if (try url.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true { continue }
        files[String(url.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: url)
    }
    return files
}

func options(content: URL, output: URL) -> BuildOptions {
    BuildOptions(
        content: content, templates: Repository.templates, output: output, contentName: "Content", templatesName: "Templates",
        outputName: "Output", projectRoot: content.deletingLastPathComponent())
}
