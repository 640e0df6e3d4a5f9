/// How many entries of each kind synthetic content has for a number of roles.
public struct SynthCounts: Sendable, Equatable, CustomStringConvertible {
    public var stages: Int
    public var domains: Int
    public var capabilities: Int
    public var professions: Int
    public var roles: Int
    public var routes: Int
    public var pages: Int

    /// The counts for `roles` roles:
    /// - 6 stages and 5 pages, always;
    /// - max(6, roles / 300) domains and max(12, roles / 40) professions;
    /// - max(30, roles / 20) capabilities, but never more than 8 per role, so every capability is used by a role
    ///   (with fewer than 4 roles there are fewer than 30 capabilities);
    /// - max(8, roles / 10) routes, or none with a single role (a route needs two steps).
    public init(roles: Int) {
        let roles = max(roles, 1)
        self.roles = roles
        stages = SynthVocabulary.stages.count
        domains = max(6, roles / 300)
        capabilities = min(max(30, roles / 20), 8 * roles)
        professions = max(12, roles / 40)
        routes = roles >= 2 ? max(8, roles / 10) : 0
        pages = 5
    }

    /// Every file, including framework.md (not the marker).
    public var files: Int { 1 + stages + domains + capabilities + professions + roles + routes + pages }

    public var description: String {
        "\(stages) stages, \(domains) domains, \(capabilities) capabilities, \(professions) professions, \(roles) roles, "
            + "\(routes) routes, \(pages) pages"
    }
}

/// The structure of a synthetic framework: every entry's id, title and references, and the indexes the prose needs.
/// Built from the seed alone; `SynthProse` turns it into Markdown.
struct SynthPlan {
    struct Domain {
        var id: String
        var title: String
        var code: String
        var summary: String
    }

    struct Capability {
        var id: String
        var title: String
        var code: String
        var domain: Int
        var activity: String
        var focus: String?
    }

    struct Profession {
        var id: String
        var title: String
        var regulator: String?
        var family: Int
        var focus: String?
        var summary: String
    }

    struct Role {
        var id: String
        var title: String
        /// The title without the locality that tells same-titled roles apart, for use in sentences.
        var plainTitle: String
        var stage: Int
        var profession: Int
        var focus: String
        var settings: [String]
        var bands: [String]
        var capabilities: [Int] = []
        var next: [Int] = []
    }

    struct Route {
        var id: String
        var title: String
        var profession: Int?
        var steps: [Int]
        var vias: [String?]
    }

    let counts: SynthCounts
    let seed: UInt64
    private(set) var domains: [Domain] = []
    private(set) var capabilities: [Capability] = []
    private(set) var professions: [Profession] = []
    private(set) var roles: [Role] = []
    private(set) var routes: [Route] = []

    private(set) var rolesByStage: [[Int]] = []
    private(set) var rolesByProfession: [[Int]] = []
    private(set) var rolesByCapability: [[Int]] = []
    private(set) var capabilitiesByDomain: [[Int]] = []
    private(set) var routesByRole: [[Int]] = []
    private(set) var routesByProfession: [[Int]] = []

    init(roles: Int, seed: UInt64) {
        counts = SynthCounts(roles: roles)
        self.seed = seed
        let root = SplitMix64(seed: seed)
        var rng = root.derived(1)
        makeDomains(&rng)
        rng = root.derived(2)
        makeCapabilities(&rng)
        rng = root.derived(3)
        makeProfessions(&rng)
        rng = root.derived(4)
        makeRoles(&rng)
        rng = root.derived(5)
        assignCapabilities(&rng)
        rng = root.derived(6)
        assignNext(&rng)
        rng = root.derived(7)
        makeRoutes(&rng)
        buildIndexes()
    }

    // MARK: - Domains and capabilities

    private mutating func makeDomains(_ rng: inout SplitMix64) {
        var ids = IDMaker()
        var codes: [String] = []
        for index in 0..<counts.domains {
            let title: String
            var code: String
            let summary: String
            if index < SynthVocabulary.baseDomains.count {
                let base = SynthVocabulary.baseDomains[index]
                (title, code, summary) = (base.title, base.code, base.summary)
            } else {
                let themes = SynthVocabulary.domainThemes
                let offset = index - SynthVocabulary.baseDomains.count
                let theme = themes[offset % themes.count]
                title = offset < themes.count ? theme : "\(theme): \(rng.pick(SynthVocabulary.focuses))"
                code = Self.initials(of: theme)
                summary = "What \(Self.lowerFirst(theme)) looks like at each stage of practice, from support work to consultant level."
            }
            var letter = 0
            let stem = code
            while codes.contains(code) {
                code = stem + Self.letters(letter)
                letter += 1
            }
            codes.append(code)
            domains.append(Domain(id: ids.make(title), title: title, code: code, summary: summary))
        }
    }

