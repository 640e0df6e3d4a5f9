/// One piece of a parsed Mustache template.
indirect enum TemplateNode: Sendable, Equatable {
    case text(String)
    /// `{{name}}`, `{{{name}}}` or `{{&name}}`. All three give the same output, because escaping follows the value,
    /// not the tag (see `TemplateValue`).
    case variable(TemplateName)
    /// `{{#name}}…{{/name}}`, or `{{^name}}…{{/name}}` when inverted.
    case section(TemplateName, [TemplateNode], inverted: Bool)
    /// `{{> name}}`. A partial tag alone on its line has an indentation (the whitespace before it, maybe empty),
    /// which is put before each line of the partial's output.
    case partial(String, indentation: String?)
}

/// A name in a tag. `a.b.c` looks `a` up through the context stack, then `b` and `c` inside it; a name that
/// starts with `.` (including `.` itself) looks only at the current object.
struct TemplateName: Sendable, Equatable {
    let anchored: Bool
    let parts: [String]
    /// `TemplateMap.hash` of each part, worked out once here rather than at every lookup.
    let hashes: [Int]

    init(_ text: String) {
        anchored = text.first == "."
        parts = text.split(separator: ".").map(String.init)
        hashes = parts.map(TemplateMap.hash)
    }
}

/// A template syntax error, at the 1-based line and column (in Unicode scalars) of the tag it concerns.
struct TemplateSyntaxError: Error, Equatable {
    let message: String
    let line: Int
    let column: Int
}

/// Parses Mustache templates: variables, sections, inverted sections, comments, partials and set-delimiter
/// tags, with the specification's standalone-line rules.
///
/// It works on UTF-8 bytes and follows the parsing algorithm of swift-mustache 2.1.1, which the site used before,
/// so templates render byte for byte as they did then (`MustacheOracleTests` compares the two on random
/// templates). That library's extensions (transforms such as `{{f(x)}}`, inheritance with `{{<…}}` and `{{$…}}`,
/// dynamic partials `{{>*…}}` and pragmas `{{%…}}`) are reported as errors rather than ignored.
struct TemplateParser {
    private let bytes: [UInt8]
    private var position = 0

    private struct State {
        /// The open section's name, and where its tag starts.
        var section: (name: String, start: Int)?
        /// At the start of a line, where only spaces and tabs have been read.
        var newLine = true
        var opening: [UInt8] = Array("{{".utf8)
        var closing: [UInt8] = Array("}}".utf8)
    }

