import ArgumentParser
import CareerSite
import Foundation

/// The `careers` command: argument parsing and printing only; the work is in CareerSite.
struct Careers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "careers",
        abstract: "Builds the Primary Care & Community Services Multi-Professional Career Framework website.",
        discussion: """
            Reads Markdown files with YAML front matter from a content folder, fills the Mustache templates \
            in a templates folder, and writes a linked static website that works from any host or straight from disk.
            """,
        subcommands: [Build.self, Check.self, Handout.self, Serve.self, DiffCommand.self, Synth.self],
        defaultSubcommand: Build.self
    )
}

/// Refuses an empty value for an option that names a file, folder or revision: `URL(fileURLWithPath: "")` is the
/// current folder, so an empty `--output` was taken for it, and the error that followed named the wrong folder.
func requireName(_ value: String?, of option: String, naming what: String) throws {
    if value?.isEmpty == true { throw ValidationError("\(option) needs \(what)") }
}

/// Options shared by every command that reads content.
struct FolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content folder (Markdown with front matter).", valueName: "dir"))
    var content = BuildRequest.defaultContent

    @Option(name: .long, help: ArgumentHelp("The templates folder (Mustache templates, partials/ and assets/).", valueName: "dir"))
    var templates = BuildRequest.defaultTemplates

    func validate() throws {
        try requireName(content, of: "--content", naming: "a folder name")
        try requireName(templates, of: "--templates", naming: "a folder name")
    }

    func buildOptions(output: String) -> BuildOptions {
        BuildOptions(contentPath: content, templatesPath: templates, outputPath: output)
    }
}

struct Build: ParsableCommand {
    // Every command is named explicitly: ArgumentParser derives a missing name from the type's name, at about
    // 250,000 instructions a time, and it asks for the names about 25 times per run (2 ms of a 20 ms no-op build).
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Validates the content and writes the website.",
        discussion: """
            Nothing is written unless the whole build succeeds. Files whose bytes did not change are left alone, \
            files that no longer belong to the site are removed, and the rest are replaced atomically. The output \
            folder must be one careers created, or empty.
            """
    )

    @OptionGroup var folders: FolderOptions

    @Option(name: .long, help: ArgumentHelp("The folder to write the website to.", valueName: "dir"))
    var output = BuildRequest.defaultOutput

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A previous revision to compare with: a content folder, or a git revision such as HEAD~1 or v0.2:Content. Adds changes.html and marks changed pages.",
            valueName: "dir-or-rev"))
    var previous: String?

    func validate() throws {
        try requireName(output, of: "--output", naming: "a folder name")
        try requireName(previous, of: "--previous", naming: "a folder or a git revision")
    }

    var request: BuildRequest {
        BuildRequest(content: folders.content, templates: folders.templates, output: output, previous: previous)
    }

    func run() throws {
        guard request.run() else { throw ExitCode(1) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validates the content and templates without writing anything.",
        discussion: "Reports the same problems, and exits with the same status, as build."
    )

    @OptionGroup var folders: FolderOptions

    func run() throws {
        let report = SiteBuilder.check(folders.buildOptions(output: "Output"))
        Reporter.print(report.diagnostics)
        guard report.succeeded else {
            Reporter.printFailure(report.diagnostics)
            throw ExitCode(1)
        }
        print("No errors\(Reporter.warningSuffix(report.diagnostics)).")
    }
}

enum Reporter {
    static func print(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
    }

    static func printFailure(_ diagnostics: [Diagnostic]) {
        let errors = diagnostics.errorCount
        FileHandle.standardError.write(
            Data("\(errors) error\(errors == 1 ? "" : "s")\(warningSuffix(diagnostics)); nothing was written.\n".utf8))
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? "\(fixed(Double(bytes) / 1_000_000, places: 1)) MB" : "\((bytes + 500) / 1000) KB"
    }

    /// `value` with `places` decimals (0 to 9), rounded as `String(format: "%.<places>f")` rounds: to the nearest,
    /// and an exact tie to the even last digit. `String(format:)` looked up the C variable-argument conformances and
    /// the locale, about 0.2 ms of a 5 ms rebuild that has nothing to do; this is arithmetic. Finite values below
    /// 10^15 / 10^places (durations and sizes); others are written as `description` writes them.
    static func fixed(_ value: Double, places: Int) -> String {
        let places = min(max(places, 0), 9)
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let factor = Double(scale)
        guard value.isFinite, abs(value) * factor < 1e15 else { return value.description }
        // product + error is value × factor exactly (fused multiply-add), so a product that rounded onto a tie
        // (x.5) is moved off it the way the exact value lies.
        let product = value * factor
        let error = (-product).addingProduct(value, factor)
        var rounded = product.rounded(.toNearestOrEven)
        let offset = product - rounded
        if offset == 0.5, error > 0 {
            rounded += 1
        } else if offset == -0.5, error < 0 {
            rounded -= 1
        }
        let units = Int(rounded)
        let negative = units < 0 || (units == 0 && value.sign == .minus)
        let whole = abs(units) / scale
        let part = abs(units) % scale
        var text = negative ? "-\(whole)" : "\(whole)"
        guard places > 0 else { return text }
        let digits = String(part)
        text += "." + String(repeating: "0", count: places - digits.count) + digits
        return text
    }

    static func warningSuffix(_ diagnostics: [Diagnostic]) -> String {
        let warnings = diagnostics.warningCount
        return warnings == 0 ? "" : ", \(warnings) warning\(warnings == 1 ? "" : "s")"
    }
}

MemoryTuning.limitHeapGrowth()
MemoryTuning.padHeapGrowth()
// A plain build skips ArgumentParser's start-up (see `BuildRequest.init(quickParsing:)`); everything else goes to it.
if let request = BuildRequest(quickParsing: Array(CommandLine.arguments.dropFirst())) {
    exit(request.run() ? 0 : 1)
}
Careers.main()
