import Foundation
import Testing

@testable import CareerSite

/// The rules of `TemplateParser` and `TemplateRenderer`, one at a time (`MustacheOracleTests` compares them
/// with swift-mustache on random templates).
@Suite struct TemplateEngineTests {
    func render(_ text: String, _ context: TemplateContext, partials: [String: String] = [:]) throws -> String {
        var library = ["main": try TemplateParser.parse(text)]
        for (name, partial) in partials { library[name] = try TemplateParser.parse(partial) }
        return TemplateRenderer.render("main", library: library, context: context)
    }

    /// A context keeps its names in the order they were first set; setting a name again replaces its value in
    /// place, setting it to nil removes it, and `adding` keeps this map's values over the other's. A lookup with
    /// a name's hash finds only that name, never another name with the same hash.
    @Test func aTemplateMapIsAnOrderedMapOfNames() {
        var map: TemplateContext = ["b": "1", "a": "2", "b ": "3", "a": "4"]
        #expect(map.keys == ["b", "a", "b "])
        #expect(map["a"] as? String == "4", "a later value in a literal replaces an earlier one")
        map["b"] = 5
        map["c"] = true
        map["b "] = nil
        map["missing"] = nil
        #expect(map.keys == ["b", "a", "c"])
        #expect(map["b"] as? Int == 5)
        #expect(map["b "] == nil)
        #expect(map.count == 3 && !map.isEmpty && TemplateContext().isEmpty)
        #expect(map.map(\.key) == ["b", "a", "c"])
        let added = map.adding(["c": false, "d": "new", "a": "other"])
        #expect(added.keys == ["b", "a", "c", "d"])
        #expect(added["c"] as? Bool == true && added["a"] as? String == "4" && added["d"] as? String == "new")
        guard case .text("4") = map.shown(for: "a", hash: TemplateMap.hash("a")) else {
            Issue.record("a lookup by name and hash finds the name")
            return
        }
        #expect(map.shown(for: "a", hash: TemplateMap.hash("b")) == nil)
        #expect(map.shown(for: "z", hash: TemplateMap.hash("a")) == nil, "the same hash is not the same name")
        // What a template sees follows the value when it is replaced: empty text counts as absent.
        map["a"] = ""
        #expect(map.shown(for: "a", hash: TemplateMap.hash("a")) == nil && map["a"] as? String == "")
        map["a"] = 7
        guard case .int(7) = map.shown(for: "a", hash: TemplateMap.hash("a")) else {
            Issue.record("a replaced value is what a template sees")
            return
        }
        // Values read back are seen by a template as the ones set were.
        let kinds: TemplateContext = [
            "html": RawHTML("<b>"), "words": ["x", "y"], "n": 3, "maps": [TemplateContext(), TemplateContext()],
        ]
        #expect((kinds["html"] as? RawHTML)?.html == "<b>" && kinds["n"] as? Int == 3 && (kinds["maps"] as? [TemplateContext])?.count == 2)
        guard case .list(let words) = kinds["words"]?.templateValue, case .text("y") = words.last, words.count == 2 else {
            Issue.record("a list of text reads back as that list")
            return
        }
        // Lists of maps and of values, empty or not, are named with whether they are empty; nothing else is.
        let lists: TemplateContext = [
            "maps": [TemplateContext()], "none": [TemplateContext](), "words": ["x"], "no_words": [String](), "text": "x", "flag": true,
            "map": TemplateContext(),
        ]
        #expect(lists.lists.map(\.key) == ["maps", "none", "words", "no_words"])
        #expect(lists.lists.map(\.isEmpty) == [false, true, false, true])
        #expect(TemplateMap.hash("") == Int(truncatingIfNeeded: 0xcbf2_9ce4_8422_2325 as UInt64))
        #expect(TemplateMap.hash("a") != TemplateMap.hash("b") && TemplateMap.hash("ab") != TemplateMap.hash("ba"))
    }

    /// Templates are laid out flat for rendering: a section's children follow it up to its `end`, text is a range
    /// of one buffer, and a partial names its template by index (-1 for a template that does not exist).
    @Test func templatesAreLaidOutFlatForRendering() throws {
        let program = TemplateProgram(library: [
            "main": try TemplateParser.parse("a{{#s}}b{{x.y}}{{/s}}{{^t}}c{{/t}}{{> p}}{{> missing}}"),
            "p": try TemplateParser.parse("{{.}}d"),
        ])
        let kinds = program.operations.map(\.kind)
        #expect(kinds == [.text, .section, .text, .variable, .invertedSection, .text, .partial, .partial, .variable, .text])
        #expect(program.template(named: "main") == 0..<8 && program.template(named: "p") == 8..<10)
        #expect(program.template(named: "q") == nil)
        #expect(program.operations[1].second == 4 && program.operations[4].second == 6, "sections end after their children")
        #expect(program.operations[6].first == 1 && program.operations[7].first == -1)
        #expect(String(decoding: program.text, as: UTF8.self) == "abcd")
        let names = program.names.map { program.nameParts[$0.parts].map(\.key) }
        #expect(names == [["s"], ["x", "y"], ["t"], []])
        #expect(program.nameParts.map(\.hash) == ["s", "x", "y", "t"].map(TemplateMap.hash))
        #expect(program.names.map(\.anchored) == [false, false, false, true])
        let context: TemplateContext = ["s": ["x": ["y": "<y>"] as TemplateContext] as TemplateContext, "t": false]
        #expect(TemplateRenderer.renderData("main", program: program, context: context) == Data("ab&lt;y&gt;cd".utf8))
    }

