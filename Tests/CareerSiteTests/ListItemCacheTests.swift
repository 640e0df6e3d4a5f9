import Foundation
import Testing

@testable import CareerSite

@Suite struct ListItemCacheTests {
    /// An item is made once for each entry and folder depth, and every page at that depth gets the same item.
    @Test func eachItemIsMadeOncePerEntryAndDepth() {
        let cache = ListItemCache()
        var made: [String] = []
        func item(_ id: String, _ root: String) -> TemplateContext {
            cache.item(id, root: root) {
                made.append("\(id)@\(root)")
                return ["href": root + "roles/\(id).html"]
            }
        }
        for _ in 0..<3 {
            #expect(item("nurse", "../")["href"] as? String == "../roles/nurse.html")
            #expect(item("nurse", "")["href"] as? String == "roles/nurse.html")
            #expect(item("paramedic", "../")["href"] as? String == "../roles/paramedic.html")
        }
        #expect(made == ["nurse@../", "nurse@", "paramedic@../"])
    }

    /// A role's page lists its capabilities with the descriptor of the role's own stage, and its handout the same,
    /// although the items are made once per capability, stage and folder depth and shared between roles.
    @Test func roleCapabilityItemsDependOnTheStage() throws {
        let site = try TestSite([
            "capabilities/assessment.md":
                "---\ntitle: Assessment\ncode: CL1\ndomain: clinical\nsummary: Assessing.\nlevels:\n  entry: Observes [others](role:lead-nurse).\n  advanced: Diagnoses.\n---\n",
            "roles/nurse-2.md":
                "---\ntitle: Second nurse\nstage: entry\nprofession: nursing\nsummary: Also a nurse.\ncapabilities: [assessment]\n---\n",
            "roles/lead-nurse.md":
                "---\ntitle: Lead nurse\nstage: advanced\nprofession: nursing\nsummary: Leads.\ncapabilities: [assessment]\n---\n",
            "roles/lead-nurse-2.md":
                "---\ntitle: Second lead\nstage: advanced\nprofession: nursing\nsummary: Also leads.\ncapabilities: [assessment]\n---\n",
        ])
        defer { site.remove() }
        let report = site.build()
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        func read(_ path: String) throws -> String {
            try String(contentsOf: site.output.appendingPathComponent(path), encoding: .utf8)
        }
        for role in ["nurse", "nurse-2"] {
            let page = try read("roles/\(role).html")
            #expect(page.contains("Observes <a href=\"../roles/lead-nurse.html\">others</a>."), "\(role)")
            #expect(!page.contains("Diagnoses."), "\(role)")
            let handout = try read("handouts/role-\(role).html")
            #expect(handout.contains("Observes <span class=\"link-text\">others</span>."), "\(role): the link is text in the handout")
        }
        for role in ["lead-nurse", "lead-nurse-2"] {
            let page = try read("roles/\(role).html")
            #expect(page.contains("Diagnoses."), "\(role)")
            #expect(!page.contains("Observes"), "\(role)")
        }
    }
}
