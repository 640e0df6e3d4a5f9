/// The one place that knows the output layout: every path and every href comes from here.
///
/// All hrefs are relative, so the site works from any host, any sub-folder, or straight from disk.
enum SiteURLs {
    static let home = "index.html"
    static let matrix = "matrix.html"
    static let notFound = "404.html"
    static let search = "search.html"
    static let changes = "changes.html"
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
        var depth = 0
        for byte in page.utf8 where byte == UInt8(ascii: "/") { depth += 1 }
        return depth == 0 ? "" : String(repeating: "../", count: depth)
    }

    /// The href from `page` to `target` (both site-root-relative paths).
    static func href(to target: String, from page: String) -> String {
        rootPrefix(from: page) + target
    }

    /// The anchor of an entry's section in the whole-framework handout (`role-district-nurse`).
    static func anchor(_ kind: EntryKind, _ id: String) -> String { "\(kind.rawValue)-\(id)" }

    /// Replaces the link placeholders with anchors in one document: `#kind-id`, or `#kind-id--fragment`
    /// (headings inside an entry's body are prefixed the same way by `prefixHeadingIDs`).
    static func resolveLinksToAnchors(in html: String) -> String {
        guard html.fastRange(of: LinkRules.placeholderScheme) != nil else { return html }
        var result = ""
        var rest = html[...]
        let marker = "href=\"" + LinkRules.placeholderScheme
        while let range = rest.fastRange(of: marker) {
            result += rest[..<range.lowerBound]
            let target = rest[range.upperBound...]
            let value = target.prefix { $0 != "\"" }
            rest = target.dropFirst(value.count)
            let kindName = value.prefix { $0 != "/" }
            let afterKind = value.dropFirst(kindName.count + 1)
            let id = afterKind.prefix { $0 != "#" }
            let fragment = afterKind.dropFirst(id.count).dropFirst()
            if let kind = EntryKind(rawValue: String(kindName)) {
                result += "href=\"#" + anchor(kind, String(id)) + (fragment.isEmpty ? "" : "--" + fragment)
            } else {
                result += "href=\"" + (kindName == "asset" ? "assets/" + afterKind : "")
            }
        }
        result += rest
        return result
    }

    /// Prefixes the ids of headings in rendered Markdown (`<h2 id="pay">` -> `<h2 id="role-x--pay">`) and
    /// moves them `demote` levels down, so many bodies can share one document.
    static func prefixHeadingIDs(in html: String, prefix: String, demote: Int) -> String {
        guard html.fastRange(of: "<h") != nil else { return html }
        var result = ""
        var rest = html[...]
        while let open = rest.fastRange(of: "<h"), let close = rest[open.lowerBound...].fastRange(of: ">") {
            let tag = rest[open.lowerBound..<close.upperBound]
            result += rest[..<open.lowerBound]
            rest = rest[close.upperBound...]
            guard let digit = tag.dropFirst(2).first, let level = Int(String(digit)), (1...6).contains(level),
                tag.dropFirst(3).first == " " || tag.dropFirst(3).first == ">"
            else {
                result += tag
                continue
            }
            let newLevel = min(level + demote, 6)
            var attributes = String(tag.dropFirst(3).dropLast())
            attributes = attributes.replacingOccurrences(of: " id=\"", with: " id=\"\(prefix)--")
            result += "<h\(newLevel)\(attributes)>"
            if let end = rest.fastRange(of: "</h\(level)>") {
                result += rest[..<end.lowerBound]
                result += "</h\(newLevel)>"
                rest = rest[end.upperBound...]
            }
        }
        result += rest
        return result
    }

    /// Replaces the link placeholders in rendered Markdown with hrefs relative to `page`.
    static func resolveLinks(in html: String, from page: String) -> String {
        resolveLinks(in: html, rootPrefix: rootPrefix(from: page))
    }

    /// The same, for a page whose `rootPrefix` is known. It works on the UTF-8 bytes: every byte it looks for
    /// is ASCII, and the placeholders are written by `LinkRules`, so kinds and ids are ASCII too. (It ran for
    /// every body on every page, and `Character` steps through a `Substring` made it 7 % of a build.)
    static func resolveLinks(in html: String, rootPrefix prefix: String) -> String {
        let original = html
        var html = html
        return html.withUTF8 { bytes in
            let scheme = Array(LinkRules.placeholderScheme.utf8)
            guard var found = ByteSearch.first(scheme, in: bytes) else { return original }
            let quote = UInt8(ascii: "\""), slash = UInt8(ascii: "/"), hash = UInt8(ascii: "#")
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 256)
            var copied = 0  // bytes before this offset are in `result`, or dropped
            while true {
                let after = found + scheme.count
                if Self.bytes(bytes, before: found, endWith: "href=\"") || Self.bytes(bytes, before: found, endWith: "src=\"") {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<found]))
                    let kindEnd = ByteSearch.first(byte: slash, in: bytes, from: after) ?? bytes.count
                    let kindName = String(decoding: UnsafeBufferPointer(rebasing: bytes[after..<kindEnd]), as: UTF8.self)
                    let afterKind = min(kindEnd + 1, bytes.count)
                    if kindName == "asset" {
                        result.append(contentsOf: prefix.utf8)
                        result.append(contentsOf: "assets/".utf8)
                        copied = afterKind
                    } else if let kind = EntryKind(rawValue: kindName) {
                        var idEnd = afterKind
                        while idEnd < bytes.count, bytes[idEnd] != hash, bytes[idEnd] != quote { idEnd += 1 }
                        let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[afterKind..<idEnd]), as: UTF8.self)
                        result.append(contentsOf: prefix.utf8)
                        result.append(contentsOf: path(kind, id).utf8)
                        copied = idEnd
                    } else {
                        copied = after  // an unknown kind: the scheme goes, the rest stays
                    }
                }
                guard let next = ByteSearch.first(scheme, in: bytes, from: max(after, copied)) else { break }
                found = next
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// Whether the bytes just before `offset` are `suffix`.
    private static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, before offset: Int, endWith suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard offset >= count else { return false }
        let start = suffix.utf8Start
        for index in 0..<count where bytes[offset - count + index] != start[index] { return false }
        return true
    }
}
