internal import Ccmark
import Foundation

/// Renders CommonMark with libcmark. This is the only file that touches cmark.
///
/// cmark's safe mode stays on: raw HTML is omitted and `javascript:`, `vbscript:`, `file:` and `data:` link
/// destinations are emptied. Before rendering, every link and image destination is handed to a rewriter,
/// which may replace it (to resolve `kind:id` links) and report problems at the link's position.
enum MarkdownRenderer {
    /// A link or image destination as written, and where.
    struct Link {
        var destination: String
        var isImage: Bool
        /// Where the link is in its file. Finding it means searching the source lines, so it is worked out only when
        /// asked for (for a diagnostic, or a fragment to check later), which most links never are.
        var location: SourceLocation { locate() }
        fileprivate let locate: () -> SourceLocation
    }

    /// The positions of a document's links, found in document order as they are asked for: a link's position
    /// depends on which earlier occurrences of the same text the links before it took, so asking for one finds
    /// every one before it first. Only valid while the document's nodes are.
    private final class LinkPositions {
        let markdown: String
        let base: SourceLocation
        var lines: [Substring]?
        var claimed = Set<SourceLocation>()
        var cursors: [String: SearchCursor] = [:]
        /// Each link seen so far: its destination and node, and its position once found.
        var links: [(destination: String, node: OpaquePointer, found: SourceLocation?)] = []

        init(markdown: String, base: SourceLocation) {
            self.markdown = markdown
            self.base = base
        }

        func add(_ destination: String, _ node: OpaquePointer) -> Int {
            links.append((destination, node, nil))
            return links.count - 1
        }

        /// Set once the document is freed: a position not found by then is given as the start of the text, rather
        /// than looked for through nodes that are gone (no caller asks that late; `render` hands links out only
        /// during its `rewrite` calls).
        var closed = false

        func location(of index: Int) -> SourceLocation {
            if let found = links[index].found { return found }
            if closed { return base }
            let lines = self.lines ?? MarkdownRenderer.lines(of: markdown)
            self.lines = lines
            var result = base
            for earlier in 0...index where links[earlier].found == nil {
                let found = MarkdownRenderer.position(
                    of: links[earlier].destination, near: links[earlier].node, in: lines, base: base, claimed: &claimed,
                    cursors: &cursors)
                links[earlier].found = found
                result = found
            }
            return result
        }
    }

    /// What to do with a link destination.
    enum Rewrite {
        case keep
        case replace(with: String)
    }

