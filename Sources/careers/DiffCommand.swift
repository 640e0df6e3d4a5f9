import ArgumentParser
import CareerSite
import Foundation

/// `careers diff <old> [<new>]`: what changed between two revisions of the content.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Shows what changed between two revisions of the content.",
        discussion: """
            Each revision is a content folder, or a git revision of the repository that holds the content folder: \
            HEAD~1 means the content folder at that commit, and main:Content names the folder's path from the top of \
            the repository. An existing folder wins over a revision of the same name. Entries are listed as added, \
            removed, renamed (same title, or at least 80% the same text) or changed, with each changed field and a \
            word diff of reworded text. Exits with status 0 whether or not anything changed, and 1 when a revision \
            cannot be read or does not build.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown
    }

    @Argument(
        help: ArgumentHelp("The previous revision: a content folder, or a git revision such as HEAD~1 or main:Content.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The new revision, in the same forms; defaults to the content folder.", valueName: "new"))
    var new: String?

    @Option(name: .long, help: ArgumentHelp("text for the terminal, or markdown for minutes.", valueName: "format"))
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("The working content folder; git revisions are read from its repository.", valueName: "dir"))
    var content = "Content"

    func validate() throws {
        try requireName(content, of: "--content", naming: "a folder name")
        try requireName(old, of: "the old revision", naming: "a folder or a git revision")
        try requireName(new, of: "the new revision", naming: "a folder or a git revision")
    }

    func run() throws {
        let contentName = content.count > 1 && content.hasSuffix("/") ? String(content.dropLast()) : content
        let contentFolder = URL(fileURLWithPath: content)
        let oldSource = RevisionSource(parsing: old, contentFolder: contentFolder)
        let newSource =
            new.map { RevisionSource(parsing: $0, contentFolder: contentFolder) }
            ?? RevisionSource(.directory(contentFolder), contentFolder: contentFolder, name: contentName)
        let report: ChangeReport
        do {
            let before = try oldSource.load(as: .previous)
            let after = try newSource.load(as: .new)
            report = ChangeReport(old: before, new: after)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        if let warning = report.editionWarning {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        switch format {
        case .text: print(report.text(), terminator: "")
        case .markdown: print(report.markdown(), terminator: "")
        }
    }
}
