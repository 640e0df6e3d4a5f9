import Foundation

/// Turns loaded documents into a validated `Framework`, reporting every problem in one pass.
///
/// Steps: type each file's fields (`FieldReader`), check references and uniqueness across files,
/// render Markdown once (resolving `kind:id` links), then assemble the model. The model is built only
/// when no error was found.
struct FrameworkBuilder {
    private var diagnostics: [Diagnostic]
    private let content: LoadedContent
    /// Ids that exist per kind (from file names), so one bad file does not cause errors in the files that link to it.
    private let known: [EntryKind: Set<String>]
    /// `kind:id` of each entry whose file could not be read (`LoadedContent.unreadable`): its headings are unknown.
    private let unreadable: Set<String>
    private let assetPaths: Set<String>
    /// Each document's rendered body, by document path (see `RenderedBody`).
    private let bodies: [String: RenderedBody]
    /// Links with a `#fragment`, checked against the target's headings once every body is rendered.
    private var fragmentLinks: [FragmentLink] = []
    /// The heading ids of each rendered body, by `FragmentLink.target`.
    private var headingIDs: [String: [String]] = [:]

    /// A link to a heading: `kind:id#fragment`, or `#fragment` within the same body.
    struct FragmentLink: Sendable {
        /// `kind:id` (or `framework`), and whether the link is within that body; nil for a `#fragment` in a one-line value, which has no page of its own.
        var target: (name: String, isSamePage: Bool)?
        var fragment: String
        var location: SourceLocation
    }

    init(content: LoadedContent) {
        self.content = content
        self.diagnostics = content.diagnostics
        let known = Self.knownIDs(documents: content.documents, unreadable: content.unreadable)
        self.known = known
        self.unreadable = Set(content.unreadable.flatMap { kind, ids in ids.map { "\(kind.rawValue):\($0)" } })
        self.assetPaths = Set(content.assets.map(\.path))
        // Bodies the loader rendered as it read them were rendered against the same ids: those of every file it
        // found (each became a document or an unreadable entry).
        self.bodies =
            content.renderedBodies
            ?? Self.renderBodies(content.documents + (content.framework.map { [$0] } ?? []), known: known, assets: assetPaths)
    }

    /// The ids that exist per kind: those of the documents and of the files that could not be read (an entry whose
    /// file could not be read still exists: its error is reported once, at the file).
    static func knownIDs(documents: [SourceDocument], unreadable: [EntryKind: Set<String>]) -> [EntryKind: Set<String>] {
        knownIDs(documents.map { ($0.kind, $0.id) } + unreadable.flatMap { kind, ids in ids.map { (kind, $0) } })
    }

    /// The ids of these entries, per kind (an entry without a kind, `framework.md`, has no id links can name).
    static func knownIDs(_ entries: [(kind: EntryKind?, id: String)]) -> [EntryKind: Set<String>] {
        var known: [EntryKind: Set<String>] = [:]
        for kind in EntryKind.allCases { known[kind] = [] }
        for (kind, id) in entries {
            if let kind { known[kind, default: []].insert(id) }
        }
        return known
    }

    static let frameworkKeys = ["title", "short_title", "edition", "status", "updated", "base_url", "owner"]
    static let keys: [EntryKind: [String]] = [
        .stage: ["title", "order", "level", "bands", "summary"],
        .domain: ["title", "order", "summary"],
        .capability: ["title", "code", "domain", "summary", "levels"],
        .profession: ["title", "regulator", "summary"],
        .role: ["title", "stage", "profession", "settings", "bands", "summary", "capabilities", "next", "entry"],
        .route: ["title", "profession", "summary", "steps"],
        .page: ["title", "order", "summary"],
    ]

