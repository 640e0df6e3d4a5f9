import Testing

@testable import CareerSite

@Suite struct YAMLReaderTests {
    @Test func keepsLineAndColumnOfKeysAndValues() throws {
        let node = try #require(try YAMLReader.parse("title: A\nlevels:\n  entry: Observes", path: "x.md", firstLine: 2).get())
        guard case .mapping(let entries, _) = node else {
            Issue.record("expected a map")
            return
        }
        #expect(entries[0].keyLocation == SourceLocation(path: "x.md", line: 2, column: 1))
        #expect(entries[0].value.location == SourceLocation(path: "x.md", line: 2, column: 8))
        guard case .mapping(let levels, _) = entries[1].value else {
            Issue.record("expected levels map")
            return
        }
        #expect(levels[0].value.location == SourceLocation(path: "x.md", line: 4, column: 10))
    }

    @Test func syntaxErrorsArePositioned() {
        let result = YAMLReader.parse("title: \"unclosed\nsummary: x", path: "x.md", firstLine: 2)
        guard case .failure(let diagnostic) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(diagnostic.location?.path == "x.md")
        #expect(diagnostic.message.hasPrefix("invalid YAML: "))
    }

    @Test func duplicateKeysAreErrors() {
        let result = YAMLReader.parse("title: A\ntitle: B", path: "x.md", firstLine: 2)
        guard case .failure(let diagnostic) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(diagnostic.message == "duplicate key 'title' in front matter")
        #expect(diagnostic.location == SourceLocation(path: "x.md", line: 2, column: 1))
        // Keys are text: the same text is a duplicate however it is quoted or tagged.
        for yaml in ["order: 1\n\"order\": 2", "'1': a\n1: b", "!!int 1: a\n1: b", "!!str a: x\nb: y\na: z"] {
            guard case .failure(let diagnostic) = YAMLReader.parse(yaml, path: "x.md", firstLine: 2) else {
                Issue.record("expected a duplicate-key error for \(yaml.debugDescription)")
                continue
            }
            #expect(diagnostic.message.hasPrefix("duplicate key '"), "\(yaml.debugDescription)")
        }
    }

    @Test func aliasExpansionIsBounded() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        guard case .failure(let diagnostic) = YAMLReader.parse(yaml, path: "x.md", firstLine: 2) else {
            Issue.record("expected the alias bomb to be refused")
            return
        }
        #expect(diagnostic.message.hasPrefix("front matter is too large"))
    }
}

@Suite struct FieldReaderTests {
    func reader(_ yaml: String, keys: [String] = ["title", "order", "bands", "levels", "updated", "status"]) throws -> FieldReader {
        let root = try YAMLReader.parse(yaml, path: "x.md", firstLine: 2).get()
        return FieldReader(root: root, path: "x.md", kind: "stage", knownKeys: keys, frontMatterLine: 2)
    }