    private mutating func makeCapabilities(_ rng: inout SplitMix64) {
        var ids = IDMaker()
        var titles = Set<String>()
        var perDomain = Array(repeating: 0, count: domains.count)
        for index in 0..<counts.capabilities {
            var title: String
            var activity: String
            var focus: String?
            var domain: Int
            if index < SynthVocabulary.baseCapabilities.count {
                let base = SynthVocabulary.baseCapabilities[index]
                (title, activity, domain) = (base.title, base.activity, base.domain)
            } else {
                let areas = SynthVocabulary.capabilityAreas
                repeat {
                    let area = rng.pick(areas)
                    let chosen = rng.pick(SynthVocabulary.focuses)
                    focus = chosen
                    activity = "\(area.activity) in \(chosen)"
                    title = "\(area.title) in \(chosen)"
                    if titles.contains(title) {
                        let setting = rng.pick(SynthVocabulary.settings)
                        title += " (\(setting))"
                        activity += " in \(setting)"
                    }
                } while titles.contains(title)
                domain = rng.below(domains.count)
            }
            if index < domains.count { domain = index }
            titles.insert(title)
            perDomain[domain] += 1
            capabilities.append(
                Capability(
                    id: ids.make(title), title: title, code: "\(domains[domain].code)\(perDomain[domain])", domain: domain,
                    activity: activity, focus: focus))
        }
    }

    // MARK: - Professions and roles

    private mutating func makeProfessions(_ rng: inout SplitMix64) {
        var ids = IDMaker()
        var titles = Set<String>()
        let families = SynthVocabulary.families
        for index in 0..<counts.professions {
            let familyIndex = index % families.count
            let family = families[familyIndex]
            var title = family.title
            var focus: String?
            if index >= families.count {
                var attempts = 0
                repeat {
                    let chosen = rng.pick(SynthVocabulary.focuses)
                    focus = chosen
                    title = "\(family.title): \(chosen)"
                    if attempts > 3 { title += " (\(rng.pick(SynthVocabulary.localities)))" }
                    attempts += 1
                } while titles.contains(title) && attempts < 50
            }
            titles.insert(title)
            let summary =
                focus.map { "\(family.summary.dropLast()), specialising in \($0)." } ?? family.summary
            professions.append(
                Profession(
                    id: ids.make(title), title: title, regulator: family.regulator, family: familyIndex, focus: focus, summary: summary))
        }
    }

    private mutating func makeRoles(_ rng: inout SplitMix64) {
        var ids = IDMaker()
        var titles = Set<String>()
        for index in 0..<counts.roles {
            let profession = index < professions.count ? index : rng.below(professions.count)
            let stage = index < SynthVocabulary.stages.count ? index : rng.weighted(SynthVocabulary.stageWeights)
            let focus = professions[profession].focus ?? rng.pick(SynthVocabulary.focuses)
            let family = SynthVocabulary.families[professions[profession].family]
            let setting = rng.pick(["general practice", "community", "primary care network", "care homes"])
            var title = Self.roleTitle(stage: stage, family: family, focus: focus, setting: setting, rng: &rng)
            var attempts = 0
            let plain = title
            while titles.contains(title) && attempts < 3 {
                title = "\(plain) – \(rng.pick(SynthVocabulary.localities))"
                attempts += 1
            }
            titles.insert(title)
            var settings: [String] = []
            let settingCount = rng.weighted([0, 50, 35, 15])
            while settings.count < settingCount {
                let candidate = SynthVocabulary.settings[rng.weighted(SynthVocabulary.settingWeights)]
                if !settings.contains(candidate) { settings.append(candidate) }
            }
            let bands = rng.pick(SynthVocabulary.stages[stage].bands)
            roles.append(
                Role(
                    id: ids.make(title), title: title, plainTitle: plain, stage: stage, profession: profession, focus: focus,
                    settings: settings,
                    bands: bands))
        }
    }

