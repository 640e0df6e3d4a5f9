/// A career progression drawn as inline SVG at build time: one column per stage, one linked box per role, and
/// arrows for the moves between roles. Pure and deterministic: the same map always gives the same bytes.
///
/// The drawing is meant to sit inside an HTML page (`{{{…}}}` in a template). It needs no script and no
/// stylesheet: colours, sizes and strokes are presentation attributes, and every element has a class so that
/// `site.css` can restyle it (CSS rules beat presentation attributes). All text is escaped. A drawing too wide to
/// print legibly on a portrait page also has the class `map-wide`, so print CSS can choose what to do with it.
///
/// Accessibility: the `<svg>` is named by `label` with `aria-label` and keeps its implicit role (a graphics
/// document, a container whose links stay reachable). It is never `role="img"`, which would hide the links, and
/// not `role="group"` either, which the project's Nu HTML checker (vnu 20.6.30) rejects on `<svg>`. Each role box
/// is an `<a>` whose name is the role title (its `<title>` child, also the tooltip); stage headers are links too;
/// arrows and rules are `aria-hidden`. Links come in visual order (column by column, top to bottom), which is the
/// step order for a route.
struct RouteMap: Sendable, Hashable {
    /// A stage column: its header text and the href of the stage page.
    struct Column: Sendable, Hashable {
        var title: String
        var href: String
    }

    /// A role box. `column` indexes `columns`; `detail` is a short second line, such as "Band 6".
    struct Node: Sendable, Hashable {
        var id: String
        var title: String
        var href: String
        var column: Int
        var detail: String?
    }

    /// An arrow between two nodes, by node id.
    struct Edge: Sendable, Hashable {
        var from: String
        var to: String
    }

    var columns: [Column]
    var nodes: [Node]
    var edges: [Edge]
    /// The accessible name of the whole drawing, such as "Route map: District nursing".
    var label: String

    // MARK: Convenience constructors

    /// The map of a route: its steps in order, an arrow between each pair of consecutive steps.
    ///
    /// Columns run from the lowest stage the route touches to the highest, so a stage the route skips still
    /// shows as an empty column (a jump is visible as a jump) while stages outside the route are left out, which
    /// keeps the drawing narrow enough to show at full size beside the text.
    static func route(_ route: Route, in framework: Framework, from page: String) -> RouteMap {
        let roles = route.steps.compactMap { framework.role($0.role) }
        let (columns, columnOfStage) = stageColumns(for: roles, in: framework, from: page)
        let nodes = roles.map { node(for: $0, column: columnOfStage[$0.stage] ?? 0, from: page) }
        let edges = zip(nodes, nodes.dropFirst()).map { Edge(from: $0.id, to: $1.id) }
        return RouteMap(columns: columns, nodes: nodes, edges: edges, label: "Route map: \(route.title)")
    }

    /// The map of a profession: its roles in stage columns, with an arrow for each `next` link inside the
    /// profession and for each pair of consecutive route steps that are both in it. Nil below two roles.
    static func profession(_ id: ProfessionID, in framework: Framework, from page: String) -> RouteMap? {
        let roles = framework.roles(in: id)
        guard roles.count >= 2 else { return nil }
        let members = Set(roles.map(\.id))
        var edges: [Edge] = []
        var seen = Set<Edge>()
        func add(_ from: RoleID, _ to: RoleID) {
            guard from != to, members.contains(from), members.contains(to) else { return }
            let edge = Edge(from: from.rawValue, to: to.rawValue)
            if seen.insert(edge).inserted { edges.append(edge) }
        }
        for role in roles {
            for next in role.next { add(role.id, next) }
        }
        for route in framework.routes(for: id) {
            for (step, next) in zip(route.steps, route.steps.dropFirst()) { add(step.role, next.role) }
        }
        let (columns, columnOfStage) = stageColumns(for: roles, in: framework, from: page)
        let nodes = roles.map { node(for: $0, column: columnOfStage[$0.stage] ?? 0, from: page) }
        let title = framework.profession(id)?.title ?? id.rawValue
        return RouteMap(columns: columns, nodes: nodes, edges: edges, label: "Career map: \(title)")
    }

