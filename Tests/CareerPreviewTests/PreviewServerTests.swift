import CareerSite
import Foundation
import Testing

@testable import CareerPreview

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite(.serialized) struct PreviewServerTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates")

    static let files: [String: String] = [
        "framework.md": "---\ntitle: Preview test\nedition: \"1\"\nstatus: draft\nupdated: 2026-01-15\n---\nHello.\n",
        "stages/entry.md": "---\ntitle: Entry\norder: 1\nsummary: First.\n---\n",
        "domains/clinical.md": "---\ntitle: Clinical\norder: 1\nsummary: Clinical work.\n---\n",
        "capabilities/assessment.md": "---\ntitle: Assessment\ndomain: clinical\nsummary: Assessing.\nlevels:\n  entry: Observes.\n---\n",
        "professions/nursing.md": "---\ntitle: Nursing\nsummary: Nurses.\n---\n",
        "roles/nurse.md": "---\ntitle: Nurse\nstage: entry\nprofession: nursing\nsummary: A nurse.\ncapabilities: [assessment]\n---\n",
    ]

    func get(_ url: URL) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Polls until `condition` holds or `seconds` pass (a bound on the wait, not a timing assertion).
    func eventually(within seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return try await condition()
    }

    /// The fixture content written to a new folder, and options to build it into `Output/` there.
    func makeSite() throws -> (root: URL, content: URL, options: BuildOptions) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-preview-\(UUID().uuidString)")
        let content = root.appendingPathComponent("Content")
        for (path, text) in Self.files {
            let url = content.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let options = BuildOptions(
            content: content, templates: Self.templates, output: root.appendingPathComponent("Output"), contentName: "Content",
            templatesName: "Templates", outputName: "Output", projectRoot: root)
        return (root, content, options)
    }

    @Test func servesRebuildsOnEditAndKeepsTheLastGoodSiteOnError() async throws {
        let (root, content, options) = try makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let lines = LockedLines()
        let server = try PreviewServer(options: options, port: 0) { lines.append($0) }
        let running = Task { try await server.run() }
        defer {
            running.cancel()
        }
        let port = try await server.waitUntilListening()
        let base = try #require(URL(string: "http://127.0.0.1:\(port)/"))
        let page = base.appendingPathComponent("roles/nurse.html")

        let (status, html) = try await get(page)
        #expect(status == 200)
        #expect(html.contains("<h1>Nurse</h1>"))
        #expect(html.contains(PreviewServer.statusPath), "the live-reload script is served")
        let written = try String(contentsOf: options.output.appendingPathComponent("roles/nurse.html"), encoding: .utf8)
        #expect(!written.contains(PreviewServer.statusPath), "the live-reload script is never written to the output")

        // An edit, saved by writing a new file and renaming it over the old one, as many editors do.
        let role = content.appendingPathComponent("roles/nurse.md")
        try Self.files["roles/nurse.md", default: ""].replacingOccurrences(of: "title: Nurse", with: "title: Staff nurse")
            .write(to: role, atomically: true, encoding: .utf8)
        #expect(try await eventually(within: 15) { try await get(page).1.contains("<h1>Staff nurse</h1>") })

        // A broken edit: the error is reported, and the last good page is still served.
        try Self.files["roles/nurse.md", default: ""].replacingOccurrences(of: "stage: entry", with: "stage: entri")
            .write(to: role, atomically: true, encoding: .utf8)
        let statusURL = base.appendingPathComponent(String(PreviewServer.statusPath.dropFirst()))
        #expect(try await eventually(within: 15) { try await get(statusURL).1.contains("unknown stage 'entri'") })
        #expect(try await get(page).1.contains("<h1>Staff nurse</h1>"))
        #expect(lines.contains("Content/roles/nurse.md:3:8: error: unknown stage 'entri' (did you mean 'entry'?)"))

        let (missing, _) = try await get(base.appendingPathComponent("roles/nobody.html"))
        #expect(missing == 404)
        await server.stop()
    }

    /// The first build comes before listening, and may take longer than FlyingFox's 5 s wait for a listening
    /// server (it did for large frameworks, and on a busy machine): waiting for the port covers the build.
    @Test func waitingForThePortCoversAFirstBuildOfMoreThanFiveSeconds() async throws {
        let (root, _, options) = try makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try PreviewServer(options: options, port: 0) { _ in }
        // The server starts 6 s after the wait begins, as if its first build had taken that long.
        let running = Task {
            try await Task.sleep(nanoseconds: 6_000_000_000)
            try await server.run()
        }
        defer { running.cancel() }
        let port = try await server.waitUntilListening()
        #expect(port > 0)
        let (status, _) = try await get(try #require(URL(string: "http://127.0.0.1:\(port)/roles/nurse.html")))
        #expect(status == 200)
        await server.stop()
    }

    /// A port in use was reported after FlyingFox's 5 s wait as "Task timed out before completion", without why.
    @Test func aPortInUseIsReportedAsSuch() async throws {
        let (root, _, options) = try makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try PreviewServer(options: options, port: 0) { _ in }
        let running = Task { try await first.run() }
        defer { running.cancel() }
        let port = try await first.waitUntilListening()
        let second = try PreviewServer(options: options, port: port) { _ in }
        do {
            try await second.serve { _ in Issue.record("listened on a port in use") }
            Issue.record("expected an error")
        } catch {
            #expect(
                PreviewServer.message(for: error, port: port)
                    == "port \(port) on 127.0.0.1 is in use; stop what uses it, or choose another with --port (0 picks a free one)")
        }
        await first.stop()
    }

    @Test func requestPathsStayInsideTheOutputFolder() {
        #expect(PreviewServer.outputPath(for: "/") == "index.html")
        #expect(PreviewServer.outputPath(for: "/roles/a.html?x=1") == "roles/a.html")
        #expect(PreviewServer.outputPath(for: "/stages/") == "stages/index.html")
        #expect(PreviewServer.outputPath(for: "/../etc/passwd") == nil)
        #expect(PreviewServer.outputPath(for: "/%2e%2e/etc/passwd") == nil)
        #expect(PreviewServer.outputPath(for: "/.careers-output") == nil)
    }

    @Test func theScriptGoesBeforeTheClosingBodyTag() {
        let html = PreviewServer.inject(Data("<html><body><p>x</p></body></html>".utf8))
        let text = String(decoding: html, as: UTF8.self)
        #expect(text.hasPrefix("<html><body><p>x</p>\n<script>") || text.hasPrefix("<html><body><p>x</p><script>"))
        #expect(text.hasSuffix("</script>\n</body></html>"))
    }
}

final class LockedLines: @unchecked Sendable {
    private var lines: [String] = []
    private let lock = NSLock()
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    func contains(_ line: String) -> Bool { lock.withLock { lines.contains(line) } }
}
