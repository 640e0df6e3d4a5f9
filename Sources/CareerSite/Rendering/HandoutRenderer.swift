import Foundation

/// Renders self-contained handouts: single HTML files with the CSS inlined, images as `data:` URIs, no
/// script, and no reference to any other file. Links into the site become absolute when the framework
/// has a `base_url`, and plain text otherwise, so a copied handout never carries a broken relative link.
///
/// Per-entry handouts reuse the page kind's template (with `handout` set, so site-only pieces are left out)
/// inside `handout.mustache`; the whole-framework handout has its own template, `handout-framework.mustache`,
/// whose internal links point at anchors in the same file.
struct HandoutRenderer: Sendable {
    let framework: Framework
    let templates: TemplateSet
    /// Bytes of `Content/assets/` files, by path below `assets/`, for inlining images.
    let contentAssets: [String: Data]
    /// Image bytes by site path (`assets/…`), from the content and the templates.
    private let imageData: [String: Data]
    /// The shared part of page contexts, made once per depth and section.
    private let commonCache = CommonContextCache()
    /// Where an entry's context waits for (or from) its page, when the pages are made in the same run of jobs.
    var entryContexts: EntryContextCache?

    init(framework: Framework, templates: TemplateSet, contentAssets: [String: Data]) {
        self.framework = framework
        self.templates = templates
        self.contentAssets = contentAssets
        var images: [String: Data] = [:]
        for (path, data) in templates.assets { images["assets/" + path] = data }
        for (path, data) in contentAssets { images["assets/" + path] = data }
        imageData = images
    }

    static let folder = "handouts"
    static let frameworkPath = "handouts/framework.html"
    /// Entry kinds that have a handout.
    static let kinds: [EntryKind] = [.stage, .profession, .role, .route]

    static func path(_ kind: EntryKind, id: String) -> String { "\(folder)/\(kind.rawValue)-\(id).html" }

    /// Every handout, sorted by path.
    func render() -> [OutputFile] { OutputJob.run(jobs()) }

    /// Every handout as an independent job. Each is of an entry of the framework, so each makes its file: the
    /// build's link check takes every job's path as a file of the site before the first is made.
    func jobs() -> [OutputJob] {
        func job(_ ref: EntryRef, cost: OutputJob.Cost = .small, html: @escaping @Sendable (PageContextBuilder) -> Data) -> OutputJob {
            var job = OutputJob(path: Self.path(ref.kind, id: ref.id), cost: cost) { render(ref, html: html).contents }
            job.entry = ref
            return job
        }
        let framework = framework
        // The whole-framework handout is by far the largest, and a stage's lists all its roles.
        var jobs = [OutputJob(path: Self.frameworkPath, cost: .large) { write in renderFramework(into: write) }]
        jobs += framework.stages.indices.map { index in
            job(EntryRef(.stage, framework.stages[index].id.rawValue), cost: .large) { $0.stage(framework.stages[index]) }
        }
        jobs += framework.professions.indices.map { index in
            job(EntryRef(.profession, framework.professions[index].id.rawValue)) { $0.profession(framework.professions[index]) }
        }
        jobs += framework.roles.indices.map { index in
            job(EntryRef(.role, framework.roles[index].id.rawValue)) { $0.role(framework.roles[index]) }
        }
        jobs += framework.routes.indices.map { index in
            job(EntryRef(.route, framework.routes[index].id.rawValue)) { $0.route(framework.routes[index]) }
        }
        return jobs
    }

    /// One entry's handout, or nil when the entry does not exist or its kind has no handout.
    func render(_ ref: EntryRef) -> OutputFile? {
        switch ref.kind {
        case .stage:
            guard let stage = framework.stage(StageID(ref.id)) else { return nil }
            return render(ref) { $0.stage(stage) }
        case .profession:
            guard let profession = framework.profession(ProfessionID(ref.id)) else { return nil }
            return render(ref) { $0.profession(profession) }
        case .role:
            guard let role = framework.role(RoleID(ref.id)) else { return nil }
            return render(ref) { $0.role(role) }
        case .route:
            guard let route = framework.route(RouteID(ref.id)) else { return nil }
            return render(ref) { $0.route(route) }
        default:
            return nil
        }
    }

    /// The handout of the entry `ref`, whose page `html` makes with the builder it is given.
    private func render(_ ref: EntryRef, html: (PageContextBuilder) -> Data) -> OutputFile {
        let sitePath = SiteURLs.path(for: ref)
        var builder = PageContextBuilder(framework: framework, templates: templates, path: sitePath)
        builder.handout = true
        builder.commonCache = commonCache
        builder.entryContexts = entryContexts
        let finished = HandoutLinks.rewriteToData(html(builder), from: sitePath, baseURL: framework.info.baseURL, images: imageData)
        return OutputFile(path: Self.path(ref.kind, id: ref.id), contents: finished)
    }

