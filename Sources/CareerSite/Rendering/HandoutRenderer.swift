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

    static let folder = "handouts"
    static let frameworkPath = "handouts/framework.html"
    /// Entry kinds that have a handout.
    static let kinds: [EntryKind] = [.stage, .profession, .role, .route]

    static func path(_ kind: EntryKind, id: String) -> String { "\(folder)/\(kind.rawValue)-\(id).html" }

    /// Every handout, sorted by path.
    func render() -> [OutputFile] {
        let refs: [EntryRef] =
            framework.stages.map { EntryRef(.stage, $0.id.rawValue) } + framework.professions.map { EntryRef(.profession, $0.id.rawValue) }
            + framework.roles.map { EntryRef(.role, $0.id.rawValue) } + framework.routes.map { EntryRef(.route, $0.id.rawValue) }
        let results = ConcurrentResults<OutputFile>(count: refs.count + 1)
        DispatchQueue.concurrentPerform(iterations: refs.count + 1) { index in
            if index == refs.count {
                results.set(index, OutputFile(path: Self.frameworkPath, contents: Data(renderFramework().utf8)))
            } else if let file = render(refs[index]) {
                results.set(index, file)
            }
        }
        return results.values.sorted { $0.path < $1.path }
    }

    /// One entry's handout, or nil when the entry does not exist or its kind has no handout.
    func render(_ ref: EntryRef) -> OutputFile? {
        let sitePath = SiteURLs.path(for: ref)
        var builder = PageContextBuilder(framework: framework, templates: templates, path: sitePath)
        builder.handout = true
        let html: String
        switch ref.kind {
        case .stage:
            guard let stage = framework.stage(StageID(ref.id)) else { return nil }
            html = builder.stage(stage)
        case .profession:
            guard let profession = framework.profession(ProfessionID(ref.id)) else { return nil }
            html = builder.profession(profession)
        case .role:
            guard let role = framework.role(RoleID(ref.id)) else { return nil }
            html = builder.role(role)
        case .route:
            guard let route = framework.route(RouteID(ref.id)) else { return nil }
            html = builder.route(route)
        default:
            return nil
        }
        let finished = HandoutLinks.rewrite(html, from: sitePath, baseURL: framework.info.baseURL, images: imageData)
        return OutputFile(path: Self.path(ref.kind, id: ref.id), contents: Data(finished.utf8))
    }

    func renderFramework() -> String {
        let html = PageContextBuilder(framework: framework, templates: templates, path: Self.frameworkPath).frameworkHandout()
        return HandoutLinks.rewrite(html, from: Self.frameworkPath, baseURL: framework.info.baseURL, images: imageData)
    }

    /// Image bytes by site path (`assets/…`), from the content and the templates.
    private var imageData: [String: Data] {
        var images: [String: Data] = [:]
        for (path, data) in templates.assets { images["assets/" + path] = data }
        for (path, data) in contentAssets { images["assets/" + path] = data }
        return images
    }

    /// Puts a handout's content inside `handout.mustache`, with the stylesheets inlined.
    static func wrap(_ content: String, title: String, description: String?, common: [String: Any], templates: TemplateSet) -> String {
        var context = common
        context["content"] = content
        context["title"] = title
        if let description { context["description"] = description }
        context["css"] = templates.inlineStylesheet
        return templates.render("handout", context)
    }
}

/// Rewrites a rendered handout so it refers to nothing outside itself.
enum HandoutLinks {
    /// - `href` to a page of the site: absolute under `baseURL`, or the link is dropped and its text kept.
    /// - `href="#…"`: kept; other absolute URLs: the address is written out after the text, without a link.
    /// - `src` of an image in the site: inlined as a `data:` URI; any other `src` is dropped.
    static func rewrite(_ html: String, from page: String, baseURL: String?, images: [String: Data]) -> String {
        var result = ""
        result.reserveCapacity(html.utf8.count)
        var rest = html[...]
        var inSVG = false
        // For each open <a>: nil when kept as a link, otherwise the text to add after it (an external address).
        var openAnchors: [String?] = []
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                result += rest[open...]
                return result
            }
            let tag = String(rest[open...close])
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("<svg") {
                inSVG = true
            } else if tag.hasPrefix("</svg") {
                inSVG = false
            }
            if tag.hasPrefix("<a ") || tag == "<a>" {
                let target = attribute("href", in: tag) ?? ""
                if let replacement = linkTarget(target, from: page, baseURL: baseURL) {
                    result += replacing(attribute: "href", in: tag, with: replacement)
                    openAnchors.append(nil)
                } else {
                    result += inSVG ? "<g>" : "<span class=\"link-text\">"
                    let external = LinkChecker.isExternal(target) && !inSVG
                    let shown = target.hasPrefix("mailto:") ? String(target.dropFirst("mailto:".count)) : target
                    openAnchors.append(external ? " <span class=\"link-address\">(\(HTML.escape(shown)))</span>" : "")
                }
            } else if tag == "</a>" {
                if let suffix = openAnchors.popLast() ?? nil {
                    result += (inSVG ? "</g>" : "</span>") + suffix
                } else {
                    result += tag
                }
            } else if tag.hasPrefix("<img "), let source = attribute("src", in: tag) {
                if let data = imageURI(source, from: page, images: images) {
                    result += replacing(attribute: "src", in: tag, with: data)
                } else {
                    let alt = attribute("alt", in: tag) ?? ""
                    result += "<span class=\"missing-image\">\(HTML.escape(alt))</span>"
                }
            } else {
                result += tag
            }
        }
        result += rest
        return result
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

    /// The value of a double-quoted attribute in a tag we generated.
    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: " \(name)=\"") else { return nil }
        let after = tag[range.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { return nil }
        return LinkChecker.decodeEntities(String(after[..<end]))
    }

    private static func replacing(attribute name: String, in tag: String, with value: String) -> String {
        guard let range = tag.range(of: " \(name)=\"") else { return tag }
        let after = tag[range.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { return tag }
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
