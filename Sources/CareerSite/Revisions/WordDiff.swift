/// A word-level comparison of two texts, for showing how a summary, descriptor or body was reworded.
///
/// Texts are split into tokens that are a run of whitespace, a word, or one punctuation character, so joining
/// the tokens gives back the text exactly. The token sequences are compared with Myers' algorithm (a shortest
/// edit script, so a longest common subsequence), after trimming the common prefix and suffix. The result is
/// tidied for reading: whitespace and punctuation that sit alone between two changes are folded into them, and
/// each run of changes becomes one deleted segment followed by one inserted segment.
///
/// The cost is bounded. Myers' algorithm takes O((n + m) · D) time and O(D²) memory, where D is the number of
/// tokens deleted and inserted. When D would exceed `maximumEdits` (the texts were rewritten rather than edited,
/// and they are long), the differing middle is shown as one whole replacement instead.
public enum WordDiff {
    /// A run of text that is in both texts, only in the new one, or only in the old one.
    ///
    /// Joining the `equal` and `deleted` segments in order gives the old text; joining the `equal` and
    /// `inserted` segments gives the new text.
    public struct Segment: Hashable, Sendable, CustomStringConvertible {
        public enum Kind: String, Hashable, Sendable {
            case equal, inserted, deleted
        }

        public var kind: Kind
        public var text: String

        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }

