import Foundation
import Testing

@testable import CareerSite

@Suite struct SearchIndexTests {
    @Test func theTinyFrameworkGivesThisExactScript() {
        let expected =
            #"window.CAREERS_SEARCH_INDEX = ["#
            + #"{"k":"stage","t":"Entry","u":"stages/entry.html","s":"First.","x":"Level 3; Band 3; Band 4"},"#
            + #"{"k":"stage","t":"Advanced","u":"stages/advanced.html","s":"Second.","x":""},"#
            + #"{"k":"domain","t":"Clinical","u":"domains/clinical.html","s":"Clinical work.","x":""},"#
            + #"{"k":"capability","t":"Assessment","u":"capabilities/assessment.html","s":"Assessing.","#
            + #""x":"CL1; Observes \u0026 records.; Diagnoses; leads \u201cothers\u201d."},"#
            + #"{"k":"capability","t":"Triage","u":"capabilities/triage.html","s":"Sorting.","x":"Sorts."},"#
            + #"{"k":"profession","t":"Nursing","u":"professions/nursing.html","s":"Nurses.","x":"NMC"},"#
            + #"{"k":"role","t":"Nurse","u":"roles/nurse.html","s":"A nurse.","x":"Entry; Nursing; community; general practice; Band 5"},"#
            + #"{"k":"role","t":"Lead nurse","u":"roles/lead-nurse.html","s":"Leads.","x":"Advanced; Nursing"},"#
            + #"{"k":"route","t":"Nursing route","u":"routes/nursing.html","s":"Up.","x":"Nurse; Lead nurse"},"#
            + #"{"k":"page","t":"About","u":"pages/about.html","s":"","x":""}"#
            + "];\n"
        #expect(SearchIndex.script(for: ExportFixtures.tiny()) == expected)
    }

    @Test func theSameFrameworkAlwaysGivesTheSameScript() throws {
        #expect(SearchIndex.script(for: ExportFixtures.tiny()) == SearchIndex.script(for: ExportFixtures.tiny()))
        let first = try #require(try ExportFixtures.loaded())
        let second = try #require(try ExportFixtures.loaded())
        #expect(SearchIndex.script(for: first) == SearchIndex.script(for: second))
    }

    @Test func textCannotBreakOutOfTheScript() throws {
        let title = "</script><script>alert(\"x\")</script> <!-- \\ & \u{2028}\u{2029}\u{0}\t😀 Café"
        let script = SearchIndex.script(for: ExportFixtures.tiny(roleTitle: title))
        #expect(
            script.contains(
                #""t":"\u003c/script\u003e\u003cscript\u003ealert(\"x\")\u003c/script\u003e \u003c!-- \\ \u0026 \u2028\u2029\u0000\t\ud83d\ude00 Caf\u00e9""#
            ))
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}", "\u{0}"] { #expect(!script.contains(forbidden)) }
        #expect(script.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(script.hasPrefix("window.CAREERS_SEARCH_INDEX = ["))
        #expect(script.hasSuffix("];\n"))
        #expect(script.filter { $0 == "\n" }.count == 1)

        // The JSON part is valid, and gives back the text as it was.
        let json = script.dropFirst("window.CAREERS_SEARCH_INDEX = ".count).dropLast(2)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]])
        #expect(entries.first { $0["u"] == "roles/nurse.html" }?["t"] == title)
        #expect(entries.allSatisfy { $0.keys.sorted() == ["k", "s", "t", "u", "x"] })
    }

    @Test func entriesComeInKindOrderThenDisplayOrder() {
        let entries = SearchIndex.entries(for: ExportFixtures.tiny())
        #expect(entries.map(\.kind) == [.stage, .stage, .domain, .capability, .capability, .profession, .role, .role, .route, .page])
        #expect(entries.map(\.url).first == "stages/entry.html")
    }

    /// Descriptors go through the real Markdown renderer: tags, link placeholders and entities must not leak.
    @Test func descriptorsFromContentArePlainText() throws {
        let framework = try #require(
            try ExportFixtures.loaded([
                "capabilities/assessment.md":
                    "---\ntitle: Assessment\ncode: CL1\ndomain: clinical\nsummary: Assessing.\nlevels:\n  entry: \"Observes & *records* \\\"well\\\" <b>x</b>\"\n  advanced: \"[Leads](role:lead-nurse) others' work\"\n---\nBody text is not indexed.\n"
            ]))
        let entry = try #require(SearchIndex.entries(for: framework).first { $0.kind == .capability })
        #expect(entry.extra == "CL1; Observes & records “well” x; Leads others’ work")
        let script = SearchIndex.script(for: framework)
        #expect(!script.contains("x-careers"))
        #expect(!script.contains("not indexed"))
    }

    @Test func pagesWithoutASummaryHaveAnEmptyOne() {
        let page = SearchIndex.entries(for: ExportFixtures.tiny()).last
        #expect(page == SearchIndex.Entry(kind: .page, title: "About", url: "pages/about.html", summary: "", extra: ""))
    }

    @Test func jsonStringsEscapeControlCharactersAndAstralCharacters() {
        #expect(JSONValue.quote("a\"b\\c\n\r\t\u{8}\u{C}\u{1}\u{1F}\u{7F}") == #""a\"b\\c\n\r\t\b\f\u0001\u001f\u007f""#)
        #expect(JSONValue.quote("é😀") == "\"é😀\"")
        #expect(JSONValue.quote("é😀", asciiOnly: true) == #""\u00e9\ud83d\ude00""#)
        #expect(JSONValue.quote("</script>&") == #""\u003c/script\u003e\u0026""#)
        let value = JSONValue.object([("b", .int(1)), ("a", .array([.null, .bool(true), .object([])])), ("c", .array([]))])
        #expect(value.compact() == #"{"b":1,"a":[null,true,{}],"c":[]}"#)
    }

    @Test func aLazyArrayIsWrittenAsTheSameArrayWouldBe() {
        let items: [JSONValue] = [.int(1), .string("<x>"), .object([("k", .array([.null]))]), .array([])]
        for (count, eager) in [(0, JSONValue.array([])), (items.count, .array(items))] {
            let lazy = JSONValue.lazyArray(count: count) { items[$0] }
            let wrapped = JSONValue.object([("list", lazy)])
            let wrappedEager = JSONValue.object([("list", eager)])
            #expect(lazy.compact() == eager.compact())
            #expect(wrapped.pretty(indent: 2) == wrappedEager.pretty(indent: 2))
            #expect(wrapped.compact(asciiOnly: true) == wrappedEager.compact(asciiOnly: true))
        }
        #expect(JSONValue.lazyArray(count: 2) { .int($0) }.pretty() == "[\n  0,\n  1\n]")
    }
}