    /// The whole-framework handout's bytes (see `renderFramework(into:)`).
    func renderFrameworkData() -> Data {
        let sink = ByteSink(capacity: 1 << 20)
        renderFramework { sink.append($0) }
        return sink.takeData()
    }

    /// The whole-framework handout, handed to `write` in pieces as it is made. It is by far the largest file (11 MB at
    /// 2,000 roles, 57 MB at 10,000), so it is made as a stream: each role's part of the context is made as the
    /// template reaches it (`LazyMaps`), the content is rendered straight into the layout (`DeferredRender`), and
    /// the links are rewritten as the bytes are made. A build writes the pieces straight to the file, so the
    /// handout is never whole in memory.
    func renderFramework(into write: (UnsafeBufferPointer<UInt8>) -> Void) {
        let rewriter = HandoutLinks.Rewriter(
            from: Self.frameworkPath, baseURL: framework.info.baseURL, images: imageData, capacity: 1 << 17)
        let builder = PageContextBuilder(framework: framework, templates: templates, path: Self.frameworkPath)
        withoutActuallyEscaping(write) { write in
            func flush() {
                rewriter.result.withBytes { write($0) }
                rewriter.result.removeFirst(rewriter.result.count)
            }
            let rest = builder.frameworkHandout { sink in
                sink.removeFirst(sink.withBytes { rewriter.take($0, final: false) })
                flush()
            }
            rest.withUnsafeBytes { _ = rewriter.take($0.bindMemory(to: UInt8.self), final: true) }
            flush()
        }
    }

    /// Puts a handout's content inside `handout.mustache`, with the rules of the stylesheets that can apply to it
    /// inlined (`InlineStylesheet`): the page is made with a marker where the stylesheet goes, its classes are
    /// read, and the marker is replaced.
    static func wrap(_ content: Data, title: String, description: String?, common: TemplateContext, templates: TemplateSet) -> Data {
        let page = wrap(
            RenderedHTML(content), css: stylesheetMarker, size: content.count, title: title, description: description, common: common,
            templates: templates)
        return page.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let marker = Array(stylesheetMarker.utf8)
            guard var found = ByteSearch.first(marker, in: bytes) else { return page }
            let css = templates.handoutStylesheet.prunedBytes(for: bytes)
            let sink = ByteSink(capacity: bytes.count + css.count)
            var start = 0
            while true {
                sink.append(UnsafeBufferPointer(rebasing: bytes[start..<found]))
                sink.append(css)
                start = found + marker.count
                guard let next = ByteSearch.first(marker, in: bytes, from: start) else { break }
                found = next
            }
            sink.append(UnsafeBufferPointer(rebasing: bytes[start...]))
            return sink.takeData()
        }
    }

    /// Where a handout's stylesheet goes until its classes are known: no template or content can write a NUL.
    private static let stylesheetMarker = "\u{0}careers-stylesheet\u{0}"

    /// The same with the content as a template to render in place, and `drain` (see `TemplateRenderer.renderData`).
    static func wrap(
        _ content: DeferredRender, title: String, description: String?, common: TemplateContext, templates: TemplateSet,
        drain: @escaping (ByteSink) -> Void
    ) -> Data {
        // Written before its content is made, so with the whole stylesheet.
        wrap(
            content, css: templates.handoutStylesheet.whole, size: 0, title: title, description: description, common: common,
            templates: templates, drain: drain)
    }

    private static func wrap(
        _ content: any TemplateData, css: String, size: Int, title: String, description: String?, common: TemplateContext,
        templates: TemplateSet,
        drain: ((ByteSink) -> Void)? = nil
    ) -> Data {
        var context = common
        context["content"] = content
        context["title"] = title
        if let description { context["description"] = description }
        context["css"] = RawHTML(css)
        return templates.renderData("handout", context, capacity: size + css.utf8.count + 16_384, drain: drain)
    }
}

/// Rewrites a rendered handout so it refers to nothing outside itself.
enum HandoutLinks {
    /// - `href` to a page of the site: absolute under `baseURL`, or the link is dropped and its text kept.
    /// - `href="#…"`: kept; other absolute URLs: the address is written out after the text, without a link.
    /// - `src` of an image in the site: inlined as a `data:` URI; any other `src` is dropped.
    /// Returns the file's bytes: they are valid UTF-8 already, so no `String` copy of a (possibly large) handout
    /// is made, and they become the `Data` without a copy either.
    static func rewriteToData(_ html: Data, from page: String, baseURL: String?, images: [String: Data]) -> Data {
        let rewriter = Rewriter(from: page, baseURL: baseURL, images: images, capacity: html.count + html.count / 8)
        html.withUnsafeBytes { raw in _ = rewriter.take(raw.bindMemory(to: UInt8.self), final: true) }
        return rewriter.result.takeData()
    }

