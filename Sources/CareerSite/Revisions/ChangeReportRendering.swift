/// The report as terminal text, as Markdown for the group's minutes, and as a Mustache context for the site.
extension ChangeReport {
    /// Words of unchanged text kept next to each change in a word diff.
    static let contextWords = 8
    /// Words shown of a whole text that was added or removed.
    static let clipWords = 40

    /// `Changes from edition '0.1' (2026-01-15) to edition '0.2' (2026-02-01).`
    public var heading: String {
        "Changes from edition '\(oldInfo.edition)' (\(oldInfo.updated)) to edition '\(newInfo.edition)' (\(newInfo.updated))."
    }

    /// `2 added, 1 removed, 0 renamed, 3 changed.`
    public var summary: String {
        ChangeItem.Change.allCases.map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ") + "."
    }

    /// Plain text for a terminal, ending with a newline: a heading, then each kind that changed (in content
    /// order) with its entries by id, each changed field on its own line, and a summary. Word diffs are written
    /// `[-deleted-]{+inserted+}`. `No changes.` when nothing changed. The edition warning is not included (the
    /// command prints it to standard error).
    public func text() -> String {
        guard !isEmpty else { return "No changes.\n" }
        var lines = [heading]
        for group in groups {
            lines.append("")
            lines.append(group.section.heading)
            for item in group.items {
                var indent = "  "
                if group.section != .framework {
                    lines.append("  " + item.change.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + itemName(item))
                    indent = "    "
                }
                for field in item.fields {
                    lines.append(indent + Self.line(field, style: .text))
                }
            }
        }
        lines.append("")
        lines.append("Summary: " + summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown for the minutes, ending with a newline: a heading line, the edition warning as a quote when there
    /// is one, then a `##` heading per kind and a bullet per entry, with a nested bullet per changed field. Word
    /// diffs are written `~~deleted~~ **inserted**`. `No changes.` when nothing changed.
    public func markdown() -> String {
        guard !isEmpty else { return "No changes.\n" }
        var lines = [Self.escaped(heading)]
        if let editionWarning {
            lines += ["", "> **Warning:** " + Self.escaped(editionWarning) + "."]
        }
        for group in groups {
            lines += ["", "## " + group.section.heading, ""]
            for item in group.items {
                var indent = ""
                if group.section != .framework {
                    let name: String
                    if let oldID = item.oldID {
                        name = "`\(oldID)` → `\(item.id)`"
                    } else {
                        name = "`\(item.id)`"
                    }
                    lines.append("- **\(item.change.rawValue.capitalized)** \(name): \(Self.escaped(item.title))")
                    indent = "  "
                }
                for field in item.fields {
                    lines.append(indent + "- " + Self.line(field, style: .markdown))
                }
            }
        }
        lines += ["", Self.escaped("Summary: " + summary)]
        return lines.joined(separator: "\n") + "\n"
    }

    private func itemName(_ item: ChangeItem) -> String {
        let id = item.oldID.map { "\($0) → \(item.id)" } ?? item.id
        return "\(id): \(item.title)"
    }

    // MARK: Fields

    enum Style { case text, markdown }

    /// Fields whose values are prose, shown with change markers when added or removed.
    private static let proseFields: Set<String> = ["summary", "entry", "body", "levels", "via"]

    /// One field change on one line: its label, then the change.
    static func line(_ field: FieldChange, style: Style) -> String {
        let label = plain(field.label, style: style)
        if field.showsWords {
            return label + ": " + render(field.excerpt(context: contextWords), style: style)
        }
        func shown(_ value: String?) -> String {
            guard let value, !value.isEmpty else { return "none" }
            return field.isQuotedText ? quoted(value, style: style) : plain(value, style: style)
        }
        switch field.change {
        case .reformatted:
            return label
        case .reordered:
            return label + ": " + shown(field.old) + " → " + shown(field.new)
        case .modified:
            return label + ": " + shown(field.old) + " → " + shown(field.new)
        case .added, .removed:
            if !field.items.isEmpty {
                return label + ": " + plain(field.items.joined(separator: ", "), style: style)
            }
            if field.field == "steps" {
                guard let via = field.new else { return label }
                return label + ", via " + quoted(clip(via), style: style)
            }
            let value = field.change == .added ? field.new : field.old
            guard let value else { return label }
            if proseFields.contains(field.field) {
                let kind: WordDiff.Segment.Kind = field.change == .added ? .inserted : .deleted
                return label + ": " + render([WordDiff.Segment(kind, clip(value))], style: style)
            }
            return label + ": " + shown(value)
        }
    }

    /// A word diff as `[-deleted-]{+inserted+}` (text) or `~~deleted~~ **inserted**` (Markdown). Whitespace at
    /// the ends of a change is written outside its markers.
    static func render(_ segments: [WordDiff.Segment], style: Style) -> String {
        var output = ""
        var previous: WordDiff.Segment.Kind?
        for segment in segments {
            switch segment.kind {
            case .equal:
                output += plain(segment.text, style: style)
            case .deleted, .inserted:
                let text = segment.text
                let leading = String(text.prefix { $0.isWhitespace })
                let core = text.dropFirst(leading.count)
                let trailing = String(core.reversed().prefix { $0.isWhitespace })
                let word = String(core.dropLast(trailing.count))
                guard !word.isEmpty else {
                    if segment.kind == .inserted { output += text }
                    continue
                }
                if style == .markdown, previous == .deleted, segment.kind == .inserted, leading.isEmpty,
                    !(output.last?.isWhitespace ?? true)
                {
                    output += " "
                }
                let escapedWord = plain(word, style: style)
                switch (style, segment.kind) {
                case (.text, .deleted): output += leading + "[-" + escapedWord + "-]" + trailing
                case (.text, _): output += leading + "{+" + escapedWord + "+}" + trailing
                case (.markdown, .deleted): output += leading + "~~" + escapedWord + "~~" + trailing
                case (.markdown, _): output += leading + "**" + escapedWord + "**" + trailing
                }
            }
            previous = segment.kind
        }
        return output
    }

    private static func quoted(_ text: String, style: Style) -> String {
        "\"" + plain(text, style: style) + "\""
    }

    private static func plain(_ text: String, style: Style) -> String {
        style == .markdown ? escaped(text) : text
    }

    /// The first `clipWords` words of a text, with `…` when there were more.
    static func clip(_ text: String) -> String {
        let words = WordDiff.words(text)
        guard words.count > clipWords else { return text }
        return words.prefix(clipWords).joined(separator: " ") + " …"
    }

    /// Text with the characters that Markdown would read as markup backslash-escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if "\\`*_~[]<>#|".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

// MARK: - Template context

extension ChangeReport {
    /// The report as a Mustache context, for a page that shows what changed:
    ///
    /// ```
    /// is_empty, edition_unchanged (Bool); warning (text, when edition_unchanged)
    /// old_edition, new_edition, old_updated, new_updated, heading, summary (text)
    /// added, removed, renamed, changed (Int: items of each change kind)
    /// has_groups, groups: [
    ///   kind ("framework", "stage", … "page"), heading ("Framework", "Stages"…), count,
    ///   items: [
    ///     kind, id, old_id (when renamed), title,
    ///     change ("added" | "removed" | "renamed" | "changed"), is_added, is_removed, is_renamed, is_changed,
    ///     href (when `href` gives one: entries of the new revision only), has_href,
    ///     has_fields, fields: [
    ///       field ("title", "levels", "steps"…), subject (stage or role id, or ""), label ("descriptor reworded at stage 'x'"),
    ///       change ("modified" | "added" | "removed" | "reordered" | "reformatted"), is_modified, is_added, is_removed,
    ///       is_reordered, is_reformatted,
    ///       old, new (text, "" when absent), has_old, has_new,
    ///       items, old_items, new_items ([String]), has_items, has_old_items, has_new_items,
    ///       has_words, words: [ text, kind ("equal" | "inserted" | "deleted"), is_equal, is_inserted, is_deleted ]
    ///     ]
    ///   ]
    /// ]
    /// ```
    ///
    /// `words` is the word diff shortened to `context` words around each change (`…` marks what was left out);
    /// it is present only for reworded text, so a template shows `words` when `has_words` and `old` → `new`
    /// otherwise. Every value is plain text for `{{…}}` escaping; nothing is HTML.
    ///
    /// - Parameter href: the link to an entry of the new revision from the page being rendered, if any.
    func templateContext(context: Int = 12, href: (EntryRef) -> String? = { _ in nil }) -> TemplateContext {
        let groups: [TemplateContext] = groups.map { group in
            let items: [TemplateContext] = group.items.map { item in
                var entry: TemplateContext = [
                    "kind": group.section.rawValue, "id": item.id, "title": item.title, "change": item.change.rawValue,
                    "has_fields": !item.fields.isEmpty,
                    "fields": item.fields.map { Self.fieldContext($0, context: context) },
                ]
                for change in ChangeItem.Change.allCases { entry["is_" + change.rawValue] = item.change == change }
                if let oldID = item.oldID { entry["old_id"] = oldID }
                let link = item.ref.flatMap(href)
                if let link { entry["href"] = link }
                entry["has_href"] = link != nil
                return entry
            }
            return [
                "kind": group.section.rawValue, "heading": group.section.heading, "count": group.items.count, "items": items,
                "has_items": !items.isEmpty,
            ]
        }
        var result: TemplateContext = [
            "is_empty": isEmpty, "edition_unchanged": editionUnchanged, "old_edition": oldInfo.edition, "new_edition": newInfo.edition,
            "old_updated": oldInfo.updated, "new_updated": newInfo.updated, "heading": heading, "summary": summary,
            "groups": groups, "has_groups": !groups.isEmpty,
        ]
        if let editionWarning { result["warning"] = editionWarning }
        for change in ChangeItem.Change.allCases { result[change.rawValue] = count(change) }
        return result
    }

    private static func fieldContext(_ field: FieldChange, context: Int) -> TemplateContext {
        let words: [TemplateContext] =
            field.showsWords
            ? field.excerpt(context: context).map { segment in
                [
                    "text": segment.text, "kind": segment.kind.rawValue, "is_equal": segment.kind == .equal,
                    "is_inserted": segment.kind == .inserted, "is_deleted": segment.kind == .deleted,
                ]
            } : []
        var result: TemplateContext = [
            "field": field.field, "subject": field.subject ?? "", "label": field.label, "change": field.change.rawValue,
            "old": field.old ?? "", "new": field.new ?? "", "has_old": !(field.old ?? "").isEmpty, "has_new": !(field.new ?? "").isEmpty,
            "items": field.items, "old_items": field.oldItems, "new_items": field.newItems, "has_items": !field.items.isEmpty,
            "has_old_items": !field.oldItems.isEmpty, "has_new_items": !field.newItems.isEmpty, "has_words": !words.isEmpty,
            "words": words,
        ]
        for change in FieldChange.Change.allCases { result["is_" + change.rawValue] = field.change == change }
        return result
    }
}