    /// The stages from the lowest to the highest that `roles` use, and each stage's column.
    private static func stageColumns(
        for roles: some Collection<Role>, in framework: Framework, from page: String
    ) -> ([Column], [StageID: Int]) {
        let used = Set(roles.map(\.stage))
        let indices = framework.stages.indices.filter { used.contains(framework.stages[$0].id) }
        guard let low = indices.first, let high = indices.last else { return ([], [:]) }
        let stages = framework.stages[low...high]
        let columns = stages.map { Column(title: $0.title, href: SiteURLs.href(to: SiteURLs.path(for: $0.id), from: page)) }
        var columnOfStage: [StageID: Int] = [:]
        for (offset, stage) in stages.enumerated() { columnOfStage[stage.id] = offset }
        return (columns, columnOfStage)
    }

    private static func node(for role: Role, column: Int, from page: String) -> Node {
        let bands: String? =
            switch role.bands.count {
            case 0: nil
            case 1: "Band \(role.bands[0])"
            default: "Bands " + role.bands.dropLast().joined(separator: ", ") + " and " + (role.bands.last ?? "")
            }
        return Node(
            id: role.id.rawValue, title: role.title, href: SiteURLs.href(to: SiteURLs.path(for: role.id), from: page),
            column: column, detail: bands)
    }

    // MARK: SVG

    /// Sizes in SVG user units (CSS pixels at natural size). All integers, so the output has no float noise.
    enum Metrics {
        static let margin = 8
        static let nodeWidth = 184
        static let nodeHeight = 88
        static let columnGap = 24
        /// The gap between two columns when a curved arrow crosses it.
        static let wideColumnGap = 40
        static let rowGap = 32
        static let lineHeight = 18
        static let fontSize = 14
        /// From the top of a line box to the baseline of its text.
        static let baseline = 13
        /// How far a curved arrow between two boxes of one column bulges out to the right.
        static let bulge = 20
        static let wrapWidth = 22
        /// The widest drawing that still prints with text of at least 12px on a portrait A4 or Letter page (about
        /// 720px of CSS width, and 14 × 720 / 840 = 12). Wider ones get the class `map-wide`.
        static let printableWidth = 840
        static let maxLines = 3
    }

    /// The colours used when no stylesheet restyles the drawing (NHS palette; all dark enough to print).
    enum Palette {
        static let link = "#005eb8"
        static let text = "#212b32"
        static let muted = "#4c6272"
        static let panel = "#f0f4f5"
        static let accent = "#007f3b"
    }

    /// Whether the drawing is too wide to print legibly on portrait A4 (print styles then show the text instead).
    var isWide: Bool { drawing().isWide }

    /// The drawing as one `<svg>` element, with a trailing newline.
    func svg() -> String { drawing().svg }

    /// The drawing and whether it is wide, from one layout (each cost about as much as the other).
    func drawing() -> Drawing { drawing(Layout(self)) }

    /// The drawing and its text alternative (`textAlternative`), from one layout: for a profession's map, laying it
    /// out again for the text cost a fifth of the drawing.
    func drawingAndText() -> (Drawing, String) {
        let layout = Layout(self)
        return (drawing(layout), textAlternative(layout))
    }

    private func drawing(_ layout: Layout) -> Drawing {
        let geometry = Geometry(layout, headerLines: columns.map { Self.wrap($0.title) })
        return Drawing(svg: svg(layout, geometry), isWide: geometry.width > Metrics.printableWidth)
    }

    /// What a page shows of a map: the `<svg>` element and whether it is too wide to print (`isWide`).
    struct Drawing: Sendable, Equatable {
        var svg: String
        var isWide: Bool
    }

