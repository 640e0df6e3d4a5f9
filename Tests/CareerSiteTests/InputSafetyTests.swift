import Foundation
import Testing

@testable import CareerSite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Awkward inputs: links, unreadable files, odd names, missing or misplaced folders, a huge body.
@Suite struct InputSafetyTests {
    @Test func symbolicLinksInContentAndTemplatesAreRefusedAndNamed() throws {
        let site = try TestSite()
        defer { site.remove() }
        let outside = site.root.appendingPathComponent("outside.md")
        try Data("---\ntitle: Secret\n---\n".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(at: site.content.appendingPathComponent("pages/secret.md"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: site.content.appendingPathComponent("linked"), withDestinationURL: site.root)
        try FileManager.default.createDirectory(at: site.content.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: site.content.appendingPathComponent("assets/passwd"), withDestinationURL: URL(fileURLWithPath: "/etc/passwd"))
        let templates = site.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: TestSite.templates, to: templates)
        try FileManager.default.removeItem(at: templates.appendingPathComponent("partials/role-list.mustache"))
        try FileManager.default.createSymbolicLink(
            at: templates.appendingPathComponent("partials/role-list.mustache"), withDestinationURL: outside)
        var options = site.options
        options.templates = templates
        let report = SiteBuilder.build(options)
        #expect(
            report.diagnostics.map(\.description) == [
                "Content/assets/passwd:1:1: error: symbolic links are not followed in the content folder",
                "Content/linked:1:1: error: symbolic links are not followed in the content folder; replace it with the file or folder itself",
                "Content/pages/secret.md:1:1: error: symbolic links are not followed in the content folder; replace it with the file itself",
                "Templates/partials/role-list.mustache:1:1: error: symbolic links are not followed in the templates folder",
            ])
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    /// As root, `chmod 000` does not stop reading, so the unreadable file is a Unix socket, which nobody can read
    /// as a file; when not root, a `chmod 000` file is tested too. Both take the loader's "cannot read" path.
    @Test func unreadableFilesAreNamed() throws {
        let site = try TestSite()
        defer { site.remove() }
        let socketPath = site.content.appendingPathComponent("pages/socket.md").path
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0, "cannot create a socket at \(socketPath)")
        var expected = ["Content/pages/socket.md:1:1: error: cannot read this file (check that it exists and you may read it)"]
        if getuid() != 0 {
            try site.write("pages/locked.md", "---\ntitle: Locked\n---\n")
            chmod(site.content.appendingPathComponent("pages/locked.md").path, 0)
            expected.insert("Content/pages/locked.md:1:1: error: cannot read this file (check that it exists and you may read it)", at: 0)
        } else {
            print("unreadableFilesAreNamed: running as root, so only the socket case is tested (chmod 000 does not stop root)")
        }
        #expect(site.check() == expected)
    }