    /// The framework, or `nil` when any error was found; diagnostics sorted for display either way.
    mutating func build() -> (Framework?, [Diagnostic]) {
        let info = parseFramework()
        var stages: [Stage] = []
        var domains: [Domain] = []
        var capabilities: [Capability] = []
        var professions: [Profession] = []
        var roles: [Role] = []
        var routes: [Route] = []
        var pages: [Page] = []
        var stageOrders: [Int: [Located<String>]] = [:]
        var domainOrders: [Int: [Located<String>]] = [:]
        var codes: [String: [Located<String>]] = [:]

        var reader = self
        reader.diagnostics = []
        reader.fragmentLinks = []
        reader.headingIDs = [:]
        let documents = content.documents
        let results = ConcurrentResults<DocumentResult>(count: documents.count)
        DispatchQueue.concurrentPerform(iterations: documents.count) { [reader] index in
            guard let kind = documents[index].kind else { return }
            var copy = reader
            results.set(index, copy.read(documents[index], as: kind))
        }
        for result in results.values {
            diagnostics += result.diagnostics
            fragmentLinks += result.fragmentLinks
            headingIDs.merge(result.headingIDs) { _, new in new }
            switch result.entry {
            case .stage(let stage)?: stages.append(stage)
            case .domain(let domain)?: domains.append(domain)
            case .capability(let capability)?: capabilities.append(capability)
            case .profession(let profession)?: professions.append(profession)
            case .role(let role)?: roles.append(role)
            case .route(let route)?: routes.append(route)
            case .page(let page)?: pages.append(page)
            case nil: break
            }
            if let (order, owner) = result.stageOrder { stageOrders[order, default: []].append(owner) }
            if let (order, owner) = result.domainOrder { domainOrders[order, default: []].append(owner) }
            if let (code, owner) = result.code { codes[code, default: []].append(owner) }
        }

        checkFragments()
        reportDuplicates(stageOrders, what: "stage order")
        reportDuplicates(domainOrders, what: "domain order")
        reportDuplicates(codes, what: "capability code")

        let usedCapabilities = Set(roles.flatMap(\.capabilities))
        // Each file is found by id in one table: a search of every document per unused capability was quadratic.
        let capabilityPaths = Dictionary(
            content.documents.filter { $0.kind == .capability }.map { ($0.id, $0.path) }, uniquingKeysWith: { first, _ in first })
        for capability in capabilities where !usedCapabilities.contains(capability.id) {
            let path = capabilityPaths[capability.id.rawValue]
            report(.warning("capability '\(capability.id)' is not listed by any role", at: path.map { SourceLocation(path: $0) }))
        }

        let sorted = diagnostics.sortedForDisplay()
        guard !sorted.hasErrors, let info else { return (nil, sorted) }
        let framework = Framework(
            info: info, stages: stages, domains: domains, capabilities: capabilities, professions: professions, roles: roles,
            routes: routes, pages: pages, assets: content.assets)
        return (framework, sorted)
    }

    /// What one document gives: its entry when it is valid, the facts checked across documents, and what the
    /// reading found (problems, `#fragment` links, heading ids).
    private struct DocumentResult: Sendable {
        enum Entry: Sendable {
            case stage(Stage), domain(Domain), capability(Capability), profession(Profession), role(Role), route(Route), page(Page)
        }
        var entry: Entry?
        /// A stage's `order` and a domain's, each of which must be unique among its kind.
        var stageOrder: (Int, Located<String>)?
        var domainOrder: (Int, Located<String>)?
        /// A capability's `code`, which must be unique.
        var code: (String, Located<String>)?
        var diagnostics: [Diagnostic] = []
        var fragmentLinks: [FragmentLink] = []
        var headingIDs: [String: [String]] = [:]
    }

