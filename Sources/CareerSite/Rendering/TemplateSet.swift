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
                let template = try MustacheTemplate(string: Self.textPragma + text)
                let registered = name.hasPrefix("partials/") ? String(name.dropFirst("partials/".count)) : name
                library.register(template, named: registered)
            } catch let error as MustacheTemplate.ParserError {
                problems.append(
                    .error(
                        "template syntax error: \(Self.describe(error.error))",
                        at: SourceLocation(path: path, line: error.context.lineNumber - 1, column: Self.tagColumn(error.context))))
            } catch {
                problems.append(.error("template syntax error: \(error)", at: SourceLocation(path: path)))
            }
        }
        for name in Self.required where templates[name] == nil {
            problems.append(.error("missing template '\(displayRoot)/\(name).mustache'", at: nil))
        }
        var references: [String: [TagReference]] = [:]
        for (name, text) in templates { references[name] = TagReference.scan(text) }
        let registered = Set(templates.keys.map { $0.hasPrefix("partials/") ? String($0.dropFirst("partials/".count)) : $0 })
        for (name, tags) in references.sorted(by: { $0.key < $1.key }) {
            for tag in tags where tag.isPartial && !registered.contains(tag.name) {
                let partials = templates.keys.filter { $0.hasPrefix("partials/") }.map { String($0.dropFirst("partials/".count)) }
                problems.append(
                    .error(
                        "missing partial '\(tag.name)': no file '\(displayRoot)/partials/\(tag.name).mustache'\(Suggestions.hint(for: tag.name, in: partials))",
                        at: SourceLocation(path: "\(displayRoot)/\(name).mustache", line: tag.line, column: tag.column)))
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        self.library = library
        self.assets = assets
        self.references = references
        self.displayRoot = displayRoot
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

    /// The names each template (keyed as loaded, partials as `partials/<name>`) refers to, with their positions.
    let references: [String: [TagReference]]
    let displayRoot: String
    /// The context keys each template was rendered with, for `unknownNameWarnings`.
    let seenKeys = KeyRecorder()

    /// The site and handout stylesheets as one string, for a handout's `<style>` element (computed once).
    let inlineStylesheet: String

    /// Renders a named template with a context of dictionaries, arrays, strings, numbers and booleans.
    ///
    /// Empty strings count as absent (see `prepared`), so `{{#field}}…{{/field}}` shows only when the field has text.
    func render(_ name: String, _ context: [String: Any]) -> String {
        // Only names outside sections are checked, and there only the top-level keys are in scope.
        seenKeys.add(context.keys, for: name)
        return library.render(MustacheMap(context), withTemplate: name) ?? ""
    }

    /// Put on its own first line of every template, so Mustache itself escapes nothing: `prepared` has already
    /// escaped every text value, which is much faster than the template library's escaping, and only values
    /// marked `RawHTML` (rendered Markdown, maps, the page inside the layout) go in as they are. The line is
    /// standalone, so it leaves no trace in the output; diagnostics subtract it from line numbers.
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}\n"

    /// One context value made ready for the template library, when a template looks it up: text HTML-escaped,
    /// `RawHTML` unwrapped, maps and lists wrapped in types the library searches without reflection (see
    /// `MustacheText`). Nil for empty text of either kind, so `{{#field}}…{{/field}}` shows only when the field
    /// has text, exactly as if the key were absent.
    static func prepared(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text.isEmpty ? nil : MustacheText(HTML.escape(text))
        case let raw as RawHTML: return raw.html.isEmpty ? nil : MustacheText(raw.html)
        case let nested as [String: Any]: return MustacheMap(nested)
        case let list as [[String: Any]]: return list.map(MustacheMap.init)
        case let list as [Any]: return list.map { prepared($0) ?? MustacheText("") }
        default: return value
        }
    }

    /// Warnings for names a template refers to that no context it was rendered with provides (they render as
    /// nothing, which is almost always a misspelling). Only templates rendered so far are checked; partials are
    /// not checked, nor are names inside a section (they may come from list items this content happens not to
    /// have). A name the template opens as a section
    /// (`{{#name}}` or `{{^name}}`) is taken as optional there, since contexts leave optional values out.
    func unknownNameWarnings() -> [Diagnostic] {
        let seen = seenKeys.snapshot()
        guard !seen.isEmpty else { return [] }
        var warnings: [Diagnostic] = []
        for (name, tags) in references.sorted(by: { $0.key < $1.key }) {
            let available: Set<String>
            if name.hasPrefix("partials/") {
                continue
            } else if let keys = seen[name] {
                available = keys
            } else {
                continue
            }
            let optional = Set(tags.filter(\.isSection).map { String($0.name.split(separator: ".").first ?? "") })
            for tag in tags where !tag.isPartial && tag.depth == 0 && tag.name != "." {
                let first = String(tag.name.split(separator: ".").first ?? Substring(tag.name))
                guard !available.contains(first), !optional.contains(first) else { continue }
                warnings.append(
                    .warning(
                        "'\(first)' is not provided to this template, so it renders as nothing\(Suggestions.hint(for: first, in: available))",
                        at: SourceLocation(path: "\(displayRoot)/\(name).mustache", line: tag.line, column: tag.column)))
            }
        }
        return warnings
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

/// Text ready for the page (escaped, or markup the generator made). The template library renders a plain
/// `String` through `String(describing:)` and looks names up in it by reflection (`Mirror`) when it is the
/// current object of a section; this type gives it the text directly and has no names, which is the same output
/// for much less work.
struct MustacheText: MustacheCustomRenderable, MustacheParent {
    let text: String
    init(_ text: String) { self.text = text }
    var renderText: String { text }
    var isNull: Bool { false }
    func child(named: String) -> Any? { nil }
}

/// A context map. The library's own support for `[String: Any]` goes through a conditional conformance, which
/// costs a slow dynamic cast at every name lookup; a class that conforms directly is found much faster. Values
/// are made ready (`TemplateSet.prepared`) only when a template looks them up, so the many a template never uses
/// are neither escaped nor copied into a new map.
final class MustacheMap: MustacheParent {
    let values: [String: Any]
    init(_ values: [String: Any]) { self.values = values }
    func child(named name: String) -> Any? { values[name].flatMap(TemplateSet.prepared) }
}

/// Markup the generator made (rendered Markdown, an SVG map, a page inside the layout): it goes into the page as
/// it is, whether the template uses `{{name}}` or `{{{name}}}`. Every other text value is escaped.
struct RawHTML: Sendable {
    var html: String
    init(_ html: String) { self.html = html }
}

/// The context keys seen by each template; shared by the threads that render pages.
final class KeyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: Set<String>] = [:]

    func add(_ found: Dictionary<String, Any>.Keys, for template: String) {
        lock.lock()
        defer { lock.unlock() }
        keys[template, default: []].formUnion(found)
    }

    func snapshot() -> [String: Set<String>] {
        lock.lock()
        defer { lock.unlock() }
        return keys
    }
}

