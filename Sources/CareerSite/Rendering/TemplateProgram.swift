/// Parsed templates (`TemplateNode` trees) laid out flat for rendering: one array of plain operations, one buffer
/// of all the templates' text, and one table of the names the tags look up.
///
/// A tree of `indirect` enum nodes costs reference counting at every step of a render: each node is a box, and
/// looking at one retains it and the strings and arrays inside it. Every thread renders from the same templates,
/// so those counts are atomic operations on memory that both processors write, and at 2,000 roles
/// `swift_retain` and `swift_release` were a quarter of a build's time. Here an operation is a few integers, text
/// is a range of `text`, a partial is the index of its template (found once, here, not by name at every tag), and
/// a section's children are the operations that follow it, up to its `end`: rendering walks indices and counts
/// no references.
struct TemplateProgram: Sendable {
    enum Kind: UInt8, Sendable {
        /// `first..<second` of `text`.
        case text
        /// The name `first` of `names`.
        case variable
        /// The name `first`; children up to operation `second` (exclusive).
        case section
        case invertedSection
        /// The template `first` of `templates` (-1: no such template), indented by `indentations[second]`
        /// (-1: no indentation of its own).
        case partial
    }

    struct Operation: Sendable {
        var kind: Kind
        var first: Int
        var second: Int
    }

    /// A name in a tag (`TemplateName`): `parts` of `nameParts`.
    struct Name: Sendable {
        var anchored: Bool
        var parts: Range<Int>
    }

    /// One part of a name, and its `TemplateMap.hash`.
    struct NamePart: Sendable {
        var key: String
        var hash: Int
    }

    private(set) var operations: [Operation] = []
    private(set) var text: [UInt8] = []
    private(set) var names: [Name] = []
    private(set) var nameParts: [NamePart] = []
    private(set) var indentations: [[UInt8]] = []
    /// Each template's operations.
    private(set) var templates: [Range<Int>] = []
    /// Templates by name.
    private(set) var index: [String: Int] = [:]

    init(library: [String: [TemplateNode]]) {
        // Sorted, so the same templates give the same layout.
        let ordered = library.sorted { $0.key < $1.key }
        for (position, entry) in ordered.enumerated() { index[entry.key] = position }
        for (_, nodes) in ordered {
            let start = operations.count
            append(nodes)
            templates.append(start..<operations.count)
        }
    }

    /// The operations of the template called `name`, if there is one.
    func template(named name: String) -> Range<Int>? { index[name].map { templates[$0] } }

    private mutating func append(_ nodes: [TemplateNode]) {
        for node in nodes {
            switch node {
            case .text(let string):
                let start = text.count
                text.append(contentsOf: string.utf8)
                operations.append(Operation(kind: .text, first: start, second: text.count))
            case .variable(let name):
                operations.append(Operation(kind: .variable, first: add(name), second: 0))
            case .section(let name, let children, let inverted):
                let position = operations.count
                operations.append(Operation(kind: inverted ? .invertedSection : .section, first: add(name), second: 0))
                append(children)
                operations[position].second = operations.count
            case .partial(let name, let indentation):
                var indentationIndex = -1
                if let indentation {
                    indentationIndex = indentations.count
                    indentations.append(Array(indentation.utf8))
                }
                operations.append(Operation(kind: .partial, first: index[name] ?? -1, second: indentationIndex))
            }
        }
    }

    private mutating func add(_ name: TemplateName) -> Int {
        let start = nameParts.count
        for (part, hash) in zip(name.parts, name.hashes) { nameParts.append(NamePart(key: part, hash: hash)) }
        names.append(Name(anchored: name.anchored, parts: start..<nameParts.count))
        return names.count - 1
    }
}
