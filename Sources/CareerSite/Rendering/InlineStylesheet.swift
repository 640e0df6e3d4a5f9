/// The stylesheets a handout inlines (`site.css` and `handout.css`), made ready once per build and then cut down
/// for each handout to the rules that can apply to it.
///
/// A handout has no script, so its classes are exactly those in its `class` attributes, and a rule whose every
/// selector needs a class the handout does not have can never match anything in it. Those rules are left out,
/// as are comments and runs of white space: a role's handout went from 23 KB, 15 KB of it the two stylesheets,
/// to about 13 KB. Everything that is not plainly such a rule is kept as it is written (less comments and extra
/// white space): at-rules other than `@media`, `@supports`, `@container` and `@layer` blocks (whose rules are
/// looked at one by one), selectors with an escape, and any stylesheet that does not parse as expected, which is
/// then inlined whole. A class inside `:not(…)`, `:is(…)` or any other parentheses, or inside an attribute
/// selector, never counts as needed.
///
/// The browser tests check that every element of each kind of handout, and its `::before` and `::after`, gets the
/// same computed style, on screen and in print, with the cut-down stylesheet as with the whole one.
struct InlineStylesheet: Sendable {
    /// The whole stylesheet without comments and extra white space, for a document whose classes are not known
    /// (the whole-framework handout is written before its content is made).
    let whole: String
    /// The parsed stylesheet; nil when it did not parse, and then every document gets `whole`.
    private let items: [Item]?
    /// The class names that rules need, each with its number in `Selector.needs`.
    private let classNumbers: ClassNumbers
    /// The cut-down stylesheet for each set of present classes met so far: handouts of one kind mostly share a set
    /// (the 2,256 handouts of 2,000 roles had 9 sets), and cutting it down again cost 24,000 instructions a handout.
    private let cutDown = Memo<[Bool], [UInt8]>()

    /// A piece of the stylesheet in order: text always kept, a style rule, or a group of rules (`@media`…) kept
    /// when any of its rules is.
    private indirect enum Item: Sendable {
        case kept([UInt8])
        case rule(selectors: [Selector], text: [UInt8])
        case group(open: [UInt8], items: [Item])
    }

    /// One selector of a rule's list: the numbers of the classes it needs (empty: it may match anything).
    private struct Selector: Sendable {
        var needs: [Int]
    }

    /// `css`: both stylesheets, joined, with `</` already written `<\/` (so that the text cannot end the `<style>`
    /// element).
    init(_ css: String) {
        var parser = Parser(bytes: Array(css.utf8))
        let parsed = parser.parseBlock(topLevel: true)
        classNumbers = ClassNumbers(parser.classNumbers)
        items = parsed
        if let parsed {
            var out: [UInt8] = []
            Self.emit(parsed, present: nil, into: &out)
            whole = String(decoding: out, as: UTF8.self)
        } else {
            whole = css
        }
    }

    /// The stylesheet for a document with `html` as its markup (in which the stylesheet itself is not yet), or the
    /// whole of it when the document's classes cannot all be read (a `class` attribute not in double quotes, or with
    /// a character reference).
    func pruned(for html: UnsafeBufferPointer<UInt8>) -> String { String(decoding: prunedBytes(for: html), as: UTF8.self) }

    /// The same as UTF-8 bytes.
    func prunedBytes(for html: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let items, let present = presentClasses(in: html) else { return Array(whole.utf8) }
        return cutDown.value(for: present) {
            var out: [UInt8] = []
            out.reserveCapacity(whole.utf8.count)
            Self.emit(items, present: present, into: &out)
            return out
        }
    }

    /// Which numbered classes `html`'s `class` attributes hold; nil when any attribute cannot be read for sure.
    private func presentClasses(in html: UnsafeBufferPointer<UInt8>) -> [Bool]? {
        var present = [Bool](repeating: false, count: classNumbers.count)
        let count = html.count
        var equals = -1
        // Every "=" (found with memchr), then what is before it: "class" in any case (attribute names are
        // case-insensitive) after white space, perhaps with white space between.
        while let found = ByteSearch.first(byte: UInt8(ascii: "="), in: html, from: equals + 1) {
            equals = found
            var end = found
            while end > 0, Self.isSpace(html[end - 1]) { end -= 1 }
            guard end >= 6, Self.isSpace(html[end - 6]), html[end - 5] | 0x20 == UInt8(ascii: "c"),
                html[end - 4] | 0x20 == UInt8(ascii: "l"), html[end - 3] | 0x20 == UInt8(ascii: "a"),
                html[end - 2] | 0x20 == UInt8(ascii: "s"), html[end - 1] | 0x20 == UInt8(ascii: "s")
            else { continue }
            var cursor = found + 1
            while cursor < count, Self.isSpace(html[cursor]) { cursor += 1 }
            guard cursor < count, html[cursor] == UInt8(ascii: "\""),
                let close = ByteSearch.first(byte: UInt8(ascii: "\""), in: html, from: cursor + 1)
            else { return nil }
            var start = cursor + 1
            while start < close {
                while start < close, Self.isSpace(html[start]) { start += 1 }
                var stop = start
                while stop < close, !Self.isSpace(html[stop]) { stop += 1 }
                if stop > start {
                    let name = UnsafeBufferPointer(rebasing: html[start..<stop])
                    if name.contains(UInt8(ascii: "&")) { return nil }
                    if let number = classNumbers.number(of: name) { present[number] = true }
                }
                start = stop
            }
            equals = close
        }
        return present
    }