    /// Reads one document's fields into its entry, on a copy of the builder whose findings start empty: documents
    /// are independent, so they are read in parallel, and their findings put together in document order.
    private mutating func read(_ document: SourceDocument, as kind: EntryKind) -> DocumentResult {
        var result = DocumentResult()
        var fields = FieldReader(
            root: document.frontMatter, path: document.path, kind: kind.rawValue, knownKeys: Self.keys[kind] ?? [],
            frontMatterLine: document.frontMatterLine)
        switch kind {
        case .stage:
            let title = fields.text("title", required: true)
            let order = fields.integer("order", required: true)
            let level = fields.integer("level", in: 1...9)
            let bands = fields.textList("bands")
            let summary = fields.text("summary", required: true)
            let body = renderBody(document)
            if let order { result.stageOrder = (order.value, Located(value: document.id, location: order.location)) }
            if let title, let order, let summary {
                result.entry = .stage(
                    Stage(
                        id: StageID(document.id), title: title.value, order: order.value, level: level?.value,
                        bands: bands.map(\.value), summary: summary.value, body: body))
            }
        case .domain:
            let title = fields.text("title", required: true)
            let order = fields.integer("order", required: true)
            let summary = fields.text("summary", required: true)
            let body = renderBody(document)
            if let order { result.domainOrder = (order.value, Located(value: document.id, location: order.location)) }
            if let title, let order, let summary {
                result.entry = .domain(
                    Domain(id: DomainID(document.id), title: title.value, order: order.value, summary: summary.value, body: body))
            }
        case .capability:
            let title = fields.text("title", required: true)
            let code = fields.text("code")
            let domain = fields.text("domain", required: true)
            let summary = fields.text("summary", required: true)
            let levels = fields.textMap("levels", required: true)
            let body = renderBody(document)
            if let code { result.code = (code.value, Located(value: document.id, location: code.location)) }
            if fields.isEmptyCollection("levels") {
                report(.error("'levels' must describe the capability at one stage at least", at: fields.location))
            }
            let domainOK = domain.map { checkReference($0, to: .domain) } ?? false
            var described: [StageID: RichText] = [:]
            var levelsOK = true
            for (stage, text) in levels {
                guard checkReference(stage, to: .stage) else {
                    levelsOK = false
                    continue
                }
                described[StageID(stage.value)] = renderInline(text)
            }
            if let title, let domain, let summary, domainOK, levelsOK, !levels.isEmpty {
                result.entry = .capability(
                    Capability(
                        id: CapabilityID(document.id), title: title.value, code: code?.value, domain: DomainID(domain.value),
                        summary: summary.value, levels: described, body: body))
            }
        case .profession:
            let title = fields.text("title", required: true)
            let regulator = fields.text("regulator")
            let summary = fields.text("summary", required: true)
            let body = renderBody(document)
            if let title, let summary {
                result.entry = .profession(
                    Profession(
                        id: ProfessionID(document.id), title: title.value, regulator: regulator?.value, summary: summary.value,
                        body: body))
            }
        case .role:
            let title = fields.text("title", required: true)
            let stage = fields.text("stage", required: true)
            let profession = fields.text("profession", required: true)
            let settings = fields.textList("settings")
            let bands = fields.textList("bands")
            let summary = fields.text("summary", required: true)
            let capabilityRefs = fields.textList("capabilities")
            let nextRefs = fields.textList("next")
            let entry = fields.text("entry")
            let renderedEntry = entry.map { renderInline($0) }
            let body = renderBody(document)
            var ok = stage.map { checkReference($0, to: .stage) } ?? false
            ok = (profession.map { checkReference($0, to: .profession) } ?? false) && ok
            ok = checkReferences(capabilityRefs, to: .capability, label: "capability") && ok
            ok = checkReferences(nextRefs, to: .role, label: "next role") && ok
            for next in nextRefs where next.value == document.id {
                report(.error("a role cannot list itself in 'next'", at: next.location))
                ok = false
            }
            if let title, let stage, let profession, let summary, ok {
                result.entry = .role(
                    Role(
                        id: RoleID(document.id), title: title.value, stage: StageID(stage.value),
                        profession: ProfessionID(profession.value), settings: settings.map(\.value), bands: bands.map(\.value),
                        summary: summary.value, capabilities: capabilityRefs.map { CapabilityID($0.value) },
                        next: nextRefs.map { RoleID($0.value) }, entry: renderedEntry, body: body))
            }
        case .route:
            let title = fields.text("title", required: true)
            let profession = fields.text("profession")
            let summary = fields.text("summary", required: true)
            let stepReaders = fields.mapList("steps", required: true, itemKind: "route step", knownKeys: ["role", "via"])
            let body = renderBody(document)
            var ok = profession.map { checkReference($0, to: .profession) } ?? true
            var steps: [RouteStep] = []
            var seen: [String: SourceLocation] = [:]
            for var reader in stepReaders {
                let role = reader.text("role", required: true)
                let via = reader.text("via")
                fields.absorb(reader)
                guard let role else {
                    ok = false
                    continue
                }
                if let first = seen[role.value] {
                    report(
                        .error(
                            "role '\(role.value)' appears twice in this route (first at line \(first.line)); a role may appear only once per route",
                            at: role.location))
                    ok = false
                }
                seen[role.value] = seen[role.value] ?? role.location
                ok = checkReference(role, to: .role) && ok
                steps.append(RouteStep(role: RoleID(role.value), via: via?.value))
            }
            if stepReaders.count == 1 || fields.isEmptyCollection("steps") {
                report(.error("a route needs at least two steps, found \(stepReaders.count)", at: fields.location))
                ok = false
            }
            if let title, let summary, ok, steps.count >= 2 {
                result.entry = .route(
                    Route(
                        id: RouteID(document.id), title: title.value, profession: profession.map { ProfessionID($0.value) },
                        summary: summary.value, steps: steps, body: body))
            }
        case .page:
            let title = fields.text("title", required: true)
            let order = fields.integer("order")
            let summary = fields.text("summary")
            let body = renderBody(document)
            if let title {
                result.entry = .page(
                    Page(id: PageID(document.id), title: title.value, order: order?.value, summary: summary?.value, body: body))
            }
        }
        diagnostics.append(contentsOf: fields.diagnostics)
        result.diagnostics = diagnostics
        result.fragmentLinks = fragmentLinks
        result.headingIDs = headingIDs
        return result
    }

