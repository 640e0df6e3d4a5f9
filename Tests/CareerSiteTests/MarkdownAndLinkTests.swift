import Foundation
import Testing

@testable import CareerSite

@Suite struct MarkdownRendererTests {
    let known: [EntryKind: Set<String>] = [.role: ["district-nurse"], .stage: ["enhanced"], .page: ["about"]]

    func render(_ markdown: String, line: Int = 5, inline: Bool = false) -> (String, [String]) {
        var diagnostics: [Diagnostic] = []
        let html = MarkdownRenderer.render(
            markdown, at: SourceLocation(path: "r.md", line: line), inline: inline, preciseLocations: !inline
        ) {
            LinkRules.rewrite($0, known: known, assets: ["map.png"], diagnostics: &diagnostics)
        }
        return (html, diagnostics.map(\.description))
    }

    @Test func rawHTMLIsNotRendered() {
        let (html, _) = render("<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b>\n")
        #expect(!html.contains("<script"))
        #expect(!html.contains("onclick"))
        #expect(html.contains("raw HTML omitted"))
    }

    @Test func unsafeLinksAreEmptiedWithAWarning() {
        let (html, diagnostics) = render("[x](javascript:alert(1)) [y](data:text/html,hi)\n")
        #expect(html == "<p><a href=\"\">x</a> <a href=\"\">y</a></p>\n")
        #expect(diagnostics == ["r.md:5:5: warning: unsafe javascript: link removed", "r.md:5:30: warning: unsafe data: link removed"])
    }

