import Foundation

/// Builds the template context for one page and renders it: the page kind's template first, then `layout`
/// around it. Every value from front matter goes in as plain text (templates escape it with `{{…}}`); only
/// rendered Markdown, with its links resolved for this page, is inserted raw (`{{{…}}}`).
struct PageContextBuilder {
    let framework: Framework
    let templates: TemplateSet
    /// This page's site-root-relative path; every href is made relative to it.
    let path: String
    /// `../` once per folder in `path` (computed once: every href on the page starts with it).
    private let root: String
    /// Whether the page is for the site, or a self-contained handout (different layout, no site-only links).
    var handout = false
    /// What changed since the previous revision, when the build was given one.
    var changes: ChangeReport?
    /// The entries whose pages are marked as changed (`ChangeReport.changedEntries`, which makes a new set each
    /// time it is read: once per page made the pages of a large revision take time proportional to pages × changes).
    var changedEntries: Set<EntryRef> = []
    /// Where the shared part of the context (`common`) is kept between pages, when the renderer gives one.
    var commonCache: CommonContextCache?
    /// Where an entry's context waits for the other of its page and its handout, when the build makes both.
    var entryContexts: EntryContextCache?

    typealias Context = TemplateContext

    init(framework: Framework, templates: TemplateSet, path: String) {
        self.framework = framework
        self.templates = templates
        self.path = path
        root = SiteURLs.rootPrefix(from: path)
    }

    // MARK: Shared pieces

    private func href(_ target: String) -> String { root + target }
    private func html(_ text: RichText) -> any TemplateData { SiteURLs.resolvedLinks(in: text.html, rootPrefix: root) }

    private func link(_ title: String, _ target: String) -> Context { ["title": title, "href": href(target)] }

    private func bandsText(_ bands: [String]) -> String {
        switch bands.count {
        case 0: return ""
        case 1: return "Band \(bands[0])"
        default: return "Bands " + bands.dropLast().joined(separator: ", ") + " and " + (bands.last ?? "")
        }
    }

