import Foundation
import Mustache
import Testing

@testable import CareerSite

/// `TemplateParser` and `TemplateRenderer` replaced swift-mustache 2.1.1, which rendered the site before, and
/// they promise the same output for every template. These tests hold them to it: random templates (text, line
/// breaks, variables, sections, inverted sections, comments, partials and set-delimiter tags, with the
/// whitespace around tags that the standalone rules care about) and random contexts, rendered by both.
@Suite struct MustacheOracleTests {
    /// The library as the site used it: every template starts with the text pragma (so the library escapes
    /// nothing) and values are prepared as `TemplateValue` prepares them.
    static func oracle(_ templates: [String: String], _ name: String, _ context: [String: Any]) -> String? {
        var library = MustacheLibrary()
        for (key, text) in templates {
            guard let template = try? MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}\n" + text) else { return nil }
            library.register(template, named: key)
        }
        return library.render(OracleMap(context), withTemplate: name) ?? ""
    }

    static func ours(_ templates: [String: String], _ name: String, _ context: [String: Any]) -> String? {
        var library: [String: [TemplateNode]] = [:]
        for (key, text) in templates {
            guard let nodes = try? TemplateParser.parse(text) else { return nil }
            library[key] = nodes
        }
        return TemplateRenderer.render(name, library: library, context: typed(context))
    }

    /// The same context as `TemplateRenderer` takes it: typed, with a list of text and markup as a list of
    /// `Mixed` values.
    static func typed(_ context: [String: Any]) -> TemplateContext {
        var map = TemplateContext()
        for (key, value) in context { map[key] = typed(value) }
        return map
    }

    static func typed(_ value: Any) -> (any TemplateData)? {
        switch value {
        case let text as String: return text
        case let raw as RawHTML: return raw
        case let flag as Bool: return flag
        case let number as Int: return number
        case let map as [String: Any]: return typed(map)
        case let maps as [[String: Any]]: return maps.map(typed)
        case let items as [Any]: return items.compactMap(typed).map(Mixed.init)
        default:
            Issue.record("no template type for \(type(of: value))")
            return nil
        }
    }

    /// An item of a list whose items are of different types.
    struct Mixed: TemplateData {
        let value: any TemplateData
        var templateValue: TemplateValue? { value.templateValue }
    }

    @Test func randomTemplatesRenderAsSwiftMustacheRenderedThem() {
        var generator = TemplateFuzzer(seed: 2026)
        var rendered = 0
        for round in 0..<3000 {
            let templates = generator.templates()
            let context = generator.context()
            let expected = Self.oracle(templates, "main", context)
            let actual = Self.ours(templates, "main", context)
            if expected != nil { rendered += 1 }
            #expect(actual == expected, "round \(round): templates \(templates) context \(context)")
            if actual != expected { break }
        }
        #expect(rendered > 2500, "most generated templates are valid")
    }

    /// Damaged templates: both engines refuse the same ones, and render the rest the same.
    @Test func damagedTemplatesFailOrRenderAsSwiftMustacheDid() {
        var generator = TemplateFuzzer(seed: 7)
        var refused = 0
        for round in 0..<3000 {
            var templates = generator.templates()
            templates["main"] = generator.damaged(templates["main"] ?? "")
            let context = generator.context()
            let expected = Self.oracle(templates, "main", context)
            let actual = Self.ours(templates, "main", context)
            if expected == nil { refused += 1 }
            #expect(actual == expected, "round \(round): templates \(templates) context \(context)")
            if actual != expected { break }
        }
        #expect(refused > 300, "damage makes many templates invalid")
    }

    /// The shipped templates, filled with the contexts of the shipped content's pages, give the same pages.
    @Test func shippedTemplatesRenderAsSwiftMustacheRenderedThem() throws {
        let root = TestSite.templates
        var texts: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path) where name.hasSuffix(".mustache") {
            texts[String(name.dropLast(".mustache".count))] = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
        }
        let partials = root.appendingPathComponent("partials")
        for name in try FileManager.default.contentsOfDirectory(atPath: partials.path) where name.hasSuffix(".mustache") {
            texts[String(name.dropLast(".mustache".count))] = try String(contentsOf: partials.appendingPathComponent(name), encoding: .utf8)
        }
        var generator = TemplateFuzzer(seed: 11)
        for name in texts.keys.sorted() {
            for _ in 0..<20 {
                let context = generator.siteContext()
                #expect(Self.ours(texts, name, context) == Self.oracle(texts, name, context), "\(name)")
            }
        }
    }
}