    @Test func textIsTrimmedOfWhiteSpaceAndLineBreaksAtBothEnds() {
        let cases: [(String, String)] = [
            ("plain", "plain"), (" padded\t", "padded"), ("\nline\r\n", "line"), ("", ""), ("  ", ""),
            ("\u{A0}no-break\u{2003}", "no-break"), ("\u{85}next line", "next line"), ("é", "é"), ("a b", "a b"),
            ("\u{0B}\u{0C}x", "x"), ("x\u{301}", "x\u{301}"),
        ]
        for (text, expected) in cases {
            #expect(FieldReader.trimmed(text) == expected, "\(text.debugDescription)")
            #expect(FieldReader.trimmed(text) == text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func plainScalarsAreTakenExactlyAsWritten() throws {
        for (written, expected) in [("No", "No"), ("1.10", "1.10"), ("2", "2"), ("yes", "yes"), ("~x", "~x"), ("2026-01-01", "2026-01-01")]
        {
            var fields = try reader("title: \(written)")
            #expect(fields.text("title")?.value == expected)
            #expect(fields.diagnostics.isEmpty)
        }
    }

    @Test func integersMustBeWholeNumbers() throws {
        var fields = try reader("order: first")
        #expect(fields.integer("order", required: true) == nil)
        #expect(fields.diagnostics.map(\.description) == ["x.md:2:8: error: 'order' must be a whole number, found 'first'"])
        var quoted = try reader("order: \"3\"")
        #expect(quoted.integer("order") == nil)
        var ranged = try reader("order: 12")
        #expect(ranged.integer("order", in: 1...9) == nil)
        #expect(ranged.diagnostics.map(\.message) == ["'order' must be between 1 and 9, found 12"])
    }

    @Test func listsAndMapsAreNotInterchangeable() throws {
        var fields = try reader("bands: \"6\"\nlevels: [a, b]\ntitle: [A]")
        _ = fields.textList("bands")
        _ = fields.textMap("levels")
        _ = fields.text("title")
        #expect(
            fields.diagnostics.map(\.description) == [
                "x.md:2:8: error: 'bands' must be a list (for example [\"a\", \"b\"]), found a single value",
                "x.md:3:9: error: 'levels' must be a map of 'name: text' lines, found a list",
                "x.md:4:8: error: 'title' must be text, found a list",
            ])
    }

    @Test func unknownKeysNameTheNearestKnownKey() throws {
        let fields = try reader("titel: A")
        #expect(
            fields.diagnostics.map(\.description) == [
                "x.md:2:1: error: unknown key 'titel' in stage (did you mean 'title'?); known keys: title, order, bands, levels, updated, status"
            ])
    }

    @Test func missingRequiredKeysAreReportedAtTheMap() throws {
        var fields = try reader("order: 1")
        _ = fields.text("title", required: true)
        #expect(fields.diagnostics.map(\.description) == ["x.md:2:1: error: missing required key 'title' in stage"])
    }

    @Test func datesMustExistOnTheCalendar() throws {
        var good = try reader("updated: 2024-02-29")
        #expect(good.date("updated")?.value == "2024-02-29")
        var bad = try reader("updated: 2023-02-29")
        #expect(bad.date("updated") == nil)
        #expect(bad.diagnostics.map(\.message) == ["'updated' must be a date written YYYY-MM-DD, found '2023-02-29'"])
    }

    @Test func choicesSuggestTheNearest() throws {
        var fields = try reader("status: drafts")
        #expect(fields.choice("status", from: ["draft", "consultation", "published"]) == nil)
        #expect(
            fields.diagnostics.map(\.message) == [
                "'status' must be one of 'draft', 'consultation', 'published', found 'drafts' (did you mean 'draft'?)"
            ])
    }
}

@Suite struct IdentifierTests {
    @Test func validIds() {
        for id in ["a", "district-nurse", "fcp-physiotherapist", "band7", String(repeating: "a", count: 64)] {
            #expect(IdentifierRules.isValid(id), "\(id)")
        }
        for id in ["", "7up", "-a", "a-", "a--b", "District", "a_b", "é", String(repeating: "a", count: 65), "a.b"] {
            #expect(!IdentifierRules.isValid(id), "\(id)")
        }
    }

    @Test func suggestsAValidId() {
        #expect(IdentifierRules.suggestion(for: "District Nurse") == "district-nurse")
        #expect(IdentifierRules.suggestion(for: "fcp_physio") == "fcp-physio")
        #expect(IdentifierRules.suggestion(for: "ok") == nil)
        #expect(IdentifierRules.suggestion(for: "café") == "cafe")
        #expect(IdentifierRules.suggestion(for: "Société Générale") == "societe-generale")
        #expect(IdentifierRules.suggestion(for: "Straße Ærø") == "strasse-aero")
    }

    @Test func nearestSuggestionIsAPlausibleTypo() {
        #expect(Suggestions.nearest(to: "advnced", in: ["advanced", "enhanced", "consultant"]) == "advanced")
        #expect(Suggestions.nearest(to: "zzzzzz", in: ["advanced", "enhanced"]) == nil)
    }
}