    static func parse(_ text: String) throws(TemplateSyntaxError) -> [TemplateNode] {
        var parser = TemplateParser(bytes: Array(text.utf8))
        return try parser.parseBlock(State())
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var atEnd: Bool { position >= bytes.count }

    /// Text between tags: it is split only next to ASCII bytes, so it is always whole UTF-8.
    private static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private mutating func parseBlock(_ initial: State) throws(TemplateSyntaxError) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        var state = initial
        var whitespace: [UInt8] = []
        while !atEnd {
            if state.newLine { whitespace = readSpacesAndTabs() }
            let (text, tagStart) = try readText(state)
            if let newline = newlineLength(at: position) {
                nodes.append(.text(Self.string(whitespace + text + bytes[position..<position + newline])))
                position += newline
                state.newLine = true
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(Self.string(whitespace + text)))
                whitespace = []
                state.newLine = false
            }
            if atEnd { break }
            var setNewLine = false
            func flushWhitespace() {
                if !whitespace.isEmpty {
                    nodes.append(.text(Self.string(whitespace)))
                    whitespace = []
                }
            }
            switch bytes[position] {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[position] == UInt8(ascii: "^")
                position += 1
                let name = try readName(state, tagStart: tagStart)
                if isStandalone(state) {
                    setNewLine = true
                } else {
                    flushWhitespace()
                }
                var inner = state
                inner.section = (name, tagStart)
                inner.newLine = setNewLine
                let children = try parseBlock(inner)
                nodes.append(.section(TemplateName(name), children, inverted: inverted))
            case UInt8(ascii: "/"):
                position += 1
                let name = try readName(state, tagStart: tagStart)
                guard let section = state.section, section.name == name else {
                    throw error(
                        state.section == nil
                            ? "'\(name)' is closed but was never opened"
                            : "a section is closed with a different name than it was opened with", at: tagStart)
                }
                if !isStandalone(state) { flushWhitespace() }
                return nodes
            case UInt8(ascii: "!"):
                position += 1
                try skipComment(state, tagStart: tagStart)
                setNewLine = isStandalone(state)
            case UInt8(ascii: "{"):
                flushWhitespace()
                position += 1
                let name = try readName(state, tagStart: tagStart)
                guard !atEnd, bytes[position] == UInt8(ascii: "}") else {
                    throw error("a tag is not closed ('}}' missing)", at: tagStart)
                }
                position += 1
                nodes.append(.variable(TemplateName(name)))
            case UInt8(ascii: "&"):
                flushWhitespace()
                position += 1
                nodes.append(.variable(TemplateName(try readName(state, tagStart: tagStart))))
            case UInt8(ascii: ">"):
                position += 1
                skipWhitespace()
                if !atEnd, bytes[position] == UInt8(ascii: "*") {
                    throw error("dynamic partials ('{{>*name}}') are not supported", at: tagStart)
                }
                let name = try readName(state, tagStart: tagStart, partial: true)
                let indentation = whitespace
                flushWhitespace()
                setNewLine = isStandalone(state)
                nodes.append(.partial(name, indentation: setNewLine ? Self.string(indentation) : nil))
            case UInt8(ascii: "<"), UInt8(ascii: "$"):
                throw error("template inheritance ('{{<name}}' and '{{$name}}') is not supported", at: tagStart)
            case UInt8(ascii: "%"):
                throw error("pragmas ('{{%…}}') are not supported", at: tagStart)
            case UInt8(ascii: "="):
                position += 1
                try setDelimiters(&state, tagStart: tagStart)
                setNewLine = isStandalone(state)
            default:
                flushWhitespace()
                nodes.append(.variable(TemplateName(try readName(state, tagStart: tagStart))))
            }
            state.newLine = setNewLine
        }
        if let section = state.section {
            throw error("a section is opened but never closed ('\(section.name)')", at: section.start)
        }
        return nodes
    }

    /// Reads text up to a line break (left unread) or an opening delimiter (read). Returns the text and where the
    /// delimiter starts (the end of input when there is none).
    private mutating func readText(_ state: State) throws(TemplateSyntaxError) -> ([UInt8], Int) {
        let first = state.opening[0]
        let start = position
        var text: [UInt8] = []
        while !atEnd {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\n")
                || (byte == UInt8(ascii: "\r") && position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\n"))
            {
                break
            }
            if byte == first {
                guard bytes.count - position >= state.opening.count else {
                    // swift-mustache fails here too: the start of a delimiter with too little text after it.
                    throw error("the template ends inside a tag", at: position)
                }
                if bytes[position..<position + state.opening.count].elementsEqual(state.opening) {
                    text.append(contentsOf: bytes[start..<position])
                    let tagStart = position
                    position += state.opening.count
                    return (text, tagStart)
                }
            }
            position += 1
        }
        text.append(contentsOf: bytes[start..<position])
        return (text, position)
    }

    private mutating func readSpacesAndTabs() -> [UInt8] {
        let start = position
        while !atEnd, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") { position += 1 }
        return Array(bytes[start..<position])
    }

    /// The length in bytes of the line break at `index` (a Swift `Character` whose `isNewline` is true), or nil.
    private func newlineLength(at index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\r"):
            return index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") ? 2 : 1
        case UInt8(ascii: "\n"), 0x0B, 0x0C: return 1
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : nil
        case 0xE2:
            return index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9) ? 3 : nil
        default: return nil
        }
    }

    /// The length in bytes of the whitespace character (Unicode White_Space, as `Character.isWhitespace`) at
    /// `index`, or nil.
    private func whitespaceLength(at index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        if byte < 0x80 {
            return byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) ? 1 : nil
        }
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.properties.isWhitespace else { return nil }
        return UTF8.width(scalar)
    }

    private mutating func skipWhitespace() {
        while let length = whitespaceLength(at: position) { position += length }
    }

    /// True when only spaces and tabs follow on this line, and the tag started a line (after spaces and tabs):
    /// then the rest of the line, with its line break, is consumed.
    private mutating func isStandalone(_ state: State) -> Bool {
        guard state.newLine else { return false }
        if atEnd { return true }
        var index = position
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        guard let newline = newlineLength(at: index) else { return false }
        position = index + newline
        return true
    }

    private static let nameBytes: Set<UInt8> = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*()".utf8)
    private static let partialNameBytes = nameBytes.union("/".utf8)

    /// Reads a tag's name and its closing delimiter.
    private mutating func readName(_ state: State, tagStart: Int, partial: Bool = false) throws(TemplateSyntaxError) -> String {
        skipWhitespace()
        let allowed = partial ? Self.partialNameBytes : Self.nameBytes
        let start = position
        while !atEnd, allowed.contains(bytes[position]) { position += 1 }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        skipWhitespace()
        guard bytes.count - position >= state.closing.count, bytes[position..<position + state.closing.count].elementsEqual(state.closing)
        else {
            if !atEnd, whitespaceLength(at: position) == nil, !state.closing.starts(with: [bytes[position]]) {
                let character = String(decoding: bytes[position...].prefix(4), as: UTF8.self).first.map(String.init) ?? "?"
                throw error("'\(character)' cannot be part of a tag's name", at: tagStart)
            }
            throw error("a tag is not closed ('\(String(decoding: state.closing, as: UTF8.self))' missing)", at: tagStart)
        }
        position += state.closing.count
        if !partial, name.contains(where: { $0 == "(" || $0 == ")" }) {
            throw error("transforms such as '\(name)' are not supported", at: tagStart)
        }
        return name
    }

    /// Skips a comment up to and including the closing delimiter.
    private mutating func skipComment(_ state: State, tagStart: Int) throws(TemplateSyntaxError) {
        // The same simple search as swift-mustache's, so that comments end where they ended there.
        var matched = 0
        while !atEnd {
            if bytes[position] == state.closing[matched] {
                matched += 1
                if matched == state.closing.count {
                    position += 1
                    return
                }
            } else {
                matched = 0
            }
            position += 1
        }
        throw error("a comment is not closed ('\(String(decoding: state.closing, as: UTF8.self))' missing)", at: tagStart)
    }

    /// `{{=<% %>=}}`: two delimiters separated by whitespace, then `=` and the current closing delimiter.
    private mutating func setDelimiters(_ state: inout State, tagStart: Int) throws(TemplateSyntaxError) {
        let invalid = error("invalid set-delimiter tag", at: tagStart)
        skipWhitespace()
        let openingStart = position
        while !atEnd, whitespaceLength(at: position) == nil { position += 1 }
        guard !atEnd else { throw invalid }
        let opening = Array(bytes[openingStart..<position])
        skipWhitespace()
        let closingStart = position
        while !atEnd, whitespaceLength(at: position) == nil, bytes[position] != UInt8(ascii: "=") { position += 1 }
        guard !atEnd else { throw invalid }
        let closing = Array(bytes[closingStart..<position])
        skipWhitespace()
        guard !atEnd, bytes[position] == UInt8(ascii: "=") else { throw invalid }
        position += 1
        guard bytes.count - position >= state.closing.count, bytes[position..<position + state.closing.count].elementsEqual(state.closing)
        else { throw invalid }
        position += state.closing.count
        guard !opening.isEmpty, !closing.isEmpty else { throw invalid }
        state.opening = opening
        state.closing = closing
    }

    private func error(_ message: String, at index: Int) -> TemplateSyntaxError {
        let before = bytes[..<min(index, bytes.count)]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let column = String(decoding: bytes[lineStart..<min(index, bytes.count)], as: UTF8.self).unicodeScalars.count + 1
        return TemplateSyntaxError(message: message, line: line, column: column)
    }
}