    /// Class names to their numbers, looked up by the bytes of a name in the page: FNV-1a hashes in an
    /// open-addressing table at most a quarter full. As a `[[UInt8]: Int]`, each of a handout's class names was
    /// copied into an array and hashed a byte at a time with SipHash: 58,000 instructions a handout, 2 % of a
    /// build of 2,000 roles.
    private struct ClassNumbers: Sendable {
        private let names: [[UInt8]]
        private let numbers: [Int]
        private let slots: HashSlots

        init(_ numbersByName: [[UInt8]: Int]) {
            names = Array(numbersByName.keys)
            numbers = names.map { numbersByName[$0] ?? 0 }
            slots = HashSlots(hashes: names.map { FNV1a.hash($0) }, spread: 4, minimumSize: 16)
        }

        var count: Int { names.count }

        func number(of name: UnsafeBufferPointer<UInt8>) -> Int? {
            slots.index(hash: FNV1a.hash(name)) { names[$0].elementsEqual(name) }.map { numbers[$0] }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// Appends the items to keep: all of them when `present` is nil.
    private static func emit(_ items: [Item], present: [Bool]?, into out: inout [UInt8]) {
        for item in items {
            switch item {
            case .kept(let text):
                out += text
            case .rule(let selectors, let text):
                if let present {
                    let live = selectors.contains { selector in selector.needs.allSatisfy { present[$0] } }
                    if !live { continue }
                }
                out += text
            case .group(let open, let inner):
                var body: [UInt8] = []
                emit(inner, present: present, into: &body)
                if body.isEmpty { continue }
                out += open
                out += body
                out.append(UInt8(ascii: "}"))
            }
        }
    }

    /// Reads CSS into items, writing each without comments and with white space cut to what the syntax needs.
    /// Every method returns nil for anything it does not expect, and then the stylesheet is kept whole.
    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var classNumbers: [[UInt8]: Int] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// Items up to the `}` that closes the block (consumed) or, at the top level, the end.
        mutating func parseBlock(topLevel: Bool) -> [Item]? {
            var items: [Item] = []
            while true {
                guard skipSpaceAndComments() else { return nil }
                guard index < bytes.count else { return topLevel ? items : nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "}") {
                    if topLevel { return nil }
                    index += 1
                    return items
                }
                // `<!--` and `-->`, which CSS ignores at the top level (the text never holds `</`: see `init`).
                if topLevel && startsWith("<!--") {
                    index += 4
                    continue
                }
                if topLevel && startsWith("-->") {
                    index += 3
                    continue
                }
                guard let (prelude, end) = readPrelude() else { return nil }
                if byte == UInt8(ascii: "@") {
                    let name = Self.atKeyword(prelude)
                    if end == UInt8(ascii: ";") {
                        items.append(.kept(prelude + [UInt8(ascii: ";")]))
                    } else if ["media", "supports", "container", "layer"].contains(name) {
                        guard let inner = parseBlock(topLevel: false) else { return nil }
                        items.append(.group(open: prelude + [UInt8(ascii: "{")], items: inner))
                    } else {
                        guard let block = readBlock() else { return nil }
                        items.append(.kept(prelude + block))
                    }
                } else {
                    guard end == UInt8(ascii: "{"), let block = readBlock(), let selectors = selectors(of: prelude) else { return nil }
                    items.append(.rule(selectors: selectors, text: prelude + block))
                }
            }
        }

        private func startsWith(_ text: StaticString) -> Bool { ByteSearch.matches(text, in: bytes, at: index) }

        private static func atKeyword(_ prelude: [UInt8]) -> String {
            var end = 1
            while end < prelude.count, prelude[end] == UInt8(ascii: "-") || isNameByte(prelude[end]) { end += 1 }
            return String(decoding: prelude[1..<end], as: UTF8.self).lowercased()
        }

        /// `{`, `}`, `;` and `,`: white space next to them never matters.
        static func isTight(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: ",")
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return byte >= 0x80
            }
        }