    private func svg(_ layout: Layout, _ geometry: Geometry) -> String {
        // Written as bytes (`SVGBytes`): with `String` interpolation and `+=`, each piece was a string of its own,
        // and drawing the maps was 5 % of the instructions of a build of 2,000 roles.
        let marker = markerID
        let out = SVGBytes(capacity: 1_024 + nodes.count * 640)
        out.add("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"route-map")
        if geometry.width > Metrics.printableWidth { out.add(" map-wide") }
        out.add("\" aria-label=\"").escaped(label).add("\" viewBox=\"0 0 ").add(geometry.width).add(" ").add(geometry.height)
        out.add("\" width=\"").add(geometry.width).add("\" height=\"").add(geometry.height).add("\">\n")
        out.add("<defs><marker id=\"").add(marker).add("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"10\"")
        out.add(" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">")
        out.add("<path class=\"map-arrowhead\" d=\"M0 0L10 5L0 10z\" fill=\"").add(Palette.muted).add("\"/></marker></defs>\n")

        out.add("<g class=\"map-stages\">\n")
        for (column, lines) in geometry.headerLines.enumerated() {
            let left = geometry.columnX[column]
            let centre = left + Metrics.nodeWidth / 2
            let first = Metrics.margin + (geometry.headerLineCount - lines.count) * Metrics.lineHeight + Metrics.baseline
            out.add("<a class=\"map-stage\" href=\"").escaped(columns[column].href).add("\">")
            out.add("<title>").escaped(columns[column].title).add("</title>")
            out.add("<text class=\"map-stage-title\" x=\"").add(centre).add("\" y=\"").add(first).add("\" text-anchor=\"middle\"")
            out.add(" font-size=\"").add(Metrics.fontSize).add("\" font-weight=\"700\" fill=\"").add(Palette.link)
            out.add("\" text-decoration=\"underline\">")
            tspans(lines, x: centre, firstBaseline: first, into: out)
            out.add("</text></a>\n")
            out.add("<line class=\"map-rule\" x1=\"").add(left).add("\" y1=\"").add(geometry.ruleY).add("\" x2=\"")
            out.add(left + Metrics.nodeWidth).add("\" y2=\"").add(geometry.ruleY).add("\" stroke=\"").add(Palette.accent)
            out.add("\" stroke-width=\"3\" aria-hidden=\"true\"/>\n")
        }
        out.add("</g>\n")

        out.add("<g class=\"map-edges\" fill=\"none\" stroke=\"").add(Palette.muted)
        out.add("\" stroke-width=\"2\" aria-hidden=\"true\">\n")
        for path in geometry.paths {
            out.add("<path class=\"map-edge\" d=\"").add(path).add("\" marker-end=\"url(#").add(marker).add(")\"/>\n")
        }
        out.add("</g>\n")

        out.add("<g class=\"map-nodes\">\n")
        for index in layout.visualOrder {
            guard let box = geometry.boxes[index] else { continue }
            nodeSVG(nodes[index], x: box.x, y: box.y, into: out)
        }
        out.add("</g>\n</svg>\n")
        return out.string
    }

    private func nodeSVG(_ node: Node, x: Int, y: Int, into out: SVGBytes) {
        let titleLines = Self.wrap(node.title)
        let detail = node.detail.flatMap { Self.wrap($0, maxLines: 1).first }
        let lineCount = titleLines.count + (detail == nil ? 0 : 1)
        let firstBaseline = y + (Metrics.nodeHeight - lineCount * Metrics.lineHeight) / 2 + Metrics.baseline
        let centre = x + Metrics.nodeWidth / 2
        out.add("<a class=\"map-node\" href=\"").escaped(node.href).add("\"><title>").escaped(node.title).add("</title>")
        out.add("<rect class=\"map-box\" x=\"").add(x).add("\" y=\"").add(y).add("\" width=\"").add(Metrics.nodeWidth)
        out.add("\" height=\"").add(Metrics.nodeHeight).add("\"")
        out.add(" rx=\"4\" fill=\"").add(Palette.panel).add("\" stroke=\"").add(Palette.link).add("\" stroke-width=\"2\"/>")
        if !titleLines.isEmpty {
            out.add("<text class=\"map-title\" x=\"").add(centre).add("\" y=\"").add(firstBaseline).add("\" text-anchor=\"middle\"")
            out.add(" font-size=\"").add(Metrics.fontSize).add("\" fill=\"").add(Palette.link).add("\">")
            tspans(titleLines, x: centre, firstBaseline: firstBaseline, into: out)
            out.add("</text>")
        }
        if let detail {
            let baseline = firstBaseline + titleLines.count * Metrics.lineHeight
            out.add("<text class=\"map-detail\" x=\"").add(centre).add("\" y=\"").add(baseline).add("\" text-anchor=\"middle\"")
            out.add(" font-size=\"").add(Metrics.fontSize).add("\" fill=\"").add(Palette.text).add("\">").escaped(detail).add("</text>")
        }
        out.add("</a>\n")
    }

    private func tspans(_ lines: [String], x: Int, firstBaseline: Int, into out: SVGBytes) {
        for (index, line) in lines.enumerated() {
            out.add("<tspan x=\"").add(x).add("\" y=\"").add(firstBaseline + index * Metrics.lineHeight).add("\">")
            out.escaped(line).add("</tspan>")
        }
    }

    /// UTF-8 text made of pieces that are each valid (literals, strings, decimal numbers), so the bytes are too.
    /// A class, so pieces chain: `out.add("x=\"").add(x)`.
    final class SVGBytes {
        private var bytes: [UInt8] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        @discardableResult func add(_ text: String) -> SVGBytes {
            bytes.append(contentsOf: text.utf8)
            return self
        }

        /// In decimal, as `String(number)` writes it.
        @discardableResult func add(_ number: Int) -> SVGBytes {
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            // The digits in a buffer on the stack (reversing a slice of `bytes` copied it).
            DecimalDigits.with(UInt64(number.magnitude)) { bytes.append(contentsOf: $0) }
            return self
        }

        /// HTML-escaped (`HTML.escape`).
        @discardableResult func escaped(_ text: String) -> SVGBytes { add(HTML.escape(text)) }

        var string: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Positions in user units, and the arrows as path data.
    ///
    /// Arrows run from the right edge of a box to the left edge of a box in a later column (a curve when the
    /// rows differ; the reverse for a move back), and straight down (or up) between boxes of one column with
    /// none between them. Between boxes of one column with others between them, an arrow curves out to one side
    /// and back: the side with fewer other arrow ends on it, the right on a tie. Where several arrows meet one
    /// side of a box, their ends are spread along it in the order of the boxes at their other ends, so they
    /// neither share a point nor cross there; an arrow to a box on the same row keeps the middle and stays level.
    /// A gap between columns that a curve crosses is wider.
    struct Geometry {
        struct Box: Hashable {
            var x: Int
            var y: Int
        }

        var headerLines: [[String]]
        var headerLineCount: Int
        var ruleY: Int
        var columnX: [Int] = []
        /// By index in `nodes`.
        var boxes: [Int: Box] = [:]
        var paths: [String] = []
        var width = 0
        var height = 0

        private enum Side: Hashable { case left, right }
        private struct Port: Hashable {
            var node: Int
            var side: Side
        }
        /// How one arrow is drawn: between two sides (`start` and `end`), or straight up or down when both are nil.
        private struct Route {
            var from: Int
            var to: Int
            var start: Port?
            var end: Port?
        }

        init(_ layout: Layout, headerLines: [[String]]) {
            self.headerLines = headerLines
            headerLineCount = max(1, headerLines.map(\.count).max() ?? 1)
            ruleY = Metrics.margin + headerLineCount * Metrics.lineHeight + 6
            let top = ruleY + 18
            let columnCount = max(1, layout.columnCount)
            let rowCount = max(1, layout.rowCount)
            let occupied = Set(layout.places.values)

            // Sides first: arrows across columns, then loops on the quieter side of their column.
            var routes: [Route] = []
            var loops: [Int] = []
            var sideUse: [Port: Int] = [:]
            var busy = Array(repeating: false, count: columnCount)
            for (from, to) in layout.edges {
                guard let source = layout.places[from], let target = layout.places[to] else { continue }
                if source.column != target.column {
                    let forward = target.column > source.column
                    let start = Port(node: from, side: forward ? .right : .left)
                    let end = Port(node: to, side: forward ? .left : .right)
                    sideUse[start, default: 0] += 1
                    sideUse[end, default: 0] += 1
                    if source.row != target.row {
                        for gap in min(source.column, target.column)..<max(source.column, target.column) { busy[gap] = true }
                    }
                    routes.append(Route(from: from, to: to, start: start, end: end))
                    continue
                }
                let between = min(source.row, target.row) + 1..<max(source.row, target.row)
                if between.allSatisfy({ !occupied.contains(Layout.Place(column: source.column, row: $0)) }) {
                    routes.append(Route(from: from, to: to, start: nil, end: nil))
                } else {
                    loops.append(routes.count)
                    routes.append(Route(from: from, to: to, start: nil, end: nil))
                }
            }
            var extraLeft = 0
            var extraRight = 0
            for number in loops {
                let route = routes[number]
                let column = layout.places[route.from]?.column ?? 0
                func use(_ side: Side) -> Int {
                    (sideUse[Port(node: route.from, side: side)] ?? 0) + (sideUse[Port(node: route.to, side: side)] ?? 0)
                }
                let side: Side = use(.left) < use(.right) ? .left : .right
                routes[number].start = Port(node: route.from, side: side)
                routes[number].end = Port(node: route.to, side: side)
                switch side {
                case .left where column == 0: extraLeft = Metrics.bulge
                case .left: busy[column - 1] = true
                case .right where column == columnCount - 1: extraRight = Metrics.bulge
                case .right: busy[column] = true
                }
            }

            var x = Metrics.margin + extraLeft
            for column in 0..<columnCount {
                columnX.append(x)
                x += Metrics.nodeWidth + (busy[column] ? Metrics.wideColumnGap : Metrics.columnGap)
            }
            width = x - (busy[columnCount - 1] ? Metrics.wideColumnGap : Metrics.columnGap) + extraRight + Metrics.margin
            height = top + rowCount * Metrics.nodeHeight + (rowCount - 1) * Metrics.rowGap + Metrics.margin
            for (index, place) in layout.places {
                boxes[index] = Box(x: columnX[place.column], y: top + place.row * (Metrics.nodeHeight + Metrics.rowGap))
            }

            // Where along each side each arrow end goes.
            var ends: [Port: [(route: Int, other: Int)]] = [:]
            for (number, route) in routes.enumerated() {
                if let start = route.start { ends[start, default: []].append((number, route.to)) }
                if let end = route.end { ends[end, default: []].append((number, route.from)) }
            }
            var portY: [Port: [Int: Int]] = [:]
            for (port, list) in ends {
                let sorted = list.sorted {
                    let left = boxes[$0.other] ?? Box(x: 0, y: 0)
                    let right = boxes[$1.other] ?? Box(x: 0, y: 0)
                    return (left.y, left.x, $0.route) < (right.y, right.x, $1.route)
                }
                let boxY = boxes[port.node]?.y ?? 0
                let level = sorted.firstIndex { boxes[$0.other]?.y == boxY && boxes[$0.other]?.x != boxes[port.node]?.x }
                portY[port] = Self.spread(sorted.map(\.route), level: level, top: boxY)
            }

            for (number, route) in routes.enumerated() {
                guard let source = boxes[route.from], let target = boxes[route.to] else { continue }
                guard let start = route.start, let end = route.end else {
                    let centre = source.x + Metrics.nodeWidth / 2
                    if target.y > source.y {
                        paths.append("M\(centre) \(source.y + Metrics.nodeHeight)L\(centre) \(target.y)")
                    } else {
                        paths.append("M\(centre) \(source.y)L\(centre) \(target.y + Metrics.nodeHeight)")
                    }
                    continue
                }
                let startX = start.side == .right ? source.x + Metrics.nodeWidth : source.x
                let endX = end.side == .right ? target.x + Metrics.nodeWidth : target.x
                let startY = portY[start]?[number] ?? source.y
                let endY = portY[end]?[number] ?? target.y
                if start.side == end.side {
                    let outX = start.side == .right ? startX + Metrics.bulge : startX - Metrics.bulge
                    paths.append("M\(startX) \(startY)C\(outX) \(startY) \(outX) \(endY) \(endX) \(endY)")
                } else if startY == endY {
                    paths.append("M\(startX) \(startY)L\(endX) \(endY)")
                } else {
                    let middle = (startX + endX) / 2
                    paths.append("M\(startX) \(startY)C\(middle) \(startY) \(middle) \(endY) \(endX) \(endY)")
                }
            }
        }

        /// Ys along one side of a box for the arrow ends `routes` (sorted top to bottom by their other ends), 14
        /// apart and clear of the corners. The end at index `level` (an arrow to a box on the same row) is at the
        /// middle, so that arrow stays straight; without one, the ends are centred on the middle.
        private static func spread(_ routes: [Int], level: Int?, top: Int) -> [Int: Int] {
            let middle = top + Metrics.nodeHeight / 2
            let room = Metrics.nodeHeight / 2 - 8
            // Offsets from the middle in half-steps: centred on the level end, or on the middle of the list.
            let pivot = level.map { 2 * $0 } ?? routes.count - 1
            let reach = max(pivot, 2 * (routes.count - 1) - pivot, 1)
            let halfStep = min(7, room / reach)
            var result: [Int: Int] = [:]
            for (position, route) in routes.enumerated() { result[route] = middle + (2 * position - pivot) * halfStep }
            return result
        }
    }

    /// The arrowhead marker's id: a slug of the label for readability, and a hash of the label and node ids so
    /// that two maps on one page never share an id even when their labels slug alike.
    var markerID: String {
        var slug = ""
        for scalar in label.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        slug = String(slug.prefix(40))
        while slug.hasSuffix("-") { slug.removeLast() }
        // FNV-1a of the label and the node ids, each after a NUL.
        var hash: UInt32 = 2_166_136_261
        for (index, text) in ([label] + nodes.map(\.id)).enumerated() {
            if index > 0 { hash = (hash ^ 0) &* 16_777_619 }
            for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        }
        let hex = String(hash, radix: 16)
        let padded = String(repeating: "0", count: max(0, 8 - hex.count)) + hex
        return "map-arrow-" + (slug.isEmpty ? "" : slug + "-") + padded
    }

    // MARK: Text

    /// Wraps `text` by words onto at most `maxLines` lines of about `width` characters. A word longer than a line
    /// is cut, and text that does not fit ends with an ellipsis.
    static func wrap(_ text: String, width: Int = Metrics.wrapWidth, maxLines: Int = Metrics.maxLines) -> [String] {
        let width = max(2, width)
        let lines = wrapScalars(text, width: width) ?? wrapWords(text, width: width)
        guard lines.count > maxLines, maxLines > 0 else { return lines }
        var kept = Array(lines.prefix(maxLines))
        var last = kept[maxLines - 1].split(separator: " ").map(String.init)
        while last.count > 1, last.joined(separator: " ").count + 1 > width { last.removeLast() }
        var line = last.joined(separator: " ")
        if line.count + 1 > width { line = String(line.prefix(width - 1)) }
        if line.hasSuffix("…") { line.removeLast() }
        kept[maxLines - 1] = line + "…"
        return kept
    }

    /// The lines of `wrap` made on the text's bytes, when each of its scalars is a Character of its own (as in
    /// `words(of:)`): then a word's length is its count of scalars. Nil for any other text. Nearly every title is
    /// such text; by Characters, wrapping was over 10,000 instructions a title.
    private static func wrapScalars(_ text: String, width: Int) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            // Whether the scalar at `index` (`length` bytes) is whitespace; nil when it is not simple.
            func space(at index: Int, length: inout Int) -> Bool? {
                let byte = bytes[index]
                if byte < 0x80 {
                    length = 1
                    return byte == 0x20 || (0x09...0x0D).contains(byte)
                }
                let (value, scalarLength) = UTF8Scalar.decode(bytes, at: index)
                length = scalarLength
                guard let scalar = Unicode.Scalar(value), isSimple(scalar) else { return nil }
                return scalar.properties.isWhitespace
            }
            var lines: [[UInt8]] = []
            var lastCount = 0
            var index = 0
            var length = 1
            while index < bytes.count {
                guard let isSpace = space(at: index, length: &length) else { return nil }
                if isSpace {
                    index += length
                    continue
                }
                // A word: its bytes, its scalars, and where its first `width - 1` scalars end.
                let start = index
                var count = 0
                var cut = start
                while index < bytes.count {
                    guard let isSpace = space(at: index, length: &length) else { return nil }
                    if isSpace { break }
                    count += 1
                    index += length
                    if count == width - 1 { cut = index }
                }
                var piece = Array(bytes[start..<index])
                if count > width {
                    piece = Array(bytes[start..<cut]) + Array("…".utf8)
                    count = width
                }
                if !lines.isEmpty, lastCount + 1 + count <= width {
                    lines[lines.count - 1].append(0x20)
                    lines[lines.count - 1].append(contentsOf: piece)
                    lastCount += 1 + count
                    continue
                }
                lines.append(piece)
                lastCount = count
            }
            return lines.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The lines of `wrap` for any text, by Characters.
    private static func wrapWords(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        // The last line's length in Characters, kept as words are added rather than counted again each time (this
        // ran for every node of every map on several pages, and counting dominated). A space between two words
        // can only join them into one Character when a non-ASCII scalar is next to it; then the line is counted.
        var lastCount = 0
        let (words, simple) = words(of: text)
        for (word, wordCount) in words {
            var piece = String(word)
            var count = wordCount
            if count > width {
                piece = String(word.prefix(width - 1)) + "…"
                count = width
            }
            if let last = lines.last {
                let plain = simple || ((last.utf8.last ?? 0) < 0x80 && (piece.utf8.first ?? 0) < 0x80)
                let joined = last + " " + piece
                let joinedCount = plain ? lastCount + 1 + count : joined.count
                if joinedCount <= width {
                    lines[lines.count - 1] = joined
                    lastCount = joinedCount
                    continue
                }
            }
            lines.append(piece)
            lastCount = count
        }
        return lines
    }

    /// The words of `text` (split at whitespace Characters) with their lengths in Characters.
    ///
    /// When every scalar is ASCII or of a kind that is always a Character of its own (letters with case, digits,
    /// punctuation, math and currency signs, spaces), Characters are scalars, so the words are found and counted on
    /// scalars; that path is many times cheaper than Character iteration, whose Unicode property look-ups dominated
    /// map drawing. Other text (combining marks, emoji, other letters) takes the Character path.
    /// `simple` is true when the scalar path was taken: then no space between two words can join them into one
    /// Character either.
    private static func words(of text: String) -> (words: [(Substring, Int)], simple: Bool) {
        let simple = text.unicodeScalars.allSatisfy(isSimple)
        guard simple else { return (text.split(whereSeparator: \.isWhitespace).map { ($0, $0.count) }, false) }
        var words: [(Substring, Int)] = []
        let scalars = text.unicodeScalars
        var start: String.Index?
        var count = 0
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let isSpace = scalar.isASCII ? (scalar == " " || (0x09...0x0D).contains(scalar.value)) : scalar.properties.isWhitespace
            if isSpace {
                if let first = start { words.append((text[first..<index], count)) }
                start = nil
                count = 0
            } else {
                if start == nil { start = index }
                count += 1
            }
            index = scalars.index(after: index)
        }
        if let first = start { words.append((text[first...], count)) }
        return (words, true)
    }

    /// Whether `scalar` is always a Character of its own, whatever is next to it (see `words(of:)`).
    private static func isSimple(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .decimalNumber, .dashPunctuation, .openPunctuation,
            .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation, .connectorPunctuation, .mathSymbol,
            .currencySymbol, .spaceSeparator:
            return true
        default:
            return false
        }
    }

    /// A text version of the map, as escaped HTML. A map whose arrows join its nodes one after another (a route)
    /// gives an ordered list of the steps with their stages; any other map gives a list of "X leads to Y"
    /// sentences, one per role with arrows out of it, in visual order. Empty when there is nothing to say.
    func textAlternative() -> String { textAlternative(Layout(self)) }

    /// The same with the map's layout, worked out only when the map is not a chain.
    private func textAlternative(_ layout: @autoclosure () -> Layout) -> String {
        let isChain =
            !nodes.isEmpty && edges.count == nodes.count - 1
            && zip(edges, zip(nodes, nodes.dropFirst())).allSatisfy { $0.from == $1.0.id && $0.to == $1.1.id }
        if isChain {
            let items = nodes.map { node -> String in
                let stage = columns.indices.contains(node.column) ? " (\(HTML.escape(columns[node.column].title)))" : ""
                return "<li>\(HTML.escape(node.title))\(stage)</li>\n"
            }
            return "<ol class=\"map-text\">\n" + items.joined() + "</ol>\n"
        }
        let layout = layout()
        var targets: [Int: [Int]] = [:]
        for (from, to) in layout.edges { targets[from, default: []].append(to) }
        let items = layout.visualOrder.compactMap { index -> String? in
            guard let next = targets[index], !next.isEmpty else { return nil }
            let names = next.map { HTML.escape(nodes[$0].title) }
            let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
            return "<li>\(HTML.escape(nodes[index].title)) leads to \(list).</li>\n"
        }
        guard !items.isEmpty else { return "" }
        return "<ul class=\"map-text\">\n" + items.joined() + "</ul>\n"
    }

    // MARK: Layout

    /// Where each node goes. Columns are filled left to right; in each column, a node goes on the row of its
    /// nearest already-placed predecessor (one row below it when that predecessor is in the same column), or on
    /// the first free row below that. Nodes without a placed predecessor fill the free rows from the top. Ties
    /// keep input order. So a route reads as a staircase with level arrows, and revisiting a stage steps down.
    struct Layout {
        struct Place: Hashable {
            var column: Int
            var row: Int
        }

        /// By index in `nodes`; nil for a node whose id repeats an earlier one (it is not drawn).
        var places: [Int: Place] = [:]
        /// Drawable edges as node indices, in input order, without repeats, self-loops or unknown ids.
        var edges: [(Int, Int)] = []
        var columnCount = 0
        var rowCount = 0
        /// Indices of drawn nodes by column, then row.
        var visualOrder: [Int] = []

        init(_ map: RouteMap) {
            var indexByID: [String: Int] = [:]
            for (index, node) in map.nodes.enumerated() where indexByID[node.id] == nil { indexByID[node.id] = index }
            let drawn = map.nodes.indices.filter { indexByID[map.nodes[$0].id] == $0 }
            func column(_ index: Int) -> Int { max(0, map.nodes[index].column) }
            columnCount = max(map.columns.count, (drawn.map(column).max() ?? -1) + 1)

            var predecessors: [Int: [Int]] = [:]
            var seen = Set<[Int]>()
            for edge in map.edges {
                guard let from = indexByID[edge.from], let to = indexByID[edge.to], from != to,
                    seen.insert([from, to]).inserted
                else { continue }
                edges.append((from, to))
                predecessors[to, default: []].append(from)
            }

            var rows: [Int: Int] = [:]
            for current in 0..<columnCount {
                var pending = drawn.filter { column($0) == current }
                var occupied = Set<Int>()
                func wanted(_ index: Int) -> Int? {
                    (predecessors[index] ?? []).compactMap { predecessor in
                        rows[predecessor].map { column(predecessor) == current ? $0 + 1 : $0 }
                    }.min()
                }
                while let fallback = pending.first {
                    let ready = pending.filter { index in
                        (predecessors[index] ?? []).allSatisfy { column($0) != current || rows[$0] != nil }
                    }
                    let chosen =
                        (ready.isEmpty ? [fallback] : ready).min {
                            (wanted($0) ?? Int.max, $0) < (wanted($1) ?? Int.max, $1)
                        } ?? fallback
                    var row = wanted(chosen) ?? 0
                    while occupied.contains(row) { row += 1 }
                    occupied.insert(row)
                    rows[chosen] = row
                    places[chosen] = Place(column: current, row: row)
                    pending.removeAll { $0 == chosen }
                }
            }
            rowCount = (places.values.map(\.row).max() ?? -1) + 1
            visualOrder = drawn.sorted {
                let left = places[$0] ?? Place(column: 0, row: 0)
                let right = places[$1] ?? Place(column: 0, row: 0)
                return (left.column, left.row, $0) < (right.column, right.row, $1)
            }
        }
    }
}
