import Foundation
import Testing

@testable import CareerSite

@Suite struct LinkCheckerTests {
    func file(_ path: String, _ html: String) -> OutputFile { OutputFile(path: path, contents: Data(html.utf8)) }

    @Test func externalMeansAURLSchemeBeforeTheFirstColon() {
        let external = ["https://x.org/", "mailto:a@b.c", "tel:+441", "x-careers:role/a", "svn+ssh://h", "a.b-c:rest", "é:x"]
        let notExternal = ["roles/a.html", "../a.html#x:y", ":x", "", "a_b:c", "#top", "a/b:c", "a é:x", "no colon"]
        #expect(external.filter { !LinkChecker.isExternal($0) } == [])
        #expect(notExternal.filter { LinkChecker.isExternal($0) } == [])
    }

    @Test func entitiesAreDecodedAsIfEachWereReplacedInTurnWithAmpersandLast() {
        // The reference: Foundation's replacement, one entity after another, `&amp;` last (so `&amp;lt;` is `&lt;`).
        func reference(_ text: String) -> String {
            text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        #expect(LinkChecker.decodeEntities("a&amp;b&lt;c&gt;&quot;d&#39;") == "a&b<c>\"d'")
        #expect(LinkChecker.decodeEntities("&amp;lt; &amp;amp; &am;p &lt &#39 é&amp;") == "&lt; &amp; &am;p &lt &#39 é&")
        let pieces = ["&", "amp;", "quot;", "#39;", "lt;", "gt;", "l", "t", ";", "a", "é", "&amp;", "&lt", "#", " "]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let count = Int(generator.next() % 12)
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            #expect(LinkChecker.decodeEntities(text) == reference(text), "\(text)")
        }
    }

    @Test func relativeLinksResolveAgainstThePagePath() {
        let cases: [(String, String, String?)] = [
            ("a.html", "roles/x.html", "roles/a.html"),
            ("../index.html", "roles/x.html", "index.html"),
            ("./b/../c.html", "x.html", "c.html"),
            ("a//b.html", "roles/x.html", "roles/a/b.html"),
            ("../../up.html", "roles/x.html", nil),
            ("/root.html", "x.html", nil),
            ("caf%C3%A9.html", "x.html", "café.html"),
            ("100%.html", "x.html", "100%.html"),  // not valid percent-encoding: kept as written
            ("café.html", "roles/x.html", "roles/café.html"),
        ]
        for (link, page, expected) in cases {
            #expect(LinkChecker.resolve(link, from: page) == expected, "\(link) from \(page)")
        }
    }

