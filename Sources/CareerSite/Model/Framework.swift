/// The whole validated framework, with the indexes that pages need so no page rescans the model.
///
/// Invariants (established by `FrameworkBuilder`): every reference resolves; ids are unique per kind;
/// stage and domain orders are unique; every collection is sorted for display.
public final class Framework: Sendable {
    public let info: FrameworkInfo
    /// By `order`.
    public let stages: [Stage]
    /// By `order`.
    public let domains: [Domain]
    /// By domain order, then code, then title.
    public let capabilities: [Capability]
    /// By title.
    public let professions: [Profession]
    /// By stage order, then title.
    public let roles: [Role]
    /// By title.
    public let routes: [Route]
    /// By order (unordered last), then title.
    public let pages: [Page]
    public let assets: [Asset]
    /// Distinct role settings (e.g. "general practice"), by title; each has a slug for its browse page.
    public let settings: [Setting]

    private let stageIndex: IDTable<Stage, Int>
    private let domainIndex: IDTable<Domain, Int>
    private let capabilityIndex: IDTable<Capability, Int>
    private let professionIndex: IDTable<Profession, Int>
    private let roleIndex: IDTable<Role, Int>
    private let routeIndex: IDTable<Route, Int>
    private let pageIndex: IDTable<Page, Int>

    private let rolesByStage: IDTable<Stage, [Int32]>
    private let rolesByProfession: IDTable<Profession, [Int32]>
    private let rolesByCapability: IDTable<Capability, [Int32]>
    private let capabilitiesByDomain: IDTable<Domain, [Capability]>
    private let routesByRole: IDTable<Role, [Route]>
    private let routesByProfession: IDTable<Profession, [Route]>
    private let previousRoles: IDTable<Role, [Int32]>
    private let rolesBySetting: [String: [Int32]]

    /// Roles as list items, made so far for pages of this framework (`ListItemCache`).
    let itemCache = ListItemCache()
    /// Capabilities as a role's page lists them, at one stage, made so far (`ListItemCache`).
    let roleCapabilityItems = ListItemCache()

    init(
        info: FrameworkInfo, stages: [Stage], domains: [Domain], capabilities: [Capability], professions: [Profession],
        roles: [Role], routes: [Route], pages: [Page], assets: [Asset]
    ) {
        let stages = stages.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
        let domains = domains.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
        let stageOrder = Dictionary(uniqueKeysWithValues: stages.enumerated().map { ($1.id, $0) })
        let domainOrder = Dictionary(uniqueKeysWithValues: domains.enumerated().map { ($1.id, $0) })
        // Each entry's sort key is worked out once, not at each comparison (two dictionary lookups each), and the
        // entries, large structures, are moved once rather than at every step of the sort.
        // Within a domain, by code as people read codes (`NaturalOrder`), capabilities without one last.
        let capabilities = Self.sorted(capabilities) {
            (domain: domainOrder[$0.domain] ?? 0, code: $0.code, title: $0.title, id: $0.id)
        } by: { a, b in
            if a.domain != b.domain { return a.domain < b.domain }
            switch (a.code, b.code) {
            case (let x?, let y?):
                if NaturalOrder.less(x, y) { return true }
                if NaturalOrder.less(y, x) { return false }
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): break
            }
            return (a.title, a.id) < (b.title, b.id)
        }
        let roles = Self.sorted(roles) {
            (stageOrder[$0.stage] ?? 0, $0.title, $0.id)
        } by: {
            $0 < $1
        }
        let professions = professions.sorted { ($0.title, $0.id) < ($1.title, $1.id) }
        let routes = routes.sorted { ($0.title, $0.id) < ($1.title, $1.id) }
        let pages = pages.sorted { ($0.order ?? Int.max, $0.title, $0.id) < ($1.order ?? Int.max, $1.title, $1.id) }

        self.info = info
        self.stages = stages
        self.domains = domains
        self.capabilities = capabilities
        self.professions = professions
        self.roles = roles
        self.routes = routes
        self.pages = pages
        self.assets = assets.sorted { $0.path < $1.path }

