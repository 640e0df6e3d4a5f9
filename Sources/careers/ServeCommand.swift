import ArgumentParser
import CareerPreview
import CareerSite
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Builds the site, serves it on 127.0.0.1 and rebuilds when content or templates change.",
        discussion: """
            Open pages reload after each successful rebuild. An edit that introduces an error prints the \
            diagnostics here and shows them over the page in the browser, while the last good site stays \
            served. Press Ctrl-C to stop.
            """
    )

    @OptionGroup var folders: FolderOptions

    @Option(name: .long, help: ArgumentHelp("The folder to build into and serve.", valueName: "dir"))
    var output = "Output"

    @Option(name: .long, help: "The port to listen on (0 picks a free one).")
    var port: UInt16 = 8000

    func run() throws {
        let server = try PreviewServer(options: folders.buildOptions(output: output), port: port) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stopper = { (source: DispatchSourceSignal) in
            source.setEventHandler {
                print("\nStopping.")
                Task {
                    await server.stop()
                    SiteWriting.holdForExit()  // never stop half-way through replacing the site's files
                    Foundation.exit(0)
                }
            }
            source.resume()
        }
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .main)
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .main)
        stopper(interrupt)
        stopper(terminate)
        Task {
            do {
                async let running: Void = server.run()
                let actual = try await server.waitUntilListening()
                let message =
                    "Serving \(output)/ at http://127.0.0.1:\(actual)/, watching \(folders.content)/ and \(folders.templates)/. Ctrl-C stops.\n"
                FileHandle.standardOutput.write(Data(message.utf8))
                try await running
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                Foundation.exit(1)
            }
        }
        withExtendedLifetime((interrupt, terminate)) { dispatchMain() }
    }
}
