import Testing

@testable import CareerSite

@Suite struct WordDiffTests {
    typealias S = WordDiff.Segment

    /// Joining the equal and deleted segments gives the old text; the equal and inserted ones, the new text.
    func expectRoundTrip(_ old: String, _ new: String, maximumEdits: Int = WordDiff.defaultMaximumEdits) {
        let segments = WordDiff.diff(old: old, new: new, maximumEdits: maximumEdits)
        #expect(segments.filter { $0.kind != .inserted }.map(\.text).joined() == old)
        #expect(segments.filter { $0.kind != .deleted }.map(\.text).joined() == new)
    }

    @Test func identicalTextIsOneEqualSegment() {
        #expect(WordDiff.diff(old: "the quick fox", new: "the quick fox") == [S(.equal, "the quick fox")])
    }

    @Test func emptyTexts() {
        #expect(WordDiff.diff(old: "", new: "") == [])
        #expect(WordDiff.diff(old: "", new: "new text") == [S(.inserted, "new text")])
        #expect(WordDiff.diff(old: "old text", new: "") == [S(.deleted, "old text")])
    }

    @Test func insertion() {
        #expect(
            WordDiff.diff(old: "the quick fox", new: "the quick brown fox") == [
                S(.equal, "the quick "), S(.inserted, "brown "), S(.equal, "fox"),
            ])
    }

    @Test func deletion() {
        #expect(
            WordDiff.diff(old: "the quick brown fox", new: "the quick fox") == [
                S(.equal, "the quick "), S(.deleted, "brown "), S(.equal, "fox"),
            ])
    }

    @Test func replacement() {
        #expect(
            WordDiff.diff(old: "the quick brown fox", new: "the slow brown fox") == [
                S(.equal, "the "), S(.deleted, "quick"), S(.inserted, "slow"), S(.equal, " brown fox"),
            ])
    }

    @Test func punctuationIsItsOwnTokenSoAWordAddedBeforeAFullStopReadsWell() {
        #expect(WordDiff.diff(old: "Second.", new: "Second stage.") == [S(.equal, "Second"), S(.inserted, " stage"), S(.equal, ".")])
        #expect(WordDiff.tokens("don't stop, long-term.") == ["don't", " ", "stop", ",", " ", "long-term", "."])
    }

    @Test func insertionsSlideToTheStartOfASentence() {
        #expect(
            WordDiff.diff(old: "This site is a model.", new: "This paragraph is new. This site is a model.") == [
                S(.inserted, "This paragraph is new. "), S(.equal, "This site is a model."),
            ])
        #expect(
            WordDiff.diff(old: "It is. Then it was.", new: "It is. It is. Then it was.") == [
                S(.inserted, "It is. "), S(.equal, "It is. Then it was."),
            ])
    }

    @Test func neighbouringChangesSeparatedOnlyByPunctuationMerge() {
        #expect(
            WordDiff.diff(old: "red, green and blue", new: "pink, yellow and blue") == [
                S(.deleted, "red, green"), S(.inserted, "pink, yellow"), S(.equal, " and blue"),
            ])
    }

    @Test func whitespaceIsPreserved() {
        expectRoundTrip("a  b\tc\nd", "a b\tc  d e")
        expectRoundTrip(" leading and trailing ", "leading, and trailing")
        expectRoundTrip("one two three four five six", "six five four three two one")
        expectRoundTrip("", "x")
    }

    @Test func tooManyEditsFallBackToAWholeReplacementOfTheMiddle() {
        #expect(
            WordDiff.diff(old: "same a b c end", new: "same x b y end", maximumEdits: 2) == [
                S(.equal, "same "), S(.deleted, "a b c"), S(.inserted, "x b y"), S(.equal, " end"),
            ])
        expectRoundTrip("same a b c end", "same x b y end", maximumEdits: 0)
        #expect(
            WordDiff.diff(old: "same a b c end", new: "same x b y end") == [
                S(.equal, "same "), S(.deleted, "a"), S(.inserted, "x"), S(.equal, " b "), S(.deleted, "c"), S(.inserted, "y"),
                S(.equal, " end"),
            ])
    }

    @Test func longTextsStayFast() {
        let words = (1...20_000).map { "w\($0 % 997)" }
        var edited = words
        edited[5_000] = "changed"
        edited.remove(at: 15_000)
        let segments = WordDiff.diff(old: words.joined(separator: " "), new: edited.joined(separator: " "))
        #expect(segments.filter { $0.kind != .equal }.count == 3)
        let rewritten = WordDiff.diff(old: words.joined(separator: " "), new: words.reversed().joined(separator: " "))
        #expect(rewritten.map(\.kind) == [.deleted, .inserted])
    }

    @Test func excerptKeepsContextAroundChanges() {
        let old = (1...30).map { "w\($0)" }.joined(separator: " ")
        let new = old.replacingOccurrences(of: "w15 ", with: "X ")
        let excerpt = WordDiff.excerpt(WordDiff.diff(old: old, new: new), context: 3)
        #expect(excerpt.map(\.description).joined() == "… w12 w13 w14 [-w15-]{+X+} w16 w17 w18 …")
        var words = (1...30).map { "w\($0)" }
        words[1] = "Y"
        words[14] = "X"
        words[28] = "Z"
        let middle = WordDiff.excerpt(WordDiff.diff(old: old, new: words.joined(separator: " ")), context: 2)
        #expect(middle.map(\.description).joined() == "w1 [-w2-]{+Y+} w3 w4 … w13 w14 [-w15-]{+X+} w16 w17 … w27 w28 [-w29-]{+Z+} w30")
    }

    @Test func similarityIsSharedWordsInOrder() {
        #expect(WordDiff.similarity("a b c d e", "a b c d e") == 1)
        #expect(WordDiff.similarity("a b c d e", "v w x y z") == 0)
        #expect(WordDiff.similarity("A b c d", "a B c x") == 0.75)
        #expect(WordDiff.similarity("", "") == 1)
        // Order matters: reversed words share only one word in order.
        #expect(WordDiff.similarity("a b c d", "d c b a") == 0.25)
    }

    /// The bounds that reject unlike texts early never change a result at or above the threshold, and texts
    /// prepared with a vocabulary shared by many texts give what two texts on their own give: checked on random
    /// texts against a longest common subsequence computed directly.
    @Test func similarityMatchesALongestCommonSubsequenceComputedDirectly() {
        var random = SplitMix64(seed: 8)
        let vocabulary = ["care", "Care", "nurse", "plan", "PLAN", "team", "lead", "the", "of", "review"]
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        func text() -> String {
            (0..<pick(25)).map { _ in vocabulary[pick(vocabulary.count)] }.joined(separator: pick(2) == 0 ? " " : " \n\t")
        }
        func commonSubsequence(_ a: [Substring], _ b: [Substring]) -> Int {
            var previous = [Int](repeating: 0, count: b.count + 1)
            for x in a {
                var row = [0]
                for (j, y) in b.enumerated() { row.append(x == y ? previous[j] + 1 : max(previous[j + 1], row[j])) }
                previous = row
            }
            return previous[b.count]
        }
        var shared = WordDiff.Vocabulary()
        var checked = 0
        for _ in 0..<3000 {
            let a = text()
            let b = text()
            let wordsA = a.lowercased().split(whereSeparator: \.isWhitespace)
            let wordsB = b.lowercased().split(whereSeparator: \.isWhitespace)
            let total = wordsA.count + wordsB.count
            let exact = total == 0 ? 1 : Double(2 * commonSubsequence(wordsA, wordsB)) / Double(total)
            for threshold in [0, 0.5, 0.8] {
                let alone = WordDiff.similarity(a, b, atLeast: threshold)
                #expect(WordDiff.similarity(shared.prepare(a), shared.prepare(b), atLeast: threshold) == alone)
                if exact >= threshold {
                    #expect(alone == exact, "\(a) | \(b) at \(threshold)")
                    checked += 1
                } else {
                    #expect(alone < threshold, "\(a) | \(b) at \(threshold)")
                }
            }
        }
        #expect(checked > 3000, "enough pairs reach the thresholds")
    }

    /// `editDistance` is the length of `editScript`'s script (its deletions and insertions), and nil exactly when
    /// the script is: past `maximumEdits`.
    @Test func editDistanceIsTheLengthOfTheEditScript() {
        var random = SplitMix64(seed: 21)
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        for _ in 0..<2000 {
            let a = (0..<pick(30)).map { _ in pick(5) }
            let b = (0..<pick(30)).map { _ in pick(5) }
            let limit = pick(40)
            let script = WordDiff.editScript(a, b, maximumEdits: limit)
            #expect(
                WordDiff.editDistance(a, b, maximumEdits: limit) == script.map { $0.filter { $0 != .equal }.count }, "\(a) \(b) \(limit)")
        }
    }

    /// ASCII text is split on bytes, other text on characters; both give the words `Character.isWhitespace`
    /// separates, for every ASCII character and for a line break written as CR LF.
    @Test func wordsAreSeparatedByWhitespaceCharacters() {
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined(separator: "x") + "a\r\nb  c"
        #expect(WordDiff.words(ascii) == ascii.split(whereSeparator: \.isWhitespace))
        #expect(WordDiff.words("a\r\nb\u{0B}c\u{0C}d\te f").map(String.init) == ["a", "b", "c", "d", "e", "f"])
        #expect(WordDiff.words("\u{1C}a b").map(String.init) == ["\u{1C}a", "b"], "information separators are not whitespace")
        #expect(WordDiff.words("café\u{00A0}au lait\u{2028}x").map(String.init) == ["café", "au", "lait", "x"])
        #expect(WordDiff.words("a \u{301}b c") == "a \u{301}b c".split(whereSeparator: \.isWhitespace))
    }
}