    @Test func anAssetThatVanishesBeforeItIsCopiedLeavesTheOutputAlone() throws {
        let site = try TestSite()
        defer { site.remove() }
        #expect(site.build().succeeded)
        let before = try FolderState(site.output)
        let writer = SiteWriter(output: site.output, displayOutput: "Output")
        do {
            _ = try writer.write(
                [OutputFile(path: "index.html", contents: Data("new".utf8))],
                copying: [Asset(path: "gone.png", sourcePath: site.root.appendingPathComponent("gone.png").path)])
            Issue.record("expected an error")
        } catch {
            #expect(
                "\(error)"
                    == "cannot read '\(site.root.path)/gone.png' (it changed or vanished during the build); the output folder was left as it was"
            )
        }
        #expect(try FolderState(site.output) == before)
    }

    @Test func namesWithSpacesNonASCIIOrDifferingOnlyInCase() throws {
        let site = try TestSite()
        defer { site.remove() }
        try site.write("roles/café.md", "---\ntitle: Café\n---\n")
        try site.write("assets/Logo.png", "a")
        try site.write("assets/logo.png", "b")
        #expect(
            site.check() == [
                "Content/assets/logo.png:1:1: error: 'assets/logo.png' differs from 'assets/Logo.png' only in case, so they would be one file on macOS or Windows; rename one",
                "Content/roles/café.md:1:1: error: invalid file name 'café.md': an id is lower-case letters, digits and single hyphens, starting with a letter, at most 64 characters (rename it to 'cafe.md'?)",
            ])
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("roles/café.md"))
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("assets/logo.png"))
        try site.write("assets/plan à jour 2.png", "c")
        #expect(site.build().succeeded)
        #expect(try String(contentsOf: site.output.appendingPathComponent("assets/plan à jour 2.png"), encoding: .utf8) == "c")
    }

    @Test func missingOrMisplacedFoldersAreClearErrors() throws {
        let site = try TestSite()
        defer { site.remove() }
        func diagnostics(_ change: (inout BuildOptions) -> Void) -> [String] {
            var options = site.options
            change(&options)
            return SiteBuilder.build(options).diagnostics.map(\.description)
        }
        let missing = site.root.appendingPathComponent("Nope")
        #expect(
            diagnostics {
                $0.content = missing
                $0.contentName = "Nope"
            } == ["error: cannot read the content folder 'Nope'"])
        #expect(
            diagnostics {
                $0.templates = missing
                $0.templatesName = "Nope"
            } == ["error: cannot read the templates folder 'Nope'"])
        try Data("x".utf8).write(to: site.root.appendingPathComponent("file"))
        #expect(
            diagnostics {
                $0.content = site.root.appendingPathComponent("file")
                $0.contentName = "file"
            }.first == "error: cannot read the content folder 'file'")
        #expect(
            diagnostics { $0.output = site.root.appendingPathComponent("file") }
                == ["error: the output path 'Output' is a file, not a folder"])
        #expect(
            diagnostics { $0.output = site.root.appendingPathComponent("file/Output") }
                == ["error: the output path 'Output' is inside '\(site.root.path)/file', which is a file, not a folder"])
        #expect(
            diagnostics { $0.output = site.content }
                == [
                    "error: the output folder 'Output' overlaps the content folder ('\(site.content.path)'); choose a separate folder such as Output/"
                ])
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    /// 4 MB keeps the debug suite quick; a 20 MB body took 93 s in a debug build (see the report).
    @Test func aHugeBodyBuildsAndStaysEscaped() throws {
        let paragraph = "A long paragraph with <script>alert(1)</script> and [a link](role:nurse) in it.\n\n"
        let count = 4_000_000 / paragraph.utf8.count
        let site = try TestSite(["pages/about.md": "---\ntitle: About\n---\n" + String(repeating: paragraph, count: count)])
        defer { site.remove() }
        let start = Date()
        let report = site.build()
        let seconds = Date().timeIntervalSince(start)
        print("aHugeBodyBuildsAndStaysEscaped: a 4 MB body built in \(String(format: "%.1f", seconds)) s")
        #expect(report.succeeded)
        let page = try Data(contentsOf: site.output.appendingPathComponent("pages/about.html"))
        #expect(page.count > 4_000_000)
        #expect(page.range(of: Data("<script>alert".utf8)) == nil)
    }

    /// Thousands of files: every one is read, checked and built into a page and a handout, and the output has
    /// exactly the files the site should have.
    @Test func thousandsOfFilesBuild() throws {
        var files: [String: String?] = [:]
        let count = 3_000
        for index in 0..<count {
            files["roles/role-\(index).md"] =
                "---\ntitle: Role \(index)\nstage: entry\nprofession: nursing\nsummary: Number \(index).\ncapabilities: [assessment]\n---\nBody \(index).\n"
        }
        let site = try TestSite(files)
        defer { site.remove() }
        let report = site.build()
        #expect(report.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let roles = try FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent("roles").path)
        #expect(roles.count == count + 2)
        let handouts = try FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent("handouts").path)
        #expect(handouts.filter { $0.hasPrefix("role-") }.count == count + 2)
        let page = try String(contentsOf: site.output.appendingPathComponent("roles/role-2999.html"), encoding: .utf8)
        #expect(page.contains("Body 2999."))
    }

    /// A file rewritten again and again while the site builds: each build sees one whole version of it (files are
    /// read once), and the next build, with the file at rest, always brings the site up to date (the fingerprint
    /// is taken before anything is read, so a change during a build never looks like "nothing changed").
    @Test func aFileChangingDuringABuildIsCaughtByTheNextBuild() throws {
        let site = try TestSite()
        defer { site.remove() }
        let path = site.content.appendingPathComponent("pages/about.md")
        let versions = (0..<2).map { "---\ntitle: About\n---\nVersion \($0) " + String(repeating: "text ", count: 2_000) + "\n" }
        // The first version is in place before any build starts: the fixture's own about.md (neither version)
        // could otherwise still be there for the first build, which CI once hit.
        try Data(versions[0].utf8).write(to: path, options: .atomic)
        let stop = ManagedAtomicFlag()
        let writer = Thread {
            var index = 1
            while !stop.isSet {
                try? Data(versions[index % 2].utf8).write(to: path, options: .atomic)
                index += 1
            }
        }
        writer.start()
        var seen = Set<String>()
        for _ in 0..<3 {
            let report = site.build()
            #expect(report.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
            let page = try String(contentsOf: site.output.appendingPathComponent("pages/about.html"), encoding: .utf8)
            let shown = ["Version 0", "Version 1"].filter { page.contains($0) }
            #expect(shown.count == 1, "each build shows one whole version: \(page.prefix(2_000))")
            seen.formUnion(shown)
        }
        stop.set()
        while !writer.isFinished { usleep(1_000) }
        let final = try String(contentsOf: path, encoding: .utf8)
        _ = site.build()
        let page = try String(contentsOf: site.output.appendingPathComponent("pages/about.html"), encoding: .utf8)
        #expect(page.contains(String(final.dropFirst("---\ntitle: About\n---\n".count).prefix(9))), "the site shows the file as it is now")
    }
}

/// A flag one thread sets and another reads.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}
