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
enum PlainText {
    static func from(html: String) -> String {
        var text = ""
        text.reserveCapacity(html.utf8.count)
        var segment = String.UnicodeScalarView()
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "<", let end = tagEnd(in: scalars, from: index) else {
                segment.append(scalar)
                index += 1
                continue
            }
            // Decode each run of text on its own, so a decoded `&lt;` is never taken for a tag and nothing
            // is decoded twice.
            text += decodeEntities(String(segment))
            segment = String.UnicodeScalarView()
            let tag = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
            let name = tagName(of: tag)
            if name == "img", let alt = attribute("alt", in: tag) {
                text += " " + decodeEntities(alt) + " "
            } else if !name.isEmpty, !inlineTags.contains(name) {
                text += " "
            }
            index = end + 1
        }
        text += decodeEntities(String(segment))
        return collapseWhitespace(text)
    }

    /// Tags that sit inside a run of text, so removing them must not add a space (`<em>x</em>y` is "xy").
    /// Comments and other nameless tags (`<!-- raw HTML omitted -->`, which cmark writes in place of raw
    /// HTML) add no space either.
    private static let inlineTags: Set<String> = [
        "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
        "sub", "sup", "u", "var",
    ]

    /// The index of the `>` closing the tag that starts at `start`, skipping quoted attribute values; `nil`
    /// when the `<` does not start a tag (a lone `<` in text is always `&lt;` in cmark output, but be safe).
    private static func tagEnd(in scalars: [Unicode.Scalar], from start: Int) -> Int? {
        let next = start + 1
        guard next < scalars.count else { return nil }
        let first = scalars[next]
        guard first == "/" || first == "!" || first == "?" || (first.isASCII && first.properties.isAlphabetic) else { return nil }
        if first == "!", scalars.count > start + 3, scalars[start + 2] == "-", scalars[start + 3] == "-" {
            // A comment (cmark writes `<!-- raw HTML omitted -->`) ends at the first `-->`.
            var index = start + 4
            while index + 2 < scalars.count {
                if scalars[index] == "-" && scalars[index + 1] == "-" && scalars[index + 2] == ">" { return index + 2 }
                index += 1
            }
            return nil
        }
        var quote: Unicode.Scalar?
        var index = next
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Lower-cased element name of a tag's inside (`/p` and `p class="x"` both give `p`).
    private static func tagName(of tag: String) -> String {
        let trimmed = tag.drop { $0 == "/" }
        return String(trimmed.prefix { $0.isLetter || $0.isNumber }).lowercased()
    }

    /// The value of a quoted attribute in a tag's inside, still entity-encoded.
    private static func attribute(_ name: String, in tag: String) -> String? {
        for quote in ["\"", "'"] {
            let needle = " \(name)=\(quote)"
            guard let start = tag.range(of: needle) else { continue }
            let rest = tag[start.upperBound...]
            guard let end = rest.firstIndex(of: Character(quote)) else { return nil }
            return String(rest[..<end])
        }
        return nil
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
    ]

    /// Decodes named references in `namedEntities` and every numeric reference; anything else stays as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let afterAmpersand = rest[rest.index(after: ampersand)...]
            let candidate = afterAmpersand.prefix(12)
            if let semicolon = candidate.firstIndex(of: ";"), let decoded = decodeReference(String(afterAmpersand[..<semicolon])) {
                result += decoded
                rest = afterAmpersand[afterAmpersand.index(after: semicolon)...]
            } else {
                result += "&"
                rest = afterAmpersand
            }
        }
        result += rest
        return result
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
    static func collapseWhitespace(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result += " " }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }
}
