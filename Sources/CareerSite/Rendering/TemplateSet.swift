import Foundation
internal import Mustache

/// The site's Mustache templates and static assets, loaded from `Templates/` at run time so the site can be
/// restyled without recompiling.
///
/// Layout: `Templates/*.mustache` (one per page kind plus `layout`), `Templates/partials/*.mustache`
/// (used as `{{> name}}`), and `Templates/assets/**` (copied to `Output/assets/`).
public struct TemplateSet: Sendable {
    /// Templates every site needs.
    static let required = [
        "layout", "home", "stage", "domain", "capability", "profession", "role", "route", "page", "matrix", "index", "notfound",
    ]

    let library: MustacheLibrary
    /// Files under `Templates/assets/`, keyed by path below it.
    let assets: [String: Data]

    /// Builds a set from in-memory template texts (for tests); partial names are plain template names.
    init(templates: [String: String], assets: [String: Data] = [:], displayRoot: String = "Templates") throws(DiagnosticsError) {
        var library = MustacheLibrary()
        var problems: [Diagnostic] = []
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            let path = "\(displayRoot)/\(name).mustache"
            do {
                let template = try MustacheTemplate(string: text)
                let registered = name.hasPrefix("partials/") ? String(name.dropFirst("partials/".count)) : name
                library.register(template, named: registered)
            } catch let error as MustacheTemplate.ParserError {
                problems.append(
                    .error(
                        "template syntax error: \(Self.describe(error.error))",
                        at: SourceLocation(path: path, line: error.context.lineNumber, column: Self.tagColumn(error.context))))
            } catch {
                problems.append(.error("template syntax error: \(error)", at: SourceLocation(path: path)))
            }
        }
        for name in Self.required where templates[name] == nil {
            problems.append(.error("missing template '\(displayRoot)/\(name).mustache'", at: nil))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        self.library = library
        self.assets = assets
        self.inlineStylesheet = ["site.css", "handout.css"].compactMap { assets[$0] }.map { String(decoding: $0, as: UTF8.self) }
            .joined(separator: "\n").replacingOccurrences(of: "</", with: "<\\/")
    }

    /// Loads `*.mustache`, `partials/*.mustache` and `assets/**` from a templates folder.
    public static func load(from root: URL, displayRoot: String) throws(DiagnosticsError) -> TemplateSet {
        let fileManager = FileManager.default
        var templates: [String: String] = [:]
        var assets: [String: Data] = [:]
        var problems: [Diagnostic] = []
        func readText(_ url: URL, display: String) -> String? {
            guard let data = try? Data(contentsOf: url) else {
                problems.append(.error("cannot read this template", at: SourceLocation(path: display)))
                return nil
            }
            guard case .success(let text) = SourceText.decode(data) else {
                problems.append(.error("this template is not valid UTF-8 text", at: SourceLocation(path: display)))
                return nil
            }
            return text
        }
        guard let names = try? fileManager.contentsOfDirectory(atPath: root.path) else {
            throw DiagnosticsError([.error("cannot read the templates folder '\(displayRoot)'", at: nil)])
        }
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let url = root.appendingPathComponent(name)
            if isSymbolicLink(url) {
                problems.append(
                    .error("symbolic links are not followed in the templates folder", at: SourceLocation(path: "\(displayRoot)/\(name)")))
                continue
            }
            if let text = readText(url, display: "\(displayRoot)/\(name)") { templates[String(name.dropLast(".mustache".count))] = text }
        }
        let partials = root.appendingPathComponent("partials")
        for name in ((try? fileManager.contentsOfDirectory(atPath: partials.path)) ?? []).sorted() where name.hasSuffix(".mustache") {
            let url = partials.appendingPathComponent(name)
            if isSymbolicLink(url) {
                problems.append(
                    .error(
                        "symbolic links are not followed in the templates folder",
                        at: SourceLocation(path: "\(displayRoot)/partials/\(name)")))
                continue
            }
            if let text = readText(url, display: "\(displayRoot)/partials/\(name)") {
                templates["partials/" + String(name.dropLast(".mustache".count))] = text
            }
        }
        let assetsRoot = root.appendingPathComponent("assets")
        if let enumerator = fileManager.enumerator(at: assetsRoot, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey]) {
            for case let url as URL in enumerator {
                let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
                let relative = String(url.path.dropFirst(assetsRoot.path.count + 1))
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if values?.isSymbolicLink == true {
                    problems.append(
                        .error(
                            "symbolic links are not followed in the templates folder",
                            at: SourceLocation(path: "\(displayRoot)/assets/\(relative)")))
                    continue
                }
                if values?.isDirectory == true { continue }
                if let data = try? Data(contentsOf: url) { assets[relative] = data }
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return try TemplateSet(templates: templates, assets: assets, displayRoot: displayRoot)
    }

    /// The site and handout stylesheets as one string, for a handout's `<style>` element (computed once).
    let inlineStylesheet: String

    /// Renders a named template with a context of dictionaries, arrays, strings, numbers and booleans.
    ///
    /// Empty strings are removed first, so `{{#field}}…{{/field}}` shows only when the field has text.
    func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(Self.pruned(context), withTemplate: name) ?? ""
    }

    static func pruned(_ context: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        result.reserveCapacity(context.count)
        for (key, value) in context {
            switch value {
            case let text as String where text.isEmpty: continue
            case let nested as [String: Any]: result[key] = pruned(nested)
            case let list as [[String: Any]]: result[key] = list.map(pruned)
            default: result[key] = value
            }
        }
        return result
    }

    /// The 1-based column of the tag the parser stopped in: the last `{{` at or before its position.
    private static func tagColumn(_ context: MustacheParserContext) -> Int {
        let scalars = Array(context.line.unicodeScalars)
        var index = min(context.columnNumber, scalars.count) - 1
        while index > 0 {
            if scalars[index] == "{" && scalars[index - 1] == "{" { return index }
            index -= 1
        }
        return context.columnNumber + 1
    }

    private static func isSymbolicLink(_ url: URL) -> Bool {
        let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
        return type == .typeSymbolicLink
    }

    private static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with a different name than it was opened with"
        case .unfinishedName: return "a tag is not closed ('}}' missing)"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "invalid set-delimiter tag"
        default: return "\(error)"
        }
    }
}
