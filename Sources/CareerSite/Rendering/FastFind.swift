extension Substring {
    /// The first occurrence of an ASCII `needle`, searched over UTF-8 bytes.
    ///
    /// Foundation's `range(of:)` on a `Substring` recomputes UTF-16 offsets on every call, which made the
    /// scanning loops over whole pages quadratic; this search is linear. The needle must be ASCII, so every
    /// match starts and ends on a character boundary of the text.
    func fastRange(of needle: String) -> Range<Index>? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        let bytes = utf8
        var start = bytes.startIndex
        while let candidate = bytes[start...].firstIndex(of: first) {
            var cursor = candidate
            var matched = true
            for byte in pattern {
                guard cursor < bytes.endIndex, bytes[cursor] == byte else {
                    matched = false
                    break
                }
                cursor = bytes.index(after: cursor)
            }
            if matched { return candidate..<cursor }
            start = bytes.index(after: candidate)
        }
        return nil
    }
}

extension String {
    func fastRange(of needle: String) -> Range<Index>? { self[...].fastRange(of: needle) }
}
