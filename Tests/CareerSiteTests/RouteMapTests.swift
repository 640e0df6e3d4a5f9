import Foundation
import Testing

@testable import CareerSite

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct RouteMapTests {
    typealias Column = RouteMap.Column
    typealias Node = RouteMap.Node
    typealias Edge = RouteMap.Edge

    /// Entry: Nurse; Advanced: Lead nurse, then Head of nursing below it (a revisited stage).
    let tiny = RouteMap(
        columns: [Column(title: "Entry", href: "../stages/entry.html"), Column(title: "Advanced", href: "../stages/advanced.html")],
        nodes: [
            Node(id: "nurse", title: "Nurse", href: "../roles/nurse.html", column: 0, detail: "Band 5"),
            Node(id: "lead", title: "Lead nurse", href: "../roles/lead.html", column: 1, detail: "Bands 7 and 8a"),
            Node(id: "head", title: "Head of nursing", href: "../roles/head.html", column: 1),
        ],
        edges: [Edge(from: "nurse", to: "lead"), Edge(from: "lead", to: "head")],
        label: "Route map: Tiny")

    static let tinyGolden = ##"""
        <svg xmlns="http://www.w3.org/2000/svg" class="route-map" aria-label="Route map: Tiny" viewBox="0 0 408 266" width="408" height="266">
        <defs><marker id="map-arrow-route-map-tiny-51591b19" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path class="map-arrowhead" d="M0 0L10 5L0 10z" fill="#4c6272"/></marker></defs>
        <g class="map-stages">
        <a class="map-stage" href="../stages/entry.html"><title>Entry</title><text class="map-stage-title" x="100" y="21" text-anchor="middle" font-size="14" font-weight="700" fill="#005eb8" text-decoration="underline"><tspan x="100" y="21">Entry</tspan></text></a>
        <line class="map-rule" x1="8" y1="32" x2="192" y2="32" stroke="#007f3b" stroke-width="3" aria-hidden="true"/>
        <a class="map-stage" href="../stages/advanced.html"><title>Advanced</title><text class="map-stage-title" x="308" y="21" text-anchor="middle" font-size="14" font-weight="700" fill="#005eb8" text-decoration="underline"><tspan x="308" y="21">Advanced</tspan></text></a>
        <line class="map-rule" x1="216" y1="32" x2="400" y2="32" stroke="#007f3b" stroke-width="3" aria-hidden="true"/>
        </g>
        <g class="map-edges" fill="none" stroke="#4c6272" stroke-width="2" aria-hidden="true">
        <path class="map-edge" d="M192 94L216 94" marker-end="url(#map-arrow-route-map-tiny-51591b19)"/>
        <path class="map-edge" d="M308 138L308 170" marker-end="url(#map-arrow-route-map-tiny-51591b19)"/>
        </g>
        <g class="map-nodes">
        <a class="map-node" href="../roles/nurse.html"><title>Nurse</title><rect class="map-box" x="8" y="50" width="184" height="88" rx="4" fill="#f0f4f5" stroke="#005eb8" stroke-width="2"/><text class="map-title" x="100" y="89" text-anchor="middle" font-size="14" fill="#005eb8"><tspan x="100" y="89">Nurse</tspan></text><text class="map-detail" x="100" y="107" text-anchor="middle" font-size="14" fill="#212b32">Band 5</text></a>
        <a class="map-node" href="../roles/lead.html"><title>Lead nurse</title><rect class="map-box" x="216" y="50" width="184" height="88" rx="4" fill="#f0f4f5" stroke="#005eb8" stroke-width="2"/><text class="map-title" x="308" y="89" text-anchor="middle" font-size="14" fill="#005eb8"><tspan x="308" y="89">Lead nurse</tspan></text><text class="map-detail" x="308" y="107" text-anchor="middle" font-size="14" fill="#212b32">Bands 7 and 8a</text></a>
        <a class="map-node" href="../roles/head.html"><title>Head of nursing</title><rect class="map-box" x="216" y="170" width="184" height="88" rx="4" fill="#f0f4f5" stroke="#005eb8" stroke-width="2"/><text class="map-title" x="308" y="218" text-anchor="middle" font-size="14" fill="#005eb8"><tspan x="308" y="218">Head of nursing</tspan></text></a>
        </g>
        </svg>

        """##

    func framework(_ files: [String: String?] = [:]) throws -> Framework {
        let site = try TestSite(files)
        defer { site.remove() }
        var builder = FrameworkBuilder(content: ContentLoader(root: site.content, displayRoot: "Content").load())
        let (built, diagnostics) = builder.build()
        #expect(diagnostics.isEmpty)
        return try #require(built)
    }

    /// Whether `text` parses as XML (the SVG must be well-formed to be valid inline SVG).
    func isWellFormed(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse()
    }

    @Test func tinyMapIsExactlyTheGolden() {
        #expect(tiny.svg() == Self.tinyGolden)
        #expect(isWellFormed(tiny.svg()))
    }

    /// A page draws its map in one pass with one layout (`drawing()`, `drawingAndText()`): the same SVG, width and
    /// text alternative as the map's own `svg()`, `isWide` and `textAlternative()`, for each route and profession
    /// and each depth of page.
    @Test func oneDrawingGivesTheMapsOwnSVGAndText() throws {
        let framework = try framework()
        let route = try #require(framework.route(RouteID("nursing")))
        let nursing = ProfessionID("nursing")
        for page in ["index.html", "routes/nursing.html", "handouts/route-nursing.html", "a/b/c.html"] {
            let map = RouteMap.route(route, in: framework, from: page)
            #expect(map.drawing() == RouteMap.Drawing(svg: map.svg(), isWide: map.isWide))
            let profession = try #require(RouteMap.profession(nursing, in: framework, from: page))
            let (drawing, text) = profession.drawingAndText()
            #expect(drawing == RouteMap.Drawing(svg: profession.svg(), isWide: profession.isWide))
            #expect(text == profession.textAlternative())
        }
        #expect(
            RouteMap.route(route, in: framework, from: "index.html").drawing()
                != RouteMap.route(route, in: framework, from: "routes/nursing.html").drawing())
        #expect(RouteMap.profession(ProfessionID("no-such"), in: framework, from: "index.html") == nil)
    }

    /// The drawing's numbers are written digit by digit: the same text as `String(number)`, and the pieces in order.
    @Test func drawingBytesWriteNumbersAndTextAsStringsWould() {
        let numbers = [0, 7, 10, 184, -3, -40, 1_000_000, Int.max, Int.min]
        let out = RouteMap.SVGBytes(capacity: 0)
        for number in numbers { out.add("<").add(number).escaped("&") }
        #expect(out.string == numbers.map { "<\($0)&amp;" }.joined())
    }

    @Test func textIsEscapedEverywhere() {
        let nasty = "A&B <script> \"quoted\" 'it's'"
        let map = RouteMap(
            columns: [Column(title: nasty, href: "a.html?x=1&y=\"2\"")],
            nodes: [
                Node(id: "one", title: nasty, href: "one.html", column: 0, detail: "<b>&"),
                Node(id: "two", title: "Two", href: "two.html", column: 0),
            ],
            edges: [Edge(from: "one", to: "two")], label: "Route map: \(nasty)")
        let svg = map.svg()
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<b>"))
        #expect(!svg.contains("A&B"))
        #expect(svg.contains("aria-label=\"Route map: A&amp;B &lt;script&gt; &quot;quoted&quot; &#39;it&#39;s&#39;\""))
        #expect(svg.contains("<title>A&amp;B &lt;script&gt; &quot;quoted&quot; &#39;it&#39;s&#39;</title>"))
        #expect(svg.contains("href=\"a.html?x=1&amp;y=&quot;2&quot;\""))
        #expect(svg.contains(">&lt;b&gt;&amp;</text>"))
        #expect(isWellFormed(svg))
        let text = map.textAlternative()
        #expect(!text.contains("<script"))
        #expect(text.contains("A&amp;B &lt;script&gt;"))
        #expect(isWellFormed(text))
    }

    @Test func stepsAtOneStageStackDownwardWithAVerticalArrow() throws {
        let layout = RouteMap.Layout(tiny)
        #expect(layout.places[1] == RouteMap.Layout.Place(column: 1, row: 0))
        #expect(layout.places[2] == RouteMap.Layout.Place(column: 1, row: 1))
        #expect(layout.rowCount == 2)
        // The arrow from Lead nurse to Head of nursing goes straight down the middle of column 1.
        let centre = RouteMap.Metrics.margin + RouteMap.Metrics.nodeWidth + RouteMap.Metrics.columnGap + RouteMap.Metrics.nodeWidth / 2
        let svg = tiny.svg()
        let vertical = try #require(svg.split(separator: "\n").first { $0.contains("d=\"M\(centre) ") })
        #expect(vertical.contains("L\(centre) "))
        // The route after a revisited stage carries on at the lower row: a staircase with level arrows.
        let stair = RouteMap.Layout(
            RouteMap(
                columns: tiny.columns + [Column(title: "Top", href: "top.html")],
                nodes: tiny.nodes + [Node(id: "top", title: "Top", href: "top.html", column: 2)],
                edges: tiny.edges + [Edge(from: "head", to: "top")], label: "Stair"))
        #expect(stair.places[3] == RouteMap.Layout.Place(column: 2, row: 1))
    }

    @Test func sameColumnArrowsThatSkipABoxCurveOutToTheRight() {
        let map = RouteMap(
            columns: [Column(title: "Only", href: "only.html")],
            nodes: [
                Node(id: "a", title: "A", href: "a.html", column: 0), Node(id: "b", title: "B", href: "b.html", column: 0),
                Node(id: "c", title: "C", href: "c.html", column: 0),
            ],
            edges: [Edge(from: "a", to: "b"), Edge(from: "b", to: "c"), Edge(from: "a", to: "c")], label: "Curve")
        let svg = map.svg()
        let width = 2 * RouteMap.Metrics.margin + RouteMap.Metrics.nodeWidth + RouteMap.Metrics.bulge
        #expect(svg.contains("width=\"\(width)\""))
        #expect(svg.split(separator: "\n").filter { $0.contains("class=\"map-edge\"") && $0.contains("C") }.count == 1)
    }

    @Test func arrowsMeetingOneSideOfABoxEndAtDifferentPoints() {
        let map = RouteMap(
            columns: tiny.columns,
            nodes: [
                Node(id: "a", title: "A", href: "a.html", column: 0), Node(id: "b", title: "B", href: "b.html", column: 0),
                Node(id: "c", title: "C", href: "c.html", column: 1),
            ],
            edges: [Edge(from: "a", to: "c"), Edge(from: "b", to: "c")], label: "Ports")
        let ends = map.svg().split(separator: "\n").filter { $0.contains("class=\"map-edge\"") }.compactMap { line in
            line.split(separator: "\"").first { $0.hasPrefix("M") }?.split(separator: " ").last
        }
        #expect(ends.count == 2)
        #expect(Set(ends).count == 2)
        // The arrow from the box on the same row stays level: it ends at the middle of C's left side.
        let svg = map.svg()
        #expect(svg.contains("d=\"M192 94L232 94\""))
        #expect(svg.contains("class=\"route-map\""))
    }

    @Test func mapsTooWideToPrintLegiblyAreMarked() {
        let six = RouteMap(
            columns: (1...6).map { Column(title: "Stage \($0)", href: "s\($0).html") },
            nodes: (1...6).map { Node(id: "n\($0)", title: "Role \($0)", href: "r\($0).html", column: $0 - 1) },
            edges: [], label: "Six")
        #expect(six.svg().contains("class=\"route-map map-wide\""))
        #expect(tiny.svg().contains("class=\"route-map\" "))
    }

    @Test func longTitlesWrapOnWordsOntoThreeLinesAtMost() {
        #expect(RouteMap.wrap("District nurse") == ["District nurse"])
        #expect(
            RouteMap.wrap("Advanced nurse practitioner (general practice)") == ["Advanced nurse", "practitioner (general", "practice)"])
        #expect(
            RouteMap.wrap("Senior trainee psychological wellbeing practitioner in the community and beyond")
                == ["Senior trainee", "psychological", "wellbeing…"])
        #expect(RouteMap.wrap("Pneumonoultramicroscopicsilicovolcanoconiosis") == ["Pneumonoultramicrosco…"])
        #expect(RouteMap.wrap("   ") == [])
        for line in RouteMap.wrap(String(repeating: "word ", count: 40)) { #expect(line.count <= 22) }

        // Widths are in Characters, also where a space sits next to a combining mark, a prepended mark or an emoji.
        func reference(_ text: String, width: Int = 22) -> [String] {
            let words = text.split(whereSeparator: \.isWhitespace).map { word in
                word.count > width ? String(word.prefix(width - 1)) + "…" : String(word)
            }
            var lines: [String] = []
            for word in words {
                if let last = lines.last, last.count + 1 + word.count <= width {
                    lines[lines.count - 1] = last + " " + word
                } else {
                    lines.append(word)
                }
            }
            return lines
        }
        #expect(RouteMap.wrap("Advanced nurse – Southmead community") == ["Advanced nurse –", "Southmead community"])
        let words = [
            "nurse", "–", "é", "e\u{301}", "\u{301}x", "x\u{600}", "👩‍⚕️", "practitioner", "a", "Ångström", "\u{600}", "(général)", "£5",
            "x\u{A0}y", "\t", "Ω≤", "한국", "\r\n",
        ]
        var generator = SplitMix64(seed: 11)
        for _ in 0..<1_000 {
            let count = 1 + Int(generator.next() % 8)
            let text = (0..<count).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
            let expected = reference(text)
            if expected.count <= 3 { #expect(RouteMap.wrap(text) == expected, "\(text)") }
        }
        // Text whose scalars are each a Character takes a path of its own, on bytes: the same lines.
        let simple = [
            "nurse", "a", "practitioner", "(général)", "Pneumonoultramicroscopicsilicovolcanoconiosis", "x\u{1F}y", "\u{B}", "  ", "\r\n",
            "–", "Ångström£Ω≤–Ångström£Ω≤–Ångström", "x\u{A0}y", "\u{2003}", "\u{85}",
        ]
        for _ in 0..<1_000 {
            let count = 1 + Int(generator.next() % 8)
            let text = (0..<count).map { _ in simple[Int(generator.next() % UInt64(simple.count))] }.joined(separator: " ")
            let expected = reference(text)
            if expected.count <= 3 { #expect(RouteMap.wrap(text) == expected, "\(text)") }
        }

        let map = RouteMap(
            columns: [Column(title: "Registered practitioner level practice", href: "s.html")],
            nodes: [
                Node(id: "a", title: "Advanced nurse practitioner (general practice)", href: "a.html", column: 0, detail: "Band 7"),
                Node(id: "b", title: "B", href: "b.html", column: 0),
            ],
            edges: [], label: "Wrap")
        let svg = map.svg()
        #expect(svg.contains(">Advanced nurse</tspan><tspan x=\"100\" y=\""))
        #expect(svg.contains(">practitioner (general</tspan>"))
        #expect(svg.contains(">practice)</tspan></text>"))
        #expect(svg.contains("<title>Advanced nurse practitioner (general practice)</title>"))
        #expect(svg.contains(">practitioner level</tspan>"))
    }

    @Test func markerIDsDifferBetweenMapsAndAreUsedConsistently() throws {
        let other = RouteMap(columns: tiny.columns, nodes: tiny.nodes, edges: tiny.edges, label: "Route map: Other")
        let alike = RouteMap(columns: tiny.columns, nodes: tiny.nodes, edges: tiny.edges, label: "Route map: Tiny!")
        #expect(Set([tiny.markerID, other.markerID, alike.markerID]).count == 3)
        #expect(tiny.markerID.hasPrefix("map-arrow-route-map-tiny-"))
        for map in [tiny, other] {
            let svg = map.svg()
            #expect(svg.components(separatedBy: "id=\"\(map.markerID)\"").count == 2)
            #expect(svg.components(separatedBy: "marker-end=\"url(#\(map.markerID))\"").count == 1 + map.edges.count)
        }
        let page = "<div>" + tiny.svg() + other.svg() + "</div>"
        #expect(isWellFormed(page))
        let ids = try NSRegularExpression(pattern: " id=\"([^\"]+)\"").matches(in: page, range: NSRange(page.startIndex..., in: page))
        #expect(ids.count == 2)
    }

    @Test func outputIsDeterministicWithIntegerCoordinates() throws {
        let first = try framework()
        let second = try framework()
        let route = try #require(first.routes.first)
        let a = RouteMap.route(route, in: first, from: "routes/nursing.html").svg()
        let b = RouteMap.route(route, in: second, from: "routes/nursing.html").svg()
        #expect(a == b)
        #expect(tiny.svg() == tiny.svg())
        // Numbers are integers: once hrefs are taken out, no digit is followed by a decimal point.
        let withoutHrefs = a.replacingOccurrences(of: #"href="[^"]*""#, with: "", options: .regularExpression)
        #expect(withoutHrefs.range(of: #"\d\.\d"#, options: .regularExpression) == nil)
    }

    @Test func routeMapFromTheFrameworkLinksRelativeToThePage() throws {
        let framework = try framework()
        let route = try #require(framework.route(RouteID("nursing")))
        let map = RouteMap.route(route, in: framework, from: "routes/nursing.html")
        #expect(map.label == "Route map: Nursing route")
        #expect(
            map.columns == [
                Column(title: "Entry", href: "../stages/entry.html"), Column(title: "Advanced", href: "../stages/advanced.html"),
            ])
        #expect(
            map.nodes == [
                Node(id: "nurse", title: "Nurse", href: "../roles/nurse.html", column: 0),
                Node(id: "lead-nurse", title: "Lead nurse", href: "../roles/lead-nurse.html", column: 1),
            ])
        #expect(map.edges == [Edge(from: "nurse", to: "lead-nurse")])
        #expect(map.textAlternative() == "<ol class=\"map-text\">\n<li>Nurse (Entry)</li>\n<li>Lead nurse (Advanced)</li>\n</ol>\n")
    }

    @Test func routeColumnsSpanTheStagesBetweenItsFirstAndLastStage() throws {
        let framework = try framework([
            "stages/middle.md": "---\ntitle: Middle\norder: 2\nsummary: Between.\n---\n",
            "stages/advanced.md": "---\ntitle: Advanced\norder: 3\nsummary: Third.\n---\n",
            "stages/top.md": "---\ntitle: Top\norder: 4\nsummary: Unused.\n---\n",
        ])
        let route = try #require(framework.route(RouteID("nursing")))
        let map = RouteMap.route(route, in: framework, from: "routes/nursing.html")
        #expect(map.columns.map(\.title) == ["Entry", "Middle", "Advanced"])
        #expect(map.nodes.map(\.column) == [0, 2])
    }

    @Test func professionMapNeedsTwoRoles() throws {
        let framework = try framework([
            "professions/pharmacy.md": "---\ntitle: Pharmacy\nsummary: Medicines.\n---\n",
            "roles/pharmacist.md": "---\ntitle: Pharmacist\nstage: advanced\nprofession: pharmacy\nsummary: Medicines.\n---\n",
            "professions/empty.md": "---\ntitle: Empty\nsummary: None yet.\n---\n",
        ])
        #expect(RouteMap.profession(ProfessionID("pharmacy"), in: framework, from: "professions/pharmacy.html") == nil)
        #expect(RouteMap.profession(ProfessionID("empty"), in: framework, from: "professions/empty.html") == nil)
        let map = try #require(RouteMap.profession(ProfessionID("nursing"), in: framework, from: "professions/nursing.html"))
        #expect(map.label == "Career map: Nursing")
        #expect(map.nodes.map(\.id) == ["nurse", "lead-nurse"])
        #expect(map.edges == [Edge(from: "nurse", to: "lead-nurse")])
        #expect(map.textAlternative() == "<ol class=\"map-text\">\n<li>Nurse (Entry)</li>\n<li>Lead nurse (Advanced)</li>\n</ol>\n")
    }

    @Test func professionMapTextSaysWhatLeadsWhere() {
        let map = RouteMap(
            columns: tiny.columns, nodes: tiny.nodes,
            edges: [Edge(from: "nurse", to: "lead"), Edge(from: "nurse", to: "head"), Edge(from: "nurse", to: "lead")],
            label: "Career map: Tiny")
        #expect(map.textAlternative() == "<ul class=\"map-text\">\n<li>Nurse leads to Lead nurse and Head of nursing.</li>\n</ul>\n")
        let none = RouteMap(columns: tiny.columns, nodes: tiny.nodes, edges: [], label: "Nothing")
        #expect(none.textAlternative() == "")
    }

    @Test func brokenInputStillDrawsSomething() {
        let map = RouteMap(
            columns: [],
            nodes: [
                Node(id: "a", title: "A", href: "a.html", column: -3), Node(id: "a", title: "Again", href: "x.html", column: 5),
                Node(id: "b", title: "", href: "b.html", column: 2),
            ],
            edges: [Edge(from: "a", to: "a"), Edge(from: "a", to: "missing"), Edge(from: "b", to: "a")], label: "")
        let svg = map.svg()
        #expect(isWellFormed(svg))
        #expect(!svg.contains("Again"))
        #expect(svg.components(separatedBy: "class=\"map-edge\"").count == 2)
        #expect(map.markerID.hasPrefix("map-arrow-"))
    }

    @Test func shippedContentMapsAreWellFormed() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var builder = FrameworkBuilder(
            content: ContentLoader(root: root.appendingPathComponent("Content"), displayRoot: "Content").load())
        let framework = try #require(builder.build().0)
        var maps = framework.routes.map { RouteMap.route($0, in: framework, from: SiteURLs.path(for: $0.id)) }
        maps += framework.professions.compactMap { RouteMap.profession($0.id, in: framework, from: SiteURLs.path(for: $0.id)) }
        #expect(maps.count > framework.routes.count)
        for map in maps {
            #expect(isWellFormed(map.svg()), "\(map.label)")
            #expect(isWellFormed("<div>" + map.textAlternative() + "</div>"), "\(map.label)")
        }
        #expect(Set(maps.map(\.markerID)).count == maps.count)
        if let folder = ProcessInfo.processInfo.environment["ROUTE_MAP_PREVIEW"] {
            try writePreview(maps, to: URL(fileURLWithPath: folder))
        }
    }

    /// Writes preview pages (one per map, and the tiny golden) for screenshots and browser checks.
    func writePreview(_ maps: [RouteMap], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(tiny.svg().utf8).write(to: folder.appendingPathComponent("tiny.svg.txt"))
        for map in maps {
            let name = map.markerID.replacingOccurrences(of: "map-arrow-", with: "")
            let page = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(map.label))</title>
                <link rel="stylesheet" href="site.css"></head>
                <body><a class="skip-link" href="#main">Skip to main content</a>
                <nav class="site-nav" aria-label="Main"><ul><li><a href="index.html">Home</a></li></ul></nav>
                <main id="main" class="wrap"><h1>\(HTML.escape(map.label))</h1>
                <div class="map-scroll">\(map.svg())</div>
                \(map.textAlternative())
                </main></body></html>

                """
            try Data(page.utf8).write(to: folder.appendingPathComponent(name + ".html"))
        }
    }
}
