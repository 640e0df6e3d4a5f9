/// Plain text from the HTML that `MarkdownRenderer` produces, for search and data exports.
///
/// Tags are dropped (so link placeholders, which only ever appear inside `href` and `src` attributes, go with
/// them); an image keeps its `alt` text; block-level tags and `<br>` become a space so words in separate
/// paragraphs, list items or cells never run together; the character references cmark emits (`&amp;` `&lt;`
/// `&gt;` `&quot;` `&#39;`, and any numeric one) are decoded; runs of whitespace become one space and the ends
/// are trimmed. Curly quotes and other characters stay as they are.
///
/// The input is trusted generator output (cmark in safe mode), not arbitrary HTML: the only comments are the
/// `<!-- raw HTML omitted -->` that cmark writes in place of raw HTML (dropped without a space), and there are
/// no scripts or CDATA sections; quoted attribute values are still skipped correctly.
///
/// It works on UTF-8 bytes in one pass (every byte it looks for is ASCII or starts a whitespace character, so it
/// never splits a character), writing straight into the string's storage: the data files convert every role's
/// body, so this is on the build's hot path. Most bytes are copied by a loop that tests each against one table;
/// only tags, references and whitespace leave it. (Made in two passes, the text then its whitespace, through a
/// growing array, it took 22 instructions a byte, 4 % of a build of 2,000 roles.)
enum PlainText {
    static func from(html: String) -> String {
        guard !html.isEmpty else { return "" }
        var html = html
        return html.withUTF8 { bytes in
            plainBytes.withUnsafeBufferPointer { plain in
                // The text is never longer than the HTML: a tag, a reference or a run of whitespace always becomes
                // fewer bytes than it had, and an image's alt text comes from inside its tag.
                String(unsafeUninitializedCapacity: bytes.count) { output in
                    var text = Collapser(output: output)
                    var index = 0
                    while index < bytes.count {
                        var byte = bytes[index]
                        if plain[Int(byte)] != 0 {
                            // A run of bytes that are copied as they are.
                            text.flushSpace()
                            repeat {
                                text.append(byte)
                                index += 1
                                guard index < bytes.count else { break }
                                byte = bytes[index]
                            } while plain[Int(byte)] != 0
                            continue
                        }
                        if byte == UInt8(ascii: "&") {
                            index = decodeReference(in: bytes, at: index, into: &text)
                            continue
                        }
                        if byte != UInt8(ascii: "<") {
                            index = text.take(bytes, at: index)
                            continue
                        }
                        guard let end = tagEnd(in: bytes, from: index) else {
                            text.flushSpace()
                            text.append(byte)
                            index += 1
                            continue
                        }
                        let tag = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])
                        let name = tagName(of: tag)  // packed: see `packedName`
                        if name == Self.imageName, let alt = attribute("alt", in: tag) {
                            text.space()
                            var at = 0
                            while at < alt.count {
                                if alt[at] == UInt8(ascii: "&") {
                                    at = decodeReference(in: alt, at: at, into: &text)
                                } else {
                                    at = text.take(alt, at: at)
                                }
                            }
                            text.space()
                        } else if name != 0, !inlineTags.contains(name) {
                            text.space()
                        }
                        index = end + 1
                    }
                    return text.written
                }
            }
        }
    }

    /// Text written into a buffer with runs of whitespace made one space and none at either end: a space is
    /// written only when text follows it.
    private struct Collapser {
        let output: UnsafeMutableBufferPointer<UInt8>
        var written = 0
        /// Whether whitespace came after the text written so far.
        var pendingSpace = false

        /// Whitespace (or a tag that separates words): one space, if text comes after it.
        mutating func space() { pendingSpace = written > 0 }

        /// Before text: the space that whitespace before it stood for.
        mutating func flushSpace() {
            if pendingSpace {
                append(PlainText.space)
                pendingSpace = false
            }
        }

        /// A byte of text, after `flushSpace`.
        mutating func append(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }

        /// What starts at `index` of `bytes`: a whitespace character, which becomes a space, or a byte of text.
        /// Returns the index after it.
        mutating func take(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
            let width = PlainText.whitespaceWidth(bytes, at: index)
            if width > 0 {
                space()
                return index + width
            }
            flushSpace()
            append(bytes[index])
            return index + 1
        }

        /// Text that may hold whitespace (a decoded reference, a title), whole characters.
        mutating func appendCollapsing(_ bytes: UnsafeBufferPointer<UInt8>) {
            var index = 0
            while index < bytes.count { index = take(bytes, at: index) }
        }
    }

    /// For each byte value, 1 when the byte is copied as it is: not `<`, `&`, ASCII whitespace or a control
    /// character, nor the first byte of a non-ASCII whitespace character (0xC2, 0xE1, 0xE2, 0xE3; see
    /// `nonASCIIWhitespaceWidth`). The others go the slow way, which copies them too when they turn out to be
    /// ordinary.
    private static let plainBytes: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        let byte = UInt8(value)
        let special = byte <= 0x20 || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == 0xC2
        return special || (0xE1...0xE3).contains(byte) ? 0 : 1
    }

    /// The length in bytes of the whitespace character at `index`, or 0 when there is none.
    private static func whitespaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return byte == 0x20 || (0x09...0x0D).contains(byte) ? 1 : 0 }
        return nonASCIIWhitespaceWidth(bytes, at: index)
    }

    private static let space = UInt8(ascii: " ")

    /// Tags that sit inside a run of text, so removing them must not add a space (`<em>x</em>y` is "xy").
    /// Comments and other nameless tags (`<!-- raw HTML omitted -->`, which cmark writes in place of raw
    /// HTML) add no space either.
    private static let inlineTags: [UInt64] = [
        "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
        "sub", "sup", "u", "var",
    ].map(packedName)
    private static let imageName = packedName("img")

    /// A tag name of up to 7 bytes packed into an integer (its bytes, then its length in the top byte), so names
    /// are compared without making strings: this ran for every tag of every description.
    private static func packedName(_ name: String) -> UInt64 {
        var packed: UInt64 = 0
        for (index, byte) in name.utf8.prefix(7).enumerated() { packed |= UInt64(byte) << (8 * UInt64(index)) }
        return packed | UInt64(min(name.utf8.count, 255)) << 56
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    /// The index of the `>` closing the tag that starts at `start`, skipping quoted attribute values; `nil`
    /// when the `<` does not start a tag (a lone `<` in text is always `&lt;` in cmark output, but be safe).
    private static func tagEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let next = start + 1
        guard next < bytes.count else { return nil }
        let first = bytes[next]
        guard first == UInt8(ascii: "/") || first == UInt8(ascii: "!") || first == UInt8(ascii: "?") || isASCIILetter(first) else {
            return nil
        }
        if first == UInt8(ascii: "!"), bytes.count > start + 3, bytes[start + 2] == UInt8(ascii: "-"), bytes[start + 3] == UInt8(ascii: "-")
        {
            // A comment (cmark writes `<!-- raw HTML omitted -->`) ends at the first `-->`.
            var index = start + 4
            while index + 2 < bytes.count {
                if bytes[index] == UInt8(ascii: "-") && bytes[index + 1] == UInt8(ascii: "-") && bytes[index + 2] == UInt8(ascii: ">") {
                    return index + 2
                }
                index += 1
            }
            return nil
        }
        var quote: UInt8?
        var index = next
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Lower-cased element name of a tag's inside (`/p` and `p class="x"` both give `p`), packed as in
    /// `packedName` (0 for no name; names longer than 7 bytes keep their first 7, which is enough to tell them
    /// from the inline tags); bytes of non-ASCII characters count as letters.
    private static func tagName(of tag: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var packed: UInt64 = 0
        var length = 0
        var index = 0
        while index < tag.count, tag[index] == UInt8(ascii: "/") { index += 1 }
        while index < tag.count {
            let byte = tag[index]
            let lower: UInt8
            if isASCIILetter(byte) {
                lower = byte | 0x20
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte >= 0x80 {
                lower = byte
            } else {
                break
            }
            if length < 7 { packed |= UInt64(lower) << (8 * UInt64(length)) }
            length += 1
            index += 1
        }
        return length == 0 ? 0 : packed | UInt64(min(length, 255)) << 56
    }

    /// The bytes of a quoted attribute's value in a tag's inside, still entity-encoded.
    private static func attribute(_ name: String, in tag: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        for quote in [UInt8(ascii: "\""), UInt8(ascii: "'")] {
            let needle = [space] + Array(name.utf8) + [UInt8(ascii: "="), quote]
            guard let start = ByteSearch.first(needle, in: tag) else { continue }
            let valueStart = start + needle.count
            var end = valueStart
            while end < tag.count, tag[end] != quote { end += 1 }
            guard end < tag.count else { return nil }
            return UnsafeBufferPointer(rebasing: tag[valueStart..<end])
        }
        return nil
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
    ]

    /// Decodes named references in `namedEntities` and every numeric reference; anything else stays as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var text = text
        let decoded = text.withUTF8 { bytes -> [UInt8] in
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "&") {
                    index = decodeReference(in: bytes, at: index, into: &result)
                } else {
                    result.append(bytes[index])
                    index += 1
                }
            }
            return result
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Appends the character a reference at `index` (an `&`) stands for, or the `&` itself when it is not one
    /// we decode; returns the index after what was consumed. A reference ends at a `;` within 12 bytes; no
    /// reference contains `<`, so one never reaches into a tag.
    private static func decodeReference(in bytes: UnsafeBufferPointer<UInt8>, at index: Int, into result: inout [UInt8]) -> Int {
        guard let (decoded, next) = reference(in: bytes, at: index) else {
            result.append(UInt8(ascii: "&"))
            return index + 1
        }
        result.append(contentsOf: decoded.utf8)
        return next
    }

    /// The same into plain text, whose whitespace a decoded character (`&nbsp;`, `&#32;`) joins.
    private static func decodeReference(in bytes: UnsafeBufferPointer<UInt8>, at index: Int, into text: inout Collapser) -> Int {
        guard let (decoded, next) = reference(in: bytes, at: index) else {
            text.flushSpace()
            text.append(UInt8(ascii: "&"))
            return index + 1
        }
        var character = decoded
        character.withUTF8 { text.appendCollapsing($0) }
        return next
    }

    /// The character a reference at `index` (an `&`) stands for and the index after it; nil when it is not one we
    /// decode.
    private static func reference(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (String, Int)? {
        let start = index + 1
        var semicolon = start
        let limit = min(bytes.count, start + 12)
        while semicolon < limit, bytes[semicolon] != UInt8(ascii: ";"), bytes[semicolon] != UInt8(ascii: "<") { semicolon += 1 }
        guard semicolon < limit, bytes[semicolon] == UInt8(ascii: ";"),
            let decoded = decodeReference(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<semicolon]), as: UTF8.self))
        else { return nil }
        return (decoded, semicolon + 1)
    }

    private static func decodeReference(_ name: String) -> String? {
        if let named = namedEntities[name] { return named }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let value: UInt32?
        if digits.hasPrefix("x") || digits.hasPrefix("X") {
            value = UInt32(digits.dropFirst(), radix: 16)
        } else {
            value = UInt32(digits, radix: 10)
        }
        guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
        return String(Character(scalar))
    }

    /// Runs of whitespace (including line breaks and no-break spaces) become one space; the ends are trimmed.
    /// ASCII whitespace is matched byte by byte, and the few non-ASCII characters with the Unicode White_Space
    /// property (no-break space, line separator, the typographic spaces …) by their encodings (`Collapser`).
    static func collapseWhitespace(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        var text = text
        return text.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { output in
                var collapsed = Collapser(output: output)
                collapsed.appendCollapsing(bytes)
                return collapsed.written
            }
        }
    }

    /// The length in bytes of the whitespace character that starts with the non-ASCII byte at `index`, or 0 when
    /// there is none.
    private static func nonASCIIWhitespaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        func at(_ offset: Int) -> UInt8 { index + offset < bytes.count ? bytes[index + offset] : 0 }
        switch byte {
        case 0xC2: return at(1) == 0x85 || at(1) == 0xA0 ? 2 : 0  // U+0085, U+00A0
        case 0xE1: return at(1) == 0x9A && at(2) == 0x80 ? 3 : 0  // U+1680
        case 0xE2:
            if at(1) == 0x80 {
                let last = at(2)
                // U+2000–U+200A, U+2028, U+2029, U+202F
                return (0x80...0x8A).contains(last) || last == 0xA8 || last == 0xA9 || last == 0xAF ? 3 : 0
            }
            return at(1) == 0x81 && at(2) == 0x9F ? 3 : 0  // U+205F
        case 0xE3: return at(1) == 0x80 && at(2) == 0x80 ? 3 : 0  // U+3000
        default: return 0
        }
    }
}
