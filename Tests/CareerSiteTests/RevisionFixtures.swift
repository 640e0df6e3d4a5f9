import Foundation

@testable import CareerSite

/// Two revisions of a small content folder (`TestSite.valid` with changes), loaded and compared.
enum RevisionFixtures {
    /// A framework from `TestSite.valid` with `files` overriding (or, when `nil`, removing) files.
    static func framework(_ files: [String: String?]) throws -> Framework {
        let site = try TestSite(files)
        defer { site.remove() }
        return try RevisionSource.build(site.content, displayName: "Content", side: .previous)
    }

    /// The report from `old` to `new`, each `TestSite.valid` with its own changes.
    static func report(old: [String: String?] = [:], new: [String: String?]) throws -> ChangeReport {
        ChangeReport(old: try framework(old), new: try framework(new))
    }

    /// A role file.
    static func role(
        title: String = "Nurse", stage: String = "entry", profession: String = "nursing", summary: String = "A nurse.",
        extra: String = "capabilities: [assessment]\nnext: [lead-nurse]\n", body: String = ""
    ) -> String {
        "---\ntitle: \(title)\nstage: \(stage)\nprofession: \(profession)\nsummary: \(summary)\n\(extra)---\n\(body)"
    }

    /// The only item of the report, if there is exactly one.
    static func onlyItem(_ report: ChangeReport) -> ChangeItem? {
        report.items.count == 1 ? report.items.first : nil
    }

    /// `label: value` lines of every field of every item, as `text()` writes them.
    static func lines(_ report: ChangeReport) -> [String] {
        report.items.flatMap { $0.fields.map { ChangeReport.line($0, style: .text) } }
    }

    /// A long body, for rename tests.
    static let aboutBody = """
        This framework describes careers in primary care and community services, from support workers to consultant \
        practitioners. It sets out what people can do at each stage, across six domains of practice, and shows the \
        roles and routes that connect them. Managers, educators and students can use it to plan development.

        """
}

/// A git repository in a temporary folder, for tests that read revisions.
struct TestRepository {
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git("init", "-q")
    }

    /// Writes `TestSite.valid` with `files` over it into `Content/`, replacing what was there.
    func writeContent(_ files: [String: String?]) throws {
        try? FileManager.default.removeItem(at: content)
        var all = TestSite.valid.mapValues { Optional($0) }
        for (path, text) in files { all[path] = text }
        for (path, text) in all {
            guard let text else { continue }
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    func commit(_ message: String) throws {
        try git("add", "-A")
        try git(
            "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let result = Git.run(arguments, in: root)
        guard result.status == 0 else {
            throw TestRepositoryError(message: "git \(arguments.joined(separator: " ")): \(result.error)")
        }
        return result.output
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

struct TestRepositoryError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