    @Test func entryLinksBecomePlaceholdersResolvedPerPage() {
        let (html, diagnostics) = render("See [DN](role:district-nurse#pay) and [about](page:about).\n")
        #expect(diagnostics.isEmpty)
        #expect(
            SiteURLs.resolveLinks(in: html, from: "index.html")
                == "<p>See <a href=\"roles/district-nurse.html#pay\">DN</a> and <a href=\"pages/about.html\">about</a>.</p>\n")
        #expect(
            SiteURLs.resolveLinks(in: html, from: "roles/x.html")
                == "<p>See <a href=\"../roles/district-nurse.html#pay\">DN</a> and <a href=\"../pages/about.html\">about</a>.</p>\n")
    }

    /// An entry link becomes the placeholder with only its first `:` made a `/`; a kind is matched exactly.
    @Test func entryLinkPlaceholdersKeepEverythingAfterTheKind() {
        let (html, diagnostics) = render("[a](role:district-nurse#a:b) [b](stage:enhanced)\n")
        #expect(diagnostics.isEmpty)
        #expect(html == "<p><a href=\"x-careers:role/district-nurse#a:b\">a</a> <a href=\"x-careers:stage/enhanced\">b</a></p>\n")
        let (_, empty) = render("[a](role:)\n", line: 1)
        #expect(empty == ["r.md:1:5: error: unknown role '' in link 'role:'"])
        let (cased, wrong) = render("[a](Role:district-nurse)\n", line: 1)
        #expect(cased == "<p><a href=\"\">a</a></p>\n")
        #expect(wrong.count == 1 && wrong[0].hasPrefix("r.md:1:5: error: unsupported link 'Role:district-nurse' (did you mean 'role'?)"))
    }

    @Test func sourceLinesSplitAtEachLineFeed() {
        for text in ["", "a", "a\n", "\n\n", "é\r\nb\n\nlast", "x\ny\n"] {
            let expected = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(Substring($0)) }
            #expect(MarkdownRenderer.lines(of: text).map(String.init) == expected, "\(text.debugDescription)")
        }
    }

    @Test func placeholdersResolveOnlyInHrefAndSrcAttributesAndUnknownKindsLoseTheScheme() {
        // What the resolver did when it stepped through Characters of a Substring: the reference for the byte version.
        func reference(_ html: String, _ prefix: String) -> String {
            guard html.contains(LinkRules.placeholderScheme) else { return html }
            var result = ""
            var rest = html[...]
            while let range = rest.range(of: LinkRules.placeholderScheme) {
                let before = rest[..<range.lowerBound]
                guard before.hasSuffix("href=\"") || before.hasSuffix("src=\"") else {
                    result += rest[..<range.upperBound]
                    rest = rest[range.upperBound...]
                    continue
                }
                result += before
                let target = rest[range.upperBound...]
                let kindName = target.prefix { $0 != "/" }
                let afterKind = target.dropFirst(kindName.count + 1)
                if kindName == "asset" {
                    result += prefix + "assets/"
                    rest = afterKind
                } else if let kind = EntryKind(rawValue: String(kindName)) {
                    let id = afterKind.prefix { $0 != "#" && $0 != "\"" }
                    result += prefix + SiteURLs.path(kind, String(id))
                    rest = afterKind.dropFirst(id.count)
                } else {
                    rest = target
                }
            }
            return result + rest
        }
        let scheme = LinkRules.placeholderScheme
        #expect(
            SiteURLs.resolveLinks(
                in: "<a href=\"\(scheme)nope/x\">é</a> \(scheme)role/a <img src=\"\(scheme)asset/café.png\">", rootPrefix: "../")
                == "<a href=\"nope/x\">é</a> \(scheme)role/a <img src=\"../assets/café.png\">")
        let pieces = [
            "<a href=\"", "src=\"", scheme, "role/", "stage/", "asset/", "nope/", "district-nurse", "#pay", "\"", ">", "é", "/", "x", " ",
        ]
        var generator = SplitMix64(seed: 3)
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 14)
            let html = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            for prefix in ["", "../"] {
                #expect(SiteURLs.resolveLinks(in: html, rootPrefix: prefix) == reference(html, prefix), "\(html)")
                // What templates get: the text itself, or the resolved bytes.
                let resolved = SiteURLs.resolvedLinks(in: html, rootPrefix: prefix)
                let text = (resolved as? RenderedHTML).map { String(decoding: $0.bytes, as: UTF8.self) } ?? (resolved as? RawHTML)?.html
                #expect(text == reference(html, prefix), "\(html)")
            }
        }
    }

    @Test func repeatedBrokenLinksAreEachReportedAtTheirOwnColumn() {
        let (_, diagnostics) = render("[a](role:x) [é](role:x)\n[c](role:x)\n")
        #expect(
            diagnostics == [
                "r.md:5:5: error: unknown role 'x' in link 'role:x'", "r.md:5:17: error: unknown role 'x' in link 'role:x'",
                "r.md:6:5: error: unknown role 'x' in link 'role:x'",
            ])
    }

    /// Positions are worked out only for links that need one, but in document order: here the good link's text
    /// starts with the broken one's, so the broken link is found at its own column only because the good link's
    /// occurrence was taken first.
    @Test func aLinkIsPositionedAfterTheLinksBeforeIt() {
        let (_, diagnostics) = render("[a](role:district-nurse) [b](role:district)\n")
        #expect(diagnostics.map { $0.prefix(45) } == ["r.md:5:30: error: unknown role 'district' in "])
    }

    /// Found by the mutation property test: a paragraph of n identical links took O(n³) to position (2,000 links
    /// did not finish in a minute), because each link searched again from the start of the paragraph. With the
    /// search cursor this takes well under a second; the time limit is not a speed check but a guard, so that a
    /// regression fails this test instead of hanging the suite (5,000 links would take hours at O(n³)).
    @Test(.timeLimit(.minutes(2))) func aParagraphOfThousandsOfIdenticalLinksIsPositionedInLinearTime() {
        let (_, diagnostics) = render(String(repeating: "Text [l](role:district-nurse). ", count: 5_000) + "[x](role:nobody)\n")
        #expect(diagnostics == ["r.md:5:155005: error: unknown role 'nobody' in link 'role:nobody'"])
    }

    @Test func unknownEntryLinksAreReportedAtTheirLineAndColumn() {
        let (_, diagnostics) = render("Intro.\n\nA list:\n\n- see [a](stage:advnced) and [b](role:nobody)\n")
        #expect(
            diagnostics == [
                "r.md:9:11: error: unknown stage 'advnced' in link 'stage:advnced'",
                "r.md:9:34: error: unknown role 'nobody' in link 'role:nobody'",
            ])
    }

    @Test func suggestsTheNearestId() {
        let (_, diagnostics) = render("[a](role:district-nurs)\n", line: 1)
        #expect(
            diagnostics == ["r.md:1:5: error: unknown role 'district-nurs' in link 'role:district-nurs' (did you mean 'district-nurse'?)"])
    }

    @Test func relativeAndUnknownSchemeLinksAreErrors() {
        let (_, diagnostics) = render("[a](../roles/x.html) [b](roles:district-nurse) [c](assets/missing.png)\n", line: 1)
        #expect(diagnostics.count == 3)
        #expect(diagnostics[0].hasPrefix("r.md:1:5: error: unsupported link '../roles/x.html': relative links break"))
        #expect(diagnostics[1].hasPrefix("r.md:1:26: error: unsupported link 'roles:district-nurse' (did you mean 'role'?)"))
        #expect(diagnostics[2] == "r.md:1:52: error: unknown asset 'assets/missing.png': no such file under the content folder's assets/")
    }

    @Test func assetsResolveFromAnyDepth() {
        let (html, diagnostics) = render("![Map](assets/map.png)\n")
        #expect(diagnostics.isEmpty)
        #expect(SiteURLs.resolveLinks(in: html, from: "roles/x.html") == "<p><img src=\"../assets/map.png\" alt=\"Map\" /></p>\n")
    }

    @Test func headingsGetUniqueIds() {
        let (html, _) = render("## Getting in\n\n## Getting in\n\n### 2025 changes\n")
        #expect(
            html
                == "<h2 id=\"getting-in\">Getting in</h2>\n<h2 id=\"getting-in-2\">Getting in</h2>\n<h3 id=\"s-2025-changes\">2025 changes</h3>\n"
        )
    }

    /// The tags are found in cmark's bytes. As characters, `>` and a combining mark after it were one, so such a
    /// heading lost its id and each heading after it took the id of the one before.
    @Test func aHeadingThatStartsWithACombiningMarkKeepsItsId() {
        let (html, _) = render("## \u{301}Acute\n\n## Next\n")
        #expect(html == "<h2 id=\"acute\">\u{301}Acute</h2>\n<h2 id=\"next\">Next</h2>\n")
    }

    @Test func inlineTextLosesItsParagraph() {
        #expect(render("Band **6**", inline: true).0 == "Band <strong>6</strong>")
        #expect(render("One\n\nTwo", inline: true).0 == "<p>One</p>\n<p>Two</p>\n")
        #expect(render("\u{301}Acute", inline: true).0 == "\u{301}Acute")
        #expect(render("", inline: true).0 == "")
        #expect(render("## Heading", inline: true).0 == "<h2 id=\"heading\">Heading</h2>\n")
    }

    @Test func reservedPlaceholderSchemeCannotBeWritten() {
        let (html, diagnostics) = render("[x](x-careers:role/district-nurse)\n", line: 1)
        #expect(html == "<p><a href=\"\">x</a></p>\n")
        #expect(diagnostics == ["r.md:1:5: error: 'x-careers:' links are reserved for the generator"])
    }
}