    /// The rewriting as a stream: bytes go in piece by piece as they are made (`take`), and the result grows in
    /// `result`. The output is the same however the input is cut into pieces, so a large handout can be rewritten
    /// while it is rendered, without the whole of it in memory twice.
    final class Rewriter {
        private let page: String
        private let baseURL: String?
        private let images: [String: Data]
        let result: ByteSink
        private var inSVG = false
        /// For each open <a>: nil when kept as a link, otherwise the text to add after it (an external address).
        private var openAnchors: [String?] = []

        init(from page: String, baseURL: String?, images: [String: Data], capacity: Int) {
            self.page = page
            self.baseURL = baseURL
            self.images = images
            result = ByteSink(capacity: capacity)
        }

        /// Rewrites `bytes` (UTF-8) up to the start of a tag that does not end in them, unless `final`, and returns
        /// how many bytes it used; the rest must be given again, followed by what comes after them. Text and the
        /// tags it leaves alone are copied as they are; only `<a>`, `</a>`, `<img>` and `<svg>` tags are looked at
        /// (every byte it looks for is ASCII).
        func take(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) -> Int {
            var index = 0
            // Bytes before `copied` are in `result`: text and the tags left alone are copied in runs, up to the
            // next tag that changes (most tags do not, and copying each piece on its own cost more than the rest).
            var copied = 0
            func copy(upTo end: Int) {
                if end > copied { result.append(UnsafeBufferPointer(rebasing: bytes[copied..<end])) }
                copied = end
            }
            func starts(_ prefix: StaticString, at offset: Int) -> Bool { ByteSearch.matches(prefix, in: bytes, at: offset) }
            while index < bytes.count {
                guard let open = ByteSearch.first(byte: UInt8(ascii: "<"), in: bytes, from: index) else { break }
                guard let close = ByteSearch.first(byte: UInt8(ascii: ">"), in: bytes, from: open) else {
                    if !final {
                        copy(upTo: open)
                        return open
                    }
                    break
                }
                index = close + 1
                // No prefix looked for ends in `>`, so one that matches lies within the tag.
                if starts("<svg", at: open) {
                    inSVG = true
                } else if starts("</svg", at: open) {
                    inSVG = false
                }
                let isAnchor = starts("<a ", at: open) || starts("<a>", at: open)
                let isImage = starts("<img ", at: open)
                if !isAnchor && !isImage && !starts("</a>", at: open) { continue }
                copy(upTo: open)
                copied = close + 1
                if isAnchor {
                    // The href's bytes, found in the tag's bytes; most links are kept as they are, so the tag is only
                    // rebuilt when its href changes.
                    let value = HandoutLinks.attributeRange(" href=\"", in: bytes, open, close)
                    if baseURL == nil, let value, HandoutLinks.isPlainSiteLink(UnsafeBufferPointer(rebasing: bytes[value])) {
                        // Without a base URL a link into the site becomes its text: the commonest case by far,
                        // decided on the bytes (what `linkTarget` and `isExternal` would find).
                        result.append(inSVG ? "<g>" : "<span class=\"link-text\">")
                        openAnchors.append("")
                        continue
                    }
                    let raw = value.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                    let target = raw.map(LinkChecker.decodeEntities) ?? ""
                    if let replacement = HandoutLinks.linkTarget(target, from: page, baseURL: baseURL) {
                        let escaped = HTML.escape(replacement)
                        if let value, escaped != raw {
                            result.append(UnsafeBufferPointer(rebasing: bytes[open..<value.lowerBound]))
                            result.append(escaped)
                            result.append(UnsafeBufferPointer(rebasing: bytes[value.upperBound...close]))
                        } else {
                            result.append(UnsafeBufferPointer(rebasing: bytes[open...close]))
                        }
                        openAnchors.append(nil)
                    } else {
                        result.append(inSVG ? "<g>" : "<span class=\"link-text\">")
                        let external = LinkChecker.isExternal(target) && !inSVG
                        let shown = target.hasPrefix("mailto:") ? String(target.dropFirst("mailto:".count)) : target
                        openAnchors.append(external ? " <span class=\"link-address\">(\(HTML.escape(shown)))</span>" : "")
                    }
                    continue
                }
                if !isImage {  // `</a>`
                    if let suffix = openAnchors.popLast() ?? nil {
                        result.append(inSVG ? "</g>" : "</span>")
                        if !suffix.isEmpty { result.append(suffix) }
                    } else {
                        result.append(UnsafeBufferPointer(rebasing: bytes[open...close]))
                    }
                    continue
                }
                let tag = String(decoding: UnsafeBufferPointer(rebasing: bytes[open...close]), as: UTF8.self)
                if let source = HandoutLinks.attribute("src", in: tag) {
                    if let data = HandoutLinks.imageURI(source, from: page, images: images) {
                        result.append(HandoutLinks.replacing(attribute: "src", in: tag, with: data))
                    } else {
                        let alt = HandoutLinks.attribute("alt", in: tag) ?? ""
                        result.append("<span class=\"missing-image\">\(HTML.escape(alt))</span>")
                    }
                } else {
                    result.append(tag)
                }
            }
            copy(upTo: bytes.count)
            return bytes.count
        }
    }