    private func listText(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    /// Each setting as a link to its browse page, with `last` set on the final one for list punctuation.
    private func settingLinks(_ titles: [String]) -> [Context] {
        let slugs = titles.map(Setting.slug(for:)).filter { !$0.isEmpty }
        return slugs.enumerated().map { index, slug in
            ["title": titles[index], "href": href(SiteURLs.path(forSetting: slug)), "last": index == slugs.count - 1]
        }
    }

    private func stageLink(_ id: StageID) -> Context {
        guard let stage = framework.stage(id) else { return [:] }
        return ["title": stage.title, "href": href(SiteURLs.path(for: id)), "order": stage.order]
    }

    /// A role as an item of a list. The same role is listed on many pages (its stage's, its profession's, each
    /// capability's, each setting's, the roles it leads to and from…), and the item depends only on the role and the
    /// page's folder depth, so it is made once per build for each (`framework.itemCache`).
    private func roleItem(_ role: Role) -> Context {
        framework.itemCache.item(role.id.rawValue, root: root) { makeRoleItem(role) }
    }

    private func makeRoleItem(_ role: Role) -> Context {
        var item: Context = [
            "title": role.title, "href": href(SiteURLs.path(for: role.id)), "summary": role.summary,
            "bands": bandsText(role.bands),
        ]
        item.reserveCapacity(9)
        if let stage = framework.stage(role.stage) { item["stage"] = stage.title }
        if let profession = framework.profession(role.profession) { item["profession"] = profession.title }
        item["filter_profession"] = role.profession.rawValue
        item["filter_stage"] = role.stage.rawValue
        item["filter_settings"] = role.settings.map(Setting.slug(for:)).joined(separator: " ")
        return item
    }

    private func routeItem(_ route: Route) -> Context {
        ["title": route.title, "href": href(SiteURLs.path(for: route.id)), "summary": route.summary, "steps": route.steps.count]
    }

    private func capabilityItem(_ capability: Capability) -> Context {
        var item: Context = [
            "title": capability.title, "href": href(SiteURLs.path(for: capability.id)), "summary": capability.summary,
        ]
        if let code = capability.code { item["code"] = code }
        return item
    }

    /// Renders the page kind's template, then the layout around it.
    private func page(
        _ template: String, title: String, description: String?, breadcrumbs: [Context], section: String?, _ context: Context
    ) -> Data {
        var context = context
        context["title"] = title
        // Only arrays are seen as `maps` or `list` (see `TemplateData`).
        for (key, isEmpty) in context.lists { context["has_" + key] = !isEmpty }
        if handout {
            context["handout"] = true
        } else if let kind = handoutKind(template) {
            let name = path.lastIndex(ofASCII: UInt8(ascii: "/")).map { path[path.utf8.index(after: $0)...] } ?? path[...]
            context["handout_href"] = href(HandoutRenderer.path(kind, id: Self.htmlStem(name) ?? String(name)))
        }
        let shared = common(section: section)
        let content = templates.renderData(template, context.adding(shared))
        if handout {
            return HandoutRenderer.wrap(content, title: title, description: description, common: commonContext(), templates: templates)
        }
        var layout = shared
        layout["title"] = title
        layout["page_title"] = title == siteName ? title : "\(title) – \(siteName)"
        if let description { layout["description"] = description }
        layout["breadcrumbs"] = breadcrumbs
        layout["has_breadcrumbs"] = !breadcrumbs.isEmpty
        layout["content"] = RenderedHTML(content)
        layout["kind"] = template
        if changes != nil, let entry = entryRef, changedEntries.contains(entry) {
            layout["changed"] = ["href": href(SiteURLs.changes) + "#" + SiteURLs.anchor(entry.kind, entry.id)] as Context
        }
        if let base = framework.info.baseURL { layout["canonical"] = base + (path == SiteURLs.home ? "" : path) }
        return templates.renderData("layout", layout, capacity: content.count + 16_384)
    }

    /// The entry this page shows, from its path (`roles/x.html` -> role x).
    private var entryRef: EntryRef? {
        let parts = path.components(separatedByASCII: UInt8(ascii: "/"))
        guard parts.count == 2, let kind = EntryKind(folder: String(parts[0])), let id = Self.htmlStem(parts[1]) else { return nil }
        return EntryRef(kind, id)
    }

    /// `x` for a file name `x.html`, found on bytes.
    private static func htmlStem(_ name: Substring) -> String? {
        guard name.utf8.count > 5, name.utf8.suffix(5).elementsEqual(".html".utf8) else { return nil }
        return String(name[..<name.utf8.index(name.utf8.endIndex, offsetBy: -5)])
    }

    func changesPage() -> Data {
        var context: Context =
            changes?.templateContext(context: 12) { ref in
                href(SiteURLs.path(for: ref))
            } ?? [:]
        context["items_anchor"] = true
        return page(
            "changes", title: "What changed in this revision",
            description: "Entries added, removed, renamed or changed since the previous revision.",
            breadcrumbs: [homeCrumb], section: nil, context)
    }

    private func handoutKind(_ template: String) -> EntryKind? {
        switch template {
        case "stage": .stage
        case "role": .role
        case "route": .route
        case "profession": .profession
        default: nil
        }
    }

    private var siteName: String { framework.info.shortTitle ?? framework.info.title }

    /// The values every page and handout shares (site title, edition, date, status, navigation).
    func commonContext() -> TemplateContext { common(section: nil) }

    private func common(section: String?) -> Context {
        guard let commonCache else { return makeCommon(section: section) }
        return commonCache.context(root: root, section: section, changes: changes != nil) { makeCommon(section: section) }
    }

    private func makeCommon(section: String?) -> Context {
        let info = framework.info
        var site: Context = [
            "title": info.title, "name": siteName, "edition": info.edition, "updated": DisplayDate.long(info.updated),
            "updated_iso": info.updated, "status": info.status.rawValue,
        ]
        if let owner = info.owner { site["owner"] = owner }
        switch info.status {
        case .draft: site["banner"] = "This is a draft. It is a working model and may change before it is published."
        case .consultation: site["banner"] = "This framework is out for consultation. It may change before it is published."
        case .published: break
        }
        let sections: [(String, String, String)] = [
            ("home", "Home", SiteURLs.home),
            ("stages", "Stages", SiteURLs.index(of: .stage)),
            ("capabilities", "Capabilities", SiteURLs.index(of: .capability)),
            ("matrix", "Matrix", SiteURLs.matrix),
            ("roles", "Roles", SiteURLs.index(of: .role)),
            ("routes", "Routes", SiteURLs.index(of: .route)),
            ("professions", "Professions", SiteURLs.index(of: .profession)),
        ]
        let nav: [Context] = sections.map { key, title, target in
            ["title": title, "href": href(target), "current": key == section]
        }
        let footer: [Context] = framework.pages.map { link($0.title, SiteURLs.path(for: $0.id)) }
        return [
            "site": site, "root": root, "stylesheet": href(SiteURLs.stylesheet), "nav": nav,
            "footer_pages": footer, "home_href": href(SiteURLs.home), "search_href": href(SiteURLs.search),
            "changes_href": changes == nil ? "" : href(SiteURLs.changes),
        ]
    }

    private var homeCrumb: Context { link("Home", SiteURLs.home) }

    // MARK: Pages

    func home() -> Data {
        let stages: [Context] = framework.stages.map { stage in
            var item: Context = [
                "title": stage.title, "href": href(SiteURLs.path(for: stage.id)), "order": stage.order, "summary": stage.summary,
                "bands": bandsText(stage.bands), "roles_count": framework.roles(at: stage.id).count,
            ]
            if let level = stage.level { item["level"] = level }
            return item
        }
        let domains: [Context] = framework.domains.map { domain in
            [
                "title": domain.title, "href": href(SiteURLs.path(for: domain.id)), "summary": domain.summary,
                "capabilities_count": framework.capabilities(in: domain.id).count,
            ]
        }
        let professions: [Context] = framework.professions.map { profession in
            [
                "title": profession.title, "href": href(SiteURLs.path(for: profession.id)), "summary": profession.summary,
                "roles_count": framework.roles(in: profession.id).count,
            ]
        }
        let context: Context = [
            "introduction": html(framework.info.introduction), "stages": Array(stages.reversed()), "domains": domains,
            "routes": framework.routes.map(routeItem), "professions": professions,
            "matrix_href": href(SiteURLs.matrix), "roles_href": href(SiteURLs.index(of: .role)),
            "json_href": href(DataExport.jsonPath), "csv_href": href(DataExport.csvPath),
            "framework_handout_href": href(HandoutRenderer.frameworkPath),
            "settings_href": href(SiteURLs.settingsIndex),
            "counts": [
                "stages": framework.stages.count, "capabilities": framework.capabilities.count,
                "roles": framework.roles.count, "routes": framework.routes.count, "domains": framework.domains.count,
            ] as Context,
        ]
        return page("home", title: framework.info.title, description: nil, breadcrumbs: [], section: "home", context)
    }

    func stage(_ stage: Stage) -> Data {
        let context = entryContext(.stage, stage.id.rawValue) { stageContext(stage) }
        return page(
            "stage", title: stage.title, description: stage.summary,
            breadcrumbs: [homeCrumb, link("Stages", SiteURLs.index(of: .stage))], section: "stages", context)
    }

    private func stageContext(_ stage: Stage) -> Context {
        let below = framework.stage(before: stage.id)
        let domains: [Context] = framework.domains.compactMap { domain in
            let rows: [Context] = framework.capabilities(in: domain.id).compactMap { capability in
                guard let descriptor = capability.levels[stage.id] else { return nil }
                var row = capabilityItem(capability)
                row["descriptor"] = html(descriptor)
                if let below {
                    if let previous = capability.levels[below.id] {
                        row["previous"] = html(previous)
                    } else {
                        row["new_here"] = true
                    }
                }
                return row
            }
            guard !rows.isEmpty else { return nil }
            return [
                "title": domain.title, "href": href(SiteURLs.path(for: domain.id)), "capabilities": rows,
                "anchor": "compare-\(domain.id.rawValue)",
            ]
        }
        var context: Context = [
            "order": stage.order, "summary": stage.summary, "body": html(stage.body), "bands": bandsText(stage.bands),
            "roles": framework.roles(at: stage.id).map(roleItem), "domains": domains,
            "stage_count": framework.stages.count, "stage_title": stage.title, "matrix_href": href(SiteURLs.matrix),
        ]
        if let level = stage.level { context["level"] = level }
        if let below { context["below"] = stageLink(below.id) }
        if let above = framework.stage(after: stage.id) { context["above"] = stageLink(above.id) }
        return context
    }

    func domain(_ domain: Domain) -> Data {
        let context: Context = [
            "summary": domain.summary, "body": html(domain.body),
            "capabilities": framework.capabilities(in: domain.id).map(capabilityItem),
        ]
        return page(
            "domain", title: domain.title, description: domain.summary,
            breadcrumbs: [homeCrumb, link("Capabilities", SiteURLs.index(of: .capability))], section: "capabilities", context)
    }

    func capability(_ capability: Capability) -> Data {
        let levels: [Context] = framework.stages.map { stage in
            var item: Context = ["stage": stageLink(stage.id)]
            if let descriptor = capability.levels[stage.id] { item["descriptor"] = html(descriptor) }
            return item
        }
        var context: Context = [
            "summary": capability.summary, "body": html(capability.body), "levels": levels,
            "roles": framework.roles(using: capability.id).map(roleItem),
        ]
        if let code = capability.code { context["code"] = code }
        if let domain = framework.domain(capability.domain) { context["domain"] = link(domain.title, SiteURLs.path(for: domain.id)) }
        var crumbs = [homeCrumb, link("Capabilities", SiteURLs.index(of: .capability))]
        if let domain = framework.domain(capability.domain) { crumbs.append(link(domain.title, SiteURLs.path(for: domain.id))) }
        return page(
            "capability", title: capability.title, description: capability.summary, breadcrumbs: crumbs, section: "capabilities", context)
    }

    func profession(_ profession: Profession) -> Data {
        let context = entryContext(.profession, profession.id.rawValue) { professionContext(profession) }
        return page(
            "profession", title: profession.title, description: profession.summary,
            breadcrumbs: [homeCrumb, link("Professions", SiteURLs.index(of: .profession))], section: "professions", context)
    }

    private func professionContext(_ profession: Profession) -> Context {
        let roles = framework.roles(in: profession.id)
        let byStage: [Context] = framework.stages.compactMap { stage in
            let atStage = roles.filter { $0.stage == stage.id }
            guard !atStage.isEmpty else { return nil }
            return ["stage": stageLink(stage.id), "roles": atStage.map(roleItem)]
        }
        var context: Context = [
            "summary": profession.summary, "body": html(profession.body), "stages": byStage,
            "routes": framework.routes(for: profession.id).map(routeItem),
        ]
        if let regulator = profession.regulator { context["regulator"] = regulator }
        // Drawn once for the profession's page and its handout, which share this context.
        if let (drawing, text) = RouteMap.profession(profession.id, in: framework, from: path)?.drawingAndText() {
            context["map"] = RawHTML(drawing.svg)
            context["map_wide"] = drawing.isWide
            context["map_text"] = RawHTML(text)
        }
        return context
    }

    func role(_ role: Role) -> Data {
        let context = entryContext(.role, role.id.rawValue) { roleContext(role) }
        return page(
            "role", title: role.title, description: role.summary,
            breadcrumbs: [homeCrumb, link("Roles", SiteURLs.index(of: .role))], section: "roles", context)
    }

    /// A capability as a role's page lists it: with its descriptor at the role's stage (links resolved for this
    /// page) and its domain. Every role of a stage that lists the capability shows the same item, so it depends
    /// only on the capability, the stage and the page's folder depth, and is made once per build for each
    /// (`framework.roleCapabilityItems`): made for each role, the items and their descriptors' links were 2 % of
    /// a build of 2,000 roles.
    private func roleCapabilityItem(_ capability: Capability, stage: StageID) -> Context {
        framework.roleCapabilityItems.item(capability.id.rawValue + "\u{0}" + stage.rawValue, root: root) {
            var item = capabilityItem(capability)
            if let descriptor = capability.levels[stage] { item["descriptor"] = html(descriptor) }
            if let domain = framework.domain(capability.domain) { item["domain"] = domain.title }
            return item
        }
    }

    private func roleContext(_ role: Role) -> Context {
        let capabilities: [Context] = role.capabilities.compactMap { id in
            framework.capability(id).map { roleCapabilityItem($0, stage: role.stage) }
        }
        var context: Context = [
            "summary": role.summary, "body": html(role.body), "stage": stageLink(role.stage),
            "bands": bandsText(role.bands), "settings": settingLinks(role.settings), "capabilities": capabilities,
            "next": role.next.compactMap { framework.role($0) }.map(roleItem),
            "previous": framework.roles(leadingTo: role.id).map(roleItem),
            "routes": framework.routes(through: role.id).map(routeItem),
        ]
        if let profession = framework.profession(role.profession) {
            context["profession"] = link(profession.title, SiteURLs.path(for: profession.id))
        }
        if let entry = role.entry { context["entry"] = html(entry) }
        return context
    }

    func route(_ route: Route) -> Data {
        let context = entryContext(.route, route.id.rawValue) { routeContext(route) }
        return page(
            "route", title: route.title, description: route.summary,
            breadcrumbs: [homeCrumb, link("Routes", SiteURLs.index(of: .route))], section: "routes", context)
    }

    private func routeContext(_ route: Route) -> Context {
        let steps: [Context] = route.steps.enumerated().compactMap { index, step in
            guard let role = framework.role(step.role) else { return nil }
            var item = roleItem(role)
            item["number"] = index + 1
            item["stage_link"] = stageLink(role.stage)
            if let via = step.via { item["via"] = via }
            item["first"] = index == 0
            return item
        }
        var context: Context = ["summary": route.summary, "body": html(route.body), "steps": steps]
        let drawing = RouteMap.route(route, in: framework, from: path).drawing()
        context["map"] = RawHTML(drawing.svg)
        context["map_wide"] = drawing.isWide
        if let id = route.profession, let profession = framework.profession(id) {
            context["profession"] = link(profession.title, SiteURLs.path(for: id))
        }
        return context
    }

    /// An entry's own context (what its page and its handout both show, from the same folder), made once for the two
    /// when the build makes both (`entryContexts`).
    private func entryContext(_ kind: EntryKind, _ id: String, make: () -> Context) -> Context {
        entryContexts?.context(for: EntryRef(kind, id), make: make) ?? make()
    }

    func page(_ page: Page) -> Data {
        var context: Context = ["body": html(page.body)]
        if let summary = page.summary { context["summary"] = summary }
        return self.page("page", title: page.title, description: page.summary, breadcrumbs: [homeCrumb], section: nil, context)
    }

    func matrix() -> Data {
        let stages: [Context] = framework.stages.map { stageLink($0.id) }
        let domains: [Context] = framework.domains.map { domain in
            let rows: [Context] = framework.capabilities(in: domain.id).map { capability in
                var row = capabilityItem(capability)
                row["cells"] = framework.stages.map { stage -> Context in
                    var cell: Context = ["stage": stage.title]
                    if let descriptor = capability.levels[stage.id] { cell["descriptor"] = html(descriptor) }
                    return cell
                }
                return row
            }
            return [
                "title": domain.title, "href": href(SiteURLs.path(for: domain.id)), "capabilities": rows,
                "anchor": "domain-\(domain.id.rawValue)",
            ]
        }
        let context: Context = ["stages": stages, "domains": domains]
        return page(
            "matrix", title: "Capabilities matrix", description: "Every capability at every stage, grouped by domain.",
            breadcrumbs: [homeCrumb], section: "matrix", context)
    }

    func search() -> Data {
        let context: Context = [
            "index_script": href(SearchIndex.path), "search_script": href("assets/search.js"),
            "matrix_href": href(SiteURLs.matrix), "roles_href": href(SiteURLs.index(of: .role)),
        ]
        return page(
            "search", title: "Search", description: "Search stages, capabilities, roles, routes and professions.",
            breadcrumbs: [homeCrumb], section: "search", context)
    }

    func notFound() -> Data {
        page(
            "notfound", title: "Page not found", description: nil, breadcrumbs: [homeCrumb], section: nil,
            ["matrix_href": href(SiteURLs.matrix)])
    }

    func settingsIndex() -> Data {
        let intro = "Roles by where people work. Many roles span more than one setting."
        let items: [Context] = framework.settings.map { setting in
            var item = link(setting.title.prefix(1).uppercased() + setting.title.dropFirst(), SiteURLs.path(forSetting: setting.slug))
            item["meta"] = "\(framework.roles(inSetting: setting.slug).count) roles"
            return item
        }
        return page(
            "index", title: "Settings", description: intro,
            breadcrumbs: [homeCrumb, link("Roles", SiteURLs.index(of: .role))], section: "roles",
            ["intro": intro, "groups": [["items": items] as Context]])
    }

    func setting(_ setting: Setting) -> Data {
        let roles = framework.roles(inSetting: setting.slug)
        let groups: [Context] = framework.stages.compactMap { stage in
            let atStage = roles.filter { $0.stage == stage.id }
            guard !atStage.isEmpty else { return nil }
            return [
                "heading": stage.title, "heading_href": href(SiteURLs.path(for: stage.id)),
                "items": atStage.map { role -> Context in
                    var item = roleItem(role)
                    item["meta"] = roleMeta(role)
                    return item
                },
            ]
        }
        let title = setting.title.prefix(1).uppercased() + setting.title.dropFirst()
        let intro = "\(roles.count) roles in \(setting.title), by stage."
        return page(
            "index", title: title, description: intro,
            breadcrumbs: [homeCrumb, link("Roles", SiteURLs.index(of: .role)), link("Settings", SiteURLs.settingsIndex)],
            section: "roles", ["intro": intro, "groups": groups])
    }

    private func roleMeta(_ role: Role) -> String {
        [framework.profession(role.profession)?.title, role.bands.isEmpty ? nil : "\(bandsText(role.bands)) (indicative)"]
            .compactMap { $0 }.joined(separator: " · ")
    }

    func index(of kind: EntryKind) -> Data {
        var groups: [Context] = []
        let title: String
        var intro = ""
        var extra: Context = [:]
        switch kind {
        case .stage:
            title = "Stages"
            intro = "The career stages, from entry to consultant-level practice. Each stage builds on the ones before it."
            groups = [
                [
                    "items": framework.stages.map { stage -> Context in
                        var item = link(stage.title, SiteURLs.path(for: stage.id))
                        item["summary"] = stage.summary
                        item["meta"] = bandsText(stage.bands).isEmpty ? "" : "\(bandsText(stage.bands)) (indicative)"
                        return item
                    }
                ]
            ]
        case .capability, .domain:
            title = "Capabilities"
            intro = "Capabilities grouped by domain. Each capability is described at every stage where it applies."
            groups = framework.domains.map { domain in
                [
                    "heading": domain.title, "heading_href": href(SiteURLs.path(for: domain.id)), "summary": domain.summary,
                    "items": framework.capabilities(in: domain.id).map { capability -> Context in
                        var item = capabilityItem(capability)
                        item["meta"] = capability.code ?? ""
                        return item
                    },
                ]
            }
        case .role:
            title = "Roles"
            intro = "Roles in general practice, primary care networks and community services, by stage."
            extra["settings"] = framework.settings.enumerated().map { index, setting -> Context in
                var item = link(setting.title.prefix(1).uppercased() + setting.title.dropFirst(), SiteURLs.path(forSetting: setting.slug))
                item["last"] = index == framework.settings.count - 1
                return item
            }
            extra["professions_href"] = href(SiteURLs.index(of: .profession))
            extra["filter"] =
                [
                    "professions": framework.professions.map { ["value": $0.id.rawValue, "title": $0.title] as Context },
                    "settings": framework.settings.map { ["value": $0.slug, "title": $0.title] as Context },
                    "stages": framework.stages.map { ["value": $0.id.rawValue, "title": $0.title] as Context },
                    "script": href("assets/filter.js"),
                ] as Context
            groups = framework.stages.compactMap { stage in
                let roles = framework.roles(at: stage.id)
                guard !roles.isEmpty else { return nil }
                return [
                    "heading": stage.title, "heading_href": href(SiteURLs.path(for: stage.id)),
                    "items": roles.map { role -> Context in
                        var item = roleItem(role)
                        item["meta"] = roleMeta(role)
                        return item
                    },
                ]
            }
        case .route:
            title = "Career routes"
            intro = "Typical progressions from role to role, with what it takes to make each step."
            groups = [
                [
                    "items": framework.routes.map { route -> Context in
                        var item = routeItem(route)
                        item["meta"] = "\(route.steps.count) steps"
                        return item
                    }
                ]
            ]
        case .profession:
            title = "Professions"
            intro = "Professions and staff groups working in primary care and community services."
            groups = [
                [
                    "items": framework.professions.map { profession -> Context in
                        var item = link(profession.title, SiteURLs.path(for: profession.id))
                        item["summary"] = profession.summary
                        item["meta"] = profession.regulator.map { "Regulator: \($0)" } ?? ""
                        return item
                    }
                ]
            ]
        case .page:
            title = "About"
            groups = [["items": framework.pages.map { link($0.title, SiteURLs.path(for: $0.id)) }]]
        }
        let section = kind == .domain ? "capabilities" : kind.folder
        return page(
            "index", title: title, description: intro, breadcrumbs: [homeCrumb], section: section,
            extra.adding(["intro": intro, "groups": groups]))
    }
}

extension PageContextBuilder {
    /// The whole framework as one handout: every section, with links between entries as anchors.
    /// `drain` takes the bytes as they are made (see `HandoutRenderer.renderFrameworkData`).
    func frameworkHandout(drain: @escaping (ByteSink) -> Void) -> Data {
        HandoutRenderer.wrap(
            templates.deferred("handout-framework", frameworkHandoutContext()), title: framework.info.title,
            description: "The whole framework in one file.", common: commonContext(), templates: templates, drain: drain)
    }

