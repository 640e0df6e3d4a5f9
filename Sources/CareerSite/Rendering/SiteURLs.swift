import Foundation

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
        // The slashes counted in the bytes (stepping through the UTF-8 view and making the string each time cost
        // 1,600 instructions a call); the prefixes of the usual depths are made once.
        var page = page
        let depth = page.withUTF8 { bytes in bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) } }
        return depth < prefixes.count ? prefixes[depth] : String(repeating: "../", count: depth)
    }

    private static let prefixes = (0..<4).map { String(repeating: "../", count: $0) }

    /// The href from `page` to `target` (both site-root-relative paths).
    static func href(to target: String, from page: String) -> String {
        rootPrefix(from: page) + target
    }

    /// The anchor of an entry's section in the whole-framework handout (`role-district-nurse`).
    static func anchor(_ kind: EntryKind, _ id: String) -> String { "\(kind.rawValue)-\(id)" }

    /// Replaces the link placeholders with anchors in one document: `#kind-id`, or `#kind-id--fragment`
    /// (headings inside an entry's body are prefixed the same way by `prefixHeadingIDs`). Works on UTF-8 bytes,
    /// as `resolveLinks` does.
    static func resolveLinksToAnchors(in html: String) -> String {
        guard html.fastRange(of: LinkRules.placeholderScheme) != nil else { return html }
        var html = html
        return html.withUTF8 { String(decoding: linksToAnchors($0), as: UTF8.self) }
    }

    /// An entry's rendered Markdown as the whole-framework handout shows it, as bytes: links resolved to anchors
    /// (`resolveLinksToAnchors`), then heading ids prefixed (`prefixHeadingIDs`). Every body of the handout goes
    /// through both, and making a `String` after each checked every byte of it twice more.
    static func handoutBody(_ html: String, prefix: String, demote: Int) -> Data {
        var html = html
        return html.withUTF8 { bytes in
            linksToAnchors(bytes).withUnsafeBufferPointer { Data(headingIDsPrefixed($0, prefix: prefix, demote: demote)) }
        }
    }

    /// `resolveLinksToAnchors` on UTF-8 bytes.
    private static func linksToAnchors(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        do {
            let marker = Array(("href=\"" + LinkRules.placeholderScheme).utf8)
            let quote = UInt8(ascii: "\""), slash = UInt8(ascii: "/"), hash = UInt8(ascii: "#")
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 256)
            var copied = 0
            while let found = ByteSearch.first(marker, in: bytes, from: copied) {
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<found]))
                let start = found + marker.count
                let end = ByteSearch.first(byte: quote, in: bytes, from: start) ?? bytes.count
                let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let kindEnd = ByteSearch.first(byte: slash, in: value).map { start + $0 } ?? end
                let kindName = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<kindEnd]), as: UTF8.self)
                let afterKind = min(kindEnd + 1, end)
                let idEnd =
                    ByteSearch.first(byte: hash, in: UnsafeBufferPointer(rebasing: bytes[afterKind..<end])).map { afterKind + $0 } ?? end
                result.append(contentsOf: "href=\"".utf8)
                if let kind = EntryKind(rawValue: kindName) {
                    result.append(UInt8(ascii: "#"))
                    result.append(contentsOf: kind.rawValue.utf8)
                    result.append(UInt8(ascii: "-"))
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[afterKind..<idEnd]))
                    if idEnd + 1 < end {
                        result.append(contentsOf: "--".utf8)
                        result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(idEnd + 1)..<end]))
                    }
                } else if kindName == "asset" {
                    result.append(contentsOf: "assets/".utf8)
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[afterKind..<end]))
                }
                copied = end
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return result
        }
    }

    /// Prefixes the ids of headings in rendered Markdown (`<h2 id="pay">` -> `<h2 id="role-x--pay">`) and
    /// moves them `demote` levels down, so many bodies can share one document. Works on UTF-8 bytes.
    static func prefixHeadingIDs(in html: String, prefix: String, demote: Int) -> String {
        guard html.fastRange(of: "<h") != nil else { return html }
        var html = html
        return html.withUTF8 { String(decoding: headingIDsPrefixed($0, prefix: prefix, demote: demote), as: UTF8.self) }
    }

    /// `prefixHeadingIDs` on UTF-8 bytes.
    private static func headingIDsPrefixed(_ bytes: UnsafeBufferPointer<UInt8>, prefix: String, demote: Int) -> [UInt8] {
        do {
            let openMarker = Array("<h".utf8)
            let idMarker = Array(" id=\"".utf8)
            let greater = UInt8(ascii: ">")
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 256)
            var copied = 0
            while let open = ByteSearch.first(openMarker, in: bytes, from: copied),
                let close = ByteSearch.first(byte: greater, in: bytes, from: open)
            {
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<open]))
                copied = close + 1
                let digit = open + 2 < bytes.count ? bytes[open + 2] : 0
                let after = open + 3 <= close ? bytes[open + 3] : 0
                guard (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(digit), after == UInt8(ascii: " ") || after == greater else {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[open...close]))
                    continue
                }
                let level = Int(digit - UInt8(ascii: "0"))
                let newLevel = min(level + demote, 6)
                result.append(contentsOf: "<h\(newLevel)".utf8)
                // The attributes, with every ` id="` followed by the prefix.
                let attributes = UnsafeBufferPointer(rebasing: bytes[(open + 3)..<close])
                var from = 0
                while let id = ByteSearch.first(idMarker, in: attributes, from: from) {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: attributes[from..<(id + idMarker.count)]))
                    result.append(contentsOf: prefix.utf8)
                    result.append(contentsOf: "--".utf8)
                    from = id + idMarker.count
                }
                result.append(contentsOf: UnsafeBufferPointer(rebasing: attributes[from...]))
                result.append(greater)
                if let end = ByteSearch.first(Array("</h\(level)>".utf8), in: bytes, from: copied) {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<end]))
                    result.append(contentsOf: "</h\(newLevel)>".utf8)
                    copied = end + 5
                }
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return result
        }
    }

    /// Replaces the link placeholders in rendered Markdown with hrefs relative to `page`.
    static func resolveLinks(in html: String, from page: String) -> String {
        resolveLinks(in: html, rootPrefix: rootPrefix(from: page))
    }

    /// The same, for a page whose `rootPrefix` is known. It works on the UTF-8 bytes: every byte it looks for
    /// is ASCII, and the placeholders are written by `LinkRules`, so kinds and ids are ASCII too. (It ran for
    /// every body on every page, and `Character` steps through a `Substring` made it 7 % of a build.)
    static func resolveLinks(in html: String, rootPrefix prefix: String) -> String {
        let sink = ByteSink(capacity: html.utf8.count + 256)
        guard resolveLinks(in: html, rootPrefix: prefix, into: sink) else { return html }
        return String(decoding: sink.takeData(), as: UTF8.self)
    }

    /// The same for a template: the text itself when it has no placeholder, otherwise the result's bytes
    /// (`RenderedHTML`), which need no `String` (making one validated every byte of every body again).
    static func resolvedLinks(in html: String, rootPrefix prefix: String) -> any TemplateData & Sendable {
        let sink = ByteSink(capacity: html.utf8.count + 256)
        guard resolveLinks(in: html, rootPrefix: prefix, into: sink) else { return RawHTML(html) }
        return RenderedHTML(sink.takeData())
    }

    /// Writes `html` with its placeholders resolved into `sink`; writes nothing and returns false when it has
    /// none.
    private static func resolveLinks(in html: String, rootPrefix prefix: String, into result: ByteSink) -> Bool {
        var html = html
        return html.withUTF8 { bytes in
            let scheme = Array(LinkRules.placeholderScheme.utf8)
            guard var found = ByteSearch.first(scheme, in: bytes) else { return false }
            let quote = UInt8(ascii: "\""), slash = UInt8(ascii: "/"), hash = UInt8(ascii: "#")
            var copied = 0  // bytes before this offset are in `result`, or dropped
            while true {
                let after = found + scheme.count
                if Self.bytes(bytes, before: found, endWith: "href=\"") || Self.bytes(bytes, before: found, endWith: "src=\"") {
                    result.append(UnsafeBufferPointer(rebasing: bytes[copied..<found]))
                    let kindEnd = ByteSearch.first(byte: slash, in: bytes, from: after) ?? bytes.count
                    let kindName = String(decoding: UnsafeBufferPointer(rebasing: bytes[after..<kindEnd]), as: UTF8.self)
                    let afterKind = min(kindEnd + 1, bytes.count)
                    if kindName == "asset" {
                        result.append(prefix)
                        result.append("assets/")
                        copied = afterKind
                    } else if let kind = EntryKind(rawValue: kindName) {
                        var idEnd = afterKind
                        while idEnd < bytes.count, bytes[idEnd] != hash, bytes[idEnd] != quote { idEnd += 1 }
                        let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[afterKind..<idEnd]), as: UTF8.self)
                        result.append(prefix)
                        result.append(path(kind, id))
                        copied = idEnd
                    } else {
                        copied = after  // an unknown kind: the scheme goes, the rest stays
                    }
                }
                guard let next = ByteSearch.first(scheme, in: bytes, from: max(after, copied)) else { break }
                found = next
            }
            result.append(UnsafeBufferPointer(rebasing: bytes[copied...]))
            return true
        }
    }

    /// Whether the bytes just before `offset` are `suffix`.
    private static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, before offset: Int, endWith suffix: StaticString) -> Bool {
        offset >= suffix.utf8CodeUnitCount && ByteSearch.matches(suffix, in: bytes, at: offset - suffix.utf8CodeUnitCount)
    }
}
