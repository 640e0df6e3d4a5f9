import CareerSite
import FlyingFox
import FlyingSocks
import Foundation

/// `careers serve`: builds the site, serves the output folder on 127.0.0.1, rebuilds when content or templates
/// change, and reloads open pages. A build with errors leaves the output as it was, so the last good site stays
/// served, and the errors show in the terminal and as an overlay in the browser.
///
/// The live-reload script is added to HTML responses as they are served; it is never written to the output.
public final class PreviewServer: @unchecked Sendable {
    public let options: BuildOptions
    private let log: @Sendable (String) -> Void
    private let server: HTTPServer
    private let lock = NSLock()
    private var version = 0
    private var problems: [String] = []
    /// Set once the first build (which `run()` makes before it listens) has finished.
    private var firstBuildDone = false
    private let buildQueue = DispatchQueue(label: "careers.preview.build")
    #if canImport(Glibc)
        private var watcher: DirectoryWatcher?
    #endif

    /// Path of the status endpoint the live-reload script polls.
    public static let statusPath = "/__careers/status"

    public init(options: BuildOptions, port: UInt16, log: @escaping @Sendable (String) -> Void) throws {
        self.options = options
        self.log = log
        server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port), logger: .disabled)
    }

    /// Builds once, then serves and watches until `stop()`. Returns when the server stops.
    public func run() async throws {
        rebuild(reason: nil)
        lock.withLock { firstBuildDone = true }
        #if canImport(Glibc)
            let watcher = DirectoryWatcher(roots: [options.content, options.templates]) { [weak self] in
                self?.rebuild(reason: "change detected")
            }
            try watcher.start()
            lock.withLock { self.watcher = watcher }
        #endif
        await server.appendRoute(HTTPRoute(method: .GET, path: Self.statusPath)) { [weak self] _ in
            self?.statusResponse() ?? HTTPResponse(statusCode: .notFound)
        }
        await server.appendRoute("GET *") { [weak self] request in
            self?.fileResponse(for: request.path) ?? HTTPResponse(statusCode: .notFound)
        }
        try await server.run()
    }

    /// The port the server listens on, once it is listening.
    ///
    /// `run()` builds the site before it listens, and a large framework takes longer than the 5 s FlyingFox waits
    /// for a server to listen (a 2,000-role site takes 4-7 s), so that wait starts only after the first build.
    public func waitUntilListening() async throws -> UInt16 {
        while !lock.withLock({ firstBuildDone }) {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        try await server.waitUntilListening()
        if case .ip4(_, let port)? = await server.listeningAddress { return port }
        return 0
    }

    /// Runs the server (`run()`) and calls `listening` with the port once it listens. A failure to listen, such as
    /// a port already in use, ends it at once with that error: waiting for the server to listen while it had already
    /// failed ended after FlyingFox's 5 s with "Task timed out before completion", and the reason was lost.
    public func serve(listening: @escaping @Sendable (UInt16) -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            group.addTask { listening(try await self.waitUntilListening()) }
            // The first error (from either) ends the group and cancels the other; `run()` returns when stopped.
            while try await group.next() != nil {}
        }
    }

    /// What to tell the user when `serve` fails on `port`.
    public static func message(for error: any Error, port: UInt16) -> String {
        guard case .failed(let call, let code, let reason) = error as? SocketError else { return "\(error)" }
        switch (call.lowercased(), code) {
        case ("bind", EADDRINUSE):
            return "port \(port) on 127.0.0.1 is in use; stop what uses it, or choose another with --port (0 picks a free one)"
        case ("bind", EACCES):
            return "not allowed to listen on port \(port); choose one above 1023 with --port (0 picks a free one)"
        default:
            return "cannot listen on 127.0.0.1:\(port): \(call) failed: \(reason) (errno \(code))"
        }
    }

    public func stop() async {
        #if canImport(Glibc)
            lock.withLock { watcher }?.stop()
        #endif
        await server.stop(timeout: 1)
    }

    /// The number of successful builds so far (pages reload when it changes).
    public var currentVersion: Int { lock.withLock { version } }

    /// Rebuilds; on success bumps the version so open pages reload, on failure keeps the last good site.
    public func rebuild(reason: String?) {
        buildQueue.sync {
            let start = Date()
            let report = SiteBuilder.build(options)
            let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
            let lines = report.diagnostics.map(\.description)
            for line in lines { log(line) }
            if report.succeeded {
                lock.withLock {
                    if report.write?.written ?? 0 > 0 || report.write?.removed ?? 0 > 0 || version == 0 { version += 1 }
                    problems = []
                }
                let written = report.write?.written ?? 0
                log("\(reason.map { "\($0): " } ?? "")built in \(seconds) s, \(written) file\(written == 1 ? "" : "s") written.")
            } else {
                lock.withLock { problems = lines.filter { $0.contains("error:") } }
                log("\(reason.map { "\($0): " } ?? "")the build has errors; still serving the last good site.")
            }
        }
    }

    private func statusResponse() -> HTTPResponse {
        let (version, problems) = lock.withLock { (self.version, self.problems) }
        let body =
            (try? JSONSerialization.data(withJSONObject: ["version": version, "errors": problems], options: [.sortedKeys])) ?? Data()
        return HTTPResponse(
            statusCode: .ok, headers: [.contentType: "application/json", .init("Cache-Control"): "no-store"], body: body)
    }

    private func fileResponse(for requestPath: String) -> HTTPResponse {
        guard let path = Self.outputPath(for: requestPath) else { return HTTPResponse(statusCode: .notFound) }
        let url = options.output.appendingPathComponent(path)
        guard let data = try? Data(contentsOf: url) else {
            let notFound = (try? Data(contentsOf: options.output.appendingPathComponent("404.html"))) ?? Data("Not found".utf8)
            return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/html; charset=utf-8"], body: Self.inject(notFound))
        }
        let type = Self.contentType(for: path)
        let body = type.hasPrefix("text/html") ? Self.inject(data) : data
        return HTTPResponse(statusCode: .ok, headers: [.contentType: type, .init("Cache-Control"): "no-store"], body: body)
    }

    /// Maps a request path to a file below the output folder; nil for anything that would leave it.
    static func outputPath(for requestPath: String) -> String? {
        let decoded = (requestPath.split(separator: "?").first.map(String.init) ?? "").removingPercentEncoding ?? ""
        var components: [String] = []
        for part in decoded.split(separator: "/") {
            if part == "." || part == ".." || part.hasPrefix(".") || part.contains("\\") || part.contains("\0") { return nil }
            components.append(String(part))
        }
        if components.isEmpty || decoded.hasSuffix("/") { components.append("index.html") }
        return components.joined(separator: "/")
    }

    static func contentType(for path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "csv": "text/csv; charset=utf-8"
        case "xml": "application/xml"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }

    /// Adds the live-reload script before `</body>`.
    static func inject(_ html: Data) -> Data {
        let text = String(decoding: html, as: UTF8.self)
        guard let range = text.range(of: "</body>", options: .backwards) else { return html }
        return Data((text[..<range.lowerBound] + liveReloadScript + text[range.lowerBound...]).utf8)
    }

    /// Polls the status endpoint: reloads when a new build is ready, shows build errors as an overlay.
    static let liveReloadScript = """
        <script>
        (function () {
          "use strict";
          var seen = null, overlay = null;
          function show(errors) {
            if (!errors.length) { if (overlay) { overlay.remove(); overlay = null; } return; }
            if (!overlay) {
              overlay = document.createElement("div");
              overlay.setAttribute("role", "alert");
              overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:9999;" +
                "background:#fff;color:#212b32;border-top:6px solid #d5281b;padding:1rem;font:14px/1.4 monospace;white-space:pre-wrap";
              document.body.appendChild(overlay);
            }
            overlay.textContent = "The last edit has errors; this is the last good build.\\n\\n" + errors.join("\\n");
          }
          function poll() {
            fetch("\(statusPath)", { cache: "no-store" }).then(function (response) { return response.json(); }).then(function (status) {
              if (seen !== null && status.version !== seen) { location.reload(); return; }
              seen = status.version;
              show(status.errors);
              setTimeout(poll, 400);
            }).catch(function () { setTimeout(poll, 1000); });
          }
          poll();
        }());
        </script>

        """
}
