/// What changed between two revisions of the framework: a pure function of two `Framework`s.
///
/// The report is a list of `groups`, one per kind of content that changed, in content order (framework, stages,
/// domains, capabilities, professions, roles, routes, pages). Each group lists its `items` by id, and each item
/// says whether the entry was added, removed, renamed or changed, with the `fields` that changed.
///
/// **Renames.** An id that is gone and a new id of the same kind are taken to be one entry renamed when their
/// titles are the same (ignoring case and spacing) or when the plain text of title, summary and body is at least
/// 80% similar (`WordDiff.similarity`: twice the words in common, in order, over all words). Each old id pairs
/// with at most one new id: same-title pairs first, then the most similar, then by id. A renamed item carries
/// the field changes between the two files. References to a renamed entry (a role's stage, a route's steps, a
/// capability's descriptor stages…) are compared through the rename, so they are reported once, at the rename.
///
/// **Text.** Front-matter text is compared with runs of whitespace folded to one space. Markdown (bodies,
/// descriptors, `entry`) is compared as plain text, so a word diff shows rewording; when only formatting or a
/// link target changed, the field is reported as `reformatted`, without words.
///
/// Assets are not compared.
public struct ChangeReport: Sendable, Hashable {
    /// The changed kinds, in content order; kinds with no change are left out.
    public var groups: [ChangeGroup]
    /// `framework.md` of each revision, for headings ("from edition … to …").
    public var oldInfo: FrameworkInfo
    public var newInfo: FrameworkInfo

    /// Nothing changed.
    public var isEmpty: Bool { groups.isEmpty }

    /// Content changed (anything other than the `updated` date), but the edition is the same.
    public var editionUnchanged: Bool {
        guard oldInfo.edition == newInfo.edition else { return false }
        return groups.contains { group in
            group.section != .framework || group.items.contains { item in item.fields.contains { $0.field != "updated" } }
        }
    }

    /// The warning to show when `editionUnchanged`, without the `warning: ` prefix.
    public var editionWarning: String? {
        guard editionUnchanged else { return nil }
        return "content changed but the edition is still '\(newInfo.edition)'; update 'edition' in framework.md"
    }

    /// Entries of the new revision that were added, renamed or changed, so the site can mark their pages.
    /// Removed entries have no page and are not included.
    public var changedEntries: Set<EntryRef> {
        Set(groups.flatMap(\.items).compactMap(\.ref))
    }

    /// Every item, in report order.
    public var items: [ChangeItem] { groups.flatMap(\.items) }

    /// How many items there are of a change kind.
    public func count(_ change: ChangeItem.Change) -> Int {
        groups.reduce(0) { total, group in total + group.items.filter { $0.change == change }.count }
    }

    public init(groups: [ChangeGroup], oldInfo: FrameworkInfo, newInfo: FrameworkInfo) {
        self.groups = groups
        self.oldInfo = oldInfo
        self.newInfo = newInfo
    }

    /// Compares two revisions.
    public init(old: Framework, new: Framework) {
        self = ChangeComparer(old: old, new: new).report()
    }
}

/// A kind of content in the report: the framework itself, or one of the entry kinds.
public enum ChangeSection: String, CaseIterable, Sendable, Comparable, Hashable {
    case framework, stage, domain, capability, profession, role, route, page

    /// The entry kind, or `nil` for the framework.
    public var entryKind: EntryKind? { EntryKind(rawValue: rawValue) }

    /// "Framework", "Stages", "Capabilities"…
    public var heading: String {
        switch self {
        case .framework: "Framework"
        case .stage: "Stages"
        case .domain: "Domains"
        case .capability: "Capabilities"
        case .profession: "Professions"
        case .role: "Roles"
        case .route: "Routes"
        case .page: "Pages"
        }
    }

    public init(_ kind: EntryKind) {
        self = ChangeSection(rawValue: kind.rawValue) ?? .framework
    }

    public static func < (lhs: ChangeSection, rhs: ChangeSection) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// The changes to one kind of content, by id.
public struct ChangeGroup: Sendable, Hashable {
    public var section: ChangeSection
    public var items: [ChangeItem]

    public init(section: ChangeSection, items: [ChangeItem]) {
        self.section = section
        self.items = items
    }
}

/// One entry that was added, removed, renamed or changed (for the framework itself: always `changed`, id
/// `framework`).
public struct ChangeItem: Sendable, Hashable {
    public enum Change: String, Sendable, Hashable, CaseIterable {
        case added, removed, renamed, changed
    }

    public var section: ChangeSection
    public var change: Change
    /// The id in the new revision; for a removed entry, its old id.
    public var id: String
    /// The id in the old revision, when renamed.
    public var oldID: String?
    /// The title in the new revision; for a removed entry, its old title.
    public var title: String
    /// What changed, in the order of the file's fields (empty for added and removed entries).
    public var fields: [FieldChange]

    public init(section: ChangeSection, change: Change, id: String, oldID: String? = nil, title: String, fields: [FieldChange] = []) {
        self.section = section
        self.change = change
        self.id = id
        self.oldID = oldID
        self.title = title
        self.fields = fields
    }

