import Foundation

/// Builds a `ChangeReport`: finds renames first (they only depend on each entry's own text), then compares each
/// kind's entries field by field, reading references through the renames.
struct ChangeComparer {
    /// Texts at least this similar (`WordDiff.similarity`) make a removed and an added entry one renamed entry.
    static let renameSimilarity = 0.8

    let old: Framework
    let new: Framework
    /// Per kind: old id -> new id.
    private(set) var renames: [EntryKind: [String: String]] = [:]

    init(old: Framework, new: Framework) {
        self.old = old
        self.new = new
        for kind in EntryKind.allCases {
            // Only entries that are gone or new are candidates; most comparisons have none.
            let (beforeIDs, afterIDs) = ids(kind)
            let removed = beforeIDs.subtracting(afterIDs)
            let added = afterIDs.subtracting(beforeIDs)
            guard !removed.isEmpty, !added.isEmpty else { continue }
            let (before, after) = keyed(kind, old: removed, new: added)
            let found = Self.renames(removed: before, added: after)
            if !found.isEmpty { renames[kind] = found }
        }
    }

    func report() -> ChangeReport {
        var groups: [ChangeGroup] = []
        let frameworkFields = infoFields(old.info, new.info)
        if !frameworkFields.isEmpty {
            let item = ChangeItem(section: .framework, change: .changed, id: "framework", title: new.info.title, fields: frameworkFields)
            groups.append(ChangeGroup(section: .framework, items: [item]))
        }
        let compared: [ChangeGroup?] = [
            compare(.stage, old.stages, new.stages, id: \.id.rawValue, title: \.title, fields: stageFields),
            compare(.domain, old.domains, new.domains, id: \.id.rawValue, title: \.title, fields: domainFields),
            compare(.capability, old.capabilities, new.capabilities, id: \.id.rawValue, title: \.title, fields: capabilityFields),
            compare(.profession, old.professions, new.professions, id: \.id.rawValue, title: \.title, fields: professionFields),
            compare(.role, old.roles, new.roles, id: \.id.rawValue, title: \.title, fields: roleFields),
            compare(.route, old.routes, new.routes, id: \.id.rawValue, title: \.title, fields: routeFields),
            compare(.page, old.pages, new.pages, id: \.id.rawValue, title: \.title, fields: pageFields),
        ]
        groups += compared.compactMap { $0 }
        return ChangeReport(groups: groups, oldInfo: old.info, newInfo: new.info)
    }

    // MARK: Entries

