import Foundation
import Testing

@testable import CareerSite

/// Hostile text in every text field of every kind, and in Markdown, never reaches a page, handout, the search
/// index or the data files as markup, a script, an event handler or a formula.
@Suite struct UnsafeContentTests {
    /// Breaks out of an attribute, opens a script, adds an event handler; starts with `=` for the CSV.
    static let payload = #"=1+1 <script>alert(1)</script><img src=x onerror=alert(2)>" onmouseover="alert(3)"#
    static func text(_ tag: String) -> String { "'\(tag) \(payload)'" }
    static let link = "[bad](javascript:alert(4)) [worse](data:text/html,x)"

    static let files: [String: String?] = [
        "framework.md":
            "---\ntitle: \(text("F"))\nshort_title: \(text("S"))\nedition: \(text("E"))\nstatus: draft\nupdated: 2026-01-15\nowner: \(text("O"))\n---\n\(payload) \(link)\n",
        "stages/entry.md": "---\ntitle: \(text("T1"))\norder: 1\nbands: [\(text("B1"))]\nsummary: \(text("S1"))\n---\n\(payload)\n",
        "domains/clinical.md": "---\ntitle: \(text("D"))\norder: 1\nsummary: \(text("DS"))\n---\n\(payload)\n",
        "capabilities/assessment.md":
            "---\ntitle: \(text("C"))\ncode: \(text("K"))\ndomain: clinical\nsummary: \(text("CS"))\nlevels:\n  entry: '\(payload) [bad](javascript:alert(5))'\n  advanced: \(text("L"))\n---\n\(payload)\n",
        "professions/nursing.md": "---\ntitle: \(text("P"))\nregulator: \(text("R"))\nsummary: \(text("PS"))\n---\n\(payload)\n",
        "roles/nurse.md":
            "---\ntitle: \(text("N"))\nstage: entry\nprofession: nursing\nsettings: [\(text("home"))]\nbands: [\(text("B"))]\nsummary: \(text("NS"))\ncapabilities: [assessment]\nnext: [lead-nurse]\nentry: '\(payload) [bad](javascript:alert(6))'\n---\n\(payload) \(link)\n",
        "routes/nursing.md":
            "---\ntitle: \(text("RT"))\nsummary: \(text("RS"))\nsteps:\n  - role: nurse\n  - role: lead-nurse\n    via: '\(payload) [bad](javascript:alert(7))'\n---\n\(payload)\n",
        "pages/about.md": "---\ntitle: \(text("A"))\nsummary: \(text("AS"))\n---\n\(payload)\n<a href=\"x\" onclick=\"alert(8)\">raw</a>\n",
    ]

    @Test func nothingHostileReachesAnyOutputFile() throws {
        let site = try TestSite(Self.files)
        defer { site.remove() }
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(
            report.diagnostics.filter { $0.message.contains("unsafe") }.count == 6,
            "every javascript:/data: link in Markdown is reported (via is plain text, so its link stays text)")
        let files = try FolderState(site.output).files
        #expect(files.keys.contains("handouts/role-nurse.html") && files.keys.contains("assets/search-index.js"))
        for (path, data) in files
        where path != SiteWriter.marker && !path.hasSuffix(".csv") && (!path.hasPrefix("assets/") || path == "assets/search-index.js") {
            let text = String(decoding: data, as: UTF8.self)
            for forbidden in ["<script>alert", "<img src=x", "\" onmouseover=\"", "href=\"javascript:", "href=\"data:", "onclick=\"alert"] {
                #expect(!text.contains(forbidden), "\(path) contains \(forbidden)")
            }
        }
        let csv = String(decoding: try #require(files["data/framework.csv"]), as: UTF8.self)
        let cells = csv.split(whereSeparator: { $0 == "," || $0 == "\r\n" || $0 == "\n" }).map { $0.hasPrefix("\"") ? $0.dropFirst() : $0 }
        #expect(!cells.contains { $0.hasPrefix("=") || $0.hasPrefix("+") || $0.hasPrefix("@") }, "formula cells are neutralised")
        #expect(csv.contains("'=1+1"))
        // Every output path stays inside the output folder, whatever a setting's name was.
        #expect(files.keys.allSatisfy { OutputPath.isSafe($0) || $0 == SiteWriter.marker })
    }

    @Test func linkTargetsCannotLeaveTheOutputFolder() throws {
        let site = try TestSite([
            "pages/about.md":
                "---\ntitle: About\n---\n[a](role:../../etc/passwd) [b](page:%2e%2e%2fx) [c](/etc/passwd) [d](assets/../../x)\n"
        ])
        defer { site.remove() }
        let messages = site.check()
        #expect(
            messages == [
                "Content/pages/about.md:4:5: error: unknown role '../../etc/passwd' in link 'role:../../etc/passwd'",
                "Content/pages/about.md:4:32: error: unknown page '%2e%2e%2fx' in link 'page:%2e%2e%2fx'",
                "Content/pages/about.md:4:53: error: unsupported link '/etc/passwd': relative links break between pages; link to entries as kind:id (for example role:district-nurse), to assets/<file>, or to a full https:// address",
                "Content/pages/about.md:4:70: error: unknown asset 'assets/../../x': no such file under the content folder's assets/",
            ])
    }
}
