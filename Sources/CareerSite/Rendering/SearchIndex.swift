/// The offline search index, `assets/search-index.js`, read by `assets/search.js` on `search.html`.
///
/// It is a script rather than a `.json` file because browsers refuse to `fetch` local files, and the site must
/// work from `file://`. The file is one statement, `window.CAREERS_SEARCH_INDEX = [...];`, whose array has one
/// entry per stage, domain, capability, profession, role, route and page (kinds in that order, entries in
/// display order):
///
///     {"k":"role","t":"District nurse","u":"roles/district-nurse.html","s":"…","x":"…"}
///
/// - `k`: the kind (`stage`, `domain`, `capability`, `profession`, `role`, `route`, `page`).
/// - `t`: the title. `u`: the page's site-root-relative URL (from `SiteURLs`). `s`: the summary (empty for a
///   page without one).
/// - `x`: more plain text to match, joined with `"; "`: for a capability its code and its descriptor at every
///   described stage; for a role its stage, profession, settings and bands; for a route its steps' role
///   titles; for a stage its level and bands; for a profession its regulator; empty otherwise.
///
/// Bodies are left out to keep the file small. The JSON is written with `JSONValue`, so `<`, `>`, `&`, U+2028
/// and U+2029 are escaped and the text cannot end the script; it is also pure ASCII (`asciiOnly`), so it reads
/// the same whatever encoding a server claims for `.js` files.
enum SearchIndex {
    /// Where the index goes, site-root-relative.
    static let path = "assets/search-index.js"
    /// The global the script sets.
    static let variable = "CAREERS_SEARCH_INDEX"

    /// One searchable entry.
    struct Entry: Equatable, Sendable {
        var kind: EntryKind
        var title: String
        var url: String
        var summary: String
        var extra: String

        var json: JSONValue {
            .object([
                ("k", .string(kind.rawValue)), ("t", .string(title)), ("u", .string(url)), ("s", .string(summary)),
                ("x", .string(extra)),
            ])
        }
    }

    /// The contents of `assets/search-index.js`.
    static func script(for framework: Framework) -> String {
        let json = JSONValue.array(entries(for: framework).map(\.json)).compact(asciiOnly: true)
        return "window.\(variable) = \(json);\n"
    }

    /// Every entry of the index, in index order.
    static func entries(for framework: Framework) -> [Entry] {
        var entries: [Entry] = []
        for stage in framework.stages {
            let extra = (stage.level.map { ["Level \($0)"] } ?? []) + bandTexts(stage.bands)
            entries.append(
                Entry(kind: .stage, title: stage.title, url: SiteURLs.path(for: stage.id), summary: stage.summary, extra: join(extra)))
        }
        for domain in framework.domains {
            entries.append(
                Entry(kind: .domain, title: domain.title, url: SiteURLs.path(for: domain.id), summary: domain.summary, extra: ""))
        }
        for capability in framework.capabilities {
            var extra: [String] = []
            if let code = capability.code { extra.append(code) }
            for stage in framework.stages {
                if let descriptor = capability.levels[stage.id] { extra.append(PlainText.from(html: descriptor.html)) }
            }
            entries.append(
                Entry(
                    kind: .capability, title: capability.title, url: SiteURLs.path(for: capability.id), summary: capability.summary,
                    extra: join(extra)))
        }
        for profession in framework.professions {
            entries.append(
                Entry(
                    kind: .profession, title: profession.title, url: SiteURLs.path(for: profession.id), summary: profession.summary,
                    extra: join(profession.regulator.map { [$0] } ?? [])))
        }
        for role in framework.roles {
            var extra: [String] = []
            if let stage = framework.stage(role.stage) { extra.append(stage.title) }
            if let profession = framework.profession(role.profession) { extra.append(profession.title) }
            extra += role.settings
            extra += bandTexts(role.bands)
            entries.append(
                Entry(kind: .role, title: role.title, url: SiteURLs.path(for: role.id), summary: role.summary, extra: join(extra)))
        }
        for route in framework.routes {
            let extra = route.steps.compactMap { framework.role($0.role)?.title }
            entries.append(
                Entry(kind: .route, title: route.title, url: SiteURLs.path(for: route.id), summary: route.summary, extra: join(extra)))
        }
        for page in framework.pages {
            entries.append(Entry(kind: .page, title: page.title, url: SiteURLs.path(for: page.id), summary: page.summary ?? "", extra: ""))
        }
        return entries
    }

    private static func bandTexts(_ bands: [String]) -> [String] { bands.map { "Band \($0)" } }

    private static func join(_ parts: [String]) -> String { parts.filter { !$0.isEmpty }.joined(separator: "; ") }
}