/// Random templates and contexts from a small grammar, the same for the same seed.
struct TemplateFuzzer {
    var random: SplitMix64
    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }

    /// `main` and two partials, `p` (which may use `q`) and `q`.
    mutating func templates() -> [String: String] {
        // A partial may be used where the current object is an empty list, so partials do not use `{{.}}`.
        var result = ["main": template(depth: 0, partials: ["p", "q", "missing"], dotIsSafe: true)]
        result["p"] = template(depth: 1, partials: ["q"], dotIsSafe: false)
        result["q"] = template(depth: 2, partials: [], dotIsSafe: false)
        return result
    }

    /// Names that may hold text, flags, numbers or maps (never lists, which the old library wrote as Swift
    /// arrays in a variable tag).
    let valueNames = ["a", "b", "c", "m", "n", "m.a", "m.n.a", "n.b", "m.n", ".a", "missing"]
    let sectionNames = ["a", "b", "c", "m", "n", "l", "k", "m.n", "m.l", ".", "missing"]
    let lists: Set<String> = ["l", "k", "m.l"]

    mutating func template(depth: Int, partials: [String], dotIsSafe: Bool) -> String {
        var delimiters = ("{{", "}}")
        return block(depth: depth, partials: partials, delimiters: &delimiters, dotIsSafe: dotIsSafe)
    }

    private mutating func block(depth: Int, partials: [String], delimiters: inout (String, String), dotIsSafe: Bool) -> String {
        var text = ""
        for _ in 0..<random.int(in: 0...8) {
            let (open, close) = delimiters
            let lead = pick(["", "", "\n", "  ", "\n  ", "\t", "x "])
            let trail = pick(["", "", "\n", " \n", "  ", "\r\n", " y"])
            switch random.below(12) {
            case 0, 1: text += pick(["x", "yz", " ", "  ", "\t", "\n", "\r\n", "é", "<b>", "{", "}", "a{b", "— ", "\n\n", "\r"])
            case 2, 3:
                let name = dotIsSafe && random.chance(0.15) ? "." : pick(valueNames)
                let spaced = random.chance(0.3) ? " \(name) " : name
                switch random.below(3) {
                case 0: text += lead + open + spaced + close + trail
                case 1: text += lead + open + "&" + spaced + close + trail
                default: text += lead + open + "{" + spaced + close + "}" + trail
                }
            case 4, 5, 6:
                guard depth < 4 else { continue }
                let name = pick(sectionNames)
                let inverted = random.chance(0.35)
                var inner = delimiters
                let body = block(
                    depth: depth + 1, partials: partials, delimiters: &inner,
                    dotIsSafe: dotIsSafe && !(inverted && (lists.contains(name) || name == ".")))
                text += lead + open + (inverted ? "^" : "#") + name + close + pick(["", "\n", "  \n"]) + body
                text += pick(["", "\n", "  "]) + inner.0 + "/" + name + inner.1 + trail
            case 7: text += lead + open + pick(["! note ", "!", "!multi\nline", "!{"]) + close + trail
            case 8:
                guard let partial = partials.isEmpty ? nil : pick(partials) else { continue }
                text += lead + open + pick([">", "> ", ">  "]) + partial + pick(["", " "]) + close + trail
            case 9:
                let next = pick([("{{", "}}"), ("<%", "%>"), ("[[", "]]"), ("{{", "}}")])
                text += lead + open + "=" + next.0 + " " + next.1 + "=" + close + trail
                delimiters = next
            default: text += pick(["\n", "text\n", "  \n", "line\r\n"])
            }
        }
        return text
    }

    /// One character deleted, inserted or changed.
    mutating func damaged(_ text: String) -> String {
        var characters = Array(text)
        let index = random.below(characters.count + 1)
        let insert = pick(Array("{}#/^!=&> x\n"))
        switch random.below(3) {
        case 0 where index < characters.count: characters.remove(at: index)
        case 1 where index < characters.count: characters[index] = insert
        default: characters.insert(insert, at: index)
        }
        return String(characters)
    }

    mutating func scalar() -> Any {
        pick(["plain", "<i>&\"'", "", "multi\nline", RawHTML("<b>x</b>"), RawHTML(""), true, false, 0, 42]) as Any
    }

    mutating func map(depth: Int) -> [String: Any] {
        var map: [String: Any] = [:]
        for key in ["a", "b", "c"] where random.chance(0.6) { map[key] = scalar() }
        if depth < 2, random.chance(0.5) { map["n"] = self.map(depth: depth + 1) }
        if depth < 2, random.chance(0.3) { map["l"] = list(depth: depth + 1) }
        return map
    }

    mutating func list(depth: Int) -> Any {
        let count = random.int(in: 0...3)
        if random.chance(0.6) { return (0..<count).map { _ in map(depth: depth + 1) } }
        return (0..<count).map { _ in pick(["one", "", "<two>", RawHTML("<i>3</i>")] as [Any]) } as [Any]
    }

    mutating func context() -> [String: Any] {
        var context: [String: Any] = [:]
        for key in ["a", "b", "c"] where random.chance(0.7) { context[key] = scalar() }
        for key in ["m", "n"] where random.chance(0.7) { context[key] = random.chance(0.8) ? map(depth: 0) : scalar() }
        for key in ["l", "k"] where random.chance(0.7) { context[key] = list(depth: 0) }
        return context
    }

    /// A context with the names the shipped templates use, each present or not, as text, a flag or a list.
    mutating func siteContext() -> [String: Any] {
        let names = [
            "title", "summary", "description", "canonical", "stylesheet", "kind", "home_href", "search_href", "page_title",
            "content", "body", "entry", "bands", "code", "domain", "descriptor", "href", "handout", "handout_href", "css",
            "changes_href", "has_breadcrumbs", "has_capabilities", "has_next", "has_previous", "has_routes", "has_settings",
        ]
        var context: [String: Any] = [:]
        for name in names where random.chance(0.7) {
            context[name] = pick([scalar(), RawHTML("<p>Some <em>markup</em></p>\n"), true, false] as [Any])
        }
        for name in ["nav", "breadcrumbs", "footer_pages", "capabilities", "next", "previous", "routes", "settings", "roles"]
        where random.chance(0.7) {
            context[name] = (0..<random.int(in: 0...3)).map { _ in
                ["title": "T <\(random.below(9))>", "href": "a/b.html", "current": random.chance(0.3), "stage": "S"] as [String: Any]
            }
        }
        if random.chance(0.8) {
            context["site"] = ["name": "Site", "title": "Framework", "banner": random.chance(0.5) ? "Draft." : "", "status": "draft"]
        }
        return context
    }
}

/// The adapter the site gave swift-mustache (see `TemplateValue`), except that a map in a variable tag writes
/// nothing, as `TemplateRenderer` does, instead of its Swift type name.
final class OracleMap: MustacheParent, MustacheCustomRenderable {
    let values: [String: Any]
    init(_ values: [String: Any]) { self.values = values }
    func child(named name: String) -> Any? { values[name].flatMap(Self.prepared) }
    var renderText: String { "" }
    var isNull: Bool { false }

    static func prepared(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text.isEmpty ? nil : OracleText(HTML.escape(text))
        case let raw as RawHTML: return raw.html.isEmpty ? nil : OracleText(raw.html)
        case let nested as [String: Any]: return OracleMap(nested)
        case let list as [[String: Any]]: return list.map(OracleMap.init)
        case let list as [Any]: return list.map { prepared($0) ?? OracleText("") }
        default: return value
        }
    }
}

struct OracleText: MustacheCustomRenderable, MustacheParent {
    let text: String
    init(_ text: String) { self.text = text }
    var renderText: String { text }
    var isNull: Bool { false }
    func child(named: String) -> Any? { nil }
}
