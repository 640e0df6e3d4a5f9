import Foundation

/// A value read from front matter, with where it was written.
struct Located<Value: Sendable>: Sendable {
    var value: Value
    var location: SourceLocation
}

extension Located: Equatable where Value: Equatable {}

/// Reads typed fields from one file's front-matter map, collecting every problem rather than stopping.
///
/// Each kind declares its keys; anything else is reported as an unknown key with the nearest known one.
struct FieldReader {
    let path: String
    let kind: String
    private let entries: [String: YAMLEntry]
    /// Where the map starts (used for "missing key" errors).
    let location: SourceLocation
    private(set) var diagnostics: [Diagnostic] = []
    /// False when the front matter is not a map; then only that one problem is reported.
    private var isMap = true

    /// Checks that `root` is a map, records each entry, and reports keys outside `knownKeys`.
    init(root: YAMLNode?, path: String, kind: String, knownKeys: [String], frontMatterLine: Int) {
        self.path = path
        self.kind = kind
        var entries: [String: YAMLEntry] = [:]
        switch root {
        case .mapping(let list, let location)?:
            self.location = location
            for entry in list {
                entries[entry.key] = entry
                if !knownKeys.contains(entry.key) {
                    let known = knownKeys.joined(separator: ", ")
                    diagnostics.append(
                        .error(
                            "unknown key '\(entry.key)' in \(kind)\(Suggestions.hint(for: entry.key, in: knownKeys)); known keys: \(known)",
                            at: entry.keyLocation))
                }
            }
        case nil:
            self.location = SourceLocation(path: path, line: frontMatterLine)
            isMap = false
            diagnostics.append(.error("front matter is empty; a \(kind) needs at least: \(knownKeys.first ?? "title")", at: location))
        case let node?:
            self.location = node.location
            isMap = false
            diagnostics.append(.error("front matter must be a map of 'key: value' lines, found \(node.kindDescription)", at: node.location))
        }
        self.entries = entries
    }

    /// Whether the key holds an empty list (`[]`) or an empty map (`{}`).
    func isEmptyCollection(_ key: String) -> Bool {
        switch entries[key]?.value {
        case .sequence(let items, _)?: items.isEmpty
        case .mapping(let entries, _)?: entries.isEmpty
        default: false
        }
    }

    private mutating func value(_ key: String, required: Bool) -> YAMLNode? {
        guard let entry = entries[key] else {
            if required && isMap { diagnostics.append(.error("missing required key '\(key)' in \(kind)", at: location)) }
            return nil
        }
        if entry.value.isNull {
            if required {
                diagnostics.append(.error("'\(key)' is empty; expected a value", at: entry.value.location))
            }
            return nil
        }
        return entry.value
    }

    private mutating func expected(_ what: String, for key: String, found node: YAMLNode) {
        diagnostics.append(.error("'\(key)' must be \(what), found \(node.kindDescription)", at: node.location))
    }

    /// Text, taken exactly as written even when YAML would read it as a number or boolean.
    mutating func text(_ key: String, required: Bool = false) -> Located<String>? {
        guard let node = value(key, required: required) else { return nil }
        return textValue(node, key: key, required: required)
    }

    private mutating func textValue(_ node: YAMLNode, key: String, required: Bool) -> Located<String>? {
        guard case .scalar(let text, _, let location) = node else {
            expected("text", for: key, found: node)
            return nil
        }
        let trimmed = Self.trimmed(text)
        if trimmed.isEmpty {
            if required { diagnostics.append(.error("'\(key)' must not be empty", at: location)) }
            return nil
        }
        return Located(value: trimmed, location: location)
    }

