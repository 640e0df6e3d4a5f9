import Foundation

@testable import CareerSite

/// A content folder written to a temporary directory from a dictionary of files, for tests that need disk.
struct TestSite {
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }
    var output: URL { root.appendingPathComponent("Output") }
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates")

    /// A small valid site; tests override or remove files from it.
    static let valid: [String: String] = [
        "framework.md": "---\ntitle: Test framework\nedition: \"1\"\nstatus: draft\nupdated: 2026-01-15\n---\nHello.\n",
        "stages/entry.md": "---\ntitle: Entry\norder: 1\nsummary: First.\n---\n",
        "stages/advanced.md": "---\ntitle: Advanced\norder: 2\nsummary: Second.\n---\n",
        "domains/clinical.md": "---\ntitle: Clinical\norder: 1\nsummary: Clinical work.\n---\n",
        "capabilities/assessment.md":
            "---\ntitle: Assessment\ncode: CL1\ndomain: clinical\nsummary: Assessing.\nlevels:\n  entry: Observes.\n  advanced: Diagnoses.\n---\n",
        "professions/nursing.md": "---\ntitle: Nursing\nsummary: Nurses.\n---\n",
        "roles/nurse.md":
            "---\ntitle: Nurse\nstage: entry\nprofession: nursing\nsummary: A nurse.\ncapabilities: [assessment]\nnext: [lead-nurse]\n---\n",
        "roles/lead-nurse.md": "---\ntitle: Lead nurse\nstage: advanced\nprofession: nursing\nsummary: Leads.\n---\n",
        "routes/nursing.md":
            "---\ntitle: Nursing route\nsummary: Up.\nsteps:\n  - role: nurse\n  - role: lead-nurse\n    via: MSc\n---\n",
        "pages/about.md": "---\ntitle: About\n---\nAbout.\n",
    ]

    init(_ files: [String: String?] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-test-\(UUID().uuidString)")
        var all = Self.valid.mapValues { Optional($0) }
        for (path, text) in files { all[path] = text }
        for (path, text) in all {
            guard let text else { continue }
            try write(path, text)
        }
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = content.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    var options: BuildOptions {
        BuildOptions(
            content: content, templates: Self.templates, output: output, contentName: "Content", templatesName: "Templates",
            outputName: "Output", projectRoot: root)
    }

    /// Diagnostics of a check, as the user reads them.
    func check() -> [String] {
        SiteBuilder.check(options).diagnostics.map(\.description)
    }

    func build() -> BuildReport { SiteBuilder.build(options) }

    /// Options that build with a copy of the templates whose `page.mustache` ends with a link to a page that does
    /// not exist, so the link check fails after every page has been rendered.
    func optionsWithABrokenTemplateLink() throws -> BuildOptions {
        let templates = root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Self.templates, to: templates)
        let page = templates.appendingPathComponent("page.mustache")
        try (String(contentsOf: page, encoding: .utf8) + "<a href=\"{{root}}missing.html\">x</a>\n").write(
            to: page, atomically: true, encoding: .utf8)
        var options = options
        options.templates = templates
        return options
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