        public var description: String {
            switch kind {
            case .equal: text
            case .inserted: "{+\(text)+}"
            case .deleted: "[-\(text)-]"
            }
        }
    }

    /// Past this many deleted and inserted tokens, the differing middle becomes a whole replacement.
    public static let defaultMaximumEdits = 1000

    /// The segments that turn `old` into `new`; empty when both texts are empty.
    public static func diff(old: String, new: String, maximumEdits: Int = defaultMaximumEdits) -> [Segment] {
        if old == new { return old.isEmpty ? [] : [Segment(.equal, old)] }
        let oldTokens = tokens(old)
        let newTokens = tokens(new)
        let (a, b) = interned(oldTokens, newTokens)
        var operations: [(Segment.Kind, Substring)] = []
        var oldIndex = 0
        var newIndex = 0
        for step in steps(a, b, maximumEdits: maximumEdits) {
            switch step {
            case .equal:
                operations.append((.equal, oldTokens[oldIndex]))
                oldIndex += 1
                newIndex += 1
            case .deleted:
                operations.append((.deleted, oldTokens[oldIndex]))
                oldIndex += 1
            case .inserted:
                operations.append((.inserted, newTokens[newIndex]))
                newIndex += 1
            }
        }
        shiftToBoundaries(&operations)
        return tidy(operations)
    }

    /// Splits text into tokens: runs of whitespace, words (letters and digits, with any hyphen or apostrophe
    /// between two of them, as in `long-term` or `don't`), and single other characters (punctuation). Joining the
    /// tokens gives the text back.
    static func tokens(_ text: String) -> [Substring] {
        enum Class { case space, word, other }
        func isWord(_ character: Character) -> Bool { character.isLetter || character.isNumber }
        var result: [Substring] = []
        var start = text.startIndex
        var current: Class?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            var kind: Class = character.isWhitespace ? .space : isWord(character) ? .word : .other
            if kind == .other, current == .word, "-'’".contains(character) {
                let next = text.index(after: index)
                if next < text.endIndex, isWord(text[next]) { kind = .word }
            }
            if let current, current != kind || kind == .other {
                result.append(text[start..<index])
                start = index
            }
            current = kind
            index = text.index(after: index)
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result
    }

    /// The words of a text (its non-whitespace tokens).
    static func words(_ text: String) -> [Substring] {
        // ASCII text is split on its bytes: the same words (in ASCII, only tab, line feed, vertical tab, form feed,
        // carriage return and space are whitespace, and no character combines with them), at a fraction of the
        // cost of reading it as characters.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) }).map { Substring($0) }
        }
        return text.split(whereSeparator: \.isWhitespace)
    }

    /// How alike two texts are, from 0 (no word in common) to 1 (the same words in the same order): twice the
    /// number of words in their longest common subsequence, over the total number of words. Words are compared
    /// case-insensitively. Two empty texts are alike (1).
    ///
    /// Texts too different in length, or whose shared vocabulary alone cannot reach `atLeast`, are rejected early
    /// (returning an upper bound below `atLeast`), so comparing many unrelated texts stays cheap.
    static func similarity(_ old: String, _ new: String, atLeast threshold: Double = 0) -> Double {
        var vocabulary = Vocabulary()
        return similarity(vocabulary.prepare(old), vocabulary.prepare(new), atLeast: threshold)
    }

    /// The same for two texts prepared with one `Vocabulary`.
    static func similarity(_ a: PreparedText, _ b: PreparedText, atLeast threshold: Double = 0) -> Double {
        let total = a.codes.count + b.codes.count
        guard total > 0 else { return 1 }
        // No more words can be shared than the shorter text has.
        let lengthBound = Double(2 * min(a.codes.count, b.codes.count)) / Double(total)
        guard lengthBound >= threshold else { return lengthBound }
        // The words both bags hold, counted by merging them; the merge stops as soon as the words left cannot
        // bring the count up to what `threshold` needs (less a hair, so that rounding cannot reject a pair).
        let needed = Int((threshold * Double(total) / 2 - 1e-9).rounded(.up))
        var shared = 0
        var i = 0
        var j = 0
        while i < a.bag.count, j < b.bag.count {
            if a.bag[i] == b.bag[j] {
                shared += 1
                i += 1
                j += 1
                continue
            }
            if a.bag[i] < b.bag[j] { i += 1 } else { j += 1 }
            let possible = shared + min(a.bag.count - i, b.bag.count - j)
            if possible < needed { return Double(2 * possible) / Double(total) }
        }
        let bound = Double(2 * shared) / Double(total)
        guard bound >= threshold, shared > 0 else { return bound }
        // The words in order, as `steps` finds them: more than `total - 2 * needed` edits cannot reach `threshold`,
        // so the search stops there (a diff past `defaultMaximumEdits` keeps only the common prefix and suffix).
        let a = a.codes
        let b = b.codes
        let (prefix, suffix, oldMiddle, newMiddle) = commonEnds(a, b)
        var common = prefix + suffix
        if let edits = editDistance(oldMiddle, newMiddle, maximumEdits: min(defaultMaximumEdits, max(total - 2 * needed, 0))) {
            common += (oldMiddle.count + newMiddle.count - edits) / 2
        }
        return Double(2 * common) / Double(total)
    }

    /// A text made ready for `similarity`: its lowercased words as numbers (`codes`), and the same numbers sorted,
    /// its bag of words. Comparing one text with many others (as rename detection does) then splits and lowercases
    /// each text once, and the shared vocabulary of two texts is a merge of two sorted lists.
    struct PreparedText: Sendable {
        let codes: [Int]
        let bag: [Int]
    }

    /// Numbers for words, the same number for the same word, for the texts `similarity` compares.
    struct Vocabulary {
        private var codes: [String: Int] = [:]

        mutating func prepare(_ text: String) -> PreparedText {
            let codes = words(text.lowercased()).map { word in
                let key = String(word)
                if let code = self.codes[key] { return code }
                let code = self.codes.count
                self.codes[key] = code
                return code
            }
            return PreparedText(codes: codes, bag: codes.sorted())
        }
    }

    /// A shorter copy for display: in each unchanged run, only `context` words next to a change are kept and the
    /// rest becomes `…`. Runs with no more than twice that many words stay whole.
    public static func excerpt(_ segments: [Segment], context: Int = 8) -> [Segment] {
        guard segments.contains(where: { $0.kind != .equal }) else { return segments }
        let context = max(context, 0)
        return segments.enumerated().map { index, segment in
            guard segment.kind == .equal else { return segment }
            let tokens = tokens(segment.text)
            let wordCount = tokens.filter(isWord).count
            let isFirst = index == 0
            let isLast = index == segments.count - 1
            let keepBefore = isFirst ? 0 : context
            let keepAfter = isLast ? 0 : context
            guard wordCount > keepBefore + keepAfter + 1 else { return segment }
            let head = prefix(of: tokens, words: keepBefore)
            let tail = suffix(of: tokens, words: keepAfter)
            let text: String
            if isFirst {
                text = "… " + tail
            } else if isLast {
                text = head + " …"
            } else {
                text = head + " … " + tail
            }
            return Segment(.equal, text)
        }
    }

    // MARK: Myers

    /// Each token mapped to a number, equal tokens to the same number.
    private static func interned(_ a: [Substring], _ b: [Substring]) -> ([Int], [Int]) {
        var codes: [Substring: Int] = [:]
        func code(_ token: Substring) -> Int {
            if let code = codes[token] { return code }
            let code = codes.count
            codes[token] = code
            return code
        }
        return (a.map(code), b.map(code))
    }

    /// How many items `a` and `b` share at their start and (after that) at their end, and what lies between.
    private static func commonEnds(_ a: [Int], _ b: [Int]) -> (prefix: Int, suffix: Int, oldMiddle: [Int], newMiddle: [Int]) {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        return (prefix, suffix, Array(a[prefix..<(a.count - suffix)]), Array(b[prefix..<(b.count - suffix)]))
    }

    /// An edit script from `a` to `b`: the common prefix and suffix, and between them a shortest edit script, or
    /// everything deleted then everything inserted when that would take more than `maximumEdits` steps.
    static func steps(_ a: [Int], _ b: [Int], maximumEdits: Int) -> [Step] {
        let (prefix, suffix, oldMiddle, newMiddle) = commonEnds(a, b)
        var result = [Step](repeating: .equal, count: prefix)
        if let script = editScript(oldMiddle, newMiddle, maximumEdits: max(maximumEdits, 0)) {
            result += script
        } else {
            result += [Step](repeating: .deleted, count: oldMiddle.count)
            result += [Step](repeating: .inserted, count: newMiddle.count)
        }
        result += [Step](repeating: .equal, count: suffix)
        return result
    }

    enum Step { case equal, deleted, inserted }

    /// The length of a shortest edit script from `a` to `b` (deletions plus insertions), or nil when that is more
    /// than `maximumEdits`: the forward search of `editScript`, without the trace it keeps to write the script.
    static func editDistance(_ a: [Int], _ b: [Int], maximumEdits: Int) -> Int? {
        var trace: [[Int]]?
        return search(a, b, maximumEdits: maximumEdits, trace: &trace)
    }

    /// The classic greedy search for the fewest edits from `a` to `b`, keeping for each edit count `d` only the
    /// furthest-reaching x on diagonals `-d-1 ... d+1`; nil past `maximumEdits`. With a `trace`, it adds each
    /// round's frontier to it (so the trace holds O(D²) numbers).
    private static func search(_ a: [Int], _ b: [Int], maximumEdits: Int, trace: inout [[Int]]?) -> Int? {
        let n = a.count
        let m = b.count
        if n == 0 { return m <= maximumEdits ? m : nil }
        if m == 0 { return n <= maximumEdits ? n : nil }
        let limit = min(n + m, maximumEdits)
        let offset = limit + 1
        var frontier = [Int](repeating: 0, count: 2 * limit + 3)
        for d in 0...limit {
            // The frontier before this round, on diagonals -d-1 ... d+1.
            trace?.append(Array(frontier[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1]) {
                    x = frontier[offset + k + 1]
                } else {
                    x = frontier[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + k] = x
                if x >= n, y >= m { return d }
            }
        }
        return nil
    }

    /// A shortest edit script from `a` to `b`, or `nil` when it needs more than `maximumEdits` steps: the
    /// forward search (`search`), then a walk back through its trace.
    static func editScript(_ a: [Int], _ b: [Int], maximumEdits: Int) -> [Step]? {
        let n = a.count
        let m = b.count
        if n == 0 { return m <= maximumEdits ? Array(repeating: .inserted, count: m) : nil }
        if m == 0 { return n <= maximumEdits ? Array(repeating: .deleted, count: n) : nil }
        var kept: [[Int]]? = []
        guard let edits = search(a, b, maximumEdits: maximumEdits, trace: &kept), let trace = kept else { return nil }

        var steps: [Step] = []
        steps.reserveCapacity(n + m)
        var x = n
        var y = m
        for d in stride(from: edits, through: 0, by: -1) {
            let saved = trace[d]
            // `saved[0]` is diagonal -d-1.
            func value(_ k: Int) -> Int { saved[k + d + 1] }
            let k = x - y
            let previousK = (k == -d || (k != d && value(k - 1) < value(k + 1))) ? k + 1 : k - 1
            let previousX = d == 0 ? 0 : value(previousK)
            let previousY = d == 0 ? 0 : previousX - previousK
            while x > previousX, y > previousY {
                steps.append(.equal)
                x -= 1
                y -= 1
            }
            if d > 0 {
                steps.append(x == previousX ? .inserted : .deleted)
                x = previousX
                y = previousY
            }
        }
        return steps.reversed()
    }

    // MARK: Tidying

    /// Slides each run of only insertions (or only deletions) along the text, where the same tokens make that
    /// possible, to the place where it reads best: at the start or end of the text, then after a sentence, then
    /// between words. `This {+is new. This+} site` becomes `{+This is new.+} This site`.
    static func shiftToBoundaries(_ operations: inout [(Segment.Kind, Substring)]) {
        var index = 0
        while index < operations.count {
            let kind = operations[index].0
            guard kind != .equal else {
                index += 1
                continue
            }
            var start = index
            var end = index
            while end < operations.count, operations[end].0 == kind { end += 1 }
            let alone = (start == 0 || operations[start - 1].0 == .equal) && (end == operations.count || operations[end].0 == .equal)
            guard alone else {
                index = end
                continue
            }
            while start > 0, operations[start - 1].0 == .equal, operations[start - 1].1 == operations[end - 1].1 {
                operations[start - 1].0 = kind
                operations[end - 1].0 = .equal
                start -= 1
                end -= 1
            }
            var best = (start: start, end: end, score: boundaryScore(operations, start, end, kind))
            var shifted = (start: start, end: end)
            while shifted.end < operations.count, operations[shifted.end].0 == .equal,
                operations[shifted.end].1 == operations[shifted.start].1
            {
                shifted = (shifted.start + 1, shifted.end + 1)
                // The tokens that change sides are the same, so the score can be read before moving anything.
                let score = boundaryScore(operations, shifted.start, shifted.end, kind)
                if score > best.score { best = (shifted.start, shifted.end, score) }
            }
            for position in start..<best.start {
                operations[position].0 = .equal
            }
            for position in max(best.start, end)..<best.end {
                operations[position].0 = kind
            }
            index = best.end
        }
    }

    /// How well a run of `kind` at `start..<end` sits in the text of its side (the equal tokens and those of
    /// `kind`), scored at each of its two edges: 4 at an end of the text, 3 just after whitespace that follows a
    /// sentence or clause, 2 just after other whitespace, 1 just before whitespace, 0 otherwise.
    private static func boundaryScore(_ operations: [(Segment.Kind, Substring)], _ start: Int, _ end: Int, _ kind: Segment.Kind) -> Int {
        func onSide(_ position: Int) -> Bool { operations[position].0 == .equal || operations[position].0 == kind }
        func previous(_ position: Int) -> Int? {
            var current = position - 1
            while current >= 0 {
                if onSide(current) { return current }
                current -= 1
            }
            return nil
        }
        func next(_ position: Int) -> Int? {
            var current = position
            while current < operations.count {
                if onSide(current) { return current }
                current += 1
            }
            return nil
        }
        func edge(before left: Int?, after right: Int?) -> Int {
            guard let left, let right else { return 4 }
            let leftToken = operations[left].1
            if leftToken.allSatisfy(\.isWhitespace) {
                if let beforeLeft = previous(left), let last = operations[beforeLeft].1.last, ".!?:;".contains(last) { return 3 }
                return 2
            }
            return operations[right].1.allSatisfy(\.isWhitespace) ? 1 : 0
        }
        return edge(before: previous(start), after: start) + edge(before: end - 1, after: next(end))
    }

    /// Folds lone whitespace between changes into them, then merges each run of changes into one deleted and
    /// one inserted segment, and merges neighbouring equal text.
    private static func tidy(_ operations: [(Segment.Kind, Substring)]) -> [Segment] {
        var raw: [Segment] = []
        for (kind, token) in operations {
            if let last = raw.last, last.kind == kind {
                raw[raw.count - 1].text += token
            } else {
                raw.append(Segment(kind, String(token)))
            }
        }
        // Equal runs of only whitespace and punctuation between two changes belong to both sides of the change.
        var folded: [Segment] = []
        for (index, segment) in raw.enumerated() {
            let between = index > 0 && index < raw.count - 1 && raw[index - 1].kind != .equal && raw[index + 1].kind != .equal
            if segment.kind == .equal, between, !segment.text.contains(where: { $0.isLetter || $0.isNumber }) {
                folded.append(Segment(.deleted, segment.text))
                folded.append(Segment(.inserted, segment.text))
            } else {
                folded.append(segment)
            }
        }
        var result: [Segment] = []
        var deleted = ""
        var inserted = ""
        func flush() {
            if !deleted.isEmpty { result.append(Segment(.deleted, deleted)) }
            if !inserted.isEmpty { result.append(Segment(.inserted, inserted)) }
            deleted = ""
            inserted = ""
        }
        for segment in folded {
            switch segment.kind {
            case .deleted: deleted += segment.text
            case .inserted: inserted += segment.text
            case .equal:
                flush()
                if let last = result.last, last.kind == .equal {
                    result[result.count - 1].text += segment.text
                } else {
                    result.append(segment)
                }
            }
        }
        flush()
        return result
    }

    /// Whether a token is a word (rather than whitespace or punctuation).
    private static func isWord(_ token: Substring) -> Bool {
        token.contains { $0.isLetter || $0.isNumber }
    }

    private static func prefix(of tokens: [Substring], words: Int) -> String {
        var result = ""
        var count = 0
        for token in tokens {
            if isWord(token) {
                if count == words { break }
                count += 1
            }
            result += token
        }
        return String(result.reversed().drop(while: \.isWhitespace).reversed())
    }

    private static func suffix(of tokens: [Substring], words: Int) -> String {
        var parts: [Substring] = []
        var count = 0
        for token in tokens.reversed() {
            if isWord(token) {
                if count == words { break }
                count += 1
            }
            parts.append(token)
        }
        return String(parts.reversed().joined().drop(while: \.isWhitespace))
    }
}