    /// The text without leading and trailing white space and line breaks. Most values have none, which the
    /// first and last bytes show without Foundation's (much slower) trimming: ASCII, and not tab to carriage
    /// return or space.
    static func trimmed(_ text: String) -> String {
        func isPlainASCII(_ byte: UInt8?) -> Bool {
            guard let byte else { return false }
            return byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte)
        }
        if isPlainASCII(text.utf8.first) && isPlainASCII(text.utf8.last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A whole number written plainly (`order: 3`), optionally within a range.
    mutating func integer(_ key: String, required: Bool = false, in range: ClosedRange<Int>? = nil) -> Located<Int>? {
        guard let node = value(key, required: required) else { return nil }
        guard case .scalar(let text, let plain, let location) = node else {
            expected("a whole number", for: key, found: node)
            return nil
        }
        guard plain, let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            let quotedNumber = !plain && Int(text.trimmingCharacters(in: .whitespaces)) != nil
            let message =
                quotedNumber
                ? "'\(key)' must be a whole number without quotes, found \"\(text)\""
                : "'\(key)' must be a whole number, found '\(text.prefix(60))'"
            diagnostics.append(.error(message, at: location))
            return nil
        }
        if let range, !range.contains(number) {
            diagnostics.append(
                .error("'\(key)' must be between \(range.lowerBound) and \(range.upperBound), found \(number)", at: location))
            return nil
        }
        return Located(value: number, location: location)
    }

    /// A list of text values; a single value where a list is expected is an error.
    mutating func textList(_ key: String, required: Bool = false) -> [Located<String>] {
        guard let node = value(key, required: required) else { return [] }
        guard case .sequence(let items, _) = node else {
            expected("a list (for example [\"a\", \"b\"])", for: key, found: node)
            return []
        }
        return items.compactMap { item in
            if case .scalar = item { return textValue(item, key: "\(key)' item '", required: true) }
            diagnostics.append(.error("each item of '\(key)' must be text, found \(item.kindDescription)", at: item.location))
            return nil
        }
    }

    /// A date written `YYYY-MM-DD`, quoted or not, that exists on the calendar.
    mutating func date(_ key: String, required: Bool = false) -> Located<String>? {
        guard let text = text(key, required: required) else { return nil }
        guard Self.isValidDate(text.value) else {
            diagnostics.append(.error("'\(key)' must be a date written YYYY-MM-DD, found '\(text.value.prefix(40))'", at: text.location))
            return nil
        }
        return text
    }

    /// One of a fixed set of words.
    mutating func choice(_ key: String, from choices: [String], required: Bool = false) -> Located<String>? {
        guard let text = text(key, required: required) else { return nil }
        guard choices.contains(text.value) else {
            let list = choices.map { "'\($0)'" }.joined(separator: ", ")
            diagnostics.append(
                .error(
                    "'\(key)' must be one of \(list), found '\(text.value.prefix(40))'\(Suggestions.hint(for: text.value, in: choices))",
                    at: text.location))
            return nil
        }
        return text
    }

    /// A map from names to text values (e.g. a capability's `levels`).
    mutating func textMap(_ key: String, required: Bool = false) -> [(key: Located<String>, value: Located<String>)] {
        guard let node = value(key, required: required) else { return [] }
        guard case .mapping(let list, _) = node else {
            expected("a map of 'name: text' lines", for: key, found: node)
            return []
        }
        var seen = Set<String>()
        var result: [(key: Located<String>, value: Located<String>)] = []
        for entry in list {
            guard seen.insert(entry.key).inserted else { continue }
            guard let text = textValue(entry.value, key: "\(key).\(entry.key)", required: true) else { continue }
            result.append((Located(value: entry.key, location: entry.keyLocation), text))
        }
        return result
    }

    /// A list of maps (e.g. a route's `steps`), each read with its own `FieldReader`.
    mutating func mapList(_ key: String, required: Bool = false, itemKind: String, knownKeys: [String]) -> [FieldReader] {
        guard let node = value(key, required: required) else { return [] }
        guard case .sequence(let items, _) = node else {
            expected("a list", for: key, found: node)
            return []
        }
        return items.compactMap { item in
            guard case .mapping = item else {
                diagnostics.append(
                    .error("each item of '\(key)' must be a map such as '- role: <id>', found \(item.kindDescription)", at: item.location))
                return nil
            }
            return FieldReader(root: item, path: path, kind: itemKind, knownKeys: knownKeys, frontMatterLine: item.location.line)
        }
    }

    /// Adds another reader's problems to this one's (used for nested maps).
    mutating func absorb(_ other: FieldReader) {
        diagnostics.append(contentsOf: other.diagnostics)
    }

    static func isValidDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
