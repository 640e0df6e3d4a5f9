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
        var output = ""
        write(to: &output, indent: nil, depth: 0, asciiOnly: asciiOnly)
        return output
    }

    /// The value over several lines, indented by `indent` spaces per level, with `": "` after keys, and
    /// `[]` / `{}` for empty containers. No trailing newline.
    func pretty(indent: Int = 2, asciiOnly: Bool = false) -> String {
        var output = ""
        write(to: &output, indent: String(repeating: " ", count: max(indent, 0)), depth: 0, asciiOnly: asciiOnly)
        return output
    }

    private func write(to output: inout String, indent: String?, depth: Int, asciiOnly: Bool) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .string(let text): output += Self.quote(text, asciiOnly: asciiOnly)
        case .array(let items):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { output += "," }
                Self.newline(&output, indent: indent, depth: depth + 1)
                item.write(to: &output, indent: indent, depth: depth + 1, asciiOnly: asciiOnly)
            }
            Self.newline(&output, indent: indent, depth: depth)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (offset, member) in members.enumerated() {
                if offset > 0 { output += "," }
                Self.newline(&output, indent: indent, depth: depth + 1)
                output += Self.quote(member.key, asciiOnly: asciiOnly)
                output += indent == nil ? ":" : ": "
                member.value.write(to: &output, indent: indent, depth: depth + 1, asciiOnly: asciiOnly)
            }
            Self.newline(&output, indent: indent, depth: depth)
            output += "}"
        }
    }

    private static func newline(_ output: inout String, indent: String?, depth: Int) {
        guard let indent else { return }
        output += "\n"
        for _ in 0..<depth { output += indent }
    }

    /// `text` as a JSON string literal, with the escaping described on the type.
    static func quote(_ text: String, asciiOnly: Bool = false) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}": result += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += unicodeEscape(scalar.value)
                } else if asciiOnly && !scalar.isASCII {
                    if scalar.value > 0xFFFF {
                        let value = scalar.value - 0x10000
                        result += unicodeEscape(0xD800 + (value >> 10))
                        result += unicodeEscape(0xDC00 + (value & 0x3FF))
                    } else {
                        result += unicodeEscape(scalar.value)
                    }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result += "\""
        return result
    }

    /// `\u` and four lower-case hex digits.
    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
