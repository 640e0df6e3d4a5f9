/// Reads the plain shape of front matter that nearly every content file has, without Yams; for anything else it
/// returns nil and `YAMLReader` hands the text to Yams, which also reports every error.
///
/// Yams cost about 250,000 instructions per file (7 % of a build), mostly building and resolving a general
/// YAML document. The shape read here, line by line:
///
/// - a map of `key: value` lines, keys made of letters, digits, `_` and `-`;
/// - a value is a double-quoted scalar with no `\` or `"` inside, a flow list of such scalars
///   (`["a", "b"]`), or a short plain scalar of letters, digits, spaces, `.`, `_` and `-` (`order: 2`);
/// - `key:` at the end of a line opens a nested map (indented further) or a list of `- ` items (indented the
///   same or further), whose items are such scalars or maps;
/// - empty lines between entries.
///
/// Anything outside that (comments, block scalars, escapes, tabs, carriage returns, characters YAML does not
/// allow or reads as line breaks, a scalar over several lines, duplicate keys, more than
/// `YAMLReader.maximumNodes` values) goes to Yams. What it returns is what `YAMLReader` makes from Yams' nodes,
/// positions included (columns count Unicode scalars, as libyaml does); `SimpleFrontMatterTests` checks that
/// against Yams on the shipped content, synthetic content and generated variations.
struct SimpleFrontMatter {
    private let bytes: [UInt8]
    private let path: String
    private let lineOffset: Int
    /// Where each line starts (byte offsets), and the end of the text.
    private var lineStarts: [Int] = []
    private var line = 0
    private var nodes = 0

    private init(_ yaml: String, path: String, firstLine: Int) {
        bytes = Array(yaml.utf8)
        self.path = path
        lineOffset = firstLine - 1
    }

    /// The front matter's root map, or nil when the text is not of the simple shape.
    static func parse(_ yaml: String, path: String, firstLine: Int) -> YAMLNode? {
        var reader = SimpleFrontMatter(yaml, path: path, firstLine: firstLine)
        guard reader.allowedBytes() else { return nil }
        reader.splitLines()
        reader.skipEmptyLines()
        guard reader.line < reader.lineStarts.count - 1, reader.indentation(of: reader.line) == 0 else { return nil }
        guard let root = reader.mapping(indent: 0) else { return nil }
        reader.skipEmptyLines()
        // Everything must have been read.
        return reader.line == reader.lineStarts.count - 1 ? root : nil
    }

    /// No tab, carriage return or other control character, no byte-order mark, and none of the characters
    /// libyaml reads as line breaks (U+0085, U+2028, U+2029) or refuses (C1 controls, U+FFFE, U+FFFF).
    private func allowedBytes() -> Bool {
        bytes.withUnsafeBufferPointer(Self.allowed)
    }