    static func roleTitle(
        stage: Int, family: SynthVocabulary.Family, focus: String, setting: String, rng: inout SplitMix64
    ) -> String {
        let noun = family.noun
        let field = family.field
        var options: [String]
        switch stage {
        case 0:
            let base = rng.pick(family.support)
            options = [base, base, "Senior \(lowerFirst(base))", "\(base) (\(focus))"]
        case 1:
            let base = rng.pick(family.associate)
            options = [base, base, "\(base) (\(focus))", "Senior \(lowerFirst(base))"]
        case 2:
            options = [
                "Community \(noun)", upperFirst(noun) + " (\(setting))", upperFirst(noun) + " in \(focus)",
                "Newly qualified \(noun)", "Rotational \(noun)",
            ]
        case 3:
            options = ["Senior \(noun)", "Specialist \(noun) in \(focus)", upperFirst(noun) + " team leader", "Lead \(noun) for \(focus)"]
            if family.firstContact { options.append("First contact \(noun)") }
        case 4:
            options = [
                "Advanced practitioner in \(focus) (\(field))", "Advanced clinical practitioner (\(field))", "Advanced \(noun)",
                "Community matron for \(focus)",
            ]
            if family.field != "nursing" { options.removeLast() }
        default:
            options = [
                "Consultant \(noun)", "Consultant \(noun) in \(focus)", "Clinical lead for \(focus) (\(field))",
                "Consultant practitioner in \(focus)",
            ]
        }
        return rng.pick(options)
    }

    /// Each capability goes to at least one role (round-robin over a shuffled order), then each role is filled up
    /// to 3-8 capabilities.
    private mutating func assignCapabilities(_ rng: inout SplitMix64) {
        let order = rng.shuffled(Array(capabilities.indices))
        for (position, capability) in order.enumerated() {
            roles[position % roles.count].capabilities.append(capability)
        }
        for index in roles.indices {
            let target = min(rng.int(in: 3...8), capabilities.count)
            while roles[index].capabilities.count < target {
                let candidate = rng.below(capabilities.count)
                if !roles[index].capabilities.contains(candidate) { roles[index].capabilities.append(candidate) }
            }
        }
    }

    /// 0-3 roles to move on to: the next stage up in the same profession when there is one, else in the same family,
    /// else any; consultants sometimes list a peer role.
    private mutating func assignNext(_ rng: inout SplitMix64) {
        let stageCount = SynthVocabulary.stages.count
        var byProfessionStage = Array(repeating: [Int](), count: professions.count * stageCount)
        var byFamilyStage = Array(repeating: [Int](), count: SynthVocabulary.families.count * stageCount)
        var byStage = Array(repeating: [Int](), count: stageCount)
        for (index, role) in roles.enumerated() {
            byProfessionStage[role.profession * stageCount + role.stage].append(index)
            byFamilyStage[professions[role.profession].family * stageCount + role.stage].append(index)
            byStage[role.stage].append(index)
        }
        for index in roles.indices {
            let role = roles[index]
            let family = professions[role.profession].family
            let top = role.stage == stageCount - 1
            let wanted = top ? rng.weighted([70, 30]) : rng.weighted([20, 40, 30, 10])
            guard wanted > 0 else { continue }
            let target = top ? role.stage : role.stage + 1
            let pools = [
                byProfessionStage[role.profession * stageCount + target], byFamilyStage[family * stageCount + target],
                byStage[target],
            ]
            guard let pool = pools.first(where: { $0.contains { $0 != index } }) else { continue }
            var next: [Int] = []
            var attempts = 0
            while next.count < wanted && attempts < wanted * 8 {
                let candidate = rng.pick(pool)
                if candidate != index && !next.contains(candidate) { next.append(candidate) }
                attempts += 1
            }
            roles[index].next = next
        }
    }

    // MARK: - Routes