    /// `resolve` works on bytes; the reference is the same rules on `String` parts, as it was written before.
    @Test func resolvingOnBytesMatchesResolvingOnStringParts() {
        func reference(_ relative: String, from page: String) -> String? {
            if relative.hasPrefix("/") { return nil }
            var parts = page.split(separator: "/", omittingEmptySubsequences: false).filter { !$0.isEmpty }.map(String.init)
            parts.removeLast()
            for component in relative.split(separator: "/", omittingEmptySubsequences: false) {
                switch component {
                case ".", "": continue
                case "..":
                    guard !parts.isEmpty else { return nil }
                    parts.removeLast()
                default:
                    parts.append(component.contains("%") ? (component.removingPercentEncoding ?? String(component)) : String(component))
                }
            }
            return parts.joined(separator: "/")
        }
        let pieces = ["a", "é", "..", ".", "/", "//", "b.html", "%2F", "%C3%A9", "%", "x%y", "e\u{301}", "#", "?"]
        let pages = ["index.html", "roles/x.html", "a/b/c.html", "/a//b.html", "é/x.html", "a/"]
        var generator = SplitMix64(seed: 3)
        for _ in 0..<3_000 {
            let link = (0..<Int(generator.next() % 7)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let page = pages[Int(generator.next() % UInt64(pages.count))]
            #expect(LinkChecker.resolve(link, from: page) == reference(link, from: page), "\(link) from \(page)")
        }
    }

    @Test func splittingOnASCIIBytesMatchesSplittingOnCharacters() {
        for text in ["", "/", "a/b", "/a//b/", "roles/x.html", "é/ü/", "a?b?c", "x\u{301}/y"] {
            let bytes = text.components(separatedByASCII: UInt8(ascii: "/")).map(String.init)
            #expect(bytes == text.split(separator: "/", omittingEmptySubsequences: false).map(String.init), "\(text)")
        }
        #expect("a?b?c".components(separatedByASCII: UInt8(ascii: "?"), maxSplits: 1) == ["a", "b?c"])
        // A slash with a combining mark after it is one Character, but still a separator in a URL path.
        #expect("a/\u{301}b".components(separatedByASCII: UInt8(ascii: "/")) == ["a", "\u{301}b"])
        #expect("a/\u{301}b".split(separator: "/", omittingEmptySubsequences: false).count == 1)
        let text = "ab\"\u{301}cd"
        #expect(text.firstIndex(ofASCII: UInt8(ascii: "\"")).map { text[..<$0] } == "ab")
        #expect(text.firstIndex(of: "\"") == nil)
        // Substrings that start part-way into their string, and the last occurrence.
        let slice = "é/a/b/c.html".dropFirst(2)
        #expect(slice.components(separatedByASCII: UInt8(ascii: "/")) == ["a", "b", "c.html"])
        #expect(slice.lastIndex(ofASCII: UInt8(ascii: "/")).map { slice[..<$0] } == "a/b")
        #expect("roles/x.html".lastIndex(ofASCII: UInt8(ascii: "/")).map { "roles/x.html"[..<$0] } == "roles")
        #expect("index.html".lastIndex(ofASCII: UInt8(ascii: "/")) == nil)
        #expect("é</b></".replacingASCII("</", with: "<\\/") == "é<\\/b><\\/")
        #expect("no match".replacingASCII("</", with: "x") == "no match")
    }

    @Test func resolvingLinksPass() {
        let files = [
            file(
                "index.html", "<a href=\"roles/a.html#pay\">a</a> <a href=\"#top\">t</a><p id=\"top\"></p> <a href=\"https://x.org/\">x</a>"
            ),
            file("roles/a.html", "<h2 id=\"pay\">Pay</h2><a href=\"../index.html\">home</a><img src=\"../assets/x.png\" alt=\"\">"),
            file("assets/x.png", ""),
        ]
        #expect(LinkChecker.check(files) == [])
    }

    @Test func brokenFilesFragmentsAndEscapesAreCaught() {
        let files = [
            file(
                "index.html",
                "<a href=\"roles/b.html\">b</a> <a href=\"roles/a.html#nope\">a</a> <a href=\"../up.html\">up</a> <a href=\"#gone\">g</a>"),
            file("roles/a.html", "<h2 id=\"pay\">Pay</h2>"),
        ]
        #expect(
            LinkChecker.check(files).map(\.description) == [
                "index.html: broken link 'roles/b.html': no such file in the site",
                "index.html: broken link 'roles/a.html#nope': no element with id 'nope' in roles/a.html",
                "index.html: broken link '../up.html': it leads outside the site",
                "index.html: broken link '#gone': no element with id 'gone' in index.html",
            ])
    }