    private func compare<Entry>(
        _ kind: EntryKind, _ oldEntries: [Entry], _ newEntries: [Entry], id: (Entry) -> String, title: (Entry) -> String,
        fields: (Entry, Entry) -> [FieldChange]
    ) -> ChangeGroup? {
        var oldByID: [String: Entry] = [:]
        for entry in oldEntries { oldByID[id(entry)] = entry }
        let newIDs = Set(newEntries.map(id))
        let renamed = renames[kind] ?? [:]
        let renamedFrom = Dictionary(renamed.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        let section = ChangeSection(kind)
        var items: [ChangeItem] = []
        for entry in newEntries {
            let entryID = id(entry)
            if let before = oldByID[entryID] {
                let changes = fields(before, entry)
                if !changes.isEmpty {
                    items.append(ChangeItem(section: section, change: .changed, id: entryID, title: title(entry), fields: changes))
                }
            } else if let oldID = renamedFrom[entryID], let before = oldByID[oldID] {
                items.append(
                    ChangeItem(
                        section: section, change: .renamed, id: entryID, oldID: oldID, title: title(entry), fields: fields(before, entry)))
            } else {
                items.append(ChangeItem(section: section, change: .added, id: entryID, title: title(entry)))
            }
        }
        for entry in oldEntries where !newIDs.contains(id(entry)) && renamed[id(entry)] == nil {
            items.append(ChangeItem(section: section, change: .removed, id: id(entry), title: title(entry)))
        }
        guard !items.isEmpty else { return nil }
        items.sort { ($0.id, $0.change.rawValue) < ($1.id, $1.change.rawValue) }
        return ChangeGroup(section: section, items: items)
    }

    /// An old reference read through the renames of its kind.
    private func mapped(_ id: String, _ kind: EntryKind) -> String {
        renames[kind]?[id] ?? id
    }

    private func infoFields(_ a: FrameworkInfo, _ b: FrameworkInfo) -> [FieldChange] {
        [
            Self.value("title", a.title, b.title),
            Self.value("short_title", a.shortTitle, b.shortTitle),
            Self.value("edition", a.edition, b.edition),
            Self.value("status", a.status.rawValue, b.status.rawValue),
            Self.value("updated", a.updated, b.updated),
            Self.value("base_url", a.baseURL, b.baseURL),
            Self.value("owner", a.owner, b.owner),
            rich("body", a.introduction, b.introduction),
        ].compactMap { $0 }
    }

    private func stageFields(_ a: Stage, _ b: Stage) -> [FieldChange] {
        [
            Self.value("title", a.title, b.title),
            Self.value("order", String(a.order), String(b.order)),
            Self.value("level", a.level.map(String.init), b.level.map(String.init)),
            Self.list("bands", a.bands, b.bands),
            Self.text("summary", a.summary, b.summary),
            rich("body", a.body, b.body),
        ].compactMap { $0 }
    }

    private func domainFields(_ a: Domain, _ b: Domain) -> [FieldChange] {
        [
            Self.value("title", a.title, b.title),
            Self.value("order", String(a.order), String(b.order)),
            Self.text("summary", a.summary, b.summary),
            rich("body", a.body, b.body),
        ].compactMap { $0 }
    }

    private func capabilityFields(_ a: Capability, _ b: Capability) -> [FieldChange] {
        var changes = [
            Self.value("title", a.title, b.title),
            Self.value("code", a.code, b.code),
            Self.value("domain", mapped(a.domain.rawValue, .domain), b.domain.rawValue),
            Self.text("summary", a.summary, b.summary),
        ].compactMap { $0 }
        changes += levelFields(a.levels, b.levels)
        if let body = rich("body", a.body, b.body) { changes.append(body) }
        return changes
    }

    /// Descriptors added, removed and reworded, in the new revision's stage order (stages that are gone last).
    private func levelFields(_ a: [StageID: RichText], _ b: [StageID: RichText]) -> [FieldChange] {
        var before: [String: RichText] = [:]
        for (stage, text) in a { before[mapped(stage.rawValue, .stage)] = text }
        var stageIDs = new.stages.map(\.id.rawValue)
        let known = Set(stageIDs)
        stageIDs += old.stages.map { mapped($0.id.rawValue, .stage) }.filter { !known.contains($0) }
        return stageIDs.compactMap { stage in
            rich("levels", before[stage], b[StageID(stage)], subject: stage)
        }
    }

    private func professionFields(_ a: Profession, _ b: Profession) -> [FieldChange] {
        [
            Self.value("title", a.title, b.title),
            Self.value("regulator", a.regulator, b.regulator),
            Self.text("summary", a.summary, b.summary),
            rich("body", a.body, b.body),
        ].compactMap { $0 }
    }

    private func roleFields(_ a: Role, _ b: Role) -> [FieldChange] {
        var changes = [
            Self.value("title", a.title, b.title),
            Self.value("stage", mapped(a.stage.rawValue, .stage), b.stage.rawValue),
            Self.value("profession", mapped(a.profession.rawValue, .profession), b.profession.rawValue),
            Self.list("settings", a.settings, b.settings),
            Self.list("bands", a.bands, b.bands),
            Self.text("summary", a.summary, b.summary),
        ].compactMap { $0 }
        changes += Self.references(
            "capabilities", a.capabilities.map { mapped($0.rawValue, .capability) }, b.capabilities.map(\.rawValue))
        changes += Self.references("next", a.next.map { mapped($0.rawValue, .role) }, b.next.map(\.rawValue))
        changes += [rich("entry", a.entry, b.entry), rich("body", a.body, b.body)].compactMap { $0 }
        return changes
    }

    private func routeFields(_ a: Route, _ b: Route) -> [FieldChange] {
        var changes = [
            Self.value("title", a.title, b.title),
            Self.value("profession", a.profession.map { mapped($0.rawValue, .profession) }, b.profession?.rawValue),
            Self.text("summary", a.summary, b.summary),
        ].compactMap { $0 }
        changes += stepFields(a.steps, b.steps)
        if let body = rich("body", a.body, b.body) { changes.append(body) }
        return changes
    }

    /// Steps added and removed (with their `via`), a change of order among the steps in both, and `via` changes.
    private func stepFields(_ a: [RouteStep], _ b: [RouteStep]) -> [FieldChange] {
        let before = a.map { (role: mapped($0.role.rawValue, .role), via: $0.via) }
        let after = b.map { (role: $0.role.rawValue, via: $0.via) }
        let beforeRoles = before.map(\.role)
        let afterRoles = after.map(\.role)
        let beforeSet = Set(beforeRoles)
        let afterSet = Set(afterRoles)
        var changes: [FieldChange] = []
        for step in after where !beforeSet.contains(step.role) {
            changes.append(FieldChange(field: "steps", change: .added, subject: step.role, new: Self.normalised(step.via)))
        }
        for step in before where !afterSet.contains(step.role) {
            changes.append(FieldChange(field: "steps", change: .removed, subject: step.role, old: Self.normalised(step.via)))
        }
        if beforeRoles.filter(afterSet.contains) != afterRoles.filter(beforeSet.contains) {
            changes.append(
                FieldChange(
                    field: "steps", change: .reordered, old: beforeRoles.joined(separator: ", "), new: afterRoles.joined(separator: ", "),
                    oldItems: beforeRoles, newItems: afterRoles))
        }
        var viaBefore: [String: String?] = [:]
        for step in before { viaBefore[step.role] = step.via }
        for step in after {
            guard let via = viaBefore[step.role] else { continue }
            if let change = Self.text("via", via, step.via, subject: step.role) { changes.append(change) }
        }
        return changes
    }

    private func pageFields(_ a: Page, _ b: Page) -> [FieldChange] {
        [
            Self.value("title", a.title, b.title),
            Self.value("order", a.order.map(String.init), b.order.map(String.init)),
            Self.text("summary", a.summary, b.summary),
            rich("body", a.body, b.body),
        ].compactMap { $0 }
    }

    // MARK: Field comparisons

    /// Text with runs of whitespace folded to one space; `nil` when empty.
    static func normalised(_ text: String?) -> String? {
        guard let text else { return nil }
        let folded = PlainText.collapseWhitespace(text)
        return folded.isEmpty ? nil : folded
    }

    /// A value shown as old → new (or added, removed).
    static func value(_ field: String, _ a: String?, _ b: String?) -> FieldChange? {
        let before = normalised(a)
        let after = normalised(b)
        switch (before, after) {
        case (nil, nil): return nil
        case (nil, let after?): return FieldChange(field: field, change: .added, new: after)
        case (let before?, nil): return FieldChange(field: field, change: .removed, old: before)
        case (let before?, let after?):
            return before == after ? nil : FieldChange(field: field, change: .modified, old: before, new: after)
        }
    }

    /// Text shown as a word diff when reworded.
    static func text(_ field: String, _ a: String?, _ b: String?, subject: String? = nil) -> FieldChange? {
        guard var change = value(field, a, b) else { return nil }
        change.subject = subject
        if change.change == .modified {
            change.words = WordDiff.diff(old: change.old ?? "", new: change.new ?? "")
        }
        return change
    }

    /// Markdown compared as plain text, or as `reformatted` when only the markup differs.
    private func rich(_ field: String, _ a: RichText?, _ b: RichText?, subject: String? = nil) -> FieldChange? {
        Self.rich(field, a.map(mappedLinks), b, subject: subject)
    }

    /// Old Markdown with its links to renamed entries pointing at the new ids, so a link updated for a rename
    /// is not reported again. One pass over the text, looking each link's id up: replacing each rename's old link
    /// in turn took time proportional to the number of renames for every text compared.
    private func mappedLinks(_ text: RichText) -> RichText {
        guard !renames.isEmpty, text.html.contains(LinkRules.placeholderScheme) else { return text }
        let scheme = Array(LinkRules.placeholderScheme.utf8)
        let slash = UInt8(ascii: "/"), quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#")
        var html = text.html
        let mapped = html.withUTF8 { bytes -> [UInt8]? in
            var result: [UInt8] = []
            var copied = 0
            var from = 0
            while let found = ByteSearch.first(scheme, in: bytes, from: from) {
                let kindStart = found + scheme.count
                from = kindStart
                // `kind/id` followed by `"` or `#`, as in `x-careers:role/some-id"`.
                guard let kindEnd = ByteSearch.first(byte: slash, in: bytes, from: kindStart),
                    let kind = EntryKind(
                        rawValue: String(decoding: UnsafeBufferPointer(rebasing: bytes[kindStart..<kindEnd]), as: UTF8.self)),
                    let pairs = renames[kind]
                else { continue }
                var idEnd = kindEnd + 1
                while idEnd < bytes.count, bytes[idEnd] != quote, bytes[idEnd] != hash { idEnd += 1 }
                guard idEnd < bytes.count, bytes[idEnd] == quote || bytes[idEnd] == hash,
                    let newID = pairs[String(decoding: UnsafeBufferPointer(rebasing: bytes[(kindEnd + 1)..<idEnd]), as: UTF8.self)]
                else { continue }
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<(kindEnd + 1)]))
                result.append(contentsOf: newID.utf8)
                copied = idEnd
                from = idEnd
            }
            guard copied > 0 else { return nil }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return result
        }
        guard let mapped else { return text }
        return RichText(html: String(decoding: mapped, as: UTF8.self))
    }

    static func rich(_ field: String, _ a: RichText?, _ b: RichText?, subject: String? = nil) -> FieldChange? {
        let oldHTML = a?.html ?? ""
        let newHTML = b?.html ?? ""
        guard oldHTML != newHTML else { return nil }
        let before = PlainText.from(html: oldHTML)
        let after = PlainText.from(html: newHTML)
        if before == after {
            return FieldChange(
                field: field, change: .reformatted, subject: subject, old: before.isEmpty ? nil : before,
                new: after.isEmpty ? nil : after)
        }
        return text(field, before, after, subject: subject)
    }

    /// A list shown whole, before and after (`bands`, `settings`).
    static func list(_ field: String, _ a: [String], _ b: [String]) -> FieldChange? {
        let before = a.compactMap(normalised)
        let after = b.compactMap(normalised)
        guard before != after else { return nil }
        return FieldChange(
            field: field, change: .modified, old: before.joined(separator: ", "), new: after.joined(separator: ", "), oldItems: before,
            newItems: after)
    }

    /// Ids added to and removed from a list (`capabilities`, `next`), or the same ids reordered.
    static func references(_ field: String, _ a: [String], _ b: [String]) -> [FieldChange] {
        let beforeSet = Set(a)
        let afterSet = Set(b)
        let added = b.filter { !beforeSet.contains($0) }
        let removed = a.filter { !afterSet.contains($0) }
        var changes: [FieldChange] = []
        if !added.isEmpty {
            changes.append(FieldChange(field: field, change: .added, items: added, oldItems: a, newItems: b))
        }
        if !removed.isEmpty {
            changes.append(FieldChange(field: field, change: .removed, items: removed, oldItems: a, newItems: b))
        }
        if added.isEmpty, removed.isEmpty, a != b {
            changes.append(
                FieldChange(
                    field: field, change: .reordered, old: a.joined(separator: ", "), new: b.joined(separator: ", "), oldItems: a,
                    newItems: b))
        }
        return changes
    }

    // MARK: Renames

    /// An entry reduced to what rename detection looks at.
    struct Keyed {
        var id: String
        var title: String
        /// Plain text of title, summary and body.
        var text: String
    }

    /// The ids of each revision's entries of a kind.
    private func ids(_ kind: EntryKind) -> (old: Set<String>, new: Set<String>) {
        func both<Entry>(_ a: [Entry], _ b: [Entry], _ id: (Entry) -> String) -> (Set<String>, Set<String>) {
            (Set(a.map(id)), Set(b.map(id)))
        }
        switch kind {
        case .stage: return both(old.stages, new.stages) { $0.id.rawValue }
        case .domain: return both(old.domains, new.domains) { $0.id.rawValue }
        case .capability: return both(old.capabilities, new.capabilities) { $0.id.rawValue }
        case .profession: return both(old.professions, new.professions) { $0.id.rawValue }
        case .role: return both(old.roles, new.roles) { $0.id.rawValue }
        case .route: return both(old.routes, new.routes) { $0.id.rawValue }
        case .page: return both(old.pages, new.pages) { $0.id.rawValue }
        }
    }

    /// The entries of a kind with the given ids, reduced for rename detection, in id order.
    private func keyed(_ kind: EntryKind, old oldIDs: Set<String>, new newIDs: Set<String>) -> (old: [Keyed], new: [Keyed]) {
        func key(_ id: String, _ title: String, _ summary: String?, _ body: RichText) -> Keyed {
            Keyed(id: id, title: title, text: [title, summary ?? "", PlainText.from(html: body.html)].joined(separator: " "))
        }
        func both<Entry>(_ a: [Entry], _ b: [Entry], _ id: (Entry) -> String, _ transform: (Entry) -> Keyed) -> ([Keyed], [Keyed]) {
            let before = a.filter { oldIDs.contains(id($0)) }.map(transform).sorted { $0.id < $1.id }
            let after = b.filter { newIDs.contains(id($0)) }.map(transform).sorted { $0.id < $1.id }
            return (before, after)
        }
        switch kind {
        case .stage: return both(old.stages, new.stages, \.id.rawValue) { key($0.id.rawValue, $0.title, $0.summary, $0.body) }
        case .domain: return both(old.domains, new.domains, \.id.rawValue) { key($0.id.rawValue, $0.title, $0.summary, $0.body) }
        case .capability:
            return both(old.capabilities, new.capabilities, \.id.rawValue) { key($0.id.rawValue, $0.title, $0.summary, $0.body) }
        case .profession:
            return both(old.professions, new.professions, \.id.rawValue) { key($0.id.rawValue, $0.title, $0.summary, $0.body) }
        case .role: return both(old.roles, new.roles, \.id.rawValue) { key($0.id.rawValue, $0.title, $0.summary, $0.body) }
        case .route: return both(old.routes, new.routes, \.id.rawValue) { key($0.id.rawValue, $0.title, $0.summary, $0.body) }
        case .page: return both(old.pages, new.pages, \.id.rawValue) { key($0.id.rawValue, $0.title, $0.summary, $0.body) }
        }
    }

    /// Pairs removed and added entries that are one entry renamed: the same title (ignoring case and spacing),
    /// or text at least `renameSimilarity` alike. Same-title pairs win, then the most similar, then by id; each
    /// id is used once.
    static func renames(removed: [Keyed], added: [Keyed]) -> [String: String] {
        guard !removed.isEmpty, !added.isEmpty else { return [:] }
        // Every removed entry is compared with every added one, so each title and text is made ready once.
        func titleKey(_ title: String) -> String { PlainText.collapseWhitespace(title).lowercased() }
        var vocabulary = WordDiff.Vocabulary()
        let olds = removed.map { (title: titleKey($0.title), text: vocabulary.prepare($0.text)) }
        let news = added.map { (title: titleKey($0.title), text: vocabulary.prepare($0.text)) }
        typealias Candidate = (sameTitle: Bool, score: Double, old: String, new: String)
        // The pairs are independent, so the removed entries are shared out between threads; sorting the
        // candidates afterwards makes the result the same whatever order they are found in.
        let found = ConcurrentResults<[Candidate]>(count: removed.count)
        DispatchQueue.concurrentPerform(iterations: removed.count) { index in
            let old = olds[index]
            var pairs: [Candidate] = []
            for (after, new) in zip(added, news) {
                let sameTitle = old.title == new.title
                let score = WordDiff.similarity(old.text, new.text, atLeast: sameTitle ? 0 : renameSimilarity)
                if sameTitle || score >= renameSimilarity {
                    pairs.append((sameTitle, score, removed[index].id, after.id))
                }
            }
            found.set(index, pairs)
        }
        var candidates = found.values.flatMap { $0 }
        candidates.sort { a, b in
            if a.sameTitle != b.sameTitle { return a.sameTitle }
            if a.score != b.score { return a.score > b.score }
            return (a.old, a.new) < (b.old, b.new)
        }
        var result: [String: String] = [:]
        var taken = Set<String>()
        for candidate in candidates where result[candidate.old] == nil && !taken.contains(candidate.new) {
            result[candidate.old] = candidate.new
            taken.insert(candidate.new)
        }
        return result
    }
}
