import Foundation
import Testing

@testable import CareerSite

@Suite struct SourceTextTests {
    @Test func byteOrderMarkIsDroppedAndCRLFFolded() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: A\r\n---\r\nBody\r\n".utf8))
        #expect(try SourceText.decode(data).get() == "---\ntitle: A\n---\nBody\n")
    }

    @Test func invalidUTF8IsReportedAtItsByteOffset() {
        let data = Data(Array("---\nti".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        #expect(SourceText.decode(data) == .failure(.invalidUTF8(byteOffset: 6)))
    }

    @Test func overlongAndSurrogateEncodingsAreInvalid() {
        #expect(SourceText.firstInvalidUTF8Offset([0x41, 0xC0, 0x80]) == 1)
        #expect(SourceText.firstInvalidUTF8Offset([0xED, 0xA0, 0x80]) == 0)
        #expect(SourceText.firstInvalidUTF8Offset(Array("é ✓ 😀".utf8)) == nil)
    }

    /// Decoding takes the standard library's word on whether bytes are UTF-8 and asks `firstInvalidUTF8Offset`
    /// only where it is not: the two must agree on every input, with and without a line end to fold. Random bytes
    /// near the edges of the encoding (lead bytes, continuations, surrogates, overlong forms, beyond U+10FFFF).
    @Test func decodingAgreesWithTheOffsetSearchOnRandomBytes() {
        let pieces: [[UInt8]] = [
            [0x41], [0x0A], [0x0D], [0x80], [0xBF], [0xC0, 0x80], [0xC2, 0xA0], [0xDF, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], [0xC3], [0xE2, 0x80],
        ]
        var generator = SplitMix64(seed: 17)
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 6)
            let bytes = (0..<count).flatMap { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
            let expected = SourceText.firstInvalidUTF8Offset(bytes)
            switch SourceText.decode(Data(bytes)) {
            case .success: #expect(expected == nil, "\(bytes)")
            case .failure(.invalidUTF8(let offset)): #expect(expected == offset, "\(bytes)")
            case .failure(let other): Issue.record("\(bytes): \(other)")
            }
        }
    }

    @Test func utf16AndNulBytesAreRefused() {
        #expect(SourceText.decode(Data([0xFF, 0xFE, 0x2D, 0x00])) == .failure(.utf16))
        #expect(SourceText.decode(Data([0x2D, 0x00, 0x2D])) == .failure(.nulByte(byteOffset: 1)))
    }
}

@Suite struct FrontMatterSplitterTests {
    @Test func splitsOnLinesThatAreExactlyThreeHyphens() throws {
        let document = try FrontMatterSplitter.split("---\ntitle: A\n---\nIntro\n\n---\n\nMore\n").get()
        #expect(document.yaml == "title: A")
        #expect(document.yamlFirstLine == 2)
        #expect(document.body == "Intro\n\n---\n\nMore\n")
        #expect(document.bodyFirstLine == 4)
    }

    @Test func hyphensInsideALineDoNotCloseTheBlock() throws {
        let document = try FrontMatterSplitter.split("---\ntitle: a---b\n--- \nsummary: x\n---\n").get()
        #expect(document.yaml == "title: a---b\n--- \nsummary: x")
        #expect(document.body == "")
    }

    @Test func missingOpeningClosingAndEmptyAreDistinguished() {
        #expect(FrontMatterSplitter.split("title: A\n") == .failure(.missingOpening))
        #expect(FrontMatterSplitter.split("---\ntitle: A\n") == .failure(.missingClosing(openingLine: 1)))
        #expect(FrontMatterSplitter.split("\n  \n") == .failure(.empty))
    }
}

/// The byte-level front-matter splitter must cut exactly where the original line-based one did.
@Suite struct FrontMatterSplitterEquivalenceTests {
    /// The first implementation, kept as the reference: split into lines, find the fences, join.
    static func reference(_ text: String) -> Result<SplitDocument, FrontMatterSplitter.Failure> {
        if text.allSatisfy({ $0 == "\n" || $0 == " " || $0 == "\t" }) { return .failure(.empty) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == "---" else { return .failure(.missingOpening) }
        guard let closing = lines.dropFirst().firstIndex(of: "---") else { return .failure(.missingClosing(openingLine: 1)) }
        let yaml = lines[1..<closing].joined(separator: "\n")
        var body = lines[(closing + 1)...].joined(separator: "\n")
        if !body.isEmpty { body += "\n" }
        return .success(SplitDocument(yaml: yaml, yamlFirstLine: 2, body: body, bodyFirstLine: closing + 2))
    }

    @Test func agreesWithTheLineBasedSplitterOnManyTexts() {
        let pieces = ["---", "\n", "-", "a: 1", " ", "\t", "é", "--", "----", "\n\n", "x"]
        var random = SplitMix64(seed: 7)
        var checked = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int(random.next() % 12) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            #expect(FrontMatterSplitter.split(text) == Self.reference(text), "\(text.debugDescription)")
            checked += 1
        }
        for text in ["---", "---\n", "---\n---", "---\n---\n", "---\n---\n\n", "---\n---\n\n\n", "---\na\n---\nbody", "---\n\n---\n"] {
            #expect(FrontMatterSplitter.split(text) == Self.reference(text), "\(text.debugDescription)")
        }
        #expect(checked == 20_000)
    }

    /// Undecodable files were reported at 1:1 with a byte offset, which editors do not show.
    @Test func badBytesAreReportedAtTheirLineAndColumn() {
        func diagnostics(_ bytes: [UInt8]) -> [String] {
            var found: [Diagnostic] = []
            _ = ContentLoader.document(from: Data(bytes), display: "Content/pages/x.md", kind: .page, id: "x", diagnostics: &found)
            return found.map(\.description)
        }
        // "é€x" then 0xFF: columns count characters, not bytes.
        #expect(
            diagnostics(Array("---\ntitle: é€x".utf8) + [0xFF]) == [
                "Content/pages/x.md:2:11: error: this file is not valid UTF-8 (first bad byte 0xFF at offset 17); save it as UTF-8"
            ])
        // A byte-order mark is not a column.
        #expect(
            diagnostics([0xEF, 0xBB, 0xBF] + Array("ab\ncd".utf8) + [0]) == [
                "Content/pages/x.md:2:3: error: this file contains a NUL byte at offset 8; it is not a text file"
            ])
    }
}