    /// Renders `markdown`, whose first line is `location.line` in its file.
    ///
    /// - Parameters:
    ///   - inline: strip the paragraph wrapper when the text is a single paragraph (for one-line fields).
    ///   - preciseLocations: positions are exact within `markdown` (bodies); otherwise links are reported at `location`.
    static func render(
        _ markdown: String, at location: SourceLocation, inline: Bool = false, preciseLocations: Bool = true,
        rewrite: (Link) -> Rewrite
    ) -> String {
        let options = CMARK_OPT_SMART
        guard let document = markdown.withCString({ cmark_parse_document($0, strlen($0), options) }) else { return "" }
        defer { cmark_node_free(document) }

        let positions = LinkPositions(markdown: markdown, base: location)
        defer { positions.closed = true }
        var headingSlugs: [String] = []
        var usedSlugs = Set<String>(minimumCapacity: 16)

        guard let iterator = cmark_iter_new(document) else { return "" }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                let locate: () -> SourceLocation
                if preciseLocations {
                    let index = positions.add(destination, node)
                    locate = { positions.location(of: index) }
                } else {
                    locate = { location }
                }
                let link = Link(destination: destination, isImage: type == CMARK_NODE_IMAGE, locate: locate)
                if case .replace(let replacement) = rewrite(link) {
                    _ = replacement.withCString { cmark_node_set_url(node, $0) }
                }
            } else if type == CMARK_NODE_HEADING {
                var slug = slugify(plainText(of: node))
                if slug.isEmpty { slug = "section" }
                var unique = slug
                var counter = 2
                while usedSlugs.contains(unique) {
                    unique = "\(slug)-\(counter)"
                    counter += 1
                }
                usedSlugs.insert(unique)
                headingSlugs.append(unique)
            }
        }

        guard let rendered = cmark_render_html(document, options) else { return "" }
        defer { free(rendered) }
        let html = UnsafeBufferPointer(start: UnsafeRawPointer(rendered).assumingMemoryBound(to: UInt8.self), count: strlen(rendered))
        return finish(html, slugs: headingSlugs, inline: inline)
    }

    /// cmark's HTML as a string, with an `id` added to each of `<h1>`…`<h6>` in document order (safe mode renders
    /// no raw HTML, so every heading tag in the output is one of the headings counted in the tree), and, for
    /// `inline`, without the `<p>` and `</p>` of a text that is a single paragraph. Made in the string's own
    /// storage in one pass over cmark's bytes: as a `String` first, then edited, it cost 60,000 instructions a body.
    static func finish(_ html: UnsafeBufferPointer<UInt8>, slugs: [String], inline: Bool) -> String {
        let capacity = html.count + slugs.reduce(0) { $0 + $1.utf8.count + 6 }
        guard capacity > 0 else { return "" }
        return String(unsafeUninitializedCapacity: capacity) { output in
            guard let base = output.baseAddress else { return 0 }
            var count = 0
            func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard let source = bytes.baseAddress else { return }
                (base + count).initialize(from: source, count: bytes.count)
                count += bytes.count
            }
            func copy(_ text: StaticString) {
                copy(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            }
            var start = 0
            var searchFrom = 0
            var slug = 0
            while slug < slugs.count, let open = ByteSearch.first(byte: UInt8(ascii: "<"), in: html, from: searchFrom) {
                searchFrom = open + 1
                guard open + 3 < html.count, html[open + 1] == UInt8(ascii: "h"),
                    (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(html[open + 2]), html[open + 3] == UInt8(ascii: ">")
                else { continue }
                copy(UnsafeBufferPointer(rebasing: html[start..<(open + 3)]))
                copy(" id=\"")
                var id = slugs[slug]
                id.withUTF8 { copy($0) }
                copy("\">")
                slug += 1
                start = open + 4
                searchFrom = start
            }
            copy(UnsafeBufferPointer(rebasing: html[start...]))
            // For `inline`, a single paragraph loses its tags: `<p>` first, `</p>\n` last, and no other `<p>`.
            let written = UnsafeBufferPointer(start: base, count: count)
            guard inline, count >= 8, ByteSearch.matches("<p>", in: written, at: 0),
                ByteSearch.matches("</p>\n", in: written, at: count - 5)
            else { return count }
            let inner = UnsafeBufferPointer(rebasing: written[3..<(count - 5)])
            if ByteSearch.first(Array("<p>".utf8), in: inner) != nil { return count }
            base.update(from: base + 3, count: inner.count)
            return inner.count
        }
    }

    /// The lines of `text`, split at each line feed (found with memchr; a line feed always ends a Character, so
    /// this splits exactly where Character splitting would). A generic split of the UTF-8 view cost 130,000
    /// instructions for a body of a few kilobytes.
    static func lines(of text: String) -> [Substring] {
        let utf8 = text.utf8
        var offsets: [Int] = [0]
        let found = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var from = 0
            while let newline = ByteSearch.first(byte: 0x0A, in: bytes, from: from) {
                offsets.append(newline + 1)
                from = newline + 1
            }
            return true
        }
        if found == nil { return utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) } }
        offsets.append(utf8.count + 1)
        return (0..<(offsets.count - 1)).map { line in
            let start = utf8.index(utf8.startIndex, offsetBy: offsets[line])
            let end = utf8.index(utf8.startIndex, offsetBy: offsets[line + 1] - 1)
            return Substring(utf8[start..<end])
        }
    }

    /// Where the search for one needle (`](destination` …) resumes: links are visited in document order, so the
    /// occurrences before it have been claimed already. Without it, a paragraph of n identical links costs O(n³).
    struct SearchCursor {
        var line: Int
        var index: String.Index
        /// The column of `index` on its line (1-based, in Unicode scalars).
        var column: Int
    }

    /// Finds the line and column of a link destination: cmark gives positions only for blocks, so the
    /// enclosing block's lines are searched for `](destination`.
    fileprivate static func position(
        of destination: String, near node: OpaquePointer, in lines: [Substring], base: SourceLocation,
        claimed: inout Set<SourceLocation>, cursors: inout [String: SearchCursor]
    ) -> SourceLocation {
        var block: OpaquePointer? = node
        while let current = block, cmark_node_get_start_line(current) == 0 { block = cmark_node_parent(current) }
        let firstLine = block.map { Int(cmark_node_get_start_line($0)) } ?? 1
        let lastLine = block.map { max(Int(cmark_node_get_end_line($0)), firstLine) } ?? lines.count
        let fallback = SourceLocation(path: base.path, line: base.line + max(firstLine, 1) - 1, column: 1)
        guard !destination.isEmpty, firstLine >= 1, firstLine <= lines.count else { return fallback }
        let needles = ["](" + destination, "](<" + destination, "]: " + destination]
        for needle in needles {
            // Foundation's search recounts UTF-16 offsets on every call; an ASCII needle can be found in the bytes.
            let needleIsASCII = needle.utf8.allSatisfy { $0 < 0x80 }
            var cursor = cursors[needle] ?? SearchCursor(line: firstLine, index: lines[firstLine - 1].startIndex, column: 1)
            if cursor.line < firstLine { cursor = SearchCursor(line: firstLine, index: lines[firstLine - 1].startIndex, column: 1) }
            while cursor.line <= min(lastLine, lines.count) {
                let line = lines[cursor.line - 1]
                while let range = needleIsASCII ? line[cursor.index...].fastRange(of: needle) : line[cursor.index...].range(of: needle) {
                    cursor.column += line.unicodeScalars[cursor.index..<range.lowerBound].count
                    cursor.index = range.lowerBound
                    let candidate = SourceLocation(path: base.path, line: base.line + cursor.line - 1, column: cursor.column + 2)
                    // Step past this occurrence's first character, so the next search finds the next one.
                    cursor.column += 1
                    cursor.index = line.unicodeScalars.index(after: cursor.index)
                    if claimed.insert(candidate).inserted {
                        cursors[needle] = cursor
                        return candidate
                    }
                }
                cursor.line += 1
                if cursor.line <= lines.count { cursor.index = lines[cursor.line - 1].startIndex }
                cursor.column = 1
            }
        }
        return fallback
    }

    private static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(child)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, let literal = cmark_node_get_literal(child) {
                text += String(cString: literal)
            }
        }
        return text
    }

    /// A fragment id from heading text: lower-case ASCII letters and digits joined by single hyphens.
    static func slugify(_ text: String) -> String {
        let slug = Slug.make(text)
        if let first = slug.unicodeScalars.first, ("0"..."9").contains(first) { return "s-" + slug }
        return slug
    }
}
