import Foundation
import Testing

@testable import CareerSite

@Suite struct InlineStylesheetTests {
    private func pruned(_ css: String, for html: String) -> String {
        let sheet = InlineStylesheet(css)
        return Array(html.utf8).withUnsafeBufferPointer { sheet.pruned(for: $0) }
    }

    private let css = """
        /* site styles */
        body { margin: 0;   color: #222; }
        .site-header, .site-nav a { background: blue; }
        .facts dt,
        .absent > p { font-weight: 700; }
        #main-content:focus { outline: none; }
        li:not(.hidden) { margin: 0 }
        a[href$=".pdf"]::after { content: " (PDF)"; }
        .card.wide { grid-column: 1 / -1; }
        @media print {
          .site-header { display: none; }
          .facts dd { margin: 0; }
        }
        @media (max-width: 40rem) { .site-nav { display: block; } }
        @page { size: A4; @bottom-right { content: "Page " counter(page); } }
        @font-face { font-family: "X"; src: local("X"); }
        @keyframes fade { 0.5% { opacity: 0; } }
        """

    /// A rule stays when any of its selectors can match: every class that selector needs is in the document.
    @Test func rulesThatNeedAnAbsentClassAreLeftOut() {
        let html = #"<body class="handout"><dl class="facts"><dt>Stage</dt></dl><div class="card"></div></body>"#
        #expect(
            pruned(css, for: html)
                == "body{margin: 0;color: #222;}.facts dt,.absent > p{font-weight: 700;}#main-content:focus{outline: none;}"
                + #"li:not(.hidden){margin: 0}a[href$=".pdf"]::after{content: " (PDF)";}@media print{.facts dd{margin: 0;}}"#
                + #"@page{size: A4;@bottom-right{content: "Page " counter(page);}}@font-face{font-family: "X";src: local("X");}"#
                + "@keyframes fade{0.5%{opacity: 0;}}")
        let both = #"<div class="card wide"></div><header class="site-header"></header>"#
        let kept = pruned(css, for: both)
        #expect(kept.contains(".card.wide{grid-column: 1 / -1;}"))
        #expect(kept.contains(".site-header,.site-nav a{background: blue;}"))
        #expect(kept.contains("@media print{.site-header{display: none;}}"))
        #expect(!kept.contains("@media (max-width: 40rem)"), "a group with no rule left goes too")
    }

    /// `whole` is the stylesheet with only comments and extra white space gone; so is a document with every class.
    /// One stylesheet cuts itself down for many documents and keeps each result by the set of classes: every
    /// document still gets what a stylesheet of its own would give it, in whatever order they come.
    @Test func aSharedStylesheetGivesEachDocumentItsOwnRules() {
        let sheet = InlineStylesheet(css)
        let documents = [
            #"<div class="card wide"></div>"#, #"<header class="site-header"></header>"#, #"<div class="card wide"></div>"#,
            #"<dl class="facts"></dl>"#, "<p>No classes</p>", #"<header class="site-header"></header>"#,
        ]
        var results: [String] = []
        for html in documents {
            let shared = Array(html.utf8).withUnsafeBufferPointer { sheet.pruned(for: $0) }
            #expect(shared == pruned(css, for: html), "\(html)")
            results.append(shared)
        }
        #expect(results[0].contains(".card.wide{") && !results[0].contains(".site-header"))
        #expect(results[1].contains(".site-header,.site-nav a{") && !results[1].contains(".card.wide"))
        #expect(Set(results).count == 4)
    }

    @Test func theWholeStylesheetKeepsEveryRule() {
        let sheet = InlineStylesheet(css)
        let every = #"<p class="site-header site-nav facts absent hidden card wide"></p>"#
        #expect(pruned(css, for: every) == sheet.whole)
        #expect(sheet.whole.hasPrefix("body{margin: 0;color: #222;}.site-header,.site-nav a{background: blue;}"))
        #expect(sheet.whole.contains("@media (max-width: 40rem){.site-nav{display: block;}}"))
        #expect(!sheet.whole.contains("/*") && !sheet.whole.contains("\n"))
    }

    /// Strings are copied as they are, comment markers and runs of spaces in them included; a comment between two
    /// names would join them, so such a stylesheet is kept as written.
    @Test func stringsAndEscapesAreKeptAsWritten() {
        let quoted = #"p::before { content: "/* not a comment */  two  spaces"; } .a\:b { color: red; } .x { content: 'it\'s' }"#
        let kept = pruned(quoted, for: "<p></p>")
        #expect(kept == #"p::before{content: "/* not a comment */  two  spaces";}.a\:b{color: red;}"#)
        let joined = "p { margin: 1px/**/solid; }"
        #expect(pruned(joined, for: "<p></p>") == joined)
        #expect(InlineStylesheet(joined).whole == joined)
    }

    /// Anything it does not parse as expected is inlined whole, exactly as written.
    @Test func aStylesheetItCannotParseIsKeptWhole() {
        for broken in [
            ".a { color: red; ", ".a { color: red; } }", ".a { content: \"open }", ".a { color: red; } /* open", ".a ( { }",
            "p { margin: 1px/**/solid; }",
        ] {
            #expect(pruned(broken, for: "<p></p>") == broken, "\(broken)")
        }
    }

    /// The document's classes are read from its `class` attributes, in any case; one that cannot be read for sure
    /// (not in double quotes, or with a character reference) keeps the whole stylesheet.
    @Test func classesAreReadFromClassAttributesOnly() {
        let sheet = ".facts { a: b } .note { c: d }"
        #expect(pruned(sheet, for: #"<p CLASS = "facts">class="note" in text</p>"#) == ".facts{a: b}")
        #expect(pruned(sheet, for: #"<p data-class="note" class="facts"></p>"#) == ".facts{a: b}")
        #expect(pruned(sheet, for: "<p class='note'></p>") == ".facts{a: b}.note{c: d}")
        #expect(pruned(sheet, for: "<p class=note></p>") == ".facts{a: b}.note{c: d}")
        #expect(pruned(sheet, for: #"<p class="a&amp;b"></p>"#) == ".facts{a: b}.note{c: d}")
        #expect(pruned(sheet, for: "<p>No classes at all.</p>") == "")
    }
}