    /// A fragment must match an id byte for byte, as a browser matches it: "é" written as one scalar does not match
    /// "e" and a combining accent, though Swift compares the two as equal strings.
    @Test func aFragmentMatchesAnIdOnlyByteForByte() {
        let files = [
            file("index.html", "<a href=\"#caf\u{E9}\">a</a> <a href=\"#cafe\u{301}\">b</a> <a href=\"#x\">c</a>"),
            file("x.html", "<h2 id=\"cafe\u{301}\">Café</h2><p id=\"x\"></p><a href=\"index.html#x\">x</a>"),
        ]
        #expect(
            LinkChecker.check(files).map(\.description) == [
                "index.html: broken link '#caf\u{E9}': no element with id 'caf\u{E9}' in index.html",
                "index.html: broken link '#cafe\u{301}': no element with id 'cafe\u{301}' in index.html",
                "index.html: broken link '#x': no element with id 'x' in index.html",
                "x.html: broken link 'index.html#x': no element with id 'x' in index.html",
            ])
        let fixed = [
            file("index.html", "<a href=\"x.html#cafe\u{301}\">b</a> <a href=\"x.html#x\">c</a>"), files[1],
        ]
        #expect(LinkChecker.check(fixed).map(\.description) == ["x.html: broken link 'index.html#x': no element with id 'x' in index.html"])
        let wrongForm = [file("index.html", "<a href=\"x.html#caf\u{E9}\">a</a>"), files[1]]
        #expect(
            LinkChecker.check(wrongForm).map(\.description) == [
                "index.html: broken link 'x.html#caf\u{E9}': no element with id 'caf\u{E9}' in x.html",
                "x.html: broken link 'index.html#x': no element with id 'x' in index.html",
            ])
    }

    /// The whole-framework handout is scanned piece by piece as it is written: cut anywhere, the pieces give the
    /// scan of the whole page, including a value cut in two, a name cut from its `="`, and a value that never ends.
    @Test func scanningInPiecesGivesTheScanOfTheWholePage() throws {
        let (site, handouts) = try HandoutTests().build()
        defer { site.remove() }
        var pages = [try #require(handouts["framework.html"]), try #require(handouts["role-nurse.html"])]
        pages += [
            "\"a\" id=\"x\"<a href=\"../a.html#b\" src=\"i.png\">t</a><p id=\"y\" data-id=\"no\">=\"</p><b id=\"\">",
            "<a href=\"a.html\">a</a><p id=\"x\">text</p><a href=\"never-ends", "id=\"first\" <img src=\"s.png\" alt=\"\">",
        ]
        for page in pages {
            let bytes = Array(page.utf8)
            for readsLinks in [true, false] {
                let whole = LinkChecker.PageScan(Data(bytes), links: readsLinks)
                if page == pages[0] {
                    // Links come back again and again: each different one is kept once.
                    #expect(whole.ids.count > 20 && whole.order.count > (readsLinks ? 20 : -1))
                    #expect(whole.links.count < whole.order.count || !readsLinks)
                }
                if readsLinks {
                    // In order, every href and then every src, each kept once.
                    let expected =
                        LinkChecker.attributeValues(named: "href", in: page) + LinkChecker.attributeValues(named: "src", in: page)
                    #expect(whole.order.indices.map { whole.link(at: $0) } == expected)
                    #expect(Set((0..<whole.links.count).map { whole.links[$0] }).count == whole.links.count)
                }
                for size in [1, 2, 5, 7, 64, 1_000, 70_000] {
                    var scanner = LinkChecker.PageScan.Scanner(links: readsLinks)
                    bytes.withUnsafeBufferPointer { all in
                        for start in stride(from: 0, to: all.count, by: size) {
                            scanner.feed(UnsafeBufferPointer(rebasing: all[start..<min(start + size, all.count)]))
                        }
                    }
                    let pieces = scanner.finish()
                    let same =
                        pieces.readsLinks == whole.readsLinks
                        && (0..<pieces.ids.count).map { pieces.ids[$0] } == (0..<whole.ids.count).map { whole.ids[$0] }
                        && (0..<pieces.links.count).map { pieces.links[$0] } == (0..<whole.links.count).map { whole.links[$0] }
                        && pieces.order == whole.order
                    #expect(same, "pieces of \(size) bytes of \(page.prefix(40))")
                }
            }
        }
    }

    /// Links and ids are kept packed into one buffer per page until the check; they read back as they were given.
    @Test func packedStringsHoldWhatTheyWereGiven() {
        var generator = SplitMix64(seed: 5)
        let pieces = ["", "a", "é", "e\u{301}", "#", "../roles/", "x.html", "😀", "z", "A"]
        for _ in 0..<200 {
            let values = (0..<Int(generator.next() % 30)).map { _ in
                (0..<Int(generator.next() % 5)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            }
            var packed = PackedStrings()
            var other = PackedStrings()
            let half = values.count / 2
            for value in values[..<half] { packed.append(value) }
            for value in values[half...] { other.append(value) }
            packed.append(contentsOf: other)
            packed.trim()
            #expect((0..<packed.count).map { packed[$0] } == values)
            let sorted = packed.sortedUnique()
            let expected = Set(values.map { Array($0.utf8) }).sorted { $0.lexicographicallyPrecedes($1) }
            #expect((0..<sorted.count).map { Array(sorted[$0].utf8) } == expected)
            for value in values { #expect(sorted.containsSorted(value), "\(value)") }
            for piece in pieces + ["b", "ee", "\u{E9}"] where !values.contains(where: { Array($0.utf8) == Array(piece.utf8) }) {
                #expect(!sorted.containsSorted(piece), "\(piece)")
            }
        }
    }

    @Test func standalonePagesMayOnlyReachThemselves() {
        let files = [
            file("index.html", "<a href=\"handouts/h.html#top\">h</a> <a href=\"handouts/h.html#gone\">g</a>"),
            file(
                "handouts/h.html",
                "<p id=\"top\"></p><a href=\"#top\">t</a><a href=\"../index.html\">home</a><a href=\"#none\">x</a><img src=\"a.png\" alt=\"\">"
            ),
            file("handouts/a.png", ""),
        ]
        #expect(
            LinkChecker.check(files, standalone: { $0.hasPrefix("handouts/") }).map(\.description) == [
                "handouts/h.html: broken link '../index.html': no such file in the site",
                "handouts/h.html: broken link '#none': no element with id 'none' in handouts/h.html",
                "handouts/h.html: broken link 'a.png': no such file in the site",
                "index.html: broken link 'handouts/h.html#gone': no element with id 'gone' in handouts/h.html",
            ])
    }

    /// Pages are settled in parallel, each thread remembering by folder what each link resolved to; the same
    /// relative link from another folder must be resolved again, so the memory of one folder may not answer for
    /// another.
    @Test func theSameLinkFromAnotherFolderIsResolvedAgain() {
        var files = [file("a/x.html", "")]
        for index in 0..<100 { files.append(file("a/p\(index).html", "<a href=\"x.html\">x</a>")) }
        for index in 0..<100 { files.append(file("b/p\(index).html", "<a href=\"x.html\">x</a>")) }
        let broken = LinkChecker.check(files, standalone: { _ in false })
        #expect(broken.count == 100)
        #expect(broken.allSatisfy { $0.page.hasPrefix("b/") && $0.reason == "no such file in the site" })
        #expect(broken.map(\.page) == (0..<100).map { "b/p\($0).html" }.sorted())
    }

    /// Settling a page keeps only the links that need another page's ids (an anchor of another page); the rest
    /// are checked there and then, and the broken ones kept with their place among the page's links.
    @Test func aSettledPageKeepsOnlyLinksToAnotherPagesAnchors() {
        let early = LinkChecker.EarlyCheck(paths: ["d/x.html", "d/p.html", "e/y.html", "d/i.png"])
        let page = file(
            "d/p.html",
            "<p id=\"a\"></p><a href=\"#a\">1</a><a href=\"x.html\">2</a><a href=\"x.html#a\">3</a><a href=\"#gone\">4</a>"
                + "<a href=\"p.html#a\">5</a><a href=\"../e/y.html#b\">6</a><a href=\"z.html#a\">7</a><a href=\"https://x.org/#a\">8</a>"
                + "<a href=\"x.html#\">9</a><a href=\"i.png#a\">10</a><a href=\"?q#a&amp;b\">11</a><a href=\"x.html#a\">12</a>")
        let settled = early.settle(LinkChecker.PageScan(page.contents, links: true), page: page.path, standalone: false)
        #expect((0..<settled.waiting.count).map { settled.waiting[$0] } == ["x.html#a", "../e/y.html#b", "x.html#a"])
        #expect(settled.waitingPositions == [2, 5, 11])
        #expect(
            settled.broken.map { "\($0.position) \($0.link)" } == [
                "3 d/p.html: broken link '#gone': no element with id 'gone' in d/p.html",
                "6 d/p.html: broken link 'z.html#a': no such file in the site",
                "10 d/p.html: broken link '?q#a&amp;b': no element with id 'a&b' in d/p.html",
            ])
        #expect((0..<settled.ids.count).map { settled.ids[$0] } == ["a"])
        // The end of the check looks the waiting links up in the other pages' ids, and puts every broken link of
        // a page in the order of its links.
        let other = early.settle(LinkChecker.PageScan(Data("<p id=\"b\"></p>".utf8), links: true), page: "e/y.html", standalone: false)
        let target = early.settle(LinkChecker.PageScan(Data("<p id=\"c\"></p>".utf8), links: true), page: "d/x.html", standalone: false)
        #expect(
            LinkChecker.check(settled: [("d/p.html", settled), ("d/x.html", target), ("e/y.html", other)]).map(\.description) == [
                "d/p.html: broken link 'x.html#a': no element with id 'a' in d/x.html",
                "d/p.html: broken link '#gone': no element with id 'gone' in d/p.html",
                "d/p.html: broken link 'z.html#a': no such file in the site",
                "d/p.html: broken link '?q#a&amp;b': no element with id 'a&b' in d/p.html",
                "d/p.html: broken link 'x.html#a': no element with id 'a' in d/x.html",
            ])
    }

    /// Whatever the order and the threads the pages are settled in, with one memory of links for them all, the
    /// check finds what a plain reference finds: every link resolved on its own and looked up in the set of
    /// paths and the target's ids, in page and link order.
    @Test func settlingInAnyOrderFindsWhatAPlainCheckFinds() {
        var generator = SplitMix64(seed: 11)
        let links = [
            "#a", "#b", "#", "#gone", "#a&amp;b", "#x%41", "x.html", "x.html#a", "x.html#gone", "../up.html", "missing.html",
            "../d/x.html", "../d/x.html#b", "https://x.org/", "", "?q", "x.html?q#a", "../../out.html", "h/s.html#s", "../h/s.html#s",
            "../h/s.html#gone", "p0.html#a", "p5.html#a&amp;b", "../e/p3.html#a",
        ]
        var files = [file("d/x.html", "<p id=\"a\"></p><p id=\"b\"></p>"), file("h/s.html", "<p id=\"s\"></p><a href=\"#s\">s</a>")]
        for folder in ["d", "e", "h"] {
            for page in 0..<12 {
                let count = page == 5 ? 300 : Int(generator.next() % 12)
                let anchors = "<p id=\"a\"></p><p id=\"a&b\"></p>"
                let body = (0..<count).map { _ in "<a href=\"\(links[Int(generator.next() % UInt64(links.count))])\">l</a>" }.joined()
                files.append(file("\(folder)/p\(page).html", anchors + body))
            }
        }
        let standalone: (String) -> Bool = { $0.hasPrefix("h/") }
        let expected = plainCheck(files, standalone: standalone)
        #expect(expected.count > 200)
        #expect(expected.contains("d/p5.html: broken link '#gone': no element with id 'gone' in d/p5.html"))
        #expect(expected.contains("h/p5.html: broken link 'x.html': no such file in the site"))
        #expect(LinkChecker.check(files, standalone: standalone).map(\.description) == expected)
        // Settled one at a time in a shuffled order, with one memory of links.
        let pages = files.filter { $0.path.hasSuffix(".html") }.sorted { $0.path < $1.path }
        for _ in 0..<5 {
            let early = LinkChecker.EarlyCheck(paths: Set(files.map(\.path)))
            var settled: [String: LinkChecker.SettledPage] = [:]
            var order = Array(pages.indices)
            for index in order.indices.reversed() { order.swapAt(index, Int(generator.next() % UInt64(index + 1))) }
            for index in order {
                let page = pages[index]
                settled[page.path] = early.settle(
                    LinkChecker.PageScan(page.contents, links: true), page: page.path, standalone: standalone(page.path))
            }
            let found = LinkChecker.check(settled: pages.compactMap { page in settled[page.path].map { (page.path, $0) } })
            #expect(found.map(\.description) == expected)
        }
    }

    /// The check as its rules say, with nothing remembered: each link of each page (`href`s, then `src`s) decoded,
    /// resolved, and looked up in the paths and in the ids of its target.
    private func plainCheck(_ files: [OutputFile], standalone: (String) -> Bool) -> [String] {
        let pages = files.filter { $0.path.hasSuffix(".html") }.sorted { $0.path < $1.path }
        let paths = Set(files.map(\.path))
        var ids: [String: Set<[UInt8]>] = [:]
        for page in pages {
            ids[page.path] = Set(
                LinkChecker.attributeValues(named: "id", in: String(decoding: page.contents, as: UTF8.self)).map { Array($0.utf8) })
        }
        var broken: [String] = []
        for page in pages {
            let html = String(decoding: page.contents, as: UTF8.self)
            for raw in LinkChecker.attributeValues(named: "href", in: html) + LinkChecker.attributeValues(named: "src", in: html) {
                let link = LinkChecker.decodeEntities(raw)
                if link.isEmpty || LinkChecker.isExternal(link) { continue }
                let hash = link.firstIndex(of: "#")
                let fragment = hash.map { String(link[link.index(after: $0)...]) }
                let beforeHash = String(link[..<(hash ?? link.endIndex)])
                let pathPart = String(beforeHash[..<(beforeHash.firstIndex(of: "?") ?? beforeHash.endIndex)])
                let target: String
                if pathPart.isEmpty {
                    target = page.path
                } else if let resolved = LinkChecker.resolve(pathPart, from: page.path) {
                    target = resolved
                } else {
                    broken.append("\(page.path): broken link '\(raw)': it leads outside the site")
                    continue
                }
                guard standalone(page.path) ? target == page.path : paths.contains(target) else {
                    broken.append("\(page.path): broken link '\(raw)': no such file in the site")
                    continue
                }
                if let fragment, !fragment.isEmpty, target.hasSuffix(".html"), ids[target]?.contains(Array(fragment.utf8)) != true {
                    broken.append("\(page.path): broken link '\(raw)': no element with id '\(fragment)' in \(target)")
                }
            }
        }
        return broken
    }

    /// The memory of a folder's links keeps what it learnt of hundreds of different links (its table of them grows
    /// many times), and finds each again by its bytes: links that share a prefix, or differ in one byte, are told
    /// apart.
    @Test func manyDifferentLinksAreEachRememberedByTheirBytes() {
        var files = (0..<400).filter { $0 % 3 != 0 }.map { file("g/t\($0).html", "<p id=\"a\"></p>") }
        let body = (0..<400).map { "<a href=\"t\($0).html\">t</a><a href=\"t\($0).html#a\">a</a>" }.joined()
        for page in 0..<3 { files.append(file("g/p\(page).html", body)) }
        var expected: [String] = []
        for page in 0..<3 {
            for target in 0..<400 where target % 3 == 0 {
                expected.append("g/p\(page).html: broken link 't\(target).html': no such file in the site")
                expected.append("g/p\(page).html: broken link 't\(target).html#a': no such file in the site")
            }
        }
        #expect(LinkChecker.check(files).map(\.description) == expected)
    }

    /// The memory of a folder's links knows that a link from the folder was found, but a standalone page of the
    /// same folder may not reach another file even so.
    @Test func aLinkFoundFromOnePageIsStillCheckedFromAStandalonePage() {
        let files = [
            file("f/a.html", "<a href=\"b.html\">b</a>"), file("f/b.html", ""), file("f/s.html", "<a href=\"b.html\">b</a>"),
            file("f/t.html", "<a href=\"b.html\">b</a>"),
        ]
        #expect(
            LinkChecker.check(files, standalone: { $0 == "f/s.html" }).map(\.description) == [
                "f/s.html: broken link 'b.html': no such file in the site"
            ])
    }

    @Test func aTemplateWithABrokenLinkFailsTheBuildAndWritesNothing() throws {
        let site = try TestSite()
        defer { site.remove() }
        let report = SiteBuilder.build(try site.optionsWithABrokenTemplateLink())
        #expect(
            report.diagnostics.map(\.description) == ["error: pages/about.html: broken link '../missing.html': no such file in the site"])
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }
}
