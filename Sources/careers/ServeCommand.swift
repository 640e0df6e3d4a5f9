import ArgumentParser
import CareerSite
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `careers serve` checks its options, then replaces this process with the `careers-serve` program next to it,
/// which runs the preview server. Keeping the server in its own program keeps its HTTP stack (FoundationNetworking,
/// libcurl and their libraries) out of every other command's start-up.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Builds the site, serves it on 127.0.0.1 and rebuilds when content or templates change.",
        discussion: """
            Open pages reload after each successful rebuild. An edit that introduces an error prints the \
            diagnostics here and shows them over the page in the browser, while the last good site stays \
            served. Press Ctrl-C to stop. The server is the careers-serve program, which must be next to \
            careers (make serve builds both).
            """
    )

    @OptionGroup var folders: FolderOptions

    @Option(name: .long, help: ArgumentHelp("The folder to build into and serve.", valueName: "dir"))
    var output = "Output"

    @Option(name: .long, help: "The port to listen on (0 picks a free one).")
    var port: UInt16 = 8000

    static let helperName = "careers-serve"

    func validate() throws {
        try requireName(output, of: "--output", naming: "a folder name")
    }

    func run() throws {
        guard let helper = Self.helper() else {
            let folder = Self.ownFolder()?.path ?? "the folder of careers"
            FileHandle.standardError.write(
                Data(
                    ("error: careers serve needs the \(Self.helperName) program in \(folder); `make serve` builds it, "
                        + "as does `swift build --product \(Self.helperName)` with the options careers was built with.\n").utf8))
            throw ExitCode(1)
        }
        let arguments = [
            helper.path, "--content", folders.content, "--templates", folders.templates, "--output", output, "--port", String(port),
        ]
        let argv = arguments.map { strdup($0) } + [nil]
        execv(helper.path, argv)
        // execv returns only when it failed.
        let reason = String(cString: strerror(errno))
        argv.forEach { free($0) }
        FileHandle.standardError.write(Data("error: could not start \(helper.path): \(reason)\n".utf8))
        throw ExitCode(1)
    }

    /// The folder this program is in, with symbolic links resolved (so a linked `careers` finds its real neighbour).
    static func ownFolder() -> URL? {
        Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static func helper() -> URL? {
        guard let url = ownFolder()?.appendingPathComponent(helperName), access(url.path, X_OK) == 0 else { return nil }
        return url
    }
}
