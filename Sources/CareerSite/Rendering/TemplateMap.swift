/// A template's context: names and values (`TemplateData`), kept in the order they were first set.
///
/// A context holds a few dozen names at most, is made for one page and read a few times, so it is a list searched
/// from the start rather than a `Dictionary`: each entry keeps a hash of its name (FNV-1a, which costs a few
/// instructions a byte) and a lookup compares those hashes, and the names only when the hashes are equal. Template
/// names are hashed once, when the template is parsed (`TemplateName`). With `[String: any TemplateData]`, hashing
/// (SipHash, per lookup and per insertion, in every dictionary) and making and freeing dictionaries were about
/// 13 % of the instructions of a build.
struct TemplateMap: ExpressibleByDictionaryLiteral {
    /// A name and how a template sees its value (`TemplateData.templateValue`), worked out once when it is set. The
    /// value itself is not kept: storing it too (an existential box beside the `TemplateValue`) made every entry
    /// twice as costly to copy and free, and nothing but tests reads it back (see the subscript).
    private struct Entry {
        let hash: Int
        let key: String
        var shown: TemplateValue?
    }

    private var entries: [Entry] = []

    init() {}

    /// Room for `count` names in all, for a map made once and kept (a role's list item is kept for the whole
    /// build, `ListItemCache`): grown a name at a time past its literal, it kept room for twice as many.
    mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    /// Later values replace earlier ones of the same name.
    init(dictionaryLiteral elements: (String, any TemplateData)...) {
        // Room for a few more: a page's context is made from a literal and then given more names.
        entries.reserveCapacity(elements.count + 4)
        for (key, value) in elements { self[key] = value }
    }

    /// FNV-1a of the name's UTF-8 bytes.
    static func hash(_ key: String) -> Int { FNV1a.hash(key) }

    private func index(of key: String, hash: Int) -> Int? {
        // Through the buffer, so that no entry is copied to be looked at.
        entries.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index].hash == hash && buffer[index].key == key { return index }
            return nil
        }
    }

    /// Whether the map has the name `key` (whose `hash(_:)` is `hash`), whatever its value.
    func contains(_ key: String, hash: Int) -> Bool { index(of: key, hash: hash) != nil }

    /// How a template sees the value of `key` (`TemplateData.templateValue`), whose `hash(_:)` is `hash`; nil when
    /// there is no such name or its value counts as absent.
    func shown(for key: String, hash: Int) -> TemplateValue? {
        index(of: key, hash: hash).flatMap { entries[$0].shown }
    }

    /// Reading gives a value that a template sees the same way as the one set: the same value for text, markup,
    /// flags, numbers, maps and lists of maps; empty text (which a template sees as absent) reads as `""`.
    subscript(key: String) -> (any TemplateData)? {
        get { index(of: key, hash: Self.hash(key)).map { Self.data(entries[$0].shown) } }
        set {
            // Without a switch over `(found, newValue)`: making that tuple copied the value's existential box, and
            // this runs for every name of every context (290,000 times in a build of 2,000 roles).
            let hash = Self.hash(key)
            let found = index(of: key, hash: hash)
            guard let newValue else {
                if let found { entries.remove(at: found) }
                return
            }
            if let found {
                entries[found].shown = newValue.templateValue
            } else {
                entries.append(Entry(hash: hash, key: key, shown: newValue.templateValue))
            }
        }
    }

    /// A value a template sees as `shown`.
    private static func data(_ shown: TemplateValue?) -> any TemplateData {
        switch shown {
        case nil: ""
        case .text(let text): text
        case .html(let html): RawHTML(html)
        case .bytes(let bytes): RenderedHTML(bytes)
        case .bool(let flag): flag
        case .map(let map): map
        case .maps(let maps): maps
        case .lazyMaps(let maps): maps
        case .list(let values): TemplateValues(values: values)
        case .int(let number): number
        case .deferred(let render): render
        }
    }

    /// The names whose values a template sees as lists (of maps or of other values), each with whether its list
    /// is empty, from what was worked out when they were set.
    var lists: [(key: String, isEmpty: Bool)] {
        entries.compactMap { entry in
            switch entry.shown {
            case .maps(let maps): (entry.key, maps.isEmpty)
            case .list(let items): (entry.key, items.isEmpty)
            default: nil
            }
        }
    }

    var keys: [String] { entries.map(\.key) }
    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// This map with the names of `other` it does not have, added in `other`'s order.
    func adding(_ other: TemplateMap) -> TemplateMap {
        var result = self
        result.entries.reserveCapacity(entries.count + other.entries.count)
        for entry in other.entries where index(of: entry.key, hash: entry.hash) == nil { result.entries.append(entry) }
        return result
    }
}

extension TemplateMap: Sequence {
    func makeIterator() -> some IteratorProtocol<(key: String, value: any TemplateData)> {
        entries.lazy.map { (key: $0.key, value: Self.data($0.shown)) }.makeIterator()
    }
}

/// A list of values other than maps, as a template sees it (what `TemplateMap` gives back for one).
struct TemplateValues: TemplateData {
    var values: [TemplateValue]
    var templateValue: TemplateValue? { .list(values) }
}
