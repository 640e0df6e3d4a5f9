@testable import CareerSite

/// Applies seeded random mutations to a content folder held in memory (relative path -> bytes), logging each one
/// in words so a failing case can be read and replayed.
///
/// The mutations are the ways people and tools break content: byte and line edits, lost `---` fences, tabs,
/// unbalanced quotes, duplicate keys, wrong types, unknown references, invalid UTF-8 and NUL bytes, other encodings,
/// huge values, deep nesting, anchors and aliases, bad links in Markdown, and renamed, deleted, emptied or added files.
struct Mutator {
    var random: SplitMix64
    var files: [String: [UInt8]]
    private(set) var log: [String] = []

    init(random: SplitMix64, files: [String: [UInt8]]) {
        self.random = random
        self.files = files
    }

    mutating func mutateOnce() {
        let kinds: [(weight: Int, apply: (inout Mutator) -> Void)] = [
            (14, { $0.editBytes() }),
            (14, { $0.editLines() }),
            (5, { $0.breakFences() }),
            (4, { $0.insertTab() }),
            (4, { $0.unbalanceQuote() }),
            (5, { $0.duplicateKey() }),
            (8, { $0.replaceValue(with: Self.wrongValues) }),
            (8, { $0.replaceReference() }),
            (4, { $0.insertInvalidUTF8() }),
            (2, { $0.insertBytes([0], why: "a NUL byte") }),
            (2, { $0.insertHugeValue() }),
            (3, { $0.insertDeepNesting() }),
            (4, { $0.insertAnchorsAndAliases() }),
            (3, { $0.changeEncoding() }),
            (6, { $0.insertBodyLink() }),
            (5, { $0.renameFile() }),
            (4, { $0.deleteFile() }),
            (3, { $0.emptyFile() }),
            (5, { $0.addFile() }),
        ]
        kinds[random.weighted(kinds.map(\.weight))].apply(&self)
    }

    // MARK: Choosing where

    private mutating func pickFile() -> String? {
        let paths = files.keys.sorted()
        let documents = paths.filter { $0.hasSuffix(".md") }
        if !documents.isEmpty, random.chance(0.95) { return random.pick(documents) }
        return paths.isEmpty ? nil : random.pick(paths)
    }

