import Foundation
import Testing

@testable import CareerSite

/// The framework shipped in `Content/`: valid, complete, and with no orphans, so an edit that breaks
/// coverage fails CI.
@Suite struct ShippedContentTests {
    static func load() throws -> (Framework, [Diagnostic]) {
        var builder = FrameworkBuilder(content: ContentLoader(root: Repository.content, displayRoot: "Content").load())
        let (framework, diagnostics) = builder.build()
        return (try #require(framework, "\(diagnostics.map(\.description))"), diagnostics)
    }

    @Test func checksWithNoErrorsOrWarnings() throws {
        let (_, diagnostics) = try Self.load()
        #expect(diagnostics.map(\.description) == [])
    }

    @Test func meetsTheMinimumScope() throws {
        let (framework, _) = try Self.load()
        #expect(framework.stages.count == 6)
        #expect(framework.domains.count >= 6)
        #expect(framework.capabilities.count >= 30)
        #expect(framework.professions.count >= 12)
        #expect(framework.roles.count >= 36)
        #expect(framework.routes.count >= 8)
        #expect(framework.info.status == .draft)
        let pages = Set(framework.pages.map(\.id.rawValue))
        for page in ["how-to-use", "about", "glossary", "sources", "accessibility"] { #expect(pages.contains(page), "\(page)") }
    }

    @Test func everyCapabilityHasACodeIsUsedAndStepsUp() throws {
        let (framework, _) = try Self.load()
        for capability in framework.capabilities {
            #expect(capability.code != nil, "\(capability.id) has no code")
            #expect(!framework.roles(using: capability.id).isEmpty, "\(capability.id) is used by no role")
            let texts = framework.stages.compactMap { capability.levels[$0.id]?.html }
            #expect(texts.count >= 2, "\(capability.id) is described at fewer than two stages")
            #expect(Set(texts).count == texts.count, "\(capability.id) repeats a descriptor between stages")
        }
    }

    @Test func everyStageHasRolesAndEveryRoleIsComplete() throws {
        let (framework, _) = try Self.load()
        for stage in framework.stages {
            #expect(!framework.roles(at: stage.id).isEmpty, "no roles at \(stage.id)")
            #expect(!stage.bands.isEmpty && stage.level != nil && !stage.body.isEmpty, "\(stage.id) is incomplete")
        }
        for role in framework.roles {
            #expect(!role.bands.isEmpty && !role.settings.isEmpty && !role.capabilities.isEmpty, "\(role.id) is incomplete")
            #expect(role.entry != nil && !role.body.isEmpty, "\(role.id) has no entry requirements or body")
        }
        for route in framework.routes {
            for step in route.steps { #expect(step.via != nil, "\(route.id): step \(step.role) has no via") }
        }
    }

    /// Renders the shipped site and checks every role page is linked from a route or profession page.
    @Test func everyRoleIsReachableFromARouteOrProfessionPage() throws {
        let (framework, _) = try Self.load()
        let templates = try TemplateSet.load(from: Repository.templates, displayRoot: "Templates")
        let files = SiteRenderer(framework: framework, templates: templates).render()
        var linked = Set<String>()
        for file in files where file.path.hasPrefix("routes/") || file.path.hasPrefix("professions/") {
            let html = String(decoding: file.contents, as: UTF8.self)
            for role in framework.roles where html.contains("href=\"../roles/\(role.id.rawValue).html\"") {
                linked.insert(role.id.rawValue)
            }
        }
        let orphans = framework.roles.map(\.id.rawValue).filter { !linked.contains($0) }
        #expect(orphans == [])
    }
}