    /// The entry in the new revision, for a link to its page; `nil` for removed entries and the framework.
    public var ref: EntryRef? {
        guard change != .removed, let kind = section.entryKind else { return nil }
        return EntryRef(kind, id)
    }
}

/// One field that changed.
///
/// | field | change | subject | values |
/// |---|---|---|---|
/// | `title`, `short_title`, `edition`, `code`, `regulator`, `owner`, `base_url` | modified / added / removed | | `old`, `new` (quoted when shown) |
/// | `status`, `updated`, `order`, `level`, `stage`, `profession`, `domain` | modified / added / removed | | `old`, `new` |
/// | `bands`, `settings` | modified | | `oldItems`, `newItems` (and `old`, `new` joined with ", ") |
/// | `capabilities`, `next` | added / removed / reordered | | `items` (added or removed ids); for reordered `oldItems`, `newItems` |
/// | `summary`, `entry`, `body` | modified / added / removed / reformatted | | `old`, `new` (plain text), `words` |
/// | `levels` (a capability's descriptor) | modified / added / removed / reformatted | stage id | `old`, `new`, `words` |
/// | `steps` | added / removed | role id | `new` / `old`: the step's `via` |
/// | `steps` | reordered | | `oldItems`, `newItems`: the role ids in order |
/// | `via` | modified / added / removed | role id of the step | `old`, `new`, `words` |
///
/// `words` is the full word diff of `old` and `new` for reworded text (modified `summary`, `entry`, `body`,
/// `levels`, `via`); `excerpt()` shortens long unchanged runs for display.
public struct FieldChange: Sendable, Hashable {
    public enum Change: String, Sendable, Hashable, CaseIterable {
        /// The value changed (text reworded, number or list changed).
        case modified
        /// The value (or list items, descriptor, step) was added.
        case added
        /// The value (or list items, descriptor, step) was removed.
        case removed
        /// The same items, in a different order.
        case reordered
        /// Markdown whose words are the same, but whose formatting or link targets changed.
        case reformatted
    }

    /// The front-matter key (`title`, `bands`, `levels`, `steps`, `via`…), or `body` for the Markdown body.
    public var field: String
    public var change: Change
    /// The stage of a descriptor, or the role of a route step; `nil` for other fields.
    public var subject: String?
    public var old: String?
    public var new: String?
    /// Added or removed list items (`capabilities`, `next`).
    public var items: [String]
    /// Whole lists before and after (`bands`, `settings`, reordered `steps`, `capabilities`, `next`).
    public var oldItems: [String]
    public var newItems: [String]
    /// Word diff from `old` to `new` for reworded text.
    public var words: [WordDiff.Segment]

    public init(
        field: String, change: Change, subject: String? = nil, old: String? = nil, new: String? = nil, items: [String] = [],
        oldItems: [String] = [], newItems: [String] = [], words: [WordDiff.Segment] = []
    ) {
        self.field = field
        self.change = change
        self.subject = subject
        self.old = old
        self.new = new
        self.items = items
        self.oldItems = oldItems
        self.newItems = newItems
        self.words = words
    }

    /// `words` with long unchanged runs shortened to `context` words next to each change.
    public func excerpt(context: Int = 8) -> [WordDiff.Segment] {
        WordDiff.excerpt(words, context: context)
    }

    /// What the change is, in words: `title`, `summary reworded`, `descriptor added at stage 'enhanced'`,
    /// `step removed: nurse`, `capabilities added`…
    public var label: String {
        let subject = subject ?? ""
        switch (field, change) {
        case ("levels", .added): return "descriptor added at stage '\(subject)'"
        case ("levels", .removed): return "descriptor removed at stage '\(subject)'"
        case ("levels", .modified): return "descriptor reworded at stage '\(subject)'"
        case ("levels", _): return "descriptor formatting or links changed at stage '\(subject)'"
        case ("steps", .added): return "step added: \(subject)"
        case ("steps", .removed): return "step removed: \(subject)"
        case ("steps", _): return "steps reordered"
        case ("via", .added): return "via added at step '\(subject)'"
        case ("via", .removed): return "via removed at step '\(subject)'"
        case ("via", _): return "via changed at step '\(subject)'"
        case (_, .reformatted): return "\(field) formatting or links changed"
        case ("summary", .modified), ("entry", .modified), ("body", .modified): return "\(field) reworded"
        case (_, .added): return "\(field) added"
        case (_, .removed): return "\(field) removed"
        case (_, .reordered): return "\(field) reordered"
        case (_, .modified): return field
        }
    }

    /// Whether `old` and `new` are free text, shown in quotes (`title: "A" → "B"`).
    var isQuotedText: Bool {
        ["title", "short_title", "edition", "code", "regulator", "owner", "base_url"].contains(field)
    }

    /// Whether the change is best shown as a word diff.
    var showsWords: Bool { change == .modified && !words.isEmpty }
}
