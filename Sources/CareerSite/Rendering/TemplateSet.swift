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
        self.checkedNames = references.mapValues(Self.checkedNames)
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
    /// For each template, the names `unknownNameWarnings` checks, with their hashes (`TemplateMap.hash`): the first
    /// part of each name outside sections and partials, unless the template also opens it as a section.
    private let checkedNames: [String: [(name: String, hash: Int)]]
    /// Which of those names the contexts of each template had, for `unknownNameWarnings`.
    let seenKeys = KeyRecorder()

    private static func checkedNames(_ tags: [TagReference]) -> [(name: String, hash: Int)] {
        let optional = Set(tags.filter(\.isSection).map { firstPart(of: $0.name) })
        var names: [(name: String, hash: Int)] = []
        var seen = Set<String>()
        for tag in tags where !tag.isPartial && tag.depth == 0 && tag.name != "." {
            let first = firstPart(of: tag.name)
            guard !optional.contains(first), seen.insert(first).inserted else { continue }
            names.append((first, TemplateMap.hash(first)))
        }
        return names
    }

    private static func firstPart(of name: String) -> String { String(name.split(separator: ".").first ?? Substring(name)) }

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
        seenKeys.record(context, checking: checkedNames[name] ?? [], for: name)
        return TemplateRenderer.renderData(name, program: program, context: context, capacity: capacity, drain: drain)
    }

    /// `name` filled with `context`, to be rendered where a template writes it (see `DeferredRender`).
    func deferred(_ name: String, _ context: TemplateContext) -> DeferredRender {
        seenKeys.record(context, checking: checkedNames[name] ?? [], for: name)
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
            guard !name.hasPrefix("partials/"), let record = seen[name] else { continue }
            let checked = checkedNames[name] ?? []
            for tag in tags where !tag.isPartial && tag.depth == 0 && tag.name != "." {
                let first = Self.firstPart(of: tag.name)
                guard let index = checked.firstIndex(where: { $0.name == first }), !record.present[index] else { continue }
                // No context had the name, so every one was recorded whole (`KeyRecorder.record`).
                warnings.append(
                    .warning(
                        "'\(first)' is not provided to this template, so it renders as nothing\(Suggestions.hint(for: first, in: record.keys))",
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
    init<Items: RandomAccessCollection>(_ items: Items, make: @escaping (Items.Element) -> TemplateContext) where Items.Index == Int {
        count = items.count
        self.make = { make(items[items.index(items.startIndex, offsetBy: $0)]) }
    }
}

/// Another template filled with its own context, rendered straight into the output where a tag writes it (as
/// `{{{content}}}` writes a page into its layout), so the inner result is never a separate buffer. It counts as
/// present even when it would render nothing. Made by `TemplateSet.deferred`.
struct DeferredRender {
    let name: String
    let context: TemplateContext
}

/// What the contexts of each template held of the names it checks (`TemplateSet.checkedNames`); shared by the
/// threads that render pages.
///
/// Each render notes which checked names its context has. Only a render whose context lacks one of them adds
/// its whole list of keys, for the suggestion in a warning: a name that no context had was lacking from every
/// render, so the keys kept are those of every render, as if all were kept. Adding every render's keys to a set
/// (about 40 names hashed with SipHash, under a lock) was 2 % of a build of 2,000 roles.
final class KeyRecorder: @unchecked Sendable {
    struct Record {
        /// For each checked name, whether any context had it.
        var present: [Bool]
        /// Every key of the contexts that lacked a checked name.
        var keys: Set<String> = []

        mutating func add(present other: [Bool], keys more: [String]) {
            for (index, has) in other.enumerated() where has { present[index] = true }
            keys.formUnion(more)
        }
    }

    private let lock = NSLock()
    private var records: [String: Record] = [:]

    func record(_ context: TemplateContext, checking names: [(name: String, hash: Int)], for template: String) {
        let present = names.map { context.contains($0.name, hash: $0.hash) }
        let complete = !present.contains(false)
        let keys = complete ? [] : context.keys
        lock.lock()
        defer { lock.unlock() }
        // Read and changed where it is stored: a copy of the record would copy its set of keys.
        guard let storedLacks = records[template]?.present.contains(false) else {
            records[template] = Record(present: present, keys: Set(keys))
            return
        }
        guard !complete || storedLacks else { return }
        records[template]?.add(present: present, keys: keys)
    }

    func snapshot() -> [String: Record] {
        lock.lock()
        defer { lock.unlock() }
        return records
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
