import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `careers serve` runs the `careers-serve` program next to it (so `careers` itself does not load the HTTP stack):
/// the real binaries, started as a user would start them.
@Suite struct ServeCommandTests {
    /// Waits up to two minutes (a hang guard, not a timing check) for the "Serving … at http://127.0.0.1:N/" line.
    static func port(of child: InterruptTests.Child) -> Int? {
        for _ in 0..<1200 {
            let output = child.output
            if let range = output.range(of: "http://127.0.0.1:") {
                let digits = output[range.upperBound...].prefix { $0.isNumber }
                if output[range.upperBound...].dropFirst(digits.count).first == "/" { return Int(digits) }
            }
            guard child.isRunning else { return nil }
            usleep(100_000)
        }
        return nil
    }

    static func fetch(_ url: URL) async throws -> (status: Int, body: Data) {
        let (body, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
    }

    @Test func serveBuildsServesAndStopsCleanlyOnCtrlC() async throws {
        let binary = try #require(InterruptTests.binary, "build the careers binary first (swift build --build-tests)")
        let helper = binary.deletingLastPathComponent().appendingPathComponent("careers-serve")
        try #require(FileManager.default.isExecutableFile(atPath: helper.path), "careers-serve is built next to careers")
        let root = temporaryFolder()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output")
        let child = try InterruptTests.Child(
            binary,
            [
                "serve", "--content", Repository.tests.appendingPathComponent("Fixtures/minimal/Content").path, "--templates",
                Repository.templates.path, "--output", output.path, "--port", "0",
            ],
            keepOutput: true)
        let port = try #require(Self.port(of: child), "no 'Serving' line; output: \(child.output) errors: \(child.takeErrors())")

        // The site was built, and its files are served: an asset byte for byte, a page with its title.
        let stylesheet = try await Self.fetch(URL(string: "http://127.0.0.1:\(port)/assets/site.css")!)
        #expect(stylesheet.status == 200)
        #expect(stylesheet.body == (try Data(contentsOf: output.appendingPathComponent("assets/site.css"))))
        let home = try await Self.fetch(URL(string: "http://127.0.0.1:\(port)/")!)
        #expect(home.status == 200)
        let page = try #require(String(data: home.body, encoding: .utf8))
        let built = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        let title = try #require(built.range(of: "<title>").map { built[$0.lowerBound...].prefix { $0 != "\n" } })
        #expect(page.contains(title))

        // Ctrl-C: a clean stop, with nothing on standard error.
        kill(child.pid, SIGINT)
        let status = child.wait()
        let errors = child.takeErrors()
        #expect(status == 0, "wait status \(status); errors: \(errors)")
        #expect(errors.isEmpty)
        #expect(child.output.hasSuffix("\nStopping.\n"), "\(child.output)")
    }

    #if os(Linux)
        /// The reason for the split: loading FoundationNetworking, libcurl and their libraries took about 13 ms of
        /// every command's start-up. The dynamic loader lists what a program loads (as `ldd` does).
        @Test func careersDoesNotLoadTheHTTPStack() throws {
            let binary = try #require(InterruptTests.binary, "build the careers binary first (swift build --build-tests)")
            func loaded(_ program: URL) throws -> String {
                let process = Process()
                process.executableURL = program
                process.environment = ["LD_TRACE_LOADED_OBJECTS": "1"]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let listing = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return String(decoding: listing, as: UTF8.self)
            }
            let careers = try loaded(binary)
            #expect(careers.contains("libc.so"), "\(careers)")
            #expect(!careers.contains("FoundationNetworking"), "\(careers)")
            #expect(!careers.contains("libcurl"), "\(careers)")
            // The helper does load libcurl (so the check above can tell): a system library, loaded even when Swift's own
            // libraries are linked into the program.
            let helper = try loaded(binary.deletingLastPathComponent().appendingPathComponent("careers-serve"))
            #expect(helper.contains("libcurl"), "\(helper)")
        }
    #endif

    @Test func serveWithoutItsHelperSaysWhatIsMissing() throws {
        let binary = try #require(InterruptTests.binary, "build the careers binary first (swift build --build-tests)")
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let alone = folder.appendingPathComponent("careers")
        // Written through a close-on-exec descriptor: a process another test starts meanwhile would otherwise keep
        // it open for writing, and starting the copy would fail with "text file busy" for as long as that runs.
        let bytes = try Data(contentsOf: binary)
        let descriptor = open(alone.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        try #require(descriptor >= 0)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        try #require(written == bytes.count)
        // Between another test's fork and its exec the descriptor is still shared, so a start can still be refused
        // for a moment: try again then.
        var attempt = 0
        func start() throws -> InterruptTests.Child {
            do {
                return try InterruptTests.Child(alone, ["serve", "--port", "0"])
            } catch let error as POSIXError where error.code == .ETXTBSY && attempt < 100 {
                attempt += 1
                usleep(20_000)
                return try start()
            }
        }
        let child = try start()
        let status = child.wait()
        let errors = child.takeErrors()
        #expect(status >> 8 == 1, "wait status \(status)")
        #expect(
            errors
                == "error: careers serve needs the careers-serve program in \(folder.resolvingSymlinksInPath().path); `make serve` "
                + "builds it, as does `swift build --product careers-serve` with the options careers was built with.\n")
    }
}