    private static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    private static func joined(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [0x0A]))
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Indices of the lines between the opening and closing `---` (all lines when there is no front matter).
    private static func frontMatterLines(_ lines: [[UInt8]]) -> Range<Int> {
        let fence = Array("---".utf8)
        guard lines.first == fence, let closing = lines.dropFirst().firstIndex(of: fence) else { return 0..<lines.count }
        return 1..<closing
    }

    /// Indices of front-matter lines that hold `key:` (possibly indented or after `- `).
    private static func keyLines(_ lines: [[UInt8]]) -> [Int] {
        frontMatterLines(lines).filter { index in
            let line = text(lines[index]).drop { $0 == " " || $0 == "-" }
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else { return false }
            return line[..<colon].allSatisfy { $0.isLetter || $0 == "_" || $0 == "-" }
        }
    }

    private mutating func editFile(_ why: String, _ edit: (inout Mutator, inout [UInt8]) -> String?) {
        guard let path = pickFile(), var bytes = files[path] else { return }
        guard let detail = edit(&self, &bytes) else { return }
        files[path] = bytes
        log.append("\(path): \(why)\(detail.isEmpty ? "" : " " + detail)")
    }

    private mutating func editLines(_ why: String, _ edit: (inout Mutator, inout [[UInt8]]) -> String?) {
        editFile(why) { mutator, bytes in
            var lines = Self.lines(bytes)
            guard let detail = edit(&mutator, &lines) else { return nil }
            bytes = Self.joined(lines)
            return detail
        }
    }

    /// Inserts `line` as a new line somewhere in the front matter (or anywhere, now and then).
    private mutating func insertLine(_ line: String, why: String) {
        editLines(why) { mutator, lines in
            let range = Self.frontMatterLines(lines)
            let index =
                mutator.random.chance(0.85)
                ? mutator.random.int(in: range.lowerBound...range.upperBound) : mutator.random.int(in: 0...lines.count)
            lines.insert(Array(line.utf8), at: index)
            return "at line \(index + 1): \(String(line.prefix(80)).debugDescription)"
        }
    }

    // MARK: Bytes and lines

    static let interestingBytes: [UInt8] = Array(":-\"'[]{}\t\n#&*!|>%@`, ?\\~=".utf8) + [0x61, 0x7A, 0x30, 0x0D, 0xC3, 0xA9, 0xFF]

    private mutating func editBytes() {
        editFile("bytes") { mutator, bytes in
            let offset = mutator.random.int(in: 0...bytes.count)
            let length = mutator.random.int(in: 1...8)
            switch mutator.random.below(5) {
            case 0:
                let end = min(bytes.count, offset + length)
                bytes.removeSubrange(offset..<end)
                return "deleted \(end - offset) at \(offset)"
            case 1:
                let inserted = (0..<length).map { _ in mutator.random.pick(Self.interestingBytes) }
                bytes.insert(contentsOf: inserted, at: offset)
                return "inserted \(inserted) at \(offset)"
            case 2:
                let end = min(bytes.count, offset + length * 4)
                bytes.insert(contentsOf: bytes[offset..<end], at: offset)
                return "duplicated \(end - offset) at \(offset)"
            case 3:
                guard !bytes.isEmpty else { return nil }
                let a = mutator.random.below(bytes.count)
                let b = mutator.random.below(bytes.count)
                bytes.swapAt(a, b)
                return "swapped \(a) and \(b)"
            default:
                guard offset < bytes.count else { return nil }
                let value = UInt8(truncatingIfNeeded: mutator.random.next())
                bytes[offset] = value
                return "set \(offset) to \(value)"
            }
        }
    }

    static let tokenLines = [
        "---", "...", "title: Another", "title:", "  - nested", "\t- tab", "key: \"unclosed", "key: 'unclosed", "[", "{", "}", "]",
        ": no key", "? complex key", "- list at top", "&anchor", "*alias", "<<: *base", "%YAML 1.1", "%TAG ! tag:x,2000:", "# comment",
        "!!map", "|", ">", "x: y: z", "  indented: more", "unknown_key: value", "order: 2", "order: 1", "code: CL1",
        "next: [community-nurse, community-nurse]", "next: [advanced-nurse]", "levels: {nope: x}", "levels: {}", "steps: []",
        "steps: [{role: nope}]", "steps: [{role: support-worker}, {role: support-worker}]", "capabilities: [assessment, assessment]",
        "settings: [[a]]", "bands: {a: b}", "status: published", "updated: 2026-02-29", "base_url: javascript:alert(1)",
        "base_url: https://example.org/x", "edition:", "stage: registered", "domain: leadership", "summary: |", "  more text",
    ]

    private mutating func editLines() {
        editLines("lines") { mutator, lines in
            let index = mutator.random.below(lines.count)
            switch mutator.random.below(4) {
            case 0:
                lines.remove(at: index)
                return "deleted line \(index + 1)"
            case 1:
                lines.insert(lines[index], at: index)
                return "duplicated line \(index + 1)"
            case 2:
                let other = mutator.random.below(lines.count)
                lines.swapAt(index, other)
                return "swapped lines \(index + 1) and \(other + 1)"
            default:
                let line = mutator.random.pick(Self.tokenLines)
                lines.insert(Array(line.utf8), at: index)
                return "inserted \(line.debugDescription) at line \(index + 1)"
            }
        }
    }

    private mutating func breakFences() {
        editLines("fences") { mutator, lines in
            let fences = lines.indices.filter { lines[$0] == Array("---".utf8) }
            switch mutator.random.below(4) {
            case 0 where !fences.isEmpty:
                let index = mutator.random.pick(fences)
                lines.remove(at: index)
                return "dropped the '---' on line \(index + 1)"
            case 1 where !fences.isEmpty:
                let index = mutator.random.pick(fences)
                lines[index] = Array(mutator.random.pick(["--- ", " ---", "----", "--", "---x", "***"]).utf8)
                return "changed the '---' on line \(index + 1) to \(Self.text(lines[index]).debugDescription)"
            case 2:
                lines.removeAll { $0 == Array("---".utf8) }
                return "dropped every '---'"
            default:
                lines.insert(Array("---".utf8), at: 0)
                return "added a '---' at the top"
            }
        }
    }

    private mutating func insertTab() {
        editLines("tab") { mutator, lines in
            let index = mutator.random.below(lines.count)
            let column = mutator.random.chance(0.6) ? 0 : mutator.random.int(in: 0...lines[index].count)
            lines[index].insert(0x09, at: column)
            return "at line \(index + 1) column \(column + 1)"
        }
    }

    private mutating func unbalanceQuote() {
        editLines("quote") { mutator, lines in
            guard let index = Self.keyLines(lines).randomElement(using: &mutator.random) else { return nil }
            let quote = mutator.random.pick(["\"", "'", "\"\"\"", "'\"", "\\\""])
            let line = Self.text(lines[index])
            if let colon = line.firstIndex(of: ":") {
                let after = line.index(after: colon)
                let end = mutator.random.chance(0.5) ? after : line.endIndex
                lines[index] = Array((line[..<end] + (end == after ? " " : "") + quote + line[end...]).utf8)
            }
            return "\(quote) in line \(index + 1)"
        }
    }

    private mutating func duplicateKey() {
        editLines("duplicate key") { mutator, lines in
            guard let index = Self.keyLines(lines).randomElement(using: &mutator.random) else { return nil }
            let target = mutator.random.int(in: index...Self.frontMatterLines(lines).upperBound)
            lines.insert(lines[index], at: target)
            return "line \(index + 1) copied to line \(target + 1)"
        }
    }

    static let wrongValues = [
        "[a, b]", "{a: b}", "42", "-1", "99999999999999999999999", "~", "null", "\"\"", "''", "true", "2026-02-30", "2026-1-1",
        "|\n  block\n  text", ">-\n  folded", "[]", "{}", "!!binary aGVsbG8=", "!custom x", "!!int 3", "&a x", "*a", "1e3", ".inf",
        "0x1F", "? x", "- item", "\"\\u0000\"", "\"\\xff\"", "'it''s'", "[a, [b, [c]]]", "draft", "published", "\"3\"", "0", "10",
        "\" \"", "Nursing: the job", "\"#not-a-comment\"", "# comment only", "\"\\uD800\"", "\"\\U0010FFFF\"", "\"\\N\\_\\L\\P\"",
    ]

    private mutating func replaceValue(with values: [String]) {
        editLines("value") { mutator, lines in
            guard let index = Self.keyLines(lines).randomElement(using: &mutator.random) else { return nil }
            let line = Self.text(lines[index])
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = mutator.random.pick(values)
            lines[index] = Array((line[...colon] + " " + value).utf8)
            return "line \(index + 1) now \(String(decoding: lines[index], as: UTF8.self).debugDescription)"
        }
    }

    static let ids = [
        "entry", "registered", "advanced", "entr", "Advanced", "clinical", "leadership", "nursing", "support", "assessment",
        "prescribing", "leading-teams", "support-worker", "community-nurse", "advanced-nurse", "care-navigator", "nursing-route",
        "about", "nope", "role:support-worker", "../roles/x", "ünïcode", "a--b", "-x", "x y", String(repeating: "x", count: 200), "",
    ]

    /// Points a reference (a `stage:`, `domain:` … value, a list item, or a `levels` key) at another id.
    private mutating func replaceReference() {
        editLines("reference") { mutator, lines in
            let candidates = Self.frontMatterLines(lines).filter { index in
                let line = Self.text(lines[index])
                return ["stage:", "profession:", "domain:", "role:"].contains { line.contains($0) } || line.hasPrefix("  ")
            }
            guard let index = candidates.randomElement(using: &mutator.random) else { return nil }
            let line = Self.text(lines[index])
            let id = mutator.random.pick(Self.ids)
            if line.hasPrefix("  - ") && !line.contains(":") {
                lines[index] = Array("  - \(id)".utf8)
            } else if line.hasPrefix("  "), !line.contains("role:"), let colon = line.firstIndex(of: ":") {
                lines[index] = Array(("  \(id)" + line[colon...]).utf8)
            } else if let colon = line.firstIndex(of: ":") {
                lines[index] = Array((line[...colon] + " " + id).utf8)
            } else {
                return nil
            }
            return "line \(index + 1) now \(Self.text(lines[index]).prefix(80).debugDescription)"
        }
    }

    // MARK: Encodings

    static let invalidUTF8: [[UInt8]] = [
        [0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xF0, 0x9F, 0x98],
        [0xFE], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ]

    private mutating func insertInvalidUTF8() {
        let sequence = random.pick(Self.invalidUTF8)
        insertBytes(sequence, why: "invalid UTF-8 \(sequence)")
    }

    private mutating func insertBytes(_ inserted: [UInt8], why: String) {
        editFile(why) { mutator, bytes in
            let offset = mutator.random.chance(0.2) ? bytes.count : mutator.random.int(in: 0...bytes.count)
            bytes.insert(contentsOf: inserted, at: offset)
            return "at \(offset)"
        }
    }

    private mutating func changeEncoding() {
        editFile("encoding") { mutator, bytes in
            switch mutator.random.below(5) {
            case 0:
                bytes = [0xEF, 0xBB, 0xBF] + bytes
                return "UTF-8 byte order mark"
            case 1:
                bytes = [0xFF, 0xFE] + Self.text(bytes).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
                return "UTF-16LE"
            case 2:
                bytes = Array(Self.text(bytes).replacingOccurrences(of: "\n", with: "\r\n").utf8)
                return "CRLF line ends"
            case 3:
                bytes = Array(Self.text(bytes).replacingOccurrences(of: "\n", with: "\r").utf8)
                return "CR line ends"
            default:
                bytes = Array(Self.text(bytes).replacingOccurrences(of: "\n", with: "\u{2028}").utf8)
                return "U+2028 line separators"
            }
        }
    }

    // MARK: Size and structure

    private mutating func insertHugeValue() {
        let count = random.pick([5_000, 20_000, 100_000])
        switch random.below(3) {
        case 0: insertLine("summary: " + String(repeating: "word ", count: count / 5), why: "huge value of \(count) bytes")
        case 1: insertLine("bands:\n" + String(repeating: "  - \"5\"\n", count: count / 8), why: "huge list of \(count / 8) items")
        default:
            editFile("huge body of \(count) bytes") { mutator, bytes in
                let paragraph = mutator.random.pick(["Text *with* [links](role:support-worker). ", "> quote\n", "- item\n", "`code` "])
                bytes += Array(String(repeating: paragraph, count: count / paragraph.utf8.count).utf8)
                return ""
            }
        }
    }

    private mutating func insertDeepNesting() {
        let depth = random.pick([8, 63, 64, 65, 66, 200, 999, 1000, 1001, 3000])
        let line: String
        switch random.below(4) {
        case 0: line = "settings: " + String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth)
        case 1: line = "levels: " + String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
        case 2:
            let levels = min(depth, 300)
            line = "levels:\n" + (1...levels).map { String(repeating: "  ", count: $0) + "a:" }.joined(separator: "\n") + " x"
        default: line = "settings: " + String(repeating: "[", count: depth)
        }
        insertLine(line, why: "nesting \(depth) deep")
    }

    private mutating func insertAnchorsAndAliases() {
        let snippets = [
            "base: &b {title: x}\nother: *b", "title: &t Nurse\nsummary: *t", "<<: *nope", "title: *undefined", "a: &a [*a]",
            "title: &x\n", "levels: &l {entry: x}\nnext: *l", "summary: !!str &s text",
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                + "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
            "? &k key\n: value", "&root\ntitle: x",
        ]
        insertLine(random.pick(snippets), why: "anchors and aliases")
    }

    static let bodyLinks = [
        "[a](role:nope)", "[a](role:support-worker#nope)", "[a](#nope)", "[a](stage:entry)", "[a](assets/missing.png)",
        "![a](assets/ladder.svg#x)", "[a](../x.html)", "[a](javascript:alert(1))", "[a](x-careers:role/x)", "<script>alert(1)</script>",
        "[a](<role:support-worker>)", "[a]\n\n[a]: role:nope", "[a](mailto:x)", "[a](HTTPS://x)", "[a](data:text/html,x)",
        "[a](page:about#)", "[a](role:support-worker#)", "[a](Role:support-worker)", "[a](role:)", "[a](:x)", "[a](assets/)",
        "[a](assets/ladder.svg?x=1)", "[a](//example.org)", "[a](/absolute)", "[a](capability:assessment#levels)",
        "[a](route:nursing-route#steps)", "[a](%72ole:nurse)", "[a](role:support-worker#a b)", "[a](role:support&amp;worker)",
        "<a href=\"role:nope\">x</a>", "[a](role:care-navigator\"onmouseover=x)", "![a](https://example.org/x.png)",
    ]

    mutating func insertBodyLink() {
        let link = random.pick(Self.bodyLinks)
        editFile("link") { _, bytes in
            bytes += Array("\n\(link)\n".utf8)
            return link.debugDescription
        }
    }

    // MARK: Files

    private mutating func renameFile() {
        guard let path = pickFile(), let bytes = files[path] else { return }
        let name = String(path.split(separator: "/").last ?? "")
        let folder = path.contains("/") ? String(path.dropLast(name.count + 1)) : ""
        let targets = [
            "\(folder)/renamed-\(random.below(3)).md", "\(folder)/Bad Name.md", "\(folder)/UPPER.md", "\(folder)/-lead.md",
            "\(folder)/a--b.md", "\(folder)/\(String(repeating: "x", count: 70)).md", "\(folder)/\(name).bak", "\(folder)/.\(name)",
            "\(folder)/x.MD", "\(folder)/ünï.md", "stages/\(name)", "roles/\(name)", "capabilities/\(name)", "\(folder)/sub/\(name)",
            name, "role/\(name)", "\(path)/inner.md", "framework.md", "assets/\(name)", "roles/support-worker.md",
        ].map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        let target = random.pick(targets)
        guard target != path, !files.keys.contains(where: { $0.hasPrefix(target + "/") || target.hasPrefix($0 + "/") }) else { return }
        files[path] = nil
        files[target] = bytes
        log.append("renamed \(path) to \(target)")
    }

    private mutating func deleteFile() {
        guard let path = pickFile() else { return }
        files[path] = nil
        log.append("deleted \(path)")
    }

    private mutating func emptyFile() {
        guard let path = pickFile() else { return }
        let contents = random.pick(["", "   \n\t\n", "---\n---\n", "---\n", "---\n~\n---\n", "---\n- a\n---\n", "---\nplain\n---\n", "\n"])
        files[path] = Array(contents.utf8)
        log.append("\(path) now \(contents.debugDescription)")
    }

    private mutating func addFile() {
        let sources = files.keys.sorted()
        let copied = sources.isEmpty ? [] : files[random.pick(sources)] ?? []
        let path = random.pick([
            "roles/new-role.md", "stages/new-stage.md", "capabilities/new.md", "routes/new.md", "assets/site.css",
            "assets/search-index.js", "assets/data/framework.json", "notes.txt", "roles/readme.txt", "roles/extra.md/inner.md",
            "assets/deep/a/b/c.png", ".DS_Store", "roles/.hidden.md", "Stages/x.md", "pages/index.md", "pages/404.md",
            "routes/matrix.md",
        ])
        guard !files.keys.contains(where: { $0.hasPrefix(path + "/") || path.hasPrefix($0 + "/") }) else { return }
        files[path] = copied
        log.append("added \(path) (\(copied.count) bytes copied from another file)")
    }
}

extension Array {
    /// A random element drawn from the seeded generator (nil when empty).
    fileprivate func randomElement(using random: inout SplitMix64) -> Element? {
        isEmpty ? nil : self[random.below(count)]
    }
}