/// A name used in a Mustache tag (`{{name}}`, `{{{name}}}`, `{{&name}}`, `{{#name}}`, `{{^name}}` or a partial
/// `{{> name}}`), with its 1-based line and column. Templates that change delimiters are not scanned.
struct TagReference: Equatable, Sendable {
    var name: String
    var line: Int
    var column: Int
    var isPartial = false
    /// Opened as a section (`#` or `^`): the template treats the name as optional.
    var isSection = false
    /// How many sections enclose the tag.
    var depth = 0

    static func scan(_ text: String) -> [TagReference] {
        guard !text.contains("{{=") else { return [] }
        var found: [TagReference] = []
        var depth = 0
        let scalars = Array(text.unicodeScalars)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\n" {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            guard scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" else {
                index += 1
                continue
            }
            let column = index - lineStart + 1
            var start = index + 2
            var closing = "}}"
            if start < scalars.count, scalars[start] == "{" {
                start += 1
                closing = "}}}"
            }
            let close = Array(closing.unicodeScalars)
            func closes(at position: Int) -> Bool {
                position + close.count <= scalars.count && close.indices.allSatisfy { scalars[position + $0] == close[$0] }
            }
            var end = start
            var body = ""
            while end < scalars.count, !closes(at: end) {
                body.unicodeScalars.append(scalars[end])
                end += 1
            }
            index = end + closing.count
            var name = body.trimmingCharacters(in: .whitespaces)
            guard let sigil = name.first else { continue }
            var isPartial = false
            var isSection = false
            switch sigil {
            case "/":
                depth = max(0, depth - 1)
                continue
            case "!", "=": continue
            case "#", "^":
                name.removeFirst()
                isSection = true
            case "&":
                name.removeFirst()
            case ">":
                name.removeFirst()
                isPartial = true
            default: break
            }
            name = name.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            found.append(TagReference(name: name, line: line, column: column, isPartial: isPartial, isSection: isSection, depth: depth))
            if isSection { depth += 1 }
            line += body.unicodeScalars.filter { $0 == "\n" }.count
        }
        return found
    }
}
