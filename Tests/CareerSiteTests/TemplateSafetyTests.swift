import Foundation
import Testing

@testable import CareerSite

/// Template problems: a misspelt variable (a warning naming it), a missing partial (an error at its tag).
@Suite struct TemplateSafetyTests {
    /// The shipped templates copied to a temporary folder, with one file changed.
    func templates(changing name: String, _ edit: (String) -> String) throws -> (site: TestSite, options: BuildOptions) {
        let site = try TestSite()
        let copy = site.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: TestSite.templates, to: copy)
        let file = copy.appendingPathComponent(name)
        try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        var options = site.options
        options.templates = copy
        return (site, options)
    }

    @Test func aMisspeltVariableIsAWarningAtItsTag() throws {
        let (site, options) = try templates(changing: "role.mustache") {
            $0.replacingOccurrences(of: "<p class=\"lede\">{{summary}}</p>", with: "<p class=\"lede\">{{sumary}}</p>")
        }
        defer { site.remove() }
        let expected = [
            "Templates/role.mustache:3:17: warning: 'sumary' is not provided to this template, so it renders as nothing (did you mean 'summary'?)"
        ]
        #expect(SiteBuilder.check(options).diagnostics.map(\.description) == expected)
        let build = SiteBuilder.build(options)
        #expect(build.succeeded)
        #expect(build.diagnostics.map(\.description) == expected)
    }

    @Test func aMissingPartialIsAnErrorAtItsTag() throws {
        let (site, options) = try templates(changing: "role.mustache") {
            $0.replacingOccurrences(of: "{{> route-list}}", with: "{{> route-lists}}")
        }
        defer { site.remove() }
        let expected = [
            "Templates/role.mustache:48:1: error: missing partial 'route-lists': no file 'Templates/partials/route-lists.mustache' (did you mean 'route-list'?)"
        ]
        #expect(SiteBuilder.check(options).diagnostics.map(\.description) == expected)
        #expect(SiteBuilder.build(options).diagnostics.map(\.description) == expected)
        #expect(!FileManager.default.fileExists(atPath: site.output.path), "nothing is written")
    }

    @Test func namesUsedOnlyAsSectionsAreOptionalAndNestedKeysCount() throws {
        var texts = TemplateSetTests.minimal
        texts["role"] = "{{#optional}}{{optional}}{{/optional}}{{#roles}}{{title}}{{/roles}}\n{{missing}} {{{raw}}} {{! note }}"
        let set = try TemplateSet(templates: texts)
        _ = set.render("role", ["roles": [["title": ""]] as [TemplateContext], "raw": "", "optional_not_here": 1])
        #expect(
            set.unknownNameWarnings().map(\.description) == [
                "Templates/role.mustache:2:1: warning: 'missing' is not provided to this template, so it renders as nothing"
            ])
    }

    /// A name any context had is not warned about; for one that none had, the suggestion comes from the keys of
    /// every context, including one that gave a name only once.
    @Test func warningsLookAtEveryContextTheTemplateWasRenderedWith() throws {
        var texts = TemplateSetTests.minimal
        texts["role"] = "{{title}} {{sumary}} {{extra}}"
        let set = try TemplateSet(templates: texts)
        _ = set.render("role", ["title": "a", "extra": "e"])
        _ = set.render("role", ["title": "b", "summary": "s"])
        _ = set.render("role", ["title": "c", "extra": "f"])
        #expect(
            set.unknownNameWarnings().map(\.description) == [
                "Templates/role.mustache:1:11: warning: 'sumary' is not provided to this template, so it renders as nothing (did you mean 'summary'?)"
            ])
    }

    @Test func tagsAreFoundWithTheirPositions() {
        #expect(
            TagReference.scan("a {{x}}\n  {{{y}}} {{& z }}{{#s}}{{/s}}{{> p}}{{!c}}")
                == [
                    TagReference(name: "x", line: 1, column: 3), TagReference(name: "y", line: 2, column: 3),
                    TagReference(name: "z", line: 2, column: 11), TagReference(name: "s", line: 2, column: 19, isSection: true),
                    TagReference(name: "p", line: 2, column: 31, isPartial: true),
                ])
        // Columns count Unicode scalars; a line break inside a tag moves the line on but not the line start; a name
        // is trimmed of Unicode spaces and tabs (not line breaks); a template that sets delimiters is not scanned.
        #expect(
            TagReference.scan("é {{x}}\n{{#a\n}}{{y}}{{\u{A0}z }}")
                == [
                    TagReference(name: "x", line: 1, column: 3), TagReference(name: "a\n", line: 2, column: 1, isSection: true),
                    TagReference(name: "y", line: 3, column: 8, depth: 1), TagReference(name: "z", line: 3, column: 13, depth: 1),
                ])
        #expect(TagReference.scan("{{x}}{{=<% %>=}}").isEmpty)
    }
}
