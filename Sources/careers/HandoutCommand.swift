import ArgumentParser
import CareerSite
import Foundation

struct Handout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Writes one self-contained handout, optionally printed to PDF.",
        discussion: """
            A handout is a single HTML file with everything inlined: it opens correctly on its own, from an email \
            or a USB stick, and prints well on A4. `careers build` writes every handout into the site's handouts/ \
            folder; this command writes one on its own.
            """
    )

    @Argument(
        help: ArgumentHelp("What to write: framework, or stage:<id>, profession:<id>, role:<id> or route:<id>.", valueName: "kind:id"))
    var reference: String

    @OptionGroup var folders: FolderOptions

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The HTML file to write (default: <kind>-<id>.html).", valueName: "file"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Also print the handout to this PDF file with a headless Chromium.", valueName: "file"))
    var pdf: String?

    func validate() throws {
        try requireName(out, of: "--out", naming: "a file name")
        try requireName(pdf, of: "--pdf", naming: "a file name")
    }

    func run() throws {
        let name = reference == "framework" ? "framework.html" : reference.replacingOccurrences(of: ":", with: "-") + ".html"
        let file = URL(fileURLWithPath: out ?? name)
        if let pdf {
            do {
                try PDFPrinter.checkDestination(URL(fileURLWithPath: pdf))
            } catch {
                let diagnostics = [Diagnostic.error(error.description, at: nil)]
                Reporter.print(diagnostics)
                Reporter.printFailure(diagnostics)
                throw ExitCode(1)
            }
        }
        let report = SiteBuilder.handout(folders.buildOptions(output: "Output"), reference: reference, to: file)
        Reporter.print(report.diagnostics)
        guard report.succeeded, let written = report.handouts.first else {
            Reporter.printFailure(report.diagnostics)
            throw ExitCode(1)
        }
        print("Wrote \(out ?? name) (\(Reporter.size(written.bytes))).")
        if let pdf {
            do {
                try PDFPrinter.print(file, to: URL(fileURLWithPath: pdf))
                print("Printed \(pdf).")
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
