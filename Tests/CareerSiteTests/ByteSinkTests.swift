import Foundation
import Testing

@testable import CareerSite

@Suite struct ByteSinkTests {
    /// Random appends, inserts and removals of every kind, checked after each step against an array doing the same; sizes
    /// cross the sink's growth steps many times, and one piece is larger than a mapped block (256 KB).
    @Test func aSinkHoldsWhatAnArrayWouldHold() {
        var generator = SplitMix64(seed: 11)
        for round in 0..<40 {
            let sink = ByteSink(capacity: Int(generator.next() % 3) * 7)
            var expected: [UInt8] = []
            for step in 0..<60 {
                let length = round == 0 && step == 30 ? 300_000 : Int(generator.next() % 90)
                let piece = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                switch generator.next() % 7 {
                case 0:
                    sink.append(piece)
                    expected += piece
                case 1:
                    piece.withUnsafeBufferPointer { sink.append($0) }
                    expected += piece
                case 2:
                    sink.append(Data(piece))
                    expected += piece
                case 3:
                    let text = String(repeating: "é–a", count: length % 7)
                    sink.append(text)
                    expected += Array(text.utf8)
                case 4:
                    let at = Int(generator.next() % UInt64(expected.count + 1))
                    sink.insert(piece, at: at)
                    expected.insert(contentsOf: piece, at: at)
                case 5:
                    let removed = Int(generator.next() % UInt64(expected.count + 1))
                    sink.removeFirst(removed)
                    expected.removeFirst(removed)
                    #expect(sink.withBytes { Array($0) } == expected)
                default:
                    sink.append(piece.first ?? 0)
                    expected.append(piece.first ?? 0)
                }
                #expect(sink.count == expected.count)
                if let last = expected.indices.last { #expect(sink[last] == expected[last]) }
            }
            #expect(sink.isEmpty == expected.isEmpty)
            #expect([UInt8](sink.takeData()) == expected)
            // Taking hands the buffer over: the sink is empty, and it can be filled again.
            #expect(sink.count == 0 && sink.isEmpty)
            sink.append([1, 2, 3])
            #expect([UInt8](sink.takeData()) == [1, 2, 3])
        }
        #expect(ByteSink().takeData().isEmpty)
    }

    /// A sink with a drain hands on, in order, exactly the bytes appended, and never holds more than its capacity:
    /// what it held goes on when the next append does not fit, and an append larger than the sink goes on whole.
    @Test func aDrainingSinkHandsOnWhatWasAppendedWithoutGrowing() {
        var generator = SplitMix64(seed: 3)
        for capacity in [1, 7, 64, 1_000] {
            var received: [UInt8] = []
            var pieces: [Int] = []
            var expected: [UInt8] = []
            let sink = ByteSink(capacity: capacity) { piece in
                received += piece
                pieces.append(piece.count)
            }
            for _ in 0..<300 {
                let length = Int(generator.next() % UInt64(2 * capacity + 2))
                let piece = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let before = sink.count
                if generator.next() % 3 == 0, let first = piece.first {
                    sink.append(first)
                    expected.append(first)
                    #expect(sink.count == (before == capacity ? 1 : before + 1))
                } else {
                    sink.append(piece)
                    expected += piece
                    #expect(sink.count == (capacity - before >= length ? before + length : length > capacity ? 0 : length))
                }
                #expect(received + sink.withBytes { Array($0) } == expected)
                #expect(sink.count <= capacity)
            }
            sink.flush()
            #expect(sink.count == 0)
            #expect(received == expected)
            #expect(pieces.allSatisfy { $0 > 0 })
            sink.flush()
            #expect(received == expected)
        }
    }

    /// Escaping into the sink writes what `HTML.escape` returns: special bytes at the ends, side by side and
    /// between non-ASCII characters, small (inline) strings and large ones, and random mixes of them.
    @Test func escapingIntoASinkWritesWhatHTMLEscapeReturns() {
        var texts = [
            "", "plain", "&", "<>", "a&b", "\"'\"", "people's", "é<ü>&—'", "&amp; stays &amp;amp;",
            String(repeating: "Tom & Jerry's <show> ", count: 40),
        ]
        var generator = SplitMix64(seed: 5)
        let alphabet: [Character] = ["a", " ", "&", "<", ">", "\"", "'", "é", "—", "😀"]
        for _ in 0..<200 {
            let length = Int(generator.next() % 40)
            texts.append(String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
        }
        // Runs of ordinary bytes, passed over eight at a time, with specials at every offset.
        let pieces = ["plain text", "a", "%", "=", "~", "&", "<", ">", "\"", "'", "é", "—", "😀"]
        for _ in 0..<500 {
            texts.append((0..<Int(generator.next() % 24)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined())
        }
        for text in texts {
            let sink = ByteSink()
            sink.append("x")
            sink.appendEscaped(text)
            #expect(String(decoding: sink.takeData(), as: UTF8.self) == "x" + HTML.escape(text), "\(text)")
        }
        #expect(HTML.escape("a&<>\"'") == "a&amp;&lt;&gt;&quot;&#39;")
    }

    /// The eight-byte tests say "yes" exactly when a byte-by-byte look would: for every byte value and limit, in
    /// every position, among random others.
    @Test func eightByteTestsAgreeWithLookingAtEachByte() {
        var generator = SplitMix64(seed: 8)
        for _ in 0..<3_000 {
            var bytes = (0..<8).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Often mostly ASCII letters, like text.
            if generator.next() % 2 == 0 { bytes = bytes.map { $0 % 2 == 0 ? 0x61 + $0 % 26 : $0 } }
            let word = bytes.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { EightBytes.load($0, at: 0) } ?? 0 }
            for value in 0...255 {
                let byte = UInt8(value)
                #expect((EightBytes.has(byte, in: word) != 0) == bytes.contains(byte), "\(bytes) \(byte)")
                if byte <= 0x80 {
                    #expect((EightBytes.hasBelow(byte, in: word) != 0) == bytes.contains { $0 < byte }, "\(bytes) < \(byte)")
                }
            }
            #expect((EightBytes.hasNonASCII(word) != 0) == bytes.contains { $0 >= 0x80 })
        }
    }

    @Test func runsOfBytesAreEqualOnlyWhenEveryByteIs() {
        func equal(_ a: String, _ b: String) -> Bool {
            Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in ByteSearch.equal(x, y) } }
        }
        #expect(equal("", ""))
        #expect(equal("roles/a.html", "roles/a.html"))
        #expect(!equal("roles/a.html", "roles/b.html"))
        #expect(!equal("roles/a.html", "roles/a.htm"))
        #expect(!equal("", "x"))
        #expect(!equal("x", ""))
    }

    @Test func bytesMatchAPatternOnlyWhereItFits() {
        let bytes = Array("<a href=\"x\">".utf8)
        #expect(ByteSearch.matches("<a ", in: bytes, at: 0))
        #expect(ByteSearch.matches("href=\"", in: bytes, at: 3))
        #expect(ByteSearch.matches("\">", in: bytes, at: bytes.count - 2))
        #expect(!ByteSearch.matches("\">x", in: bytes, at: bytes.count - 2))
        #expect(!ByteSearch.matches("<a", in: bytes, at: -1))
        #expect(!ByteSearch.matches("a", in: bytes, at: bytes.count))
        #expect(ByteSearch.matches("", in: bytes, at: bytes.count))
        #expect(!ByteSearch.matches("href", in: bytes, at: 2))
        bytes.withUnsafeBufferPointer { buffer in
            #expect(ByteSearch.matches("x\"", in: buffer, at: 9))
            #expect(!ByteSearch.matches("x\"", in: UnsafeBufferPointer(rebasing: buffer[..<10]), at: 9))
        }
    }
}
