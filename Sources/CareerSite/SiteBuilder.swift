import Foundation

/// Where a build reads from and writes to.
public struct BuildOptions: Sendable {
    public var content: URL
    public var templates: URL
    public var output: URL
    /// How each folder is named in messages (as the user typed it).
    public var contentName: String
    public var templatesName: String
    public var outputName: String
    /// The project folder, which the output may not be or contain.
    public var projectRoot: URL?

    public init(
        content: URL, templates: URL, output: URL, contentName: String? = nil, templatesName: String? = nil,
        outputName: String? = nil, projectRoot: URL? = nil
    ) {
        self.content = content
        self.templates = templates
        self.output = output
        self.contentName = contentName ?? content.path
        self.templatesName = templatesName ?? templates.path
        self.outputName = outputName ?? output.path
        self.projectRoot = projectRoot
    }
}

/// The result of a build or check: the problems found and, for a build, what was written.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages = 0
    public var write: WriteSummary?
    public var succeeded: Bool { !diagnostics.hasErrors }
}

/// The façade: find and load content, build the model, render, write. Each step is its own type.
public enum SiteBuilder {
    /// Loads and validates content (and templates); writes nothing.
    public static func check(_ options: BuildOptions) -> BuildReport {
        let (framework, templates, diagnostics) = load(options)
        _ = (framework, templates)
        return BuildReport(diagnostics: diagnostics)
    }

    /// Builds the site; writes nothing unless every step succeeds.
    public static func build(_ options: BuildOptions) -> BuildReport {
        let writer = SiteWriter(output: options.output, displayOutput: options.outputName)
        let outputProblems = writer.checkUsable(
            inputs: [(options.content, "the content folder"), (options.templates, "the templates folder")],
            project: options.projectRoot)
        let (framework, templates, diagnostics) = load(options)
        let all = (diagnostics + outputProblems).sortedForDisplay()
        guard !all.hasErrors, let framework, let templates else { return BuildReport(diagnostics: all) }
        let files = SiteRenderer(framework: framework, templates: templates).render()
        let broken = LinkChecker.check(files + framework.assets.map { OutputFile(path: "assets/\($0.path)", contents: Data()) })
        if !broken.isEmpty {
            let problems = broken.map { Diagnostic.error($0.description, at: nil) }
            return BuildReport(diagnostics: (all + problems).sortedForDisplay())
        }
        do {
            let summary = try writer.write(files, copying: framework.assets)
            return BuildReport(diagnostics: all, pages: files.count + framework.assets.count, write: summary)
        } catch {
            return BuildReport(diagnostics: all + [.error("writing the site failed: \(error)", at: nil)])
        }
    }

    static func load(_ options: BuildOptions) -> (Framework?, TemplateSet?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var templates: TemplateSet?
        do {
            templates = try TemplateSet.load(from: options.templates, displayRoot: options.templatesName)
        } catch {
            diagnostics += error.diagnostics
        }
        let content = ContentLoader(root: options.content, displayRoot: options.contentName).load()
        var builder = FrameworkBuilder(content: content)
        let (framework, found) = builder.build()
        diagnostics += found
        if let templates {
            for asset in content.assets {
                let path = "assets/" + asset.path
                if templates.assets["\(asset.path)"] != nil || SiteRenderer.generatedAssetPaths.contains(path) {
                    diagnostics.append(
                        .error(
                            "'\(path)' is also written by the templates or the generator; rename this file",
                            at: SourceLocation(path: "\(options.contentName)/assets/\(asset.path)")))
                }
            }
        }
        return (framework, templates, diagnostics.sortedForDisplay())
    }
}
