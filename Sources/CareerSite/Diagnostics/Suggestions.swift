/// Finds the nearest known name to a misspelt one, for "did you mean …?" hints.
enum Suggestions {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo.
    static func nearest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let word = word.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, candidate.lowercased())
            if let current = best, distance > current.distance || (distance == current.distance && candidate >= current.name) {
                continue
            }
            best = (candidate, distance)
        }
        guard let best else { return nil }
        let limit = max(2, min(word.count, best.name.count) / 3)
        return best.distance <= limit ? best.name : nil
    }

    /// " (did you mean 'x'?)" or an empty string.
    static func hint<S: Sequence>(for word: String, in candidates: S) -> String where S.Element == String {
        guard let match = nearest(to: word, in: candidates) else { return "" }
        return " (did you mean '\(match)'?)"
    }

    /// Levenshtein distance over Unicode scalars, with an early bound for long inputs.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars.prefix(256))
        let b = Array(b.unicodeScalars.prefix(256))
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
