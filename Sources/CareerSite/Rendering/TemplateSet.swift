import Foundation

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

    /// The parsed templates, partials under their own names (`partials/x.mustache` is `x`), laid out for rendering.
    let program: TemplateProgram
    /// Files under `Templates/assets/`, keyed by path below it.
    let assets: [String: Data]

    /// Builds a set from in-memory template texts (for tests); partial names are plain template names.
    init(templates: [String: String], assets: [String: Data] = [:], displayRoot: String = "Templates") throws(DiagnosticsError) {
        var library: [String: [TemplateNode]] = [:]
        var problems: [Diagnostic] = []
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                let registered = name.hasPrefix("partials/") ? String(name.dropFirst("partials/".count)) : name
                library[registered] = try TemplateParser.parse(text)
            } catch {
                problems.append(
                    .error(
                        "template syntax error: \(error.message)",
                        at: SourceLocation(path: "\(displayRoot)/\(name).mustache", line: error.line, column: error.column)))
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
        self.program = TemplateProgram(library: library)
        self.assets = assets
        self.references = references
        self.displayRoot = displayRoot
        self.handoutStylesheet = InlineStylesheet(
            ["site.css", "handout.css"].compactMap { assets[$0] }.map { String(decoding: $0, as: UTF8.self) }
                .joined(separator: "\n").replacingASCII("</", with: "<\\/"))
    }

    /// Loads `*.mustache`, `partials/*.mustache` and `assets/**` from a templates folder.
    public static func load(from root: URL, displayRoot: String) throws(DiagnosticsError) -> TemplateSet {
        try load(from: root, displayRoot: displayRoot, ledger: nil)
    }

    /// The same; `ledger` is told the bytes of every file read, when a build checks its inputs.
    static func load(from root: URL, displayRoot: String, ledger: InputLedger?) throws(DiagnosticsError) -> TemplateSet {
        let fileManager = FileManager.default
        var templates: [String: String] = [:]
        var assets: [String: Data] = [:]
        var problems: [Diagnostic] = []
        func readText(_ url: URL, display: String) -> String? {
            guard let data = try? Data(contentsOf: url) else {
                problems.append(.error("cannot read this template", at: SourceLocation(path: display)))
                return nil
            }
            ledger?.note(data, from: url)
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
                if let data = try? Data(contentsOf: url) {
                    ledger?.note(data, from: url)
                    assets[relative] = data
                }
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

    /// The site and handout stylesheets, for a handout's `<style>` element (parsed once; see `InlineStylesheet`).
    let handoutStylesheet: InlineStylesheet

    /// Renders a named template with a context of dictionaries, arrays, strings, numbers and booleans (see
    /// `TemplateData`); empty when there is no such template.
    func render(_ name: String, _ context: TemplateContext) -> String {
        String(decoding: renderData(name, context), as: UTF8.self)
    }

    /// The same as UTF-8 bytes, which are valid UTF-8 (see `TemplateRenderer`). `capacity`: room for the output
    /// to start with, when the caller knows it is large.
    /// `drain`: see `TemplateRenderer.renderData`.
    func renderData(_ name: String, _ context: TemplateContext, capacity: Int = 16_384, drain: ((ByteSink) -> Void)? = nil) -> Data {
        // Only names outside sections are checked, and there only the top-level keys are in scope.
        seenKeys.add(context.keys, for: name)
        return TemplateRenderer.renderData(name, program: program, context: context, capacity: capacity, drain: drain)
    }

    /// `name` filled with `context`, to be rendered where a template writes it (see `DeferredRender`).
    func deferred(_ name: String, _ context: TemplateContext) -> DeferredRender {
        seenKeys.add(context.keys, for: name)
        return DeferredRender(name: name, context: context)
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

    private static func isSymbolicLink(_ url: URL) -> Bool {
        let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
        return type == .typeSymbolicLink
    }
}

/// Markup the generator made (rendered Markdown, an SVG map, a page inside the layout): it goes into the page as
/// it is, whether the template uses `{{name}}` or `{{{name}}}`. Every other text value is escaped.
struct RawHTML: Sendable {
    var html: String
    init(_ html: String) { self.html = html }
}

/// Rendered output as UTF-8 bytes (from `TemplateSet.renderData`), inserted as it is like `RawHTML`: a page's
/// content goes into its layout without becoming a `String`.
struct RenderedHTML: Sendable {
    var bytes: Data
    init(_ bytes: Data) { self.bytes = bytes }
}

/// A list of maps for a section, made one map at a time as the section shows them and let go after: a long list
/// (every role of a large framework, each with its body) is never held whole. A section over it shows its content
/// once per map, an inverted section only when `count` is 0, and a variable tag writes nothing, as for `[TemplateContext]`.
/// `make` runs each time the list is shown, so a template that shows it twice makes each map twice.
struct LazyMaps {
    let count: Int
    let make: (Int) -> TemplateContext

    init(count: Int, make: @escaping (Int) -> TemplateContext) {
        self.count = count
        self.make = make
    }

    /// One map per element of `items`.
    init<Item>(_ items: [Item], make: @escaping (Item) -> TemplateContext) {
        count = items.count
        self.make = { make(items[$0]) }
    }
}

/// Another template filled with its own context, rendered straight into the output where a tag writes it (as
/// `{{{content}}}` writes a page into its layout), so the inner result is never a separate buffer. It counts as
/// present even when it would render nothing. Made by `TemplateSet.deferred`.
struct DeferredRender {
    let name: String
    let context: TemplateContext
}

/// The context keys seen by each template; shared by the threads that render pages.
final class KeyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: Set<String>] = [:]

    /// The names last added for each template: pages of a kind mostly have the same names, which are then not
    /// added to the set again.
    private var last: [String: [String]] = [:]

    func add(_ found: [String], for template: String) {
        lock.lock()
        defer { lock.unlock() }
        guard last[template] != found else { return }
        last[template] = found
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
        // On UTF-8 bytes (every delimiter is ASCII); columns count Unicode scalars, as before, by skipping the
        // continuation bytes of multi-byte characters. Scalars and Foundation's trimming made this 3 % of a
        // build of the shipped content.
        let bytes = Array(text.utf8)
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), newline = UInt8(ascii: "\n")
        guard bytes.withUnsafeBufferPointer({ ByteSearch.first(Array("{{=".utf8), in: $0) }) == nil else { return [] }
        var found: [TagReference] = []
        var depth = 0
        var line = 1
        var lineStart = 0
        var index = 0
        func scalars(_ from: Int, _ to: Int) -> Int {
            var count = 0
            for offset in from..<to where bytes[offset] & 0xC0 != 0x80 { count += 1 }
            return count
        }
        while index < bytes.count {
            if bytes[index] == newline {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            guard bytes[index] == open, index + 1 < bytes.count, bytes[index + 1] == open else {
                index += 1
                continue
            }
            let column = scalars(lineStart, index) + 1
            var start = index + 2
            var closing = 2
            if start < bytes.count, bytes[start] == open {
                start += 1
                closing = 3
            }
            func closes(at position: Int) -> Bool {
                position + closing <= bytes.count && (0..<closing).allSatisfy { bytes[position + $0] == close }
            }
            var end = start
            while end < bytes.count, !closes(at: end) { end += 1 }
            index = end + closing
            let body = Array(bytes[start..<min(end, bytes.count)])
            var name = trimmed(String(decoding: body, as: UTF8.self))
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
            name = trimmed(name)
            if name.isEmpty { continue }
            found.append(TagReference(name: name, line: line, column: column, isPartial: isPartial, isSection: isSection, depth: depth))
            if isSection { depth += 1 }
            line += body.lazy.filter { $0 == newline }.count
        }
        return found
    }

    /// `text` without leading and trailing `CharacterSet.whitespaces`; Foundation is asked only when an end is
    /// not a plain ASCII character.
    private static func trimmed(_ text: String) -> String {
        func plain(_ byte: UInt8?) -> Bool { byte.map { $0 < 0x80 && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } ?? true }
        if plain(text.utf8.first), plain(text.utf8.last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
