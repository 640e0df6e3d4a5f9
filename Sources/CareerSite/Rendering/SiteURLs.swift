/// The one place that knows the output layout: every path and every href comes from here.
///
/// All hrefs are relative, so the site works from any host, any sub-folder, or straight from disk.
enum SiteURLs {
    static let home = "index.html"
    static let matrix = "matrix.html"
    static let notFound = "404.html"
    static let search = "search.html"
    static let sitemap = "sitemap.xml"
    static let stylesheet = "assets/site.css"

    /// Index pages for each kind (not in the content contract, so they cannot clash with an entry's path).
    static func index(of kind: EntryKind) -> String { "\(kind.folder).html" }

    static let settingsIndex = "settings.html"
    static func path(forSetting slug: String) -> String { "settings/\(slug).html" }

    static func path(for ref: EntryRef) -> String { "\(ref.kind.folder)/\(ref.id).html" }
    static func path(_ kind: EntryKind, _ id: String) -> String { "\(kind.folder)/\(id).html" }
    static func path(for id: StageID) -> String { path(.stage, id.rawValue) }
    static func path(for id: DomainID) -> String { path(.domain, id.rawValue) }
    static func path(for id: CapabilityID) -> String { path(.capability, id.rawValue) }
    static func path(for id: ProfessionID) -> String { path(.profession, id.rawValue) }
    static func path(for id: RoleID) -> String { path(.role, id.rawValue) }
    static func path(for id: RouteID) -> String { path(.route, id.rawValue) }
    static func path(for id: PageID) -> String { path(.page, id.rawValue) }

    /// `../` repeated once per folder in `page`, so hrefs from that page reach the site root.
    static func rootPrefix(from page: String) -> String {
        String(repeating: "../", count: page.utf8.filter { $0 == UInt8(ascii: "/") }.count)
    }

    /// The href from `page` to `target` (both site-root-relative paths).
    static func href(to target: String, from page: String) -> String {
        rootPrefix(from: page) + target
    }

    /// Replaces the link placeholders in rendered Markdown with hrefs relative to `page`.
    static func resolveLinks(in html: String, from page: String) -> String {
        guard html.contains(LinkRules.placeholderScheme) else { return html }
        let prefix = rootPrefix(from: page)
        var result = ""
        result.reserveCapacity(html.utf8.count)
        var rest = html[...]
        while let range = rest.range(of: LinkRules.placeholderScheme) {
            let before = rest[..<range.lowerBound]
            guard before.hasSuffix("href=\"") || before.hasSuffix("src=\"") else {
                result += rest[..<range.upperBound]
                rest = rest[range.upperBound...]
                continue
            }
            result += before
            let target = rest[range.upperBound...]
            let kindName = target.prefix { $0 != "/" }
            let afterKind = target.dropFirst(kindName.count + 1)
            if kindName == "asset" {
                result += prefix + "assets/"
                rest = afterKind
            } else if let kind = EntryKind(rawValue: String(kindName)) {
                let id = afterKind.prefix { $0 != "#" && $0 != "\"" }
                result += prefix + path(kind, String(id))
                rest = afterKind.dropFirst(id.count)
            } else {
                rest = target
            }
        }
        result += rest
        return result
    }
}
