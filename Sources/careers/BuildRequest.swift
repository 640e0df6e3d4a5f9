import CareerSite
import Foundation

/// What `careers build` was asked to do, and doing it: shared by the `Build` command and by `main`'s direct reading
/// of the common forms of a build's arguments (`init(quickParsing:)`).
struct BuildRequest: Equatable {
    static let defaultContent = "Content"
    static let defaultTemplates = "Templates"
    static let defaultOutput = "Output"

    var content = Self.defaultContent
    var templates = Self.defaultTemplates
    var output = Self.defaultOutput
    var previous: String?

    /// Builds the site and prints the report; false when the build failed (its errors are printed).
    func run() -> Bool {
        let start = Date()
        var options = BuildOptions(contentPath: content, templatesPath: templates, outputPath: output)
        options.previous = previous
        let report = SiteBuilder.build(options)
        Reporter.print(report.diagnostics)
        guard report.succeeded, let write = report.write else {
            Reporter.printFailure(report.diagnostics)
            return false
        }
        let seconds = Date().timeIntervalSince(start)
        if report.reusedPreviousBuild {
            print("Nothing changed since the last build (\(report.pages) files, checked in \(Reporter.fixed(seconds, places: 2)) s).")
            return true
        }
        print(
            "Built \(report.pages) files in \(Reporter.fixed(seconds, places: 2)) s: \(write.written) written, "
                + "\(write.unchanged) unchanged, \(write.removed) removed\(Reporter.warningSuffix(report.diagnostics)).")
        if let largest = report.handouts.max(by: { $0.bytes < $1.bytes }) {
            let total = report.handouts.reduce(0) { $0 + $1.bytes }
            print(
                "Handouts: \(report.handouts.count) files, \(Reporter.size(total)) in all; largest \(largest.path) "
                    + "(\(Reporter.size(largest.bytes))).")
        }
        return true
    }
}

extension BuildRequest {
    /// The options of a plain build, read without ArgumentParser; nil for anything else, which ArgumentParser then
    /// reads as before, with its own help and errors.
    ///
    /// ArgumentParser reflects every command's properties and looks up their protocol conformances before it reads
    /// an argument: 12.8 M of the 23.5 M instructions of a rebuild of the shipped content that has nothing to do
    /// (callgrind), and a rebuild is the command run most often. So the forms a rebuild uses are read here:
    /// `[build] [--content dir] [--templates dir] [--output dir] [--previous rev]`, each option at most once, as
    /// `--name value` or `--name=value`, with a value that is not empty and does not start with "-". Help, another
    /// command, an unknown or repeated option, a short option or "--" all give nil. `BuildArgumentsTests` checks
    /// that ArgumentParser reads every list accepted here to the same request.
    init?(quickParsing arguments: [String]) {
        var rest = arguments[...]
        if rest.first == "build" { rest = rest.dropFirst() }
        var seen: [Substring] = []
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { return nil }
            let name: Substring
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                name = argument[argument.index(argument.startIndex, offsetBy: 2)..<equals]
                value = String(argument[argument.index(after: equals)...])
            } else {
                guard let next = rest.popFirst() else { return nil }
                name = argument.dropFirst(2)
                value = next
            }
            guard !value.isEmpty, !value.hasPrefix("-"), !seen.contains(name) else { return nil }
            seen.append(name)
            switch name {
            case "content": content = value
            case "templates": templates = value
            case "output": output = value
            case "previous": previous = value
            default: return nil
            }
        }
    }
}
