import Foundation
import Testing

@testable import CareerSite

@Suite struct HandoutTests {
    /// A site whose role body has an image, an external link and links to other entries.
    static let files: [String: String?] = [
        "roles/nurse.md":
            "---\ntitle: Nurse\nstage: entry\nprofession: nursing\nsummary: A nurse.\ncapabilities: [assessment]\nnext: [lead-nurse]\n---\n"
            + "## Pay\n\nSee [the lead](role:lead-nurse#pay), the [NMC](https://www.nmc.org.uk/) and [about](page:about).\n\n"
            + "![A ladder](assets/ladder.png)\n",
        "assets/ladder.png": "PNGDATA",
        "roles/lead-nurse.md": "---\ntitle: Lead nurse\nstage: advanced\nprofession: nursing\nsummary: Leads.\n---\n## Pay\n\nBand 7.\n",
    ]

    func build(baseURL: String? = nil) throws -> (TestSite, [String: String]) {
        var files = Self.files
        if let baseURL {
            files["framework.md"] =
                "---\ntitle: Test framework\nedition: \"1\"\nstatus: draft\nupdated: 2026-01-15\nbase_url: \(baseURL)\n---\nHello.\n"
        }
        let site = try TestSite(files)
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        var handouts: [String: String] = [:]
        let folder = site.output.appendingPathComponent("handouts")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            handouts[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return (site, handouts)
    }

    /// Every `href` and `src` value in a document.
    func references(_ html: String) -> [String] {
        LinkChecker.attributeValues(named: "href", in: html) + LinkChecker.attributeValues(named: "src", in: html)
    }

    @Test func everyKindHasAHandout() throws {
        let (site, handouts) = try build()
        defer { site.remove() }
        #expect(
            handouts.keys.sorted() == [
                "framework.html", "profession-nursing.html", "role-lead-nurse.html", "role-nurse.html", "route-nursing.html",
                "stage-advanced.html", "stage-entry.html",
            ])
    }

