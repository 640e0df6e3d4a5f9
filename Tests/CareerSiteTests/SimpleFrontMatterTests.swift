import Foundation
import Testing

@testable import CareerSite

@Suite struct SimpleFrontMatterTests {
    /// The simple reader's result, which must be exactly what Yams' path makes of the same text; nil when the
    /// simple reader left the text to Yams.
    func checked(_ yaml: String, firstLine: Int = 2, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> YAMLNode? {
        guard let simple = SimpleFrontMatter.parse(yaml, path: "x.md", firstLine: firstLine) else { return nil }
        switch YAMLReader.parseWithYams(yaml, path: "x.md", firstLine: firstLine) {
        case .success(let node): #expect(node == simple, "\(yaml)", sourceLocation: sourceLocation)
        case .failure(let diagnostic):
            Issue.record("Yams refused what the simple reader read: \(diagnostic)\n\(yaml)", sourceLocation: sourceLocation)
        }
        return simple
    }

    /// Every shipped content file and every kind of synthetic file takes the simple path, and gets Yams' result.
    @Test func contentFilesAreReadAsYamsReadsThem() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let content = root.appendingPathComponent("Content")
        var texts: [String] = []
        let files = try #require(FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "md" { texts.append(try String(contentsOf: url, encoding: .utf8)) }
        #expect(texts.count > 100)
        texts += Synthesizer.files(roles: 60, seed: 5).map(\.contents)
        for text in texts {
            guard case .success(let split) = FrontMatterSplitter.split(text) else {
                Issue.record("no front matter in \(text.prefix(80))")
                continue
            }
            #expect(checked(split.yaml, firstLine: split.yamlFirstLine) != nil, "\(split.yaml)")
        }
    }

    @Test func positionsCountCharactersAndLinesAsYamsDoes() throws {
        let yaml =
            "title: \"Café – “quoted”\"\nsettings: [\"é\",  \"𝄞 x\" , \"z\"]\n\nlevels:\n  a-b: \"x\"\n  c_d: 12\nsteps:\n- role: \"r\"\n  via: \"v\"\n- \"s\"\n"
        let node = try #require(checked(yaml, firstLine: 5))
        guard case .mapping(let entries, let location) = node else {
            Issue.record("not a map")
            return
        }
        #expect(location == CareerSite.SourceLocation(path: "x.md", line: 5, column: 1))
        #expect(entries.map(\.key) == ["title", "settings", "levels", "steps"])
        guard case .sequence(let items, _) = entries[1].value, case .scalar(let text, false, let second) = items[1] else {
            Issue.record("settings is not a list of quoted scalars")
            return
        }
        #expect(text == "𝄞 x")
        #expect(second == CareerSite.SourceLocation(path: "x.md", line: 6, column: 18))
    }

    /// Documents made from the shapes the reader knows and from ones it must leave to Yams. Whenever it reads one,
    /// the result must be Yams' (`checked`); both outcomes must occur.
    @Test func generatedFrontMatterIsReadAsYamsReadsItOrLeftToYams() {
        let good = [
            "\"plain text\"", "\"Café – ’quoted’ 𝄞\"", "\"\"", "\"a: b # c\"", "2", "7.5", "2026-01-15", "null", "yes", "word",
            "two  spaces", "[\"a\", \"b\"]", "[]", "[ ]", "[\"a\" ,\"b\" ]", "[\"é\",\"𝄞\"]", "\"ok\u{A0}nbsp\"",
        ]
        let bad = [
            "~", "[\"a\",]", "[a, b]", "\"esc\\\"aped\"", "'single'",
            "\"open", "x # comment", "a:b", "-1", "trailing ", "\"a\" ", "\"a\"\t", "|", ">", "&anchor x", "*alias", "!tag x",
            "\"tab\tin\"",
            "\"nel\u{85}in\"", "\"ls\u{2028}in\"", "\"bom\u{FEFF}in\"", "\"bell\u{7}\"", "\"del\u{7F}\"", "\"c1\u{9F}\"",
        ]
        var generator = SplitMix64(seed: 21)
        func pick<T>(_ list: [T]) -> T { list[Int(generator.next() % UInt64(list.count))] }
        // Mostly what the reader knows, with a mistake now and then, so both outcomes are common.
        func mistake() -> Bool { generator.next() % 40 == 0 }
        var keyNumber = 0
        func key() -> String {
            keyNumber += 1
            return mistake()
                ? pick(["-x", "a.b", "\"q\"", "x y", "title"]) : pick(["title", "summary", "a-b", "c_d", "9lives"]) + "\(keyNumber)"
        }
        func value() -> String { mistake() ? pick(bad) : pick(good) }
        func block(indent: Int, depth: Int) -> String {
            let pad = String(repeating: " ", count: indent)
            var lines: [String] = []
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let key = key()
                switch generator.next() % (mistake() ? 7 : 3) {
                case 0 where depth < 3:
                    lines.append("\(pad)\(key):\n" + block(indent: indent + 2 + Int(generator.next() % 2), depth: depth + 1))
                case 1 where depth < 3:
                    let listPad = pad + String(repeating: " ", count: Int(generator.next() % 3))
                    var items: [String] = []
                    for _ in 0..<(1 + Int(generator.next() % 3)) {
                        if generator.next() % 2 == 0 {
                            items.append("\(listPad)- \(mistake() ? pick(bad) : pick(good.filter { $0.hasPrefix("\"") }))")
                        } else {
                            let inner = block(indent: listPad.count + 2, depth: depth + 1)
                            items.append(listPad + "- " + inner.dropFirst(listPad.count + 2))
                        }
                    }
                    lines.append("\(pad)\(key):\n" + items.joined(separator: "\n"))
                case 3:
                    lines.append("\(pad)\(key): \(value())\n\(pad)  continued")
                case 4:
                    lines.append("\(pad)\(key): \(value()) # note")
                case 5:
                    lines.append("\(pad)\(key):")
                case 6:
                    lines.append("")
                default:
                    lines.append("\(pad)\(key): \(value())")
                }
            }
            return lines.joined(separator: "\n")
        }
        var read = 0
        var left = 0
        for round in 0..<3_000 {
            var yaml = block(indent: 0, depth: 0)
            if round % 7 == 0 { yaml += "\n" }
            if round % 11 == 0 { yaml = "\n\n" + yaml }
            if round % 53 == 0 { yaml = yaml.replacingOccurrences(of: "\n", with: "\r\n") }
            if checked(yaml) != nil { read += 1 } else { left += 1 }
        }
        #expect(read > 300)
        #expect(left > 300)
    }

    /// The cases it must leave to Yams, because Yams reads them differently or reports an error.
    @Test func anythingElseIsLeftToYams() {
        let cases = [
            "", "\n", "# comment\ntitle: \"x\"", "title: \"x\" # c", "title: x:y", "title: \"a\\nb\"", "title: 'x'", "title: |\n  x",
            "title: \"a\n  b\"", "title: a\n  b", "title: \"x\"\ntitle: \"y\"", "\u{FEFF}title: \"x\"", "title:\tx", "title: \"x\"\r\n",
            "title:", "title:\nsummary: \"x\"", "  title: \"x\"", "list:\n  - a", "- \"x\"", "title: [\"a\", b]", "title: [\"a\"] x",
            "title: \"x\"\n   \n", "k: &a \"x\"", "title: \"x\"\n  extra: \"y\"",
        ]
        for yaml in cases { #expect(SimpleFrontMatter.parse(yaml, path: "x.md", firstLine: 2) == nil, "\(yaml)") }
    }
}
