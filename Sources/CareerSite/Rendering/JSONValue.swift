/// A JSON document whose objects keep their keys in the order given, written the same way every time.
///
/// Used for `assets/search-index.js` and `data/framework.json` instead of `JSONEncoder`, whose key order and
/// escaping are not ours to choose. Every string is escaped so the output is safe inside a `<script>` element
/// or a script file: besides `"`, `\` and control characters, `<`, `>` and `&` become `\u003c`, `\u003e` and
/// `\u0026` (so `</script>` and `<!--` cannot appear), and U+2028 and U+2029 become `\u2028` and `\u2029`
/// (they end a line in older JavaScript).
indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    /// Members in output order; keys should be unique.
    case object([(key: String, value: JSONValue)])
    /// An array whose items are made one at a time as it is written, and let go after, so a long list (every role,
    /// with its body as plain text) is never held whole. Written exactly as `.array` of the same items.
    case lazyArray(count: Int, item: @Sendable (Int) -> JSONValue)

    /// `.string`, or `.null` when there is no text.
    static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    /// `.int`, or `.null` when there is no number.
    static func optional(_ number: Int?) -> JSONValue { number.map { .int($0) } ?? .null }
    /// An array of strings.
    static func strings(_ texts: [String]) -> JSONValue { .array(texts.map { .string($0) }) }

    /// The value on one line, with no spaces.
    ///
    /// - Parameter asciiOnly: also escape every non-ASCII character as `\uXXXX` (surrogate pairs above
    ///   U+FFFF), so the text reads the same whatever character encoding it is decoded with.
    func compact(asciiOnly: Bool = false) -> String {
        let output = ByteSink(capacity: 4096)
        write(to: output, indent: nil, depth: 0, asciiOnly: asciiOnly)
        return String(decoding: output.takeData(), as: UTF8.self)
    }

    /// The value over several lines, indented by `indent` spaces per level, with `": "` after keys, and
    /// `[]` / `{}` for empty containers. No trailing newline.
    func pretty(indent: Int = 2, asciiOnly: Bool = false) -> String {
        let output = ByteSink(capacity: 4096)
        writePretty(to: output, indent: indent, asciiOnly: asciiOnly)
        return String(decoding: output.takeData(), as: UTF8.self)
    }

    /// The same appended to `output` as UTF-8 bytes (valid UTF-8: every piece comes from a string), for a file.
    func writePretty(to output: ByteSink, indent: Int = 2, asciiOnly: Bool = false) {
        write(to: output, indent: max(indent, 0), depth: 0, asciiOnly: asciiOnly)
    }

    /// Written as UTF-8 bytes: appending to a byte buffer costs far less than appending to a `String`.
    private func write(to output: ByteSink, indent: Int?, depth: Int, asciiOnly: Bool) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .int(let value): output.append(String(value))
        case .string(let text): Self.quote(text, asciiOnly: asciiOnly, into: output)
        case .array(let items):
            Self.writeArray(count: items.count, item: { items[$0] }, to: output, indent: indent, depth: depth, asciiOnly: asciiOnly)
        case .lazyArray(let count, let item):
            Self.writeArray(count: count, item: item, to: output, indent: indent, depth: depth, asciiOnly: asciiOnly)
        case .object(let members):
            guard !members.isEmpty else {
                output.append("{}")
                return
            }
            output.append(UInt8(ascii: "{"))
            for (offset, member) in members.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                Self.newline(output, indent: indent, depth: depth + 1)
                Self.quote(member.key, asciiOnly: asciiOnly, into: output)
                output.append(indent == nil ? ":" : ": ")
                member.value.write(to: output, indent: indent, depth: depth + 1, asciiOnly: asciiOnly)
            }
            Self.newline(output, indent: indent, depth: depth)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeArray(
        count: Int, item: (Int) -> JSONValue, to output: ByteSink, indent: Int?, depth: Int, asciiOnly: Bool
    ) {
        guard count > 0 else {
            output.append("[]")
            return
        }
        output.append(UInt8(ascii: "["))
        for offset in 0..<count {
            if offset > 0 { output.append(UInt8(ascii: ",")) }
            newline(output, indent: indent, depth: depth + 1)
            item(offset).write(to: output, indent: indent, depth: depth + 1, asciiOnly: asciiOnly)
        }
        newline(output, indent: indent, depth: depth)
        output.append(UInt8(ascii: "]"))
    }

    private static func newline(_ output: ByteSink, indent: Int?, depth: Int) {
        guard let indent else { return }
        output.append(UInt8(ascii: "\n"))
        for _ in 0..<indent * depth { output.append(UInt8(ascii: " ")) }
    }

    /// `text` as a JSON string literal, with the escaping described on the type.
    static func quote(_ text: String, asciiOnly: Bool = false) -> String {
        let output = ByteSink(capacity: text.utf8.count + 2)
        quote(text, asciiOnly: asciiOnly, into: output)
        return String(decoding: output.takeData(), as: UTF8.self)
    }

    /// The same, appended to `output`. Runs of bytes that need no escape are copied at once; only the ASCII
    /// bytes named on the type and, for `asciiOnly` or U+2028/U+2029, non-ASCII scalars are looked at.
    static func quote(_ text: String, asciiOnly: Bool, into output: ByteSink) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            func flush(to end: Int) {
                if end > runStart { output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
            }
            // The ASCII bytes below 0x40 that are written as they are (space to "?" but for `"`, `&`, `<` and `>`);
            // from 0x40 on, all but the backslash and DEL are.
            let plainBelow40: UInt64 = 0xAFFF_FFBB_0000_0000
            while index < bytes.count {
                // Eight bytes at a time while none of them needs a look (most text).
                if index + 8 <= bytes.count, let base = bytes.baseAddress,
                    !needsLook(EightBytes.load(base, at: index))
                {
                    index += 8
                    continue
                }
                let byte = bytes[index]
                if byte < 0x40 ? (plainBelow40 >> UInt64(byte)) & 1 == 1 : byte < 0x7F && byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                // A byte that starts neither U+2028 nor U+2029 (E2 80 A8/A9) is kept, with the rest of its character,
                // unless every non-ASCII character is escaped.
                if byte >= 0xC0, byte != 0xE2, !asciiOnly {
                    index += byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                    continue
                }
                if byte < 0x80 {
                    let escape: [UInt8]? =
                        switch byte {
                        case UInt8(ascii: "\""): Array("\\\"".utf8)
                        case UInt8(ascii: "\\"): Array("\\\\".utf8)
                        case 0x0A: Array("\\n".utf8)
                        case 0x0D: Array("\\r".utf8)
                        case 0x09: Array("\\t".utf8)
                        case 0x08: Array("\\b".utf8)
                        case 0x0C: Array("\\f".utf8)
                        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), 0x7F, 0x00..<0x20: unicodeEscape(UInt32(byte))
                        default: nil
                        }
                    if let escape {
                        flush(to: index)
                        output.append(escape)
                        runStart = index + 1
                    }
                    index += 1
                    continue
                }
                // A non-ASCII scalar: its length from the lead byte (the text is valid UTF-8).
                let (value, length) = UTF8Scalar.decode(bytes, at: index)
                if value == 0x2028 || value == 0x2029 || asciiOnly {
                    flush(to: index)
                    if value > 0xFFFF {
                        let rest = value - 0x10000
                        output.append(unicodeEscape(0xD800 + (rest >> 10)))
                        output.append(unicodeEscape(0xDC00 + (rest & 0x3FF)))
                    } else {
                        output.append(unicodeEscape(value))
                    }
                    runStart = index + length
                }
                index += length
            }
            flush(to: bytes.count)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether any of eight bytes is one `quote` looks at: below 0x20, `"`, `&`, `<`, `>`, `\\`, DEL, or not ASCII.
    private static func needsLook(_ word: UInt64) -> Bool {
        let found =
            EightBytes.hasNonASCII(word) | EightBytes.hasBelow(0x20, in: word) | EightBytes.has(UInt8(ascii: "\""), in: word)
            | EightBytes.has(UInt8(ascii: "&"), in: word) | EightBytes.has(UInt8(ascii: "<"), in: word)
            | EightBytes.has(UInt8(ascii: ">"), in: word) | EightBytes.has(UInt8(ascii: "\\"), in: word) | EightBytes.has(0x7F, in: word)
        return found != 0
    }

    /// `\u` and four lower-case hex digits.
    private static func unicodeEscape(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [UInt8(ascii: "\\"), UInt8(ascii: "u")] + [12, 8, 4, 0].map { digits[Int((value >> $0) & 0xF)] }
    }
}