        stageIndex = IDTable(stageOrder)
        domainIndex = IDTable(domainOrder)
        capabilityIndex = IDTable(Dictionary(uniqueKeysWithValues: capabilities.enumerated().map { ($1.id, $0) }))
        professionIndex = IDTable(Dictionary(uniqueKeysWithValues: professions.enumerated().map { ($1.id, $0) }))
        roleIndex = IDTable(Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1.id, $0) }))
        routeIndex = IDTable(Dictionary(uniqueKeysWithValues: routes.enumerated().map { ($1.id, $0) }))
        pageIndex = IDTable(Dictionary(uniqueKeysWithValues: pages.enumerated().map { ($1.id, $0) }))

        // The lists of roles hold positions in `roles`: as copies of the roles (each a large structure, and a role
        // in several lists) they were 4 MB of a 2,000-role build, a tenth of its peak memory.
        var byStage: [StageID: [Int32]] = [:]
        var byProfession: [ProfessionID: [Int32]] = [:]
        var byCapability: [CapabilityID: [Int32]] = [:]
        var previous: [RoleID: [Int32]] = [:]
        for (index, role) in roles.enumerated() {
            let position = Int32(index)
            byStage[role.stage, default: []].append(position)
            byProfession[role.profession, default: []].append(position)
            for capability in Set(role.capabilities) { byCapability[capability, default: []].append(position) }
            for next in Set(role.next) { previous[next, default: []].append(position) }
        }
        var bySetting: [String: [Int32]] = [:]
        var settingTitles: [String: String] = [:]
        for (index, role) in roles.enumerated() {
            var slugs = Set<String>()
            for title in role.settings {
                let slug = Setting.slug(for: title)
                guard !slug.isEmpty else { continue }
                if slugs.insert(slug).inserted { bySetting[slug, default: []].append(Int32(index)) }
                settingTitles[slug] = min(settingTitles[slug] ?? title, title)
            }
        }
        rolesBySetting = bySetting
        settings = settingTitles.map { Setting(slug: $0.key, title: $0.value) }.sorted { ($0.title, $0.slug) < ($1.title, $1.slug) }
        rolesByStage = IDTable(byStage)
        rolesByProfession = IDTable(byProfession)
        rolesByCapability = IDTable(byCapability)
        previousRoles = IDTable(previous)
        capabilitiesByDomain = IDTable(Dictionary(grouping: capabilities, by: \.domain))
        var byRole: [RoleID: [Route]] = [:]
        var routesForProfession: [ProfessionID: [Route]] = [:]
        for route in routes {
            for role in Set(route.steps.map(\.role)) { byRole[role, default: []].append(route) }
            var professionsOnRoute = Set<ProfessionID>()
            if let profession = route.profession { professionsOnRoute.insert(profession) }
            for step in route.steps {
                if let index = roleIndex[step.role] { professionsOnRoute.insert(roles[index].profession) }
            }
            for profession in professionsOnRoute { routesForProfession[profession, default: []].append(route) }
        }
        routesByRole = IDTable(byRole)
        routesByProfession = IDTable(routesForProfession)
    }

    /// `items` in the order of their keys (`key` is called once per item): ties keep their order.
    private static func sorted<Item, Key>(_ items: [Item], key: (Item) -> Key, by less: (Key, Key) -> Bool) -> [Item] {
        let keys = items.map(key)
        return items.indices.sorted { less(keys[$0], keys[$1]) || (!less(keys[$1], keys[$0]) && $0 < $1) }.map { items[$0] }
    }

    public func stage(_ id: StageID) -> Stage? { stageIndex[id].map { stages[$0] } }
    public func domain(_ id: DomainID) -> Domain? { domainIndex[id].map { domains[$0] } }
    public func capability(_ id: CapabilityID) -> Capability? { capabilityIndex[id].map { capabilities[$0] } }
    public func profession(_ id: ProfessionID) -> Profession? { professionIndex[id].map { professions[$0] } }
    public func role(_ id: RoleID) -> Role? { roleIndex[id].map { roles[$0] } }
    public func route(_ id: RouteID) -> Route? { routeIndex[id].map { routes[$0] } }
    public func page(_ id: PageID) -> Page? { pageIndex[id].map { pages[$0] } }

    /// The ids of every entry of a kind, for suggestions.
    public func ids(of kind: EntryKind) -> [String] {
        switch kind {
        case .stage: stages.map(\.id.rawValue)
        case .domain: domains.map(\.id.rawValue)
        case .capability: capabilities.map(\.id.rawValue)
        case .profession: professions.map(\.id.rawValue)
        case .role: roles.map(\.id.rawValue)
        case .route: routes.map(\.id.rawValue)
        case .page: pages.map(\.id.rawValue)
        }
    }

    /// Roles at a stage, in display order.
    public func roles(at stage: StageID) -> RoleList { RoleList(roles, rolesByStage[stage]) }
    /// Roles in a profession, in display order.
    public func roles(in profession: ProfessionID) -> RoleList { RoleList(roles, rolesByProfession[profession]) }
    /// Roles that list a capability among those they lean on.
    public func roles(using capability: CapabilityID) -> RoleList { RoleList(roles, rolesByCapability[capability]) }
    /// Roles whose `next` includes this role.
    public func roles(leadingTo role: RoleID) -> RoleList { RoleList(roles, previousRoles[role]) }
    /// Roles that list a setting (by its slug), in display order.
    public func roles(inSetting slug: String) -> RoleList { RoleList(roles, rolesBySetting[slug]) }
    /// Capabilities in a domain, in display order.
    public func capabilities(in domain: DomainID) -> [Capability] { capabilitiesByDomain[domain] ?? [] }
    /// Routes that include a role.
    public func routes(through role: RoleID) -> [Route] { routesByRole[role] ?? [] }
    /// Routes for a profession: those naming it, and those with a step in one of its roles.
    public func routes(for profession: ProfessionID) -> [Route] { routesByProfession[profession] ?? [] }
    /// The stage just below, if any.
    public func stage(before id: StageID) -> Stage? {
        guard let index = stageIndex[id], index > 0 else { return nil }
        return stages[index - 1]
    }
    public func stage(after id: StageID) -> Stage? {
        guard let index = stageIndex[id], index + 1 < stages.count else { return nil }
        return stages[index + 1]
    }
}