@Suite struct SiteURLsTests {
    @Test func hrefsAreRelativeToThePage() {
        #expect(SiteURLs.href(to: "roles/a.html", from: "index.html") == "roles/a.html")
        #expect(SiteURLs.href(to: "roles/a.html", from: "stages/b.html") == "../roles/a.html")
        #expect(SiteURLs.href(to: "assets/site.css", from: "a/b/c.html") == "../../assets/site.css")
        #expect(SiteURLs.rootPrefix(from: "a/b/c/d.html") == "../../../")
        #expect(SiteURLs.rootPrefix(from: "a/b/c/d/e/f.html") == "../../../../../")
        #expect(SiteURLs.rootPrefix(from: "é/ü.html") == "../")
    }

    @Test func outputPathsStayInsideTheOutputFolder() {
        for path in ["index.html", "roles/a.html", "assets/img/x.png"] { #expect(OutputPath.isSafe(path), "\(path)") }
        for path in [
            "", "/etc/passwd", "../x.html", "a/../../x", "a//b", "a/./b", ".careers-output", "a\\b", "a%2f..%2fb", "a/", "a/.x", "a\0b",
            "%2e",
        ] {
            #expect(!OutputPath.isSafe(path), "\(path)")
        }
    }

    @Test func oneDocumentLinksAndHeadingsMatchTheCharacterVersions() {
        // The Character-based versions these replaced, as references for random documents.
        func anchors(_ html: String) -> String {
            guard html.contains(LinkRules.placeholderScheme) else { return html }
            var result = ""
            var rest = html[...]
            let marker = "href=\"" + LinkRules.placeholderScheme
            while let range = rest.range(of: marker) {
                result += rest[..<range.lowerBound]
                let target = rest[range.upperBound...]
                let value = target.prefix { $0 != "\"" }
                rest = target.dropFirst(value.count)
                let kindName = value.prefix { $0 != "/" }
                let afterKind = value.dropFirst(kindName.count + 1)
                let id = afterKind.prefix { $0 != "#" }
                let fragment = afterKind.dropFirst(id.count).dropFirst()
                if let kind = EntryKind(rawValue: String(kindName)) {
                    result += "href=\"#" + SiteURLs.anchor(kind, String(id)) + (fragment.isEmpty ? "" : "--" + fragment)
                } else {
                    result += "href=\"" + (kindName == "asset" ? "assets/" + afterKind : "")
                }
            }
            return result + rest
        }
        func headings(_ html: String, _ prefix: String, _ demote: Int) -> String {
            guard html.contains("<h") else { return html }
            var result = ""
            var rest = html[...]
            while let open = rest.range(of: "<h"), let close = rest[open.lowerBound...].range(of: ">") {
                let tag = rest[open.lowerBound..<close.upperBound]
                result += rest[..<open.lowerBound]
                rest = rest[close.upperBound...]
                guard let digit = tag.dropFirst(2).first, let level = Int(String(digit)), (1...6).contains(level),
                    tag.dropFirst(3).first == " " || tag.dropFirst(3).first == ">"
                else {
                    result += tag
                    continue
                }
                let newLevel = min(level + demote, 6)
                let attributes = String(tag.dropFirst(3).dropLast()).replacingOccurrences(of: " id=\"", with: " id=\"\(prefix)--")
                result += "<h\(newLevel)\(attributes)>"
                if let end = rest.range(of: "</h\(level)>") {
                    result += rest[..<end.lowerBound] + "</h\(newLevel)>"
                    rest = rest[end.upperBound...]
                }
            }
            return result + rest
        }
        let scheme = LinkRules.placeholderScheme
        #expect(
            SiteURLs.resolveLinksToAnchors(in: "<a href=\"\(scheme)role/a#pay\">x</a><a href=\"\(scheme)asset/m.png\">")
                == "<a href=\"#role-a--pay\">x</a><a href=\"assets/m.png\">")
        #expect(
            SiteURLs.prefixHeadingIDs(in: "<h2 id=\"pay\">Pay</h2><hr><h7>", prefix: "role-a", demote: 1)
                == "<h3 id=\"role-a--pay\">Pay</h3><hr><h7>")
        let pieces = [
            "href=\"", scheme, "role/", "asset/", "nope/", "a", "#", "\"", ">", "é", "/", "<h", "2", "6", "9", " id=\"", "</h2>", "</h6>",
            " ",
        ]
        var generator = SplitMix64(seed: 5)
        for _ in 0..<4_000 {
            let count = Int(generator.next() % 16)
            let html = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            #expect(SiteURLs.resolveLinksToAnchors(in: html) == anchors(html), "\(html)")
            let demote = Int(generator.next() % 3)
            #expect(SiteURLs.prefixHeadingIDs(in: html, prefix: "role-x", demote: demote) == headings(html, "role-x", demote), "\(html)")
            #expect(
                String(decoding: SiteURLs.handoutBody(html, prefix: "role-x", demote: demote), as: UTF8.self)
                    == headings(anchors(html), "role-x", demote), "\(html)")
        }
    }

    @Test func slugsKeepLowerCaseASCIILettersAndDigitsJoinedBySingleHyphens() {
        // The ASCII fast path must match the general (Unicode) version, which was the only one before.
        #expect(Slug.make("  Care homes & Hospices -- 2026! ") == "care-homes-hospices-2026")
        #expect(Slug.make("\u{212A}elvin Café İ") == "kelvin-caf-i")  // Unicode lower-casing first: the Kelvin sign is k
        let pieces = ["A", "z", "Q", "0", "9", " ", "-", "_", "&", "[", "`", "@", "{", "/", ":", "é", "\u{212A}"]
        var generator = SplitMix64(seed: 9)
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 12)
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            #expect(Slug.make(text) == Slug.unicodeSlug(text), "\(text)")
        }
    }

    @Test func datesReadInEnglish() {
        #expect(DisplayDate.long("2026-11-05") == "5 November 2026")
    }
}
