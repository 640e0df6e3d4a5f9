/// A small seeded pseudo-random generator (SplitMix64), so synthetic content is the same on every machine,
/// every run and every Swift version. Nothing here uses the system's random source or the standard library's
/// `random(in:)` algorithms, whose output is not promised to stay the same between releases.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A generator for one entity, independent of how many numbers other entities drew.
    func derived(_ salt: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: state ^ (salt &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }

    /// Uniform in `0..<bound`, without modulo bias; 0 when `bound` is 1 or less.
    mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let value = next()
            if value >= threshold { return Int(value % limit) }
        }
    }

    /// Uniform in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < probability
    }

    /// One element; the caller passes a non-empty list.
    mutating func pick<Element>(_ items: [Element]) -> Element {
        items[below(items.count)]
    }

    /// An index chosen with the given relative weights (all zero or empty gives 0).
    mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var point = below(total)
        for (index, weight) in weights.enumerated() {
            if point < weight { return index }
            point -= weight
        }
        return weights.count - 1
    }

    /// `count` distinct elements in random order (all of them, shuffled, when there are fewer).
    mutating func sample<Element>(_ items: [Element], count: Int) -> [Element] {
        var pool = items
        let wanted = min(count, pool.count)
        for index in 0..<wanted {
            let other = index + below(pool.count - index)
            pool.swapAt(index, other)
        }
        return Array(pool.prefix(wanted))
    }

    mutating func shuffled<Element>(_ items: [Element]) -> [Element] {
        sample(items, count: items.count)
    }
}