    /// The content's context. Lists that grow with the framework are `LazyMaps`, so each entry's part (with its body)
    /// is made when the template shows it and let go after.
    private func frameworkHandoutContext() -> Context {
        func body(_ text: RichText, _ kind: EntryKind, _ id: String) -> RenderedHTML {
            RenderedHTML(SiteURLs.handoutBody(text.html, prefix: SiteURLs.anchor(kind, id), demote: 2))
        }
        func inline(_ text: RichText) -> RawHTML { RawHTML(SiteURLs.resolveLinksToAnchors(in: text.html)) }
        func ref(_ kind: EntryKind, _ id: String, _ title: String) -> Context {
            ["title": title, "anchor": SiteURLs.anchor(kind, id)]
        }
        func bands(_ list: [String]) -> String {
            list.isEmpty ? "" : (list.count == 1 ? "Band \(list[0])" : "Bands " + list.joined(separator: ", "))
        }
        let stages: [Context] = framework.stages.map { stage in
            var item = ref(.stage, stage.id.rawValue, stage.title)
            item["order"] = stage.order
            item["summary"] = stage.summary
            item["bands"] = bands(stage.bands)
            if let level = stage.level { item["level"] = level }
            item["body"] = body(stage.body, .stage, stage.id.rawValue)
            item["roles"] = LazyMaps(framework.roles(at: stage.id)) { ref(.role, $0.id.rawValue, $0.title) }
            item["has_roles"] = !framework.roles(at: stage.id).isEmpty
            return item
        }
        let domains: [Context] = framework.domains.map { domain in
            var item = ref(.domain, domain.id.rawValue, domain.title)
            item["summary"] = domain.summary
            item["body"] = body(domain.body, .domain, domain.id.rawValue)
            item["capabilities"] = LazyMaps(framework.capabilities(in: domain.id)) { capability -> Context in
                var entry = ref(.capability, capability.id.rawValue, capability.title)
                if let code = capability.code { entry["code"] = code }
                entry["summary"] = capability.summary
                entry["levels"] = framework.stages.compactMap { stage -> Context? in
                    guard let text = capability.levels[stage.id] else { return nil }
                    return ["stage": stage.title, "descriptor": inline(text)]
                }
                entry["body"] = body(capability.body, .capability, capability.id.rawValue)
                return entry
            }
            return item
        }
        let professions: [Context] = framework.professions.map { profession in
            var item = ref(.profession, profession.id.rawValue, profession.title)
            item["summary"] = profession.summary
            if let regulator = profession.regulator { item["regulator"] = regulator }
            item["body"] = body(profession.body, .profession, profession.id.rawValue)
            item["roles"] = LazyMaps(framework.roles(in: profession.id)) { ref(.role, $0.id.rawValue, $0.title) }
            return item
        }
        let roleGroups: [Context] = framework.stages.compactMap { stage in
            let roles = framework.roles(at: stage.id)
            guard !roles.isEmpty else { return nil }
            return [
                "stage": ref(.stage, stage.id.rawValue, stage.title),
                "roles": LazyMaps(roles) { role -> Context in
                    var item = ref(.role, role.id.rawValue, role.title)
                    item["summary"] = role.summary
                    item["bands"] = bands(role.bands)
                    item["settings"] = role.settings.joined(separator: ", ")
                    if let profession = framework.profession(role.profession) {
                        item["profession"] = ref(.profession, profession.id.rawValue, profession.title)
                    }
                    if let entry = role.entry { item["entry"] = inline(entry) }
                    item["capabilities"] = role.capabilities.compactMap { framework.capability($0) }.map { capability -> Context in
                        var entry = ref(.capability, capability.id.rawValue, capability.title)
                        if let code = capability.code { entry["code"] = code }
                        return entry
                    }
                    item["next"] = role.next.compactMap { framework.role($0) }.map { ref(.role, $0.id.rawValue, $0.title) }
                    item["has_next"] = !role.next.isEmpty
                    item["has_capabilities"] = !role.capabilities.isEmpty
                    item["body"] = body(role.body, .role, role.id.rawValue)
                    return item
                },
            ]
        }
        let routes = LazyMaps(framework.routes) { route -> Context in
            var item = ref(.route, route.id.rawValue, route.title)
            item["summary"] = route.summary
            item["steps"] = route.steps.enumerated().compactMap { index, step -> Context? in
                guard let role = framework.role(step.role) else { return nil }
                var entry = ref(.role, role.id.rawValue, role.title)
                entry["number"] = index + 1
                if let via = step.via { entry["via"] = via }
                if let stage = framework.stage(role.stage) { entry["stage"] = stage.title }
                return entry
            }
            item["body"] = body(route.body, .route, route.id.rawValue)
            return item
        }
        let pages: [Context] = framework.pages.map { page in
            var item = ref(.page, page.id.rawValue, page.title)
            item["body"] = body(page.body, .page, page.id.rawValue)
            return item
        }
        var context: Context = [
            "introduction": RenderedHTML(SiteURLs.handoutBody(framework.info.introduction.html, prefix: "introduction", demote: 1)),
            "stages": stages, "domains": domains, "professions": professions, "role_groups": roleGroups, "routes": routes,
            "pages": pages, "handout": true, "title": framework.info.title,
        ]
        if let base = framework.info.baseURL { context["base_url"] = base }
        return context
    }
}

/// Formats `YYYY-MM-DD` as "25 November 2026", independent of locale.
enum DisplayDate {
    static func long(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
            "December",
        ]
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return iso }
        return "\(day) \(months[month - 1]) \(parts[0])"
    }
}

