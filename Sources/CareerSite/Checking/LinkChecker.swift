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
        check(files, standalone: { _ in false }, linksFrom: linksFrom)
    }

    /// Checks a whole build at once, scanning and settling every page once and in parallel.
    ///
    /// - Parameters:
    ///   - standalone: pages that must stand alone (handouts): their links may reach only their own anchors
    ///     (and absolute URLs); they can still be the target of other pages' links.
    ///   - linksFrom: which of the other pages to read links from (default: all of them).
    static func check(_ files: [OutputFile], standalone: (String) -> Bool, linksFrom: ((String) -> Bool)? = nil) -> [BrokenLink] {
        let pages = files.filter { $0.path.hasSuffix(".html") }.sorted { $0.path < $1.path }
        let isStandalone = pages.map { standalone($0.path) }
        let readsLinks = pages.indices.map { isStandalone[$0] || (linksFrom?(pages[$0].path) ?? true) }
        let early = EarlyCheck(paths: Set(files.map(\.path)))
        let settled = ConcurrentResults<SettledPage>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: pages.count) { index in
            let scan = PageScan(pages[index].contents, links: readsLinks[index])
            settled.set(index, early.settle(scan, page: pages[index].path, standalone: isStandalone[index]))
        }
        let found = settled.values
        return check(settled: pages.indices.map { (pages[$0].path, found[$0]) })
    }

    /// The end of the check, once every page is settled (`EarlyCheck.settle`): each link a page kept, to an anchor
    /// of another page, is looked up in that page's ids. Returns every broken link, in the order of `pages` and,
    /// within a page, in the order of its links.
    static func check(settled pages: [(path: String, page: SettledPage)]) -> [BrokenLink] {
        let idsByPage = Dictionary(pages.map { ($0.path, $0.page.ids) }) { first, _ in first }
        var broken: [BrokenLink] = []
        for (path, page) in pages {
            var found = page.broken
            for index in 0..<page.waiting.count {
                let raw = page.waiting[index]
                guard case .file(let target?, let fragment?) = resolve(link: raw, from: path),
                    idsByPage[target]?.containsSorted(fragment) != true
                else { continue }
                found.append(
                    (
                        page.waitingPositions[index],
                        BrokenLink(page: path, target: raw, reason: "no element with id '\(fragment)' in \(target)")
                    ))
            }
            if found.count > page.broken.count { found.sort { $0.position < $1.position } }
            broken += found.map(\.link)
        }
        return broken
    }

    /// For a link to an anchor of its own page (`#…`), whether the page has it, as `resolve` and the check would
    /// find; nil for any other link. A link with `&` is left to them, as it may hold an entity to decode.
    static func anchorFound(_ link: UnsafeBufferPointer<UInt8>, in ids: PackedStrings) -> Bool? {
        guard link.first == UInt8(ascii: "#"), !link.contains(UInt8(ascii: "&")) else { return nil }
        return link.count == 1 || ids.containsSorted(UnsafeBufferPointer(rebasing: link[1...]))
    }

    /// What is left of a page's scan once its links are checked as far as they can be without the other pages
    /// (`EarlyCheck.settle`): its ids, the links already found broken, and the links to an anchor of another page,
    /// which wait for that page's ids. At 2,000 roles 2,000 of the site's 150,000 links wait.
    struct SettledPage: Sendable {
        /// Sorted, each once (see `PackedStrings.sortedUnique`).
        var ids: PackedStrings
        var broken: [(position: Int, link: BrokenLink)] = []
        var waiting = PackedStrings()
        /// Where each waiting link is among the page's links.
        var waitingPositions: [Int] = []
    }

    /// Checks each page's links as soon as the page is scanned, from any thread, against every path of the site
    /// (all known before the first page is made), so a build keeps only what is left (`SettledPage`), not every
    /// link of every page until the end: those were a quarter of the peak memory of a 2,000-role build.
    final class EarlyCheck: @unchecked Sendable {
        private let paths: Set<String>
        private let lock = NSLock()
        /// Tables of what links resolved to, each used by one thread at a time (`settle` takes one and gives it
        /// back), so a link met before from the same folder is not resolved again.
        private var pool: [LinkMemory] = []

        init(paths: Set<String>) { self.paths = paths }

        /// The links of `scan`, from `page`, checked as far as they can be without the other pages' ids.
        /// `standalone`: the page may only link to its own anchors (and absolute URLs).
        func settle(_ scan: PageScan, page: String, standalone: Bool) -> SettledPage {
            var settled = SettledPage(ids: scan.ids)
            guard scan.readsLinks, !scan.order.isEmpty else { return settled }
            let links = scan.links
            let memory = takeMemory()
            defer { giveBack(memory) }
            // Within a folder a link resolves the same way from every page, so it is remembered by folder. A
            // standalone page's links are resolved each time: what they may reach depends on the page.
            let folder = page.lastIndex(ofASCII: UInt8(ascii: "/")).map { String(page[..<$0]) } ?? ""
            var known = standalone ? KnownLinks() : memory.tables.removeValue(forKey: folder) ?? KnownLinks()
            defer { if !standalone { memory.tables[folder] = known } }
            // What each different link of the page comes to, worked out at its first use.
            var outcomes = [Outcome?](repeating: nil, count: links.count)
            func outcome(_ index: Int) -> Outcome {
                // An anchor in the page itself, the commonest link of all, needs no resolving (see `resolve`).
                if let found = links.withBytes(index, { LinkChecker.anchorFound($0, in: scan.ids) }) {
                    return found ? .fine : .broken("no element with id '\(String(links[index].dropFirst()))' in \(page)")
                }
                let fate: Fate
                if standalone {
                    fate = self.fate(of: links[index], from: page, standalone: true)
                } else {
                    // Looked up by its bytes: most links were met before from the folder.
                    fate = links.withBytes(index) { bytes in
                        known.fate(of: bytes) { self.fate(of: links[index], from: page, standalone: false) }
                    }
                }
                switch fate {
                case .fine: return .fine
                case .outside: return .broken("it leads outside the site")
                case .missing: return .broken("no such file in the site")
                case .anchor(let target, let fragment):
                    let target = target ?? page
                    if target != page { return .waiting }
                    return scan.ids.containsSorted(fragment) ? .fine : .broken("no element with id '\(fragment)' in \(target)")
                }
            }
            for (position, link) in scan.order.enumerated() {
                let index = Int(link)
                let result = outcomes[index] ?? outcome(index)
                outcomes[index] = result
                switch result {
                case .fine: continue
                case .broken(let reason):
                    settled.broken.append((position, BrokenLink(page: page, target: links[index], reason: reason)))
                case .waiting:
                    links.withBytes(index) { settled.waiting.append($0) }
                    settled.waitingPositions.append(position)
                }
            }
            settled.waiting.trim()
            return settled
        }

        /// What a link leads to, as far as the paths of the site tell.
        private func fate(of raw: String, from page: String, standalone: Bool) -> Fate {
            switch resolve(link: raw, from: page) {
            case .ignored: return .fine
            case .outside: return .outside
            case .file(let target, let fragment):
                if let target, standalone ? target != page : !paths.contains(target) { return .missing }
                guard let fragment, !fragment.isEmpty, target?.hasSuffix(".html") ?? true else { return .fine }
                return .anchor(target, fragment: fragment)
            }
        }

        private func takeMemory() -> LinkMemory {
            lock.lock()
            defer { lock.unlock() }
            return pool.popLast() ?? LinkMemory()
        }

        private func giveBack(_ memory: LinkMemory) {
            lock.lock()
            pool.append(memory)
            lock.unlock()
        }
    }

    /// What a link leads to, as far as the paths of the site tell: nothing to check further, a place outside the
    /// site, a file the site does not have, or an anchor of a page (nil for the page itself), which has to be
    /// looked up in that page's ids.
    private enum Fate {
        case fine, outside, missing
        case anchor(String?, fragment: String)
    }

    /// What a link of a page comes to once settled: found, broken (and why), or waiting for another page's ids.
    private enum Outcome {
        case fine, waiting
        case broken(String)
    }

    /// The links met from each folder, and their fate (`KnownLinks`), for one thread at a time.
    private final class LinkMemory {
        var tables: [String: KnownLinks] = [:]
    }

    /// Links met before, and their fate, looked up by their bytes (`UniqueStrings`). As a `[String: Known]`, making a
    /// `String` of each of the 140,000 links of a 2,000-role build to hash it with SipHash was 2.5 % of the build.
    private struct KnownLinks {
        private var links = UniqueStrings()
        private var values: [Fate] = []

        /// The fate of the link with these bytes: as found when it was first met, or else `make`'s, kept for next
        /// time. One look-up either way.
        mutating func fate(of bytes: UnsafeBufferPointer<UInt8>, otherwise make: () -> Fate) -> Fate {
            let (index, added) = links.insert(bytes, hash: UniqueStrings.hash(bytes))
            if added { values.append(make()) }
            return values[index]
        }
    }

    /// What a link in a page points at: nothing to check, a place outside the site, or a file of the site
    /// (nil for the page itself) and an optional fragment.
    private enum Resolution: Sendable {
        case ignored
        case outside
        case file(String?, fragment: String?)
    }

    private static func resolve(link raw: String, from page: String) -> Resolution {
        let link = decodeEntities(raw)
        if link.isEmpty || isExternal(link) { return .ignored }
        let (pathPart, fragment) = split(link)
        if pathPart.isEmpty { return .file(nil, fragment: fragment) }
        guard let target = resolve(pathPart, from: page) else { return .outside }
        return .file(target, fragment: fragment)
    }

    /// The `id`s of a page and, when asked for, the targets of its `href`s and then its `src`s.
    ///
    /// Both lists are `PackedStrings`: a page's ids are kept until the end of the build's check (`SettledPage`), and
    /// as one `String` each, links and ids kept so were half of the peak memory of a build of 10,000 roles.
    struct PageScan: Sendable {
        /// Sorted, each once (see `PackedStrings.sortedUnique`).
        var ids = PackedStrings()
        /// Each different link once, in the order first met: the same links come back again and again (the
        /// whole-framework handout has 36,000 links at 2,000 roles, 2,400 of them different).
        var links = PackedStrings()
        /// The page's links in order (its `href`s, then its `src`s), as positions in `links`.
        var order: [Int32] = []
        /// Whether the links were read (a page whose links are not checked is scanned for its ids only).
        var readsLinks = false

        /// One pass over the page: every `="` (found with memchr on the quote, which is far rarer than the
        /// space) is checked for ` id`, ` href` or ` src` before it.
        init(_ contents: Data, links readLinks: Bool) {
            var scanner = Scanner(links: readLinks)
            contents.withUnsafeBytes { raw in _ = scanner.scan(raw.bindMemory(to: UInt8.self), final: true) }
            self = scanner.finish()
        }

        init(ids: PackedStrings, links: PackedStrings, order: [Int32], readsLinks: Bool) {
            self.ids = ids
            self.links = links
            self.order = order
            self.readsLinks = readsLinks
        }

        /// The link at `position` among the page's links.
        func link(at position: Int) -> String { links[Int(order[position])] }

        /// The same scan over a page that comes in pieces (the whole-framework handout is scanned as it is
        /// written): the result is the same however the page is cut.
        struct Scanner {
            private let readLinks: Bool
            private var links = UniqueStrings()
            private var hrefs: [Int32] = []
            private var sources: [Int32] = []
            private var found = PackedStrings()
            /// Bytes given but not yet scanned past: the few before the next quote to look at (its attribute's
            /// name is read from them), or a value whose closing quote has not come yet.
            private var pending: [UInt8] = []
            /// Where the search for quotes goes on in `pending`.
            private var resume = 0
            /// A value without a closing quote ends the scan, as it does on the whole page.
            private var stopped = false
            /// The most bytes before a quote that the scan reads: ` href=` is six.
            private static let lookBehind = 8

            init(links readLinks: Bool) { self.readLinks = readLinks }

            /// Takes the next piece of the page.
            mutating func feed(_ piece: UnsafeBufferPointer<UInt8>) {
                guard !stopped else { return }
                pending.append(contentsOf: piece)
                let used = pending.withUnsafeBufferPointer { scan($0, final: false) }
                pending.removeFirst(used)
            }

            /// The scan of every piece given.
            mutating func finish() -> PageScan {
                if !stopped { _ = pending.withUnsafeBufferPointer { scan($0, final: true) } }
                var packed = links.strings
                packed.trim()
                return PageScan(ids: found.sortedUnique(), links: packed, order: hrefs + sources, readsLinks: readLinks)
            }

            /// Scans `bytes` from `resume`; unless `final`, returns how many bytes from the start are done with
            /// (and sets `resume` for the rest).
            fileprivate mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) -> Int {
                var from = resume
                while let quote = ByteSearch.first(byte: UInt8(ascii: "\""), in: bytes, from: from) {
                    from = quote + 1
                    guard quote > 0, bytes[quote - 1] == UInt8(ascii: "=") else { continue }
                    func named(_ name: StaticString) -> Bool {
                        let count = name.utf8CodeUnitCount
                        let start = quote - 1 - count
                        return start >= 1 && bytes[start - 1] == UInt8(ascii: " ")
                            && ByteSearch.matches(name, in: bytes, at: start)
                    }
                    let isID = named("id")
                    let isHref = !isID && readLinks && named("href")
                    let isSource = !isID && !isHref && readLinks && named("src")
                    guard isID || isHref || isSource else { continue }
                    // The closing quote with memchr too: a loop over the values' bytes was 40 % of the scan.
                    let end = ByteSearch.first(byte: UInt8(ascii: "\""), in: bytes, from: quote + 1) ?? bytes.count
                    guard end < bytes.count else {
                        if final {
                            stopped = true
                            return bytes.count
                        }
                        // Wait for the rest of the value, keeping the name before it.
                        let kept = max(0, quote - Self.lookBehind)
                        resume = quote - kept
                        return kept
                    }
                    let value = UnsafeBufferPointer(rebasing: bytes[(quote + 1)..<end])
                    if isID {
                        found.append(value)
                    } else {
                        let index = Int32(links.insert(value, hash: UniqueStrings.hash(value)).index)
                        if isHref { hrefs.append(index) } else { sources.append(index) }
                    }
                    from = end + 1
                }
                if final { return bytes.count }
                // No quote left to look at before the end: keep the last bytes, which a quote in the next piece may
                // need to read its name from.
                let kept = max(0, bytes.count - Self.lookBehind)
                resume = max(from, kept) - kept
                return kept
            }
        }
    }

    static func isExternal(_ link: String) -> Bool {
        // The usual case, an ASCII scheme or none, is decided on the bytes; Character's Unicode properties are
        // looked up only when a non-ASCII byte comes before the first colon.
        var length = 0
        for byte in link.utf8 {
            switch byte {
            case UInt8(ascii: ":"): return length > 0
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                length += 1
            case 0x80...: return isExternalScheme(link)
            default:
                // Any other ASCII byte before the colon (a slash among them) means there is no scheme; without a
                // colon at all, there is none either.
                return false
            }
        }
        return false
    }

    private static func isExternalScheme(_ link: String) -> Bool {
        guard let colon = link.firstIndex(of: ":") else { return false }
        let scheme = link[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            && !scheme.contains("/")
    }

    /// A link's path (before any `?` or `#`) and its fragment (after the first `#`), split on bytes.
    private static func split(_ link: String) -> (String, String?) {
        let hash = link.firstIndex(ofASCII: UInt8(ascii: "#"))
        let beforeHash = link[..<(hash ?? link.endIndex)]
        let path = String(beforeHash[..<(beforeHash.firstIndex(ofASCII: UInt8(ascii: "?")) ?? beforeHash.endIndex)])
        return (path, hash.map { String(link[link.utf8.index(after: $0)...]) })
    }

    /// Resolves a relative URL against a page path; nil when it climbs above the site root.
    ///
    /// It works on the UTF-8 bytes: `/` is ASCII, so the parts are those of splitting on the character, and only a
    /// part with a `%` is made a `String` of its own to be percent-decoded.
    static func resolve(_ relative: String, from page: String) -> String? {
        var relative = relative
        var page = page
        return relative.withUTF8 { link -> String? in
            if link.first == UInt8(ascii: "/") { return nil }
            return page.withUTF8 { pageBytes -> String? in
                // The result so far, and where each of its parts starts (just after the slash before it). Plain
                // loops rather than a closure per part: the closures' captured state cost 4,700 instructions a link.
                var result = PathBuilder(capacity: pageBytes.count + link.count)
                // The page's folder: its parts without empty ones, but the last.
                var start = 0
                while start <= pageBytes.count {
                    let end = ByteSearch.first(byte: UInt8(ascii: "/"), in: pageBytes, from: start) ?? pageBytes.count
                    if end > start { result.push(UnsafeBufferPointer(rebasing: pageBytes[start..<end])) }
                    start = end + 1
                }
                result.pop()
                start = 0
                while start <= link.count {
                    let end = ByteSearch.first(byte: UInt8(ascii: "/"), in: link, from: start) ?? link.count
                    let part = UnsafeBufferPointer(rebasing: link[start..<end])
                    start = end + 1
                    switch part.count {
                    case 0: continue
                    case 1 where part[0] == UInt8(ascii: "."): continue
                    case 2 where part[0] == UInt8(ascii: ".") && part[1] == UInt8(ascii: "."):
                        guard result.pop() else { return nil }
                    default:
                        if part.contains(UInt8(ascii: "%")) {
                            var decoded = percentDecoded(String(decoding: part, as: UTF8.self))
                            decoded.withUTF8 { result.push($0) }
                        } else {
                            result.push(part)
                        }
                    }
                }
                return String(decoding: result.bytes, as: UTF8.self)
            }
        }
    }

    /// A path made a part at a time: parts joined by `/`, the last of them removable.
    private struct PathBuilder {
        private(set) var bytes: [UInt8] = []
        /// Where each part starts (just after the slash before it).
        private var starts: [Int] = []

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
            starts.reserveCapacity(8)
        }

        mutating func push(_ part: UnsafeBufferPointer<UInt8>) {
            if !starts.isEmpty { bytes.append(UInt8(ascii: "/")) }
            starts.append(bytes.count)
            bytes.append(contentsOf: part)
        }

        /// Removes the last part (and the slash before it); false when there is none.
        @discardableResult mutating func pop() -> Bool {
            guard let last = starts.popLast() else { return false }
            bytes.removeSubrange(max(0, last - 1)...)
            return true
        }
    }

    /// Values of `name="…"` attributes (double-quoted, as the templates and cmark write them).
    static func attributeValues(named name: String, in html: String) -> [String] {
        var html = html
        return html.withUTF8 { attributeValues(named: name, in: $0) }
    }

    static func attributeValues(named name: String, in bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var values: [String] = []
        let needle = Array(" \(name)=\"".utf8)
        var from = 0
        while let start = ByteSearch.first(needle, in: bytes, from: from) {
            let valueStart = start + needle.count
            var end = valueStart
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            guard end < bytes.count else { break }
            values.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<end]), as: UTF8.self))
            from = end + 1
        }
        return values
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.firstIndex(ofASCII: UInt8(ascii: "&")) != nil else { return text }
        // One pass over the bytes. Replacing each entity in turn (`&amp;` last) gives the same text, since no
        // replacement can complete another entity; Foundation's search made this 1 % of a build.
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&"), let (decoded, length) = entity(in: bytes, at: index) {
                result.append(decoded)
                index += length
            } else {
                result.append(byte)
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The character of the entity (one of the five that `HTML.escape` and cmark write) at `index`, and its length.
    private static func entity(in bytes: [UInt8], at index: Int) -> (UInt8, Int)? {
        let entities: [(name: StaticString, byte: UInt8)] = [
            ("&quot;", UInt8(ascii: "\"")), ("&#39;", UInt8(ascii: "'")), ("&lt;", UInt8(ascii: "<")), ("&gt;", UInt8(ascii: ">")),
            ("&amp;", UInt8(ascii: "&")),
        ]
        for (name, byte) in entities where ByteSearch.matches(name, in: bytes, at: index) {
            return (byte, name.utf8CodeUnitCount)
        }
        return nil
    }

    private static func percentDecoded(_ text: String) -> String {
        // Foundation's decoding is slow, and text without a `%` decodes to itself.
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return text.removingPercentEncoding ?? text
    }
}