/// Some of a framework's roles, in display order: the framework's list of roles and positions in it.
public struct RoleList: RandomAccessCollection, Sendable {
    private let all: [Role]
    private let positions: [Int32]

    init(_ all: [Role], _ positions: [Int32]?) {
        self.all = all
        self.positions = positions ?? []
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }
    public subscript(index: Int) -> Role { all[Int(positions[index])] }
}

/// A place people work (from roles' `settings`), with a slug for its browse page.
public struct Setting: Sendable, Hashable {
    public var slug: String
    public var title: String

    /// `General practice` -> `general-practice`; ASCII letters and digits joined by single hyphens.
    static func slug(for title: String) -> String { Slug.make(title) }
}

/// Turns text into a URL- and id-safe slug: lower-case ASCII letters and digits joined by single hyphens.
enum Slug {
    static func make(_ text: String) -> String {
        // ASCII text (nearly all of it) in one pass over its bytes, written straight into the slug's storage (through
        // `String.UTF8View` and an array, a heading's slug cost 2,000 instructions); other text is lower-cased by
        // Unicode's rules first (the Kelvin sign becomes `k`), then reduced the same way.
        var text = text
        return text.withUTF8 { asciiSlug($0) } ?? unicodeSlug(text)
    }

    /// The slug of ASCII text, or nil when `bytes` are not all ASCII.
    private static func asciiSlug(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { slug in
            var count = 0
            for byte in bytes {
                let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
                if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lower) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lower) {
                    slug[count] = lower
                    count += 1
                } else if count > 0, slug[count - 1] != UInt8(ascii: "-") {
                    slug[count] = UInt8(ascii: "-")
                    count += 1
                }
            }
            while count > 0, slug[count - 1] == UInt8(ascii: "-") { count -= 1 }
            return count
        }
    }

    /// The general case, for any text: Unicode lower-casing, then the scalars `a`-`z` and `0`-`9` kept and every
    /// run of other scalars made one hyphen.
    static func unicodeSlug(_ text: String) -> String {
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }
}