/// List items (`roleItem`) made once per build for each entry and folder depth, as `CommonContextCache` keeps the
/// shared part of contexts. Safe to use from the renderers' parallel jobs: the items are values, made the same by
/// any thread.
final class ListItemCache: Sendable {
    private struct Key: Hashable {
        var id: String
        var root: String
    }
    private let items = Memo<Key, TemplateContext>()

    func item(_ id: String, root: String, make: () -> TemplateContext) -> TemplateContext {
        items.value(for: Key(id: id, root: root), make: make)
    }
}

/// The contexts of entries that have both a page and a handout (stages, professions, roles, routes): a handout shows
/// its entry's page from the page's own folder (its links are rewritten after), so the two share the entry's context,
/// and building it twice was about 4 % of a build. A context waits only until the other of the two takes it
/// (`Handoff`); the build runs a handout soon after its page (`OutputJob.pairing`), so few wait at once.
final class EntryContextCache: Sendable {
    private let contexts = Handoff<EntryRef, TemplateContext>()

    func context(for entry: EntryRef, make: () -> TemplateContext) -> TemplateContext { contexts.take(entry, make: make) }

    /// How many contexts wait for their second user.
    var waiting: Int { contexts.waiting }
}

/// The shared part of every page's context (`common`) depends only on the page's depth, its section and whether
/// there is a changes page, so it is made once for each and reused; making it for every page cost about 3 % of a
/// build. Safe to use from the renderers' parallel jobs: the contexts are values, made the same by any thread.
final class CommonContextCache: Sendable {
    private let contexts = Memo<String, TemplateContext>()

    func context(root: String, section: String?, changes: Bool, make: () -> TemplateContext) -> TemplateContext {
        contexts.value(for: "\(root)|\(section.map { "s:" + $0 } ?? "none")|\(changes)", make: make)
    }
}