/// Short strings stored end to end in one buffer, with where each ends: far smaller than as separate `String`s, each
/// of which (past 15 bytes) is an allocation of its own with a header.
struct PackedStrings: Sendable {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { ends.count }

    /// The string at `index` (valid UTF-8 is expected; any other bytes are repaired as `String(decoding:)` does).
    subscript(index: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range(index)]), as: UTF8.self) }
    }

    mutating func append(_ value: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: value)
        ends.append(bytes.count)
    }

    mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { append($0) }
    }

    mutating func append(contentsOf other: PackedStrings) {
        let offset = bytes.count
        bytes += other.bytes
        ends += other.ends.map { $0 + offset }
    }

    /// Gives back the room the buffers grew into beyond what they hold.
    mutating func trim() {
        // An array made from a buffer is allocated for exactly its count.
        if bytes.capacity > bytes.count { bytes = bytes.withUnsafeBufferPointer { Array($0) } }
        if ends.capacity > ends.count { ends = ends.withUnsafeBufferPointer { Array($0) } }
    }

    /// The same strings sorted by their bytes, each once, for `containsSorted`.
    func sortedUnique() -> PackedStrings {
        bytes.withUnsafeBufferPointer { buffer in
            let order = ends.indices.sorted { Self.compare(buffer, range($0), range($1)) < 0 }
            var result = PackedStrings()
            result.bytes.reserveCapacity(bytes.count)
            result.ends.reserveCapacity(ends.count)
            var previous: Range<Int>?
            for index in order {
                let current = range(index)
                if let previous, Self.compare(buffer, previous, current) == 0 { continue }
                result.append(UnsafeBufferPointer(rebasing: buffer[current]))
                previous = current
            }
            result.trim()
            return result
        }
    }

    /// The bytes of the string at `index`, for the time of `body`.
    func withBytes<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range(index)])) }
    }

    /// Whether `value` is one of the strings, byte for byte (as a browser matches a fragment to an id), on a list
    /// from `sortedUnique`.
    func containsSorted(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { containsSorted($0) }
    }

    /// The same for the bytes of a string.
    func containsSorted(_ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var low = 0
            var high = ends.count
            while low < high {
                let middle = (low + high) / 2
                let order = Self.compare(UnsafeBufferPointer(rebasing: buffer[range(middle)]), wanted)
                if order == 0 { return true }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return false
        }
    }

    private func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }

    private static func compare(_ buffer: UnsafeBufferPointer<UInt8>, _ first: Range<Int>, _ second: Range<Int>) -> Int {
        compare(UnsafeBufferPointer(rebasing: buffer[first]), UnsafeBufferPointer(rebasing: buffer[second]))
    }

    /// Byte order: the first differing byte decides, then the length.
    private static func compare(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(first.count, second.count)
        if common > 0, let a = first.baseAddress, let b = second.baseAddress {
            let order = memcmp(a, b, common)
            if order != 0 { return Int(order) }
        }
        return first.count - second.count
    }
}

/// Strings kept once each, in the order first given (`strings`), and found again by their bytes: an
/// open-addressing table of FNV-1a hashes over `PackedStrings`.
struct UniqueStrings {
    private(set) var strings = PackedStrings()
    private var hashes: [Int] = []
    /// Indices into `strings` (-1 for none), at most half full; the size is a power of two.
    private var slots = [Int32](repeating: -1, count: 16)

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int { FNV1a.hash(bytes) }

    var count: Int { strings.count }

    /// The index of the string with these bytes (whose `hash(_:)` is `hash`), if it was given.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: Int) -> Int? {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if hashes[index] == hash, strings.withBytes(index, { ByteSearch.equal($0, bytes) }) { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The index of the string with these bytes (whose `hash(_:)` is `hash`), and whether it was added, at the end,
    /// because it was not given before.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: Int) -> (index: Int, added: Bool) {
        if let index = find(bytes, hash: hash) { return (index, false) }
        let index = strings.count
        strings.append(bytes)
        hashes.append(hash)
        if 2 * hashes.count > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for earlier in hashes.indices { place(earlier) }
        } else {
            place(index)
        }
        return (index, true)
    }

    private mutating func place(_ index: Int) {
        let mask = slots.count - 1
        var slot = hashes[index] & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }
}