    private mutating func parseFramework() -> FrameworkInfo? {
        guard let document = content.framework else { return nil }
        var fields = FieldReader(
            root: document.frontMatter, path: document.path, kind: "framework", knownKeys: Self.frameworkKeys,
            frontMatterLine: document.frontMatterLine)
        let title = fields.text("title", required: true)
        let shortTitle = fields.text("short_title")
        let edition = fields.text("edition", required: true)
        let status = fields.choice("status", from: PublicationStatus.allCases.map(\.rawValue), required: true)
        let updated = fields.date("updated", required: true)
        let baseURL = fields.text("base_url")
        let owner = fields.text("owner")
        let introduction = renderBody(document)
        diagnostics.append(contentsOf: fields.diagnostics)
        var normalisedBase: String?
        if let baseURL {
            if let url = URL(string: baseURL.value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                url.host != nil, !baseURL.value.contains(" "), !baseURL.value.contains("\"")
            {
                normalisedBase = baseURL.value.hasSuffix("/") ? baseURL.value : baseURL.value + "/"
            } else {
                report(
                    .error(
                        "'base_url' must be an absolute http:// or https:// address, found '\(baseURL.value.prefix(80))'",
                        at: baseURL.location))
            }
        }
        guard let title, let edition, let status, let updated, let statusValue = PublicationStatus(rawValue: status.value) else {
            return nil
        }
        return FrameworkInfo(
            title: title.value, shortTitle: shortTitle?.value, edition: edition.value, status: statusValue, updated: updated.value,
            baseURL: normalisedBase, owner: owner?.value, introduction: introduction)
    }

    private mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Whether `reference` names an existing entry of `kind`; reports it with the nearest id when not.
    private mutating func checkReference(_ reference: Located<String>, to kind: EntryKind, label: String? = nil) -> Bool {
        let ids = known[kind] ?? []
        if ids.contains(reference.value) { return true }
        let name = label ?? kind.rawValue
        let sorted = ids.sorted()
        var hint = Suggestions.hint(for: reference.value, in: sorted)
        // With no near match (`stage: 3`), a short list says what is there.
        if hint.isEmpty, sorted.count <= Self.listedIDs {
            hint = sorted.isEmpty ? "; there are no \(kind.folder) yet" : "; the \(kind.folder) are \(sorted.joined(separator: ", "))"
        }
        report(.error("unknown \(name) '\(reference.value.prefix(80))'\(hint)", at: reference.location))
        return false
    }

    /// At most this many ids are listed after an unknown reference with no near match.
    static let listedIDs = 12

    private mutating func checkReferences(_ references: [Located<String>], to kind: EntryKind, label: String) -> Bool {
        var ok = true
        var seen = Set<String>(minimumCapacity: references.count)
        for reference in references {
            ok = checkReference(reference, to: kind, label: label) && ok
            if !seen.insert(reference.value).inserted {
                report(.error("\(label) '\(reference.value)' is listed twice", at: reference.location))
                ok = false
            }
        }
        return ok
    }

    private mutating func reportDuplicates(_ values: [Int: [Located<String>]], what: String) {
        for (value, owners) in values where owners.count > 1 {
            let names = owners.map { "'\($0.value)'" }.joined(separator: ", ")
            for owner in owners {
                report(.error("duplicate \(what) \(value): used by \(names); each must be unique", at: owner.location))
            }
        }
    }

    private mutating func reportDuplicates(_ values: [String: [Located<String>]], what: String) {
        for (value, owners) in values where owners.count > 1 {
            let names = owners.map { "'\($0.value)'" }.joined(separator: ", ")
            for owner in owners {
                report(.error("duplicate \(what) '\(value)': used by \(names); each must be unique", at: owner.location))
            }
        }
    }

    private mutating func renderBody(_ document: SourceDocument) -> RichText {
        guard let rendered = bodies[document.path] else { return .empty }
        diagnostics.append(contentsOf: rendered.diagnostics)
        fragmentLinks += rendered.fragments
        if let page = rendered.page { headingIDs[page] = rendered.headingIDs }
        return rendered.body
    }

    /// Renders every document's Markdown body in parallel (each is independent), by document path.
    private static func renderBodies(
        _ documents: [SourceDocument], known: [EntryKind: Set<String>], assets: Set<String>
    ) -> [String: RenderedBody] {
        let results = ConcurrentResults<(String, RenderedBody)>(count: documents.count)
        DispatchQueue.concurrentPerform(iterations: documents.count) { index in
            results.set(index, (documents[index].path, renderBody(documents[index], known: known, assets: assets)))
        }
        return Dictionary(results.values) { first, _ in first }
    }

    /// One document's Markdown body, its links checked against `known` ids and `assets` paths.
    static func renderBody(_ document: SourceDocument, known: [EntryKind: Set<String>], assets: Set<String>) -> RenderedBody {
        guard !document.body.allSatisfy(\.isWhitespace) else { return RenderedBody() }
        let location = SourceLocation(path: document.path, line: document.bodyLine)
        let page = document.kind.map { "\($0.rawValue):\(document.id)" } ?? "framework"
        var rendered = RenderedBody(page: page)
        var found: [Diagnostic] = []
        var fragments: [FragmentLink] = []
        let html = MarkdownRenderer.render(document.body, at: location) { link in
            if let fragment = fragmentLink(link, page: page, known: known) { fragments.append(fragment) }
            return LinkRules.rewrite(link, known: known, assets: assets, diagnostics: &found)
        }
        rendered.body = RichText(html: html)
        rendered.diagnostics = found
        rendered.fragments = fragments
        // Safe mode renders no raw HTML, so every id in a body is a heading's.
        rendered.headingIDs = LinkChecker.attributeValues(named: "id", in: html)
        return rendered
    }

    private mutating func renderInline(_ text: Located<String>) -> RichText {
        var found: [Diagnostic] = []
        var fragments: [FragmentLink] = []
        let html = MarkdownRenderer.render(text.value, at: text.location, inline: true, preciseLocations: false) { link in
            if let fragment = Self.fragmentLink(link, page: nil, known: known) { fragments.append(fragment) }
            return LinkRules.rewrite(link, known: known, assets: assetPaths, diagnostics: &found)
        }
        diagnostics.append(contentsOf: found)
        fragmentLinks += fragments
        return RichText(html: html)
    }

    /// The link's target and fragment when it has a non-empty `#fragment` and names an existing entry (or none).
    private static func fragmentLink(_ link: MarkdownRenderer.Link, page: String?, known: [EntryKind: Set<String>]) -> FragmentLink? {
        let destination = link.destination
        // Found with memchr in the UTF-8 bytes: a Character search cost thousands of instructions per link, and a
        // generic search of the UTF-8 view over a thousand.
        guard let hash = destination.firstIndex(ofASCII: UInt8(ascii: "#")) else { return nil }
        let fragment = String(destination[destination.index(after: hash)...])
        let before = destination[..<hash]
        guard !fragment.isEmpty else { return nil }
        if before.isEmpty { return FragmentLink(target: page.map { ($0, true) }, fragment: fragment, location: link.location) }
        guard let colon = before.firstIndex(ofASCII: UInt8(ascii: ":")), let kind = EntryKind(rawValue: String(before[..<colon])) else {
            return nil
        }
        let id = String(before[before.index(after: colon)...])
        guard known[kind]?.contains(id) == true else { return nil }
        return FragmentLink(target: ("\(kind.rawValue):\(id)", false), fragment: fragment, location: link.location)
    }

    /// Reports fragments that name no heading of their target: the pages and handouts share only body headings.
    private mutating func checkFragments() {
        for link in fragmentLinks {
            let fragment = "'#\(link.fragment.prefix(80))'"
            guard let target = link.target else {
                report(
                    .error(
                        "a \(fragment) link in a one-line value has no page of its own; link to the entry, as kind:id\(fragment.dropFirst().dropLast())",
                        at: link.location))
                continue
            }
            let ids = headingIDs[target.name] ?? []
            guard !ids.contains(link.fragment), !unreadable.contains(target.name) else { continue }
            let headings = ids.isEmpty ? "it has no headings" : "its heading ids: \(ids.prefix(20).joined(separator: ", "))"
            let place = target.isSamePage ? "this file" : target.name.replacingOccurrences(of: ":", with: " '") + "'"
            report(
                .error(
                    "no heading \(fragment) in \(place)\(Suggestions.hint(for: link.fragment, in: ids)); \(headings)", at: link.location))
        }
    }
}

/// A document's body rendered ahead of the checks: its HTML, the problems and `#fragment` links found in its links,
/// and its heading ids (under `page`, the name links use for it).
struct RenderedBody: Sendable {
    var body = RichText.empty
    var diagnostics: [Diagnostic] = []
    var fragments: [FrameworkBuilder.FragmentLink] = []
    var page: String?
    var headingIDs: [String] = []
}
