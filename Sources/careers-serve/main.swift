import ArgumentParser
import CareerPreview
import CareerSite
import Foundation
import Synchronization

/// The preview server behind `careers serve`, which replaces itself with this program (see `Serve` in `careers`).
///
/// It is a program of its own so that `careers` does not link the HTTP server's dependencies: FlyingFox brings in
/// FoundationNetworking, and with it libcurl and about 35 more shared libraries, whose loading took about 13 ms of
/// every `careers build` (over half of a no-op rebuild) before the split.
struct ServeHelper: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "careers-serve",
        abstract: "The preview server behind `careers serve` (run that instead; it takes the same options)."
    )

    @Option(name: .long, help: ArgumentHelp("The content folder.", valueName: "dir"))
    var content = "Content"

    @Option(name: .long, help: ArgumentHelp("The templates folder.", valueName: "dir"))
    var templates = "Templates"

    @Option(name: .long, help: ArgumentHelp("The folder to build into and serve.", valueName: "dir"))
    var output = "Output"

    @Option(name: .long, help: "The port to listen on (0 picks a free one).")
    var port: UInt16 = 8000

    func run() throws {
        let options = BuildOptions(contentPath: content, templatesPath: templates, outputPath: output)
        let server = try PreviewServer(options: options, port: port) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stopping = StopFlag()
        let stopper = { (source: DispatchSourceSignal) in
            source.setEventHandler {
                guard stopping.set() else { return }
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
                try await server.serve { [output, content, templates] actual in
                    let message =
                        "Serving \(output)/ at http://127.0.0.1:\(actual)/, watching \(content)/ and \(templates)/. Ctrl-C stops.\n"
                    FileHandle.standardOutput.write(Data(message.utf8))
                }
            } catch  where stopping.isSet {
                // Stopping the server ends its run with an error (cancelled, or disconnected); the signal's
                // handler finishes and exits cleanly.
            } catch {
                FileHandle.standardError.write(Data("error: \(PreviewServer.message(for: error, port: port))\n".utf8))
                Foundation.exit(1)
            }
        }
        withExtendedLifetime((interrupt, terminate)) { dispatchMain() }
    }
}

/// Set once, by the first Ctrl-C or SIGTERM; read by the task that runs the server.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Sets the flag; false when it was set already.
    func set() -> Bool { !flag.exchange(true, ordering: .acquiringAndReleasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}

MemoryTuning.limitHeapGrowth()
ServeHelper.main()