    @Test func aSectionOrCommentTagAloneOnItsLineLeavesNoTrace() throws {
        let text = "a\n  {{#flag}}  \nb\n  {{! note }}\n  {{/flag}}\r\nc {{#flag}}d{{/flag}}\n"
        #expect(try render(text, ["flag": true]) == "a\nb\nc d\n")
        #expect(try render(text, ["flag": false]) == "a\nc \n")
    }

    @Test func anIndentedPartialAloneOnItsLineIndentsEachLine() throws {
        let partials = ["item": "<li>\n{{#names}}{{.}}{{/names}}\n</li>\n"]
        #expect(try render("<ul>\n  {{> item}}\n</ul>", ["names": ["x", "y"]], partials: partials) == "<ul>\n  <li>\n  xy\n  </li>\n</ul>")
        #expect(
            try render("<ul>{{> item}}</ul>", ["names": ["x"]], partials: partials) == "<ul><li>\nx\n</li>\n</ul>",
            "not alone: no indentation")
        #expect(try render("[{{> nowhere}}]", [:]) == "[]", "a missing partial writes nothing (TemplateSet reports it)")
    }

    @Test func newDelimitersLastUntilTheEndOfTheSectionTheyAreSetIn() throws {
        #expect(try render("{{#s}}{{=<% %>=}}<%a%>{{a}}<%/s%>{{a}}", ["s": true, "a": "1"]) == "1{{a}}1")
        // swift-mustache stopped with a precondition failure on a section inside one-character delimiters.
        #expect(try render("{{=[ ]=}}[#s]in[/s]", ["s": true]) == "in")
    }

    @Test func emptyTextCountsAsMissingAndIsLookedUpFurtherOut() throws {
        let context: TemplateContext = ["a": "outer", "m": ["a": "", "b": RawHTML("")] as TemplateContext]
        #expect(try render("{{#m}}{{a}}|{{b}}|{{#a}}yes{{/a}}{{/m}}|{{^m.a}}none{{/m.a}}", context) == "outer||yes|none")
    }

    @Test func dottedNamesLookInsideAndALeadingDotLooksOnlyAtTheCurrentObject() throws {
        let context: TemplateContext = ["b": "root", "m": ["n": ["c": "deep"] as TemplateContext] as TemplateContext]
        #expect(try render("{{m.n.c}}|{{#m}}{{.b}}|{{b}}|{{n.c}}{{/m}}|{{m.b}}", context) == "deep||root|deep|")
    }

    @Test func listsFlagsAndNumbers() throws {
        let context: TemplateContext = [
            "l": ["x", "", "<y>"], "maps": [["t": "1"], ["t": "2"]] as [TemplateContext], "empty": [String](), "zero": 0, "no": false,
            "yes": true,
        ]
        let text =
            "{{#l}}[{{.}}]{{/l}}|{{#maps}}{{t}}{{/maps}}|{{^empty}}none{{/empty}}|{{#zero}}<{{.}}>{{/zero}}|{{^no}}n{{/no}}{{#yes}}y{{/yes}}|{{yes}}"
        #expect(try render(text, context) == "[x][][&lt;y&gt;]|12|none|<0>|ny|true")
        #expect(
            try render("{{maps}}|{{l}}|{{m}}", ["maps": [["t": "1"]] as [TemplateContext], "l": ["x"], "m": ["a": "b"] as TemplateContext])
                == "||", "lists and maps write nothing")
    }

    @Test func lazyMapsShowAsTheirMapsWouldAndAreMadeOnlyWhenShown() throws {
        let maps: [TemplateContext] = [["t": "1"], ["t": "<2>"], ["u": "x"]]
        var made = 0
        let lazy = LazyMaps(maps) { map -> TemplateContext in
            made += 1
            return map
        }
        let text = "{{#l}}[{{t}}|{{u}}|{{top}}]{{/l}}|{{^l}}none{{/l}}|{{l}}|{{#e}}x{{/e}}{{^e}}empty{{/e}}"
        let eager = try render(text, ["l": maps, "e": [TemplateContext](), "top": "T"])
        #expect(eager == "[1||T][&lt;2&gt;||T][|x|T]|||empty")
        #expect(try render(text, ["l": lazy, "e": LazyMaps(count: 0) { _ in [:] }, "top": "T"]) == eager)
        #expect(made == 3, "each map is made once, when the section shows it")
        made = 0
        #expect(try render("{{^l}}none{{/l}}{{l}}", ["l": lazy]) == "")
        #expect(made == 0, "an inverted section and a variable tag make no map")
    }

    @Test func aDeferredRenderIsWrittenInPlaceWithItsOwnContext() throws {
        var library = [
            "main": try TemplateParser.parse("<main>\n{{{content}}}\n</main>{{#flag}}!{{/flag}}"),
            "inner": try TemplateParser.parse("<p>{{title}}|{{flag}}</p>\n{{#items}}{{.}}{{/items}}"),
            "indented": try TemplateParser.parse("<div>\n  {{> wrap}}\n</div>"),
            "wrap": try TemplateParser.parse("{{{content}}}\n{{{content}}}\n"),
        ]
        let inner: TemplateContext = ["title": "A&B", "items": ["x", "y"]]
        let deferred = DeferredRender(name: "inner", context: inner)
        let rendered = RenderedHTML(TemplateRenderer.renderData("inner", library: library, context: inner))
        for name in ["main", "indented"] {
            let inPlace = TemplateRenderer.render(name, library: library, context: ["content": deferred, "flag": true, "title": "outer"])
            let asBytes = TemplateRenderer.render(name, library: library, context: ["content": rendered, "flag": true, "title": "outer"])
            #expect(inPlace == asBytes, "\(name)")
        }
        #expect(
            TemplateRenderer.render("main", library: library, context: ["content": deferred, "flag": true, "title": "outer"])
                == "<main>\n<p>A&amp;B|</p>\nxy\n</main>!", "the inner template sees only its own context")
        library["inner"] = nil
        #expect(TemplateRenderer.render("main", library: library, context: ["content": deferred]) == "<main>\n\n</main>")
    }

    /// Drained output, joined, is the output made without draining, including where a partial indents its lines
    /// around a deferred render whose output is several times the point at which the renderer drains.
    @Test func drainingTakesTheOutputAsItIsMade() throws {
        let library = [
            "main": try TemplateParser.parse("<ol>\n{{#rows}}<li>{{n}}</li>\n{{/rows}}</ol>\n  {{> part}}\n{{{content}}}end"),
            "part": try TemplateParser.parse("<p>\n{{{content}}}\n</p>\n"),
            "inner": try TemplateParser.parse("{{#rows}}{{n}}\n{{/rows}}"),
        ]
        let rows: [TemplateContext] = (0..<20_000).map { ["n": "row \($0)"] }
        let context: TemplateContext = ["rows": rows, "content": DeferredRender(name: "inner", context: ["rows": rows])]
        let whole = TemplateRenderer.renderData("main", library: library, context: context)
        var drained: [UInt8] = []
        var calls = 0
        let rest = TemplateRenderer.renderData("main", library: library, context: context) { sink in
            calls += 1
            drained += sink.withBytes { Array($0) }
            sink.removeFirst(sink.count)
        }
        #expect(calls > 5)
        #expect(rest.count < whole.count / 2)
        let joined = drained + Array(rest)
        let same = joined == Array(whole)
        #expect(same, "the drained bytes and the rest differ from the whole")
        #expect(String(decoding: whole, as: UTF8.self).contains("<p>\n  row 0\nrow 1\n"))
    }

    @Test func syntaxErrorsSayWhatIsWrongAtTheTag() {
        let cases: [(String, String, Int, Int)] = [
            ("a\n{{#s}}\nb", "a section is opened but never closed ('s')", 2, 1),
            ("{{/s}}", "'s' is closed but was never opened", 1, 1),
            ("x {{#s}}{{/t}}", "a section is closed with a different name than it was opened with", 1, 9),
            ("x {{name", "a tag is not closed ('}}' missing)", 1, 3),
            ("é {{#a}}", "a section is opened but never closed ('a')", 1, 3),
            ("{{café}}", "'é' cannot be part of a tag's name", 1, 1),
            ("{{{name}}", "a tag is not closed ('}}' missing)", 1, 1),
            ("\n{{! open", "a comment is not closed ('}}' missing)", 2, 1),
            ("{{=<%}}", "invalid set-delimiter tag", 1, 1),
            ("{{upper(name)}}", "transforms such as 'upper(name)' are not supported", 1, 1),
            ("{{<parent}}{{/parent}}", "template inheritance ('{{<name}}' and '{{$name}}') is not supported", 1, 1),
            ("{{% CONTENT_TYPE: TEXT}}", "pragmas ('{{%…}}') are not supported", 1, 1),
            ("{{>*dynamic}}", "dynamic partials ('{{>*name}}') are not supported", 1, 1),
        ]
        for (text, message, line, column) in cases {
            #expect(throws: TemplateSyntaxError(message: message, line: line, column: column), "\(text)") {
                _ = try TemplateParser.parse(text)
            }
        }
    }

    @Test func aTemplateSetReportsEverySyntaxErrorWithItsFile() {
        var templates = TemplateSetTests.minimal
        templates["role"] = "{{#a}}"
        templates["partials/item"] = "ok\n{{/b}}"
        #expect {
            _ = try TemplateSet(templates: templates)
        } throws: { error in
            (error as? DiagnosticsError)?.diagnostics.map(\.description) == [
                "Templates/partials/item.mustache:2:1: error: template syntax error: 'b' is closed but was never opened",
                "Templates/role.mustache:1:1: error: template syntax error: a section is opened but never closed ('a')",
            ]
        }
    }
}