    private static func allowed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight bytes at a time while all are printable ASCII (most of the text).
            if index + 8 <= count, let base = bytes.baseAddress {
                let word = EightBytes.load(base, at: index)
                if EightBytes.hasBelow(0x20, in: word) | EightBytes.has(0x7F, in: word) | EightBytes.hasNonASCII(word) == 0 {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte < 0x20 && byte != UInt8(ascii: "\n") || byte == 0x7F { return false }
            if byte == 0xC2, index + 1 < count, bytes[index + 1] < 0xA0 { return false }
            if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                return false
            }
            if byte == 0xEF, index + 2 < count,
                bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF || bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE
            {
                return false
            }
            index += 1
        }
        return true
    }

    private mutating func splitLines() {
        lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        // A last line without a line break still ends at the end of the text.
        if lineStarts.last != bytes.count { lineStarts.append(bytes.count) }
    }

    /// The line's bytes without its line break.
    private func range(of line: Int) -> Range<Int> {
        let start = lineStarts[line]
        var end = lineStarts[line + 1]
        if end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        return start..<end
    }

    private func indentation(of line: Int) -> Int {
        let range = range(of: line)
        var index = range.lowerBound
        while index < range.upperBound, bytes[index] == UInt8(ascii: " ") { index += 1 }
        return index - range.lowerBound
    }

    private mutating func skipEmptyLines() {
        while line < lineStarts.count - 1, range(of: line).isEmpty { line += 1 }
    }

    private var atEnd: Bool { line >= lineStarts.count - 1 }

    /// The position of the byte at `offset` on line `line`, as YAMLReader reports a Yams mark.
    private func location(line: Int, offset: Int) -> SourceLocation {
        var column = 1
        for index in lineStarts[line]..<offset where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return SourceLocation(path: path, line: line + 1 + lineOffset, column: column)
    }

    private mutating func count() -> Bool {
        nodes += 1
        return nodes <= YAMLReader.maximumNodes
    }

    /// A block map whose keys are at `indent`, from the current line on; `first` is where its first key starts
    /// when that is not at the start of the line (a map that is an item of a list, after `- `).
    private mutating func mapping(indent: Int, first: Int? = nil, depth: Int = 0) -> YAMLNode? {
        guard count(), depth < Self.maximumDepth else { return nil }
        var entries: [YAMLEntry] = []
        // Room for the keys of a typical entry, so the set is not rehashed as it grows.
        var keys = Set<String>(minimumCapacity: 24)
        var mark: SourceLocation?
        var keyStart = first
        while !atEnd {
            let range = range(of: line)
            if keyStart == nil {
                guard indentation(of: line) == indent, range.count > indent else { break }
                keyStart = range.lowerBound + indent
            }
            guard let start = keyStart else { return nil }
            keyStart = nil
            var index = start
            while index < range.upperBound, Self.isKeyByte(bytes[index]) { index += 1 }
            guard index > start, Self.isKeyStart(bytes[start]), index < range.upperBound, bytes[index] == UInt8(ascii: ":") else {
                return nil
            }
            let key = String(decoding: bytes[start..<index], as: UTF8.self)
            guard keys.insert(key).inserted, count() else { return nil }
            let keyLocation = location(line: line, offset: start)
            if mark == nil { mark = keyLocation }
            index += 1
            let value: YAMLNode
            if index == range.upperBound {
                // `key:` ends the line: a nested map or a list follows.
                line += 1
                skipEmptyLines()
                guard !atEnd else { return nil }
                let next = indentation(of: line)
                let nextRange = self.range(of: line)
                let startsList =
                    next + 1 < nextRange.count && bytes[nextRange.lowerBound + next] == UInt8(ascii: "-")
                    && bytes[nextRange.lowerBound + next + 1] == UInt8(ascii: " ")
                if startsList && next >= indent {
                    guard let list = sequence(indent: next, depth: depth + 1) else { return nil }
                    value = list
                } else if next > indent {
                    guard let map = mapping(indent: next, depth: depth + 1) else { return nil }
                    value = map
                } else {
                    return nil
                }
            } else {
                guard bytes[index] == UInt8(ascii: " ") else { return nil }
                index += 1
                guard let inline = inlineValue(from: index, to: range.upperBound) else { return nil }
                value = inline
                line += 1
            }
            entries.append(YAMLEntry(key: key, keyLocation: keyLocation, value: value))
            skipEmptyLines()
        }
        guard let mark, !entries.isEmpty else { return nil }
        return .mapping(entries, mark)
    }

    /// A block list whose `- ` markers are at `indent`.
    private mutating func sequence(indent: Int, depth: Int) -> YAMLNode? {
        guard count(), depth < Self.maximumDepth else { return nil }
        var items: [YAMLNode] = []
        var mark: SourceLocation?
        while !atEnd {
            let range = range(of: line)
            guard indentation(of: line) == indent, range.count > indent + 1, bytes[range.lowerBound + indent] == UInt8(ascii: "-"),
                bytes[range.lowerBound + indent + 1] == UInt8(ascii: " ")
            else { break }
            if mark == nil { mark = location(line: line, offset: range.lowerBound + indent) }
            let start = range.lowerBound + indent + 2
            guard start < range.upperBound, bytes[start] != UInt8(ascii: " ") else { return nil }
            if bytes[start] == UInt8(ascii: "\"") {
                guard let item = inlineValue(from: start, to: range.upperBound) else { return nil }
                items.append(item)
                line += 1
            } else {
                // A map item: its first key follows `- `, and its other keys line up with that one.
                guard let map = mapping(indent: indent + 2, first: start, depth: depth + 1) else { return nil }
                items.append(map)
            }
            skipEmptyLines()
        }
        guard let mark else { return nil }
        return .sequence(items, mark)
    }

    /// A value that fills the rest of the line from `start`.
    private mutating func inlineValue(from start: Int, to end: Int) -> YAMLNode? {
        guard start < end else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            guard let (scalar, after) = quoted(from: start, to: end), after == end else { return nil }
            return scalar
        case UInt8(ascii: "["):
            return flowList(from: start, to: end)
        default:
            return plain(from: start, to: end)
        }
    }

    /// A double-quoted scalar with nothing to unescape, and the offset after its closing quote.
    private mutating func quoted(from start: Int, to end: Int) -> (YAMLNode, Int)? {
        guard count() else { return nil }
        var index = start + 1
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") { return nil }
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
                return (.scalar(text, plain: false, location(line: line, offset: start)), index + 1)
            }
            index += 1
        }
        return nil
    }

    /// `[` double-quoted scalars separated by commas `]`, spaces allowed around them.
    private mutating func flowList(from start: Int, to end: Int) -> YAMLNode? {
        guard count() else { return nil }
        let mark = location(line: line, offset: start)
        var items: [YAMLNode] = []
        var index = start + 1
        func skipSpaces() { while index < end, bytes[index] == UInt8(ascii: " ") { index += 1 } }
        skipSpaces()
        if index < end, bytes[index] == UInt8(ascii: "]") {
            index += 1
        } else {
            while true {
                guard index < end, bytes[index] == UInt8(ascii: "\""), let (item, after) = quoted(from: index, to: end) else { return nil }
                items.append(item)
                index = after
                skipSpaces()
                guard index < end else { return nil }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    break
                }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
                skipSpaces()
            }
        }
        guard index == end else { return nil }
        return .sequence(items, mark)
    }

    /// A plain scalar of letters, digits, `.`, `_`, `-` and single spaces, starting with a letter or digit.
    private mutating func plain(from start: Int, to end: Int) -> YAMLNode? {
        guard count(), Self.isKeyStart(bytes[start]), bytes[end - 1] != UInt8(ascii: " ") else { return nil }
        for index in start..<end {
            let byte = bytes[index]
            guard Self.isKeyByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: " ") else { return nil }
        }
        return .scalar(String(decoding: bytes[start..<end], as: UTF8.self), plain: true, location(line: line, offset: start))
    }

    /// Well inside `YAMLReader.maximumDepth`, which Yams' path reports when it is passed.
    private static let maximumDepth = YAMLReader.maximumDepth / 2

    private static func isKeyStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        isKeyStart(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