    private mutating func makeRoutes(_ rng: inout SplitMix64) {
        guard counts.routes > 0 else { return }
        var ids = IDMaker()
        var byProfession = Array(repeating: [Int](), count: professions.count)
        var byFamily = Array(repeating: [Int](), count: SynthVocabulary.families.count)
        for (index, role) in roles.enumerated() {
            byProfession[role.profession].append(index)
            byFamily[professions[role.profession].family].append(index)
        }
        for _ in 0..<counts.routes {
            let length = min(rng.int(in: 3...7), roles.count)
            let profession = rng.below(professions.count)
            var steps: [Int] = []
            for pool in [byProfession[profession], byFamily[professions[profession].family]] where steps.count < length {
                var attempts = 0
                while steps.count < length && attempts < length * 4 && !pool.isEmpty {
                    let candidate = rng.pick(pool)
                    if !steps.contains(candidate) { steps.append(candidate) }
                    attempts += 1
                }
            }
            let start = rng.below(roles.count)
            var offset = 0
            while steps.count < length && offset < roles.count {
                let candidate = (start + offset) % roles.count
                if !steps.contains(candidate) { steps.append(candidate) }
                offset += 1
            }
            steps.sort { (roles[$0].stage, $0) < (roles[$1].stage, $1) }
            var vias: [String?] = []
            for (position, step) in steps.enumerated() {
                if position == 0 && rng.chance(0.3) {
                    vias.append(nil)
                } else {
                    vias.append(rng.pick(SynthVocabulary.viaPhrases[roles[step].stage]))
                }
            }
            let first = roles[steps[0]]
            let last = roles[steps[steps.count - 1]]
            let family = SynthVocabulary.families[professions[profession].family]
            let title = rng.pick([
                "\(family.title): \(first.focus)", "\(professions[profession].title) route",
                "From \(Self.lowerFirst(first.plainTitle)) to \(Self.lowerFirst(last.plainTitle))",
                "\(Self.upperFirst(first.focus)) in \(rng.pick(SynthVocabulary.settings))",
            ])
            routes.append(
                Route(
                    id: ids.make(title), title: title, profession: rng.chance(0.8) ? profession : nil, steps: steps, vias: vias))
        }
    }

    private mutating func buildIndexes() {
        rolesByStage = Array(repeating: [], count: SynthVocabulary.stages.count)
        rolesByProfession = Array(repeating: [], count: professions.count)
        rolesByCapability = Array(repeating: [], count: capabilities.count)
        capabilitiesByDomain = Array(repeating: [], count: domains.count)
        routesByRole = Array(repeating: [], count: roles.count)
        routesByProfession = Array(repeating: [], count: professions.count)
        for (index, role) in roles.enumerated() {
            rolesByStage[role.stage].append(index)
            rolesByProfession[role.profession].append(index)
            for capability in role.capabilities { rolesByCapability[capability].append(index) }
        }
        for (index, capability) in capabilities.enumerated() { capabilitiesByDomain[capability.domain].append(index) }
        for (index, route) in routes.enumerated() {
            for step in route.steps { routesByRole[step].append(index) }
            if let profession = route.profession { routesByProfession[profession].append(index) }
        }
    }

    // MARK: - Text helpers

    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        let second = text.dropFirst().first
        if let second, second.isUppercase { return text }
        return first.lowercased() + text.dropFirst()
    }

    static func upperFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// "Digital and data practice" -> "DD".
    static func initials(of text: String) -> String {
        let skip: Set<Substring> = ["and", "of", "the", "in", "for", "with"]
        let words = text.split { !$0.isLetter }.filter { !skip.contains($0) }
        let letters = words.prefix(2).compactMap { $0.first?.uppercased() }.joined()
        return letters.isEmpty ? "X" : letters
    }

    /// 0 -> "A", 25 -> "Z", 26 -> "AA" …
    static func letters(_ number: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var value = number
        var result = ""
        repeat {
            result = String(alphabet[value % 26]) + result
            value = value / 26 - 1
        } while value >= 0
        return result
    }
}

/// Makes ids from titles: the slug, cut to fit, with `-2`, `-3` … when it is taken.
struct IDMaker {
    private var used = Set<String>()
    private var nextSuffix: [String: Int] = [:]

    mutating func make(_ title: String) -> String {
        var base = Self.slug(title)
        if base.count > 56 {
            base = String(base.prefix(56))
            if let cut = base.lastIndex(of: "-") { base = String(base[..<cut]) }
        }
        if base.first.map({ !("a"..."z").contains($0) }) ?? true { base = "entry-" + base }
        while base.hasSuffix("-") { base.removeLast() }
        var candidate = base
        var suffix = nextSuffix[base] ?? 2
        while used.contains(candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        nextSuffix[base] = suffix
        used.insert(candidate)
        return candidate
    }

    /// Lower-case ASCII letters and digits joined by single hyphens (`Slug.make`).
    static func slug(_ title: String) -> String { Slug.make(title) }
}
