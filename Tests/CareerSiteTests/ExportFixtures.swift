import Foundation

@testable import CareerSite

/// Small frameworks built in memory for the search index and data export tests.
enum ExportFixtures {
    /// Two stages, one domain, two capabilities (one not described at the entry stage), one profession, two
    /// roles, one route and one page, with HTML in the rich texts the way cmark renders it.
    static func tiny(
        roleTitle: String = "Nurse", roleSettings: [String] = ["community", "general practice"], roleBands: [String] = ["5"],
        capabilityTitle: String = "Assessment"
    ) -> Framework {
        let info = FrameworkInfo(
            title: "Test framework", shortTitle: nil, edition: "1", status: .draft, updated: "2026-01-15", baseURL: nil, owner: "NHS Test",
            introduction: RichText(html: "<p>Hello.</p>\n"))
        let stages = [
            Stage(
                id: StageID("advanced"), title: "Advanced", order: 2, level: nil, bands: [], summary: "Second.", body: .empty),
            Stage(
                id: StageID("entry"), title: "Entry", order: 1, level: 3, bands: ["3", "4"], summary: "First.",
                body: RichText(html: "<h2 id=\"what\">What</h2>\n<p>Entry <em>body</em>.</p>\n")),
        ]
        let domains = [Domain(id: DomainID("clinical"), title: "Clinical", order: 1, summary: "Clinical work.", body: .empty)]
        let capabilities = [
            Capability(
                id: CapabilityID("triage"), title: "Triage", code: nil, domain: DomainID("clinical"), summary: "Sorting.",
                levels: [StageID("advanced"): RichText(html: "Sorts.")], body: .empty),
            Capability(
                id: CapabilityID("assessment"), title: capabilityTitle, code: "CL1", domain: DomainID("clinical"), summary: "Assessing.",
                levels: [
                    StageID("entry"): RichText(html: "Observes &amp; <em>records</em>."),
                    StageID("advanced"): RichText(html: "Diagnoses; <a href=\"x-careers:role/lead-nurse\">leads</a> “others”."),
                ],
                body: RichText(html: "<p>Why it matters.</p>\n")),
        ]
        let professions = [
            Profession(id: ProfessionID("nursing"), title: "Nursing", regulator: "NMC", summary: "Nurses.", body: .empty)
        ]
        let roles = [
            Role(
                id: RoleID("lead-nurse"), title: "Lead nurse", stage: StageID("advanced"), profession: ProfessionID("nursing"),
                settings: [],
                bands: [], summary: "Leads.", capabilities: [CapabilityID("triage")], next: [], entry: nil, body: .empty),
            Role(
                id: RoleID("nurse"), title: roleTitle, stage: StageID("entry"), profession: ProfessionID("nursing"), settings: roleSettings,
                bands: roleBands, summary: "A nurse.", capabilities: [CapabilityID("triage"), CapabilityID("assessment")],
                next: [RoleID("lead-nurse")], entry: RichText(html: "A degree &lt;or&gt; <strong>equivalent</strong>"),
                body: RichText(html: "<ul>\n<li>Visits</li>\n<li>Clinics</li>\n</ul>\n")),
        ]
        let routes = [
            Route(
                id: RouteID("nursing"), title: "Nursing route", profession: nil, summary: "Up.",
                steps: [RouteStep(role: RoleID("nurse"), via: nil), RouteStep(role: RoleID("lead-nurse"), via: "MSc")], body: .empty)
        ]
        let pages = [Page(id: PageID("about"), title: "About", order: nil, summary: nil, body: RichText(html: "<p>About.</p>\n"))]
        return Framework(
            info: info, stages: stages, domains: domains, capabilities: capabilities, professions: professions, roles: roles,
            routes: routes, pages: pages, assets: [])
    }

    /// A framework loaded from content files through the real loader, builder and cmark.
    static func loaded(_ files: [String: String?] = [:]) throws -> Framework? {
        let site = try TestSite(files)
        defer { site.remove() }
        var builder = FrameworkBuilder(content: ContentLoader(root: site.content, displayRoot: "Content").load())
        return builder.build().0
    }
}
