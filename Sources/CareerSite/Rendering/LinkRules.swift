/// Decides what each Markdown link destination becomes, and reports the ones that cannot work.
///
/// - `kind:id[#fragment]` must name an existing entry; it becomes a placeholder that `SiteURLs` resolves
///   per page, so one rendering of the Markdown serves pages at any depth.
/// - `assets/…` must name a file under `Content/assets/`; it becomes a placeholder too.
/// - `https:`, `http:`, `mailto:`, `tel:` and `#fragment` pass through.
/// - `javascript:`, `vbscript:`, `data:` and `file:` are removed, with a warning.
/// - anything else (relative paths, other schemes) is an error: it would break on some page or host.
enum LinkRules {
    /// Prefix of the placeholders in rendered HTML; reserved, so authors cannot write it.
    static let placeholderScheme = "x-careers:"

    static func rewrite(
        _ link: MarkdownRenderer.Link, known: [EntryKind: Set<String>], assets: Set<String>, diagnostics: inout [Diagnostic]
    ) -> MarkdownRenderer.Rewrite {
        var destination = link.destination
        if destination.isEmpty || destination.hasPrefix("#") { return .keep }
        // Most links name an entry (`role:x`); no other rule can match those, so they skip the scheme checks. They
        // are read on the bytes: as `String` and `Substring` operations, each cost 6,500 instructions.
        if let entryLink = destination.withUTF8({ entry($0, link: link, known: known, diagnostics: &diagnostics) }) {
            return entryLink
        }
        let colon = destination.firstIndex(ofASCII: UInt8(ascii: ":"))
        let lowered = destination.lowercased()
        for scheme in ["https:", "http:", "mailto:", "tel:"] where lowered.hasPrefix(scheme) { return .keep }
        let unsafe = ["javascript:", "vbscript:", "data:", "file:"]
        let compact = lowered.filter { !$0.isWhitespace }
        if let scheme = unsafe.first(where: { compact.hasPrefix($0) }) {
            diagnostics.append(.warning("unsafe \(scheme) link removed", at: link.location))
            return .replace(with: "")
        }
        if lowered.hasPrefix(placeholderScheme) {
            diagnostics.append(.error("'\(placeholderScheme)' links are reserved for the generator", at: link.location))
            return .replace(with: "")
        }
        if destination.hasPrefix("assets/") {
            let path = String(destination.dropFirst("assets/".count).prefix { $0 != "#" && $0 != "?" })
            guard assets.contains(path) else {
                diagnostics.append(
                    .error("unknown asset '\(destination.prefix(120))': no such file under the content folder's assets/", at: link.location)
                )
                return .replace(with: "")
            }
            return .replace(with: placeholderScheme + "asset/" + destination.dropFirst("assets/".count))
        }
        if let colon {
            let prefix = String(destination[..<colon])
            if !prefix.isEmpty, prefix.allSatisfy({ $0.isLetter || $0 == "-" }) {
                let kinds = EntryKind.allCases.map(\.rawValue)
                let hint = Suggestions.hint(for: prefix, in: kinds)
                diagnostics.append(
                    .error(
                        "unsupported link '\(destination.prefix(120))'\(hint): link to entries as kind:id (\(kinds.joined(separator: ", "))) or to a full https:// address",
                        at: link.location))
                return .replace(with: "")
            }
        }
        diagnostics.append(
            .error(
                "unsupported link '\(destination.prefix(120))': relative links break between pages; link to entries as kind:id (for example role:district-nurse), to assets/<file>, or to a full https:// address",
                at: link.location))
        return .replace(with: "")
    }

    /// A `kind:id[#fragment]` link, given as its UTF-8 bytes: the entry must exist. Nil when the text before the
    /// first `:` is not a kind of entry.
    private static func entry(
        _ bytes: UnsafeBufferPointer<UInt8>, link: MarkdownRenderer.Link, known: [EntryKind: Set<String>],
        diagnostics: inout [Diagnostic]
    ) -> MarkdownRenderer.Rewrite? {
        guard let colon = ByteSearch.first(byte: UInt8(ascii: ":"), in: bytes) else { return nil }
        let name = UnsafeBufferPointer(rebasing: bytes[..<colon])
        guard let kind = EntryKind.allCases.first(where: { $0.rawValue.utf8.elementsEqual(name) }) else { return nil }
        let hash = ByteSearch.first(byte: UInt8(ascii: "#"), in: bytes, from: colon + 1) ?? bytes.count
        let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[(colon + 1)..<hash]), as: UTF8.self)
        guard known[kind]?.contains(id) == true else {
            let hint = Suggestions.hint(for: id, in: (known[kind] ?? []).sorted())
            diagnostics.append(
                .error("unknown \(kind.rawValue) '\(id.prefix(80))' in link '\(link.destination.prefix(120))'\(hint)", at: link.location))
            return .replace(with: "")
        }
        // The placeholder is the destination after the scheme, with its `:` made a `/`: `x-careers:kind/id#fragment`.
        var scheme = placeholderScheme
        let replacement = scheme.withUTF8 { scheme in
            String(unsafeUninitializedCapacity: scheme.count + bytes.count) { output in
                _ = output.initialize(from: scheme)
                _ = UnsafeMutableBufferPointer(rebasing: output[scheme.count...]).initialize(from: bytes)
                output[scheme.count + colon] = UInt8(ascii: "/")
                return scheme.count + bytes.count
            }
        }
        return .replace(with: replacement)
    }
}
