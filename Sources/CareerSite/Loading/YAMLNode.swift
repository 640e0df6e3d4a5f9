internal import Yams

/// A front-matter value as written, with its position; no YAML typing is applied to scalars.
indirect enum YAMLNode: Sendable, Equatable {
    /// A scalar exactly as written; `plain` is true when it was not quoted or a block scalar.
    case scalar(String, plain: Bool, SourceLocation)
    case sequence([YAMLNode], SourceLocation)
    case mapping([YAMLEntry], SourceLocation)

    var location: SourceLocation {
        switch self {
        case .scalar(_, _, let location), .sequence(_, let location), .mapping(_, let location): location
        }
    }

    /// A plain scalar YAML reads as null (`key:` with nothing after it, `~`, `null`).
    var isNull: Bool {
        if case .scalar(let text, let plain, _) = self, plain {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// What the value is, for "expected X, found Y" messages.
    var kindDescription: String {
        switch self {
        case .scalar: isNull ? "nothing" : "a single value"
        case .sequence: "a list"
        case .mapping: "a map"
        }
    }
}

/// One `key: value` pair of a YAML map.
struct YAMLEntry: Sendable, Equatable {
    var key: String
    var keyLocation: SourceLocation
    var value: YAMLNode
}

/// Parses front matter, keeping every node's line and column: the usual simple shape directly
/// (`SimpleFrontMatter`), anything else with Yams.
enum YAMLReader {
    /// Limits that keep hostile input (alias bombs, deep nesting) from exhausting memory or stack.
    static let maximumNodes = 100_000
    static let maximumDepth = 64

    static func parse(_ yaml: String, path: String, firstLine: Int) -> Result<YAMLNode?, Diagnostic> {
        if let simple = SimpleFrontMatter.parse(yaml, path: path, firstLine: firstLine) { return .success(simple) }
        return parseWithYams(yaml, path: path, firstLine: firstLine)
    }

    /// The same, always with Yams (any YAML, and its error messages).
    static func parseWithYams(_ yaml: String, path: String, firstLine: Int) -> Result<YAMLNode?, Diagnostic> {
        let root: Node?
        do {
            // Front matter is read as text (`FieldReader` decides what is a number), so no tags are resolved: the
            // default resolver runs regular expressions on every key, only for Yams' duplicate-key check, where
            // equal text already means equal keys (the converter checks that too). The encoding is given because
            // its default reads the whole process environment at every call (a Yams debug override).
            root = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, path: path, firstLine: firstLine))
        } catch {
            return .failure(.error("invalid front matter: \(error)", at: SourceLocation(path: path, line: firstLine)))
        }
        guard let root else { return .success(nil) }
        var converter = Converter(path: path, lineOffset: firstLine - 1)
        do {
            return .success(try converter.convert(root, depth: 0))
        } catch let diagnostic as Diagnostic {
            return .failure(diagnostic)
        } catch {
            return .failure(.error("invalid front matter", at: SourceLocation(path: path, line: firstLine)))
        }
    }

    private struct Converter {
        let path: String
        let lineOffset: Int
        var count = 0

        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(path: path, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        }

        mutating func convert(_ node: Node, depth: Int) throws -> YAMLNode {
            count += 1
            if count > YAMLReader.maximumNodes {
                throw Diagnostic.error(
                    "front matter is too large (more than \(YAMLReader.maximumNodes) values, often from YAML aliases)",
                    at: location(node.mark))
            }
            if depth > YAMLReader.maximumDepth {
                throw Diagnostic.error(
                    "front matter is nested too deeply (more than \(YAMLReader.maximumDepth) levels)",
                    at: location(node.mark))
            }
            switch node {
            case .scalar(let scalar):
                return .scalar(scalar.string, plain: scalar.style == .plain || scalar.style == .any, location(scalar.mark))
            case .sequence(let sequence):
                var items: [YAMLNode] = []
                for item in sequence { items.append(try convert(item, depth: depth + 1)) }
                return .sequence(items, location(sequence.mark))
            case .mapping(let mapping):
                var entries: [YAMLEntry] = []
                var keys = Set<String>()
                for (key, value) in mapping {
                    guard case .scalar(let keyScalar) = key else {
                        throw Diagnostic.error("a key must be a plain name", at: location(key.mark))
                    }
                    // Yams reports duplicates first; this catches the same text under different explicit tags.
                    guard keys.insert(keyScalar.string).inserted else {
                        throw Diagnostic.error("duplicate key '\(keyScalar.string)' in front matter", at: location(keyScalar.mark))
                    }
                    entries.append(
                        YAMLEntry(
                            key: keyScalar.string, keyLocation: location(keyScalar.mark),
                            value: try convert(value, depth: depth + 1)))
                }
                return .mapping(entries, location(mapping.mark))
            case .alias(let alias):
                throw Diagnostic.error("YAML aliases are not supported in front matter", at: location(alias.mark))
            }
        }
    }

    private static func diagnostic(for error: YamlError, path: String, firstLine: Int) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(path: path, line: mark.line + firstLine - 1, column: mark.column)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line + firstLine - 1))" }
            if problem.contains("tab") || problem.contains("TAB") {
                message += "; indent with spaces, not tabs"
            }
            return .error(message, at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error("duplicate key \(names) in front matter", at: at(context.mark))
        case .reader(let problem, _, _, _):
            return .error("invalid YAML: \(problem)", at: SourceLocation(path: path, line: firstLine))
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(path: path, line: firstLine))
        }
    }
}

extension Diagnostic: Error {}