        /// False for a comment that does not end.
        mutating func skipSpaceAndComments() -> Bool {
            while index < bytes.count {
                if InlineStylesheet.isSpace(bytes[index]) {
                    index += 1
                } else if startsWith("/*") {
                    guard let end = commentEnd(from: index + 2) else { return false }
                    index = end
                } else {
                    return true
                }
            }
            return true
        }

        /// The offset just after the `*/` that ends a comment whose text starts at `from`.
        private func commentEnd(from: Int) -> Int? {
            var cursor = from
            while cursor + 1 < bytes.count {
                if bytes[cursor] == UInt8(ascii: "*") && bytes[cursor + 1] == UInt8(ascii: "/") { return cursor + 2 }
                cursor += 1
            }
            return nil
        }

        /// The text up to the next `{` or `;` outside strings, parentheses and brackets (the ending byte is consumed
        /// and returned, and not included); nil at a `}` or the end.
        mutating func readPrelude() -> ([UInt8], UInt8)? {
            var out: [UInt8] = []
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                if depth == 0 && (byte == UInt8(ascii: "{") || byte == UInt8(ascii: ";")) {
                    index += 1
                    while out.last == 0x20 { out.removeLast() }
                    return (out, byte)
                }
                if byte == UInt8(ascii: "}") { return nil }
                if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth < 0 { return nil }
                }
                guard copyToken(into: &out) else { return nil }
            }
            return nil
        }

        /// A `{…}` block whose `{` has just been read, with nested blocks, as `{…}` with its white space cut.
        mutating func readBlock() -> [UInt8]? {
            var out: [UInt8] = [UInt8(ascii: "{")]
            var depth = 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "{") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") {
                    depth -= 1
                }
                guard copyToken(into: &out) else { return nil }
                if depth == 0 { return out }
            }
            return nil
        }

        /// Copies the next piece of text: a string whole, a comment as nothing, a run of white space as one space
        /// or none (none at the start, and next to `{`, `}`, `;` and `,`, where the syntax never needs one); an
        /// escape and the byte after it; any other byte as it is. False for a string or comment that does not end.
        private mutating func copyToken(into out: inout [UInt8]) -> Bool {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                var cursor = index + 1
                while true {
                    guard cursor < bytes.count, bytes[cursor] != 0x0A else { return false }
                    if bytes[cursor] == byte { break }
                    cursor += bytes[cursor] == UInt8(ascii: "\\") ? 2 : 1
                }
                out += bytes[index...cursor]
                index = cursor + 1
                return true
            }
            if startsWith("/*") {
                guard let end = commentEnd(from: index + 2) else { return false }
                // A comment between two name characters separates them; gone, it would join them into one.
                if let last = out.last, Self.isNameByte(last), end < bytes.count, Self.isNameByte(bytes[end]) { return false }
                index = end
                return true
            }
            if InlineStylesheet.isSpace(byte) {
                while index < bytes.count, InlineStylesheet.isSpace(bytes[index]) { index += 1 }
                let next = index < bytes.count ? bytes[index] : UInt8(ascii: "}")
                if let last = out.last, last != 0x20, !Self.isTight(last), !Self.isTight(next) { out.append(0x20) }
                return true
            }
            if byte == UInt8(ascii: "\\") {
                // An escape: the next byte is copied with it, whatever it is.
                out.append(byte)
                index += 1
                guard index < bytes.count else { return false }
            }
            out.append(bytes[index])
            index += 1
            return true
        }

        /// Each selector of a rule's prelude and the classes it needs; nil for an empty list.
        mutating func selectors(of prelude: [UInt8]) -> [Selector]? {
            var selectors: [Selector] = []
            var current: [Int] = []
            var escaped = false
            var depth = 0
            var quote: UInt8?
            var cursor = 0
            func finish() {
                selectors.append(Selector(needs: escaped ? [] : current))
                current = []
                escaped = false
            }
            while cursor < prelude.count {
                let byte = prelude[cursor]
                if let open = quote {
                    if byte == UInt8(ascii: "\\") { cursor += 1 } else if byte == open { quote = nil }
                    cursor += 1
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
                case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
                case UInt8(ascii: "\\"): escaped = true
                case UInt8(ascii: ","): if depth == 0 { finish() }
                case UInt8(ascii: ".") where depth == 0:
                    var end = cursor + 1
                    while end < prelude.count, Self.isNameByte(prelude[end]) { end += 1 }
                    if end < prelude.count, prelude[end] == UInt8(ascii: "\\") {
                        escaped = true
                    } else if end > cursor + 1 {
                        let name = Array(prelude[(cursor + 1)..<end])
                        let number = classNumbers[name] ?? classNumbers.count
                        classNumbers[name] = number
                        current.append(number)
                    }
                    cursor = end
                    continue
                default: break
                }
                cursor += 1
            }
            guard depth == 0, quote == nil else { return nil }
            finish()
            return selectors
        }
    }
}