    /// Whether an href's bytes are a link into the site that `linkTarget` turns into text when there is no base
    /// URL: not empty, not a fragment, and with neither a `:` (which may start a scheme) nor a `&` (which may be
    /// an entity to decode).
    static func isPlainSiteLink(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = value.first, first != UInt8(ascii: "#") else { return false }
        return ByteSearch.first(byte: UInt8(ascii: ":"), in: value) == nil && ByteSearch.first(byte: UInt8(ascii: "&"), in: value) == nil
    }

    /// The href a link keeps in a handout, or nil when it should become plain text: only fragments of the
    /// handout itself and absolute links into the published site stay links. Other web addresses are written
    /// out after the link text, so the handout refers to nothing outside itself.
    static func linkTarget(_ target: String, from page: String, baseURL: String?) -> String? {
        if target.hasPrefix("#") { return target }
        if target.isEmpty { return nil }
        if LinkChecker.isExternal(target) {
            guard let baseURL, target.hasPrefix(baseURL) else { return nil }
            return target
        }
        guard let baseURL else { return nil }
        let hash = target.firstIndex(of: "#")
        let path = hash.map { String(target[..<$0]) } ?? target
        let fragment = hash.map { String(target[$0...]) } ?? ""
        guard let resolved = LinkChecker.resolve(path, from: page) else { return nil }
        return baseURL + resolved + fragment
    }

    private static func imageURI(_ source: String, from page: String, images: [String: Data]) -> String? {
        if source.hasPrefix("data:") { return source }
        guard !LinkChecker.isExternal(source), let path = LinkChecker.resolve(source, from: page), let data = images[path] else {
            return nil
        }
        let types = [
            "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml", "webp": "image/webp",
        ]
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard let type = types[ext] else { return nil }
        return "data:\(type);base64,\(data.base64EncodedString())"
    }

    /// Where the value of the double-quoted attribute that `prefix` (` name="`) starts lies in the tag at
    /// `open...close`: the bytes after the first `prefix` up to the next `"`, as `attribute` finds it.
    private static func attributeRange(_ prefix: StaticString, in bytes: UnsafeBufferPointer<UInt8>, _ open: Int, _ close: Int) -> Range<
        Int
    >? {
        let count = prefix.utf8CodeUnitCount
        var index = open
        while index + count <= close {
            if ByteSearch.matches(prefix, in: bytes, at: index) {
                let start = index + count
                guard start <= close else { return nil }
                // With memchr: an href is some 50 bytes, and a loop over them was an eighth of rewriting a handout.
                let value = UnsafeBufferPointer(rebasing: bytes[start...close])
                return ByteSearch.first(byte: UInt8(ascii: "\""), in: value).map { start..<(start + $0) }
            }
            index += 1
        }
        return nil
    }

    /// The value of a double-quoted attribute in a tag we generated.
    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.fastRange(of: " \(name)=\"") else { return nil }
        let after = tag[range.upperBound...]
        guard let end = after.firstIndex(ofASCII: UInt8(ascii: "\"")) else { return nil }
        return LinkChecker.decodeEntities(String(after[..<end]))
    }

    private static func replacing(attribute name: String, in tag: String, with value: String) -> String {
        guard let range = tag.fastRange(of: " \(name)=\"") else { return tag }
        let after = tag[range.upperBound...]
        guard let end = after.firstIndex(ofASCII: UInt8(ascii: "\"")) else { return tag }
        return String(tag[..<range.upperBound]) + HTML.escape(value) + String(tag[end...])
    }
}

/// Collects results from parallel workers; each index is written exactly once.
final class ConcurrentResults<Value: Sendable>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return storage.compactMap { $0 }
    }
}