    @Test func handoutsReferToNothingOutsideThemselvesWithoutABaseURL() throws {
        let (site, handouts) = try build()
        defer { site.remove() }
        for (name, html) in handouts {
            for reference in references(html) {
                #expect(reference.hasPrefix("#") || reference.hasPrefix("data:"), "\(name) refers to \(reference)")
            }
            #expect(!html.contains("<script"), "\(name) has a script")
            #expect(!html.contains("<link"), "\(name) links a stylesheet")
            #expect(html.contains("<style>"), "\(name) has no inlined CSS")
            #expect(
                html.contains(
                    "Edition 1 · <span class=\"handout-status\">draft</span> · updated <time datetime=\"2026-01-15\">15 January 2026</time>"
                ))
            #expect(LinkChecker.check([OutputFile(path: "handouts/\(name)", contents: Data(html.utf8))]) == [], "\(name)")
        }
        let role = try #require(handouts["role-nurse.html"])
        #expect(role.contains("<span class=\"link-text\">the lead</span>"))
        #expect(role.contains("<span class=\"link-text\">NMC</span> <span class=\"link-address\">(https://www.nmc.org.uk/)</span>"))
        #expect(role.contains("<img src=\"data:image/png;base64,\(Data("PNGDATA".utf8).base64EncodedString())\" alt=\"A ladder\" />"))
        #expect(!role.contains("Download a handout"))
    }

    @Test func linksPointIntoThePublishedSiteWhenItHasABaseURL() throws {
        let (site, handouts) = try build(baseURL: "https://example.org/careers")
        defer { site.remove() }
        let role = try #require(handouts["role-nurse.html"])
        #expect(role.contains("<a href=\"https://example.org/careers/roles/lead-nurse.html#pay\">the lead</a>"))
        #expect(role.contains("<a href=\"https://example.org/careers/stages/entry.html\">Entry</a>"))
        for (name, html) in handouts {
            for reference in references(html) {
                let allowed =
                    reference.hasPrefix("#") || reference.hasPrefix("data:") || reference.hasPrefix("https://example.org/careers/")
                #expect(allowed, "\(name) refers to \(reference)")
            }
        }
    }

    @Test func theWholeFrameworkLinksEntriesToItsOwnAnchors() throws {
        let (site, handouts) = try build()
        defer { site.remove() }
        let framework = try #require(handouts["framework.html"])
        #expect(framework.contains("<nav class=\"toc\" aria-labelledby=\"toc-heading\">"))
        #expect(framework.contains("<article id=\"role-nurse\" class=\"handout-entry\""))
        #expect(framework.contains("<a href=\"#role-lead-nurse--pay\">the lead</a>"))
        #expect(framework.contains("<h4 id=\"role-nurse--pay\">Pay</h4>"))
        let ids = LinkChecker.attributeValues(named: "id", in: framework)
        #expect(Set(ids).count == ids.count, "duplicate ids in the framework handout")
    }

    /// The whole-framework handout is rewritten piece by piece as it is rendered; cut anywhere, even inside a
    /// tag or a character, the pieces give the bytes that rewriting all at once gives.
    @Test func rewritingInPiecesGivesWhatRewritingAtOnceGives() {
        let html = String(
            repeating: "<p>é <a href=\"../roles/x.html#p\">x</a> <a href=\"https://e.org/\">e</a> <a href=\"#top\">t</a></p>"
                + "<svg><a href=\"../x.html\"><text>s</text></a></svg><img src=\"../assets/ladder.png\" alt=\"L\">"
                + "<img src=\"nope.png\" alt=\"N\"> <a>plain</a> <b>&lt;</b>\n", count: 3)
        let bytes = Array(html.utf8)
        let images = ["assets/ladder.png": Data("PNGDATA".utf8)]
        for baseURL in [nil, "https://example.org/careers/"] {
            let whole = HandoutLinks.rewriteToData(Data(bytes), from: "handouts/role-y.html", baseURL: baseURL, images: images)
            let text = String(decoding: whole, as: UTF8.self)
            #expect(text.contains("<span class=\"link-address\">(https://e.org/)</span>"))
            #expect(text.contains("data:image/png;base64,"))
            for size in 1...45 {
                let rewriter = HandoutLinks.Rewriter(from: "handouts/role-y.html", baseURL: baseURL, images: images, capacity: 0)
                var pending: [UInt8] = []
                for start in stride(from: 0, to: bytes.count, by: size) {
                    pending += bytes[start..<min(start + size, bytes.count)]
                    let used = pending.withUnsafeBufferPointer { rewriter.take($0, final: false) }
                    pending.removeFirst(used)
                }
                _ = pending.withUnsafeBufferPointer { rewriter.take($0, final: true) }
                #expect(rewriter.result.takeData() == whole, "pieces of \(size) bytes, base URL \(baseURL ?? "none")")
            }
        }
    }

    /// Without a base URL, a link into the site becomes its text, decided on the bytes for most links; a link
    /// that may have a scheme or an entity in it is decoded and looked at whole, and gets the same treatment.
    @Test func linksWithoutABaseURLBecomeTextOrAddresses() {
        let html =
            "<a href=\"../roles/x.html#p\">a</a><a href=\"\">b</a><a href=\"#top\">c</a><a href=\"https://e.org/\">d</a>"
            + "<a href=\"mailto:x@e.org\">e</a><a href=\"x&#58;y\">f</a><a href=\"../r&amp;d.html\">g</a><a>h</a>"
            + "<svg><a href=\"../x.html\"><text>i</text></a></svg>"
        let data = HandoutLinks.rewriteToData(Data(html.utf8), from: "handouts/role-y.html", baseURL: nil, images: [:])
        #expect(
            String(decoding: data, as: UTF8.self)
                == "<span class=\"link-text\">a</span><span class=\"link-text\">b</span><a href=\"#top\">c</a>"
                + "<span class=\"link-text\">d</span> <span class=\"link-address\">(https://e.org/)</span>"
                + "<span class=\"link-text\">e</span> <span class=\"link-address\">(x@e.org)</span>"
                + "<span class=\"link-text\">f</span>"
                + "<span class=\"link-text\">g</span><span class=\"link-text\">h</span>"
                + "<svg><g><text>i</text></g></svg>")
        func plain(_ link: String) -> Bool { Array(link.utf8).withUnsafeBufferPointer { HandoutLinks.isPlainSiteLink($0) } }
        #expect(plain("../roles/x.html#p") && plain("x.html"))
        #expect(!plain("") && !plain("#top") && !plain("https://e.org/") && !plain("x&#58;y"))
    }

    @Test func sitePagesLinkToTheirHandout() throws {
        let (site, _) = try build()
        defer { site.remove() }
        let role = try String(contentsOf: site.output.appendingPathComponent("roles/nurse.html"), encoding: .utf8)
        #expect(role.contains("<a href=\"../handouts/role-nurse.html\">Download a handout of this role</a>"))
        let home = try String(contentsOf: site.output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains("<a href=\"handouts/framework.html\">The whole framework as one handout</a>"))
    }

    @Test func theHandoutCommandWritesOneFileAndNamesUnknownEntries() throws {
        let site = try TestSite(Self.files)
        defer { site.remove() }
        let file = site.root.appendingPathComponent("one.html")
        let report = SiteBuilder.handout(site.options, reference: "role:nurse", to: file)
        #expect(report.succeeded)
        let built = site.build()
        #expect(built.succeeded)
        #expect(try Data(contentsOf: file) == Data(contentsOf: site.output.appendingPathComponent("handouts/role-nurse.html")))
        let unknown = SiteBuilder.handout(site.options, reference: "role:nures", to: file)
        #expect(unknown.diagnostics.map(\.description) == ["error: unknown role 'nures' (did you mean 'nurse'?)"])
        let badKind = SiteBuilder.handout(site.options, reference: "roles:nurse", to: file)
        #expect(
            badKind.diagnostics.map(\.description) == [
                "error: 'roles:nurse' is not a handout: use framework or kind:id with kind one of stage, profession, role, route (did you mean 'role'?)"
            ])
    }

    /// Foundation's own message for a missing folder was "The operation could not be completed. The file doesn't
    /// exist.", naming neither the folder nor what to do.
    @Test func aHandoutForAFolderThatIsNotThereSaysWhichFolder() throws {
        let site = try TestSite(Self.files)
        defer { site.remove() }
        let missing = site.root.appendingPathComponent("handouts/one.html")
        let report = SiteBuilder.handout(site.options, reference: "role:nurse", to: missing)
        let folder = site.root.appendingPathComponent("handouts").path
        #expect(
            report.diagnostics.map(\.description) == [
                "error: cannot write '\(missing.path)': there is no folder '\(folder)'; create it first, or choose another path"
            ])
        try Data().write(to: site.root.appendingPathComponent("handouts"))
        let underFile = SiteBuilder.handout(site.options, reference: "role:nurse", to: missing)
        #expect(underFile.diagnostics.map(\.description) == ["error: cannot write '\(missing.path)': '\(folder)' is a file, not a folder"])
        // A folder is not a file name: Foundation said "(NSCocoaErrorDomain error 512.)".
        let folderItself = SiteBuilder.handout(site.options, reference: "role:nurse", to: site.root)
        #expect(
            folderItself.diagnostics.map(\.description) == ["error: cannot write '\(site.root.path)': it is a folder; name a file in it"])
        // Nor for a PDF, which once reported "Printed <folder>." when Chromium had written nothing.
        do {
            try PDFPrinter.checkDestination(site.root)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cannot write '\(site.root.path)': it is a folder; name a file in it")
        }
        // A PDF's folder is checked before any browser runs (Chromium's own message ended a page of its log).
        let pdf = site.root.appendingPathComponent("nowhere/one.pdf")
        do {
            try PDFPrinter.print(
                site.root.appendingPathComponent("one.html"), to: pdf, browser: URL(fileURLWithPath: "/nonexistent/chrome"))
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "cannot write '\(pdf.path)': there is no folder '\(site.root.appendingPathComponent("nowhere").path)'; create it first, or choose another path"
            )
        }
    }

    /// A browser that exited 0 without printing left an older PDF at the path, which passed for the new one.
    @Test func aPDFReplacesTheOldOneOnlyWhenTheBrowserPrintedOne() throws {
        let site = try TestSite(Self.files)
        defer { site.remove() }
        let html = site.root.appendingPathComponent("one.html")
        try Data("<!DOCTYPE html><title>x</title>".utf8).write(to: html)
        let pdf = site.root.appendingPathComponent("one.pdf")
        try Data("old".utf8).write(to: pdf)
        func browser(_ name: String, _ script: String) throws -> URL {
            let url = site.root.appendingPathComponent(name)
            try Data("#!/bin/sh\n\(script)\n".utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            return url
        }
        // Writes a PDF's first bytes to the path it is given in --print-to-pdf=PATH.
        let printing = try browser(
            "printing", #"for a in "$@"; do case "$a" in --print-to-pdf=*) printf '%%PDF-1.4 x' > "${a#--print-to-pdf=}";; esac; done"#)
        let silent = try browser("silent", "exit 0")
        do {
            try PDFPrinter.print(html, to: pdf, browser: silent)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "Chromium could not print the PDF (exit status 0)")
        }
        #expect(try Data(contentsOf: pdf) == Data("old".utf8))
        try PDFPrinter.print(html, to: pdf, browser: printing)
        #expect(try Data(contentsOf: pdf) == Data("%PDF-1.4 x".utf8))
        // Nothing is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".") } == [])
    }

    @Test func printingWithoutABrowserSaysHowToInstallOne() {
        #expect(PDFPrinter.findBrowser(environment: ["PATH": "/nonexistent"]) == nil)
        #expect(PDFPrinter.findBrowser(environment: ["CHROMIUM": "/nonexistent/chrome"]) == nil)
        do {
            try PDFPrinter.print(URL(fileURLWithPath: "/tmp/x.html"), to: URL(fileURLWithPath: "/tmp/x.pdf"), browser: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("sudo apt-get install chromium"))
        }
    }
}
