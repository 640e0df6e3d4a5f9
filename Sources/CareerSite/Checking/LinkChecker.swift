import Foundation

/// Checks that every internal link and `#anchor` in the built site resolves, before anything is written.
///
/// It reads the `href` and `src` attributes of every HTML page, resolves relative URLs against the page, and
/// checks the target file is part of the site and, for a fragment, that the target has an element with that id.
/// Absolute URLs (`https:`, `mailto:` …) are not followed.
enum LinkChecker {
    struct BrokenLink: Hashable, Sendable, CustomStringConvertible {
        var page: String
        var target: String
        var reason: String
        var description: String { "\(page): broken link '\(target)': \(reason)" }
    }

    /// - Parameter linksFrom: which pages to read links from (default: every HTML page); all files are targets.
    static func check(_ files: [OutputFile], linksFrom: ((String) -> Bool)? = nil) -> [BrokenLink] {
        let paths = Set(files.map(\.path))
        var idsByPage: [String: Set<String>] = [:]
        var linksByPage: [String: [String]] = [:]
        for file in files where file.path.hasSuffix(".html") {
            let html = String(decoding: file.contents, as: UTF8.self)
            idsByPage[file.path] = Set(attributeValues(named: "id", in: html))
            if linksFrom?(file.path) ?? true {
                linksByPage[file.path] = attributeValues(named: "href", in: html) + attributeValues(named: "src", in: html)
            }
        }
        var broken: [BrokenLink] = []
        for (page, links) in linksByPage.sorted(by: { $0.key < $1.key }) {
            for raw in links {
                let link = decodeEntities(raw)
                if link.isEmpty || isExternal(link) { continue }
                let (pathPart, fragment) = split(link)
                let target: String
                if pathPart.isEmpty {
                    target = page
                } else if let resolved = resolve(pathPart, from: page) {
                    target = resolved
                } else {
                    broken.append(BrokenLink(page: page, target: raw, reason: "it leads outside the site"))
                    continue
                }
                guard paths.contains(target) else {
                    broken.append(BrokenLink(page: page, target: raw, reason: "no such file in the site"))
                    continue
                }
                if let fragment, !fragment.isEmpty, target.hasSuffix(".html"), idsByPage[target]?.contains(fragment) != true {
                    broken.append(BrokenLink(page: page, target: raw, reason: "no element with id '\(fragment)' in \(target)"))
                }
            }
        }
        return broken
    }

    static func isExternal(_ link: String) -> Bool {
        guard let colon = link.firstIndex(of: ":") else { return false }
        let scheme = link[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            && !scheme.contains("/")
    }

    private static func split(_ link: String) -> (String, String?) {
        let withoutQuery = link.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let hash = link.firstIndex(of: "#") else { return (String(withoutQuery[0]), nil) }
        let path = String(link[..<hash]).split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return (path, String(link[link.index(after: hash)...]))
    }

    /// Resolves a relative URL against a page path; nil when it climbs above the site root.
    static func resolve(_ relative: String, from page: String) -> String? {
        if relative.hasPrefix("/") { return nil }
        var parts = page.split(separator: "/").map(String.init)
        parts.removeLast()
        for component in relative.split(separator: "/", omittingEmptySubsequences: false) {
            switch component {
            case ".", "": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(percentDecoded(String(component)))
            }
        }
        return parts.joined(separator: "/")
    }

    /// Values of `name="…"` attributes (double-quoted, as the templates and cmark write them).
    static func attributeValues(named name: String, in html: String) -> [String] {
        var values: [String] = []
        let needle = " \(name)=\""
        var rest = html[...]
        while let range = rest.fastRange(of: needle) {
            let after = rest[range.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            values.append(String(after[..<end]))
            rest = after[after.index(after: end)...]
        }
        return values
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    private static func percentDecoded(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}
