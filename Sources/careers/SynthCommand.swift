import ArgumentParser
import CareerSite
import Foundation

/// `careers synth`: writes synthetic content for benchmarks and tests.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Writes synthetic content in the content format, for benchmarks and tests.",
        discussion: """
            The same --roles and --seed always give byte-identical files, and careers check passes on them with no \
            errors or warnings. The output folder must be new, empty, or an earlier synth output (it then holds a \
            \(Synthesizer.markerName) file), which is replaced.
            """
    )

    @Option(name: .long, help: ArgumentHelp("How many roles to generate (at least 1).", valueName: "n"))
    var roles: Int

    @Option(name: .long, help: ArgumentHelp("The folder to write the content to.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("The random seed.", valueName: "n"))
    var seed: UInt64 = 1

    func validate() throws {
        try requireName(out, of: "--out", naming: "a folder name")
        guard (1...1_000_000).contains(roles) else { throw ValidationError("--roles must be between 1 and 1000000, found \(roles)") }
    }

    func run() throws {
        let start = Date()
        do {
            let summary = try Synthesizer.write(roles: roles, seed: seed, to: URL(fileURLWithPath: out), displayName: out)
            let seconds = Date().timeIntervalSince(start)
            print(
                "Wrote \(summary.files) files (\(summary.bytes / 1024) KiB) to \(out) in \(Reporter.fixed(seconds, places: 2)) s: "
                    + "\(summary.counts).")
        } catch let error as SynthError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
