#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Substring search over bytes.
enum ByteSearch {
    /// The offset of the first `byte` in `haystack` at or after `from` (memchr, with no array to allocate: the
    /// link scan and handout rewriting call this once per quote or tag).
    static func first(byte: UInt8, in haystack: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard let base = haystack.baseAddress, from >= 0, from < haystack.count else { return nil }
        guard let found = memchr(base + from, Int32(byte), haystack.count - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether `pattern`'s bytes appear in `bytes` starting at `offset` (false when they would not fit).
    static func matches<Bytes: RandomAccessCollection>(_ pattern: StaticString, in bytes: Bytes, at offset: Int) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let count = pattern.utf8CodeUnitCount
        guard offset >= bytes.startIndex, count <= bytes.endIndex - offset else { return false }
        let start = pattern.utf8Start
        for index in 0..<count where bytes[offset + index] != start[index] { return false }
        return true
    }

    /// Whether two runs of bytes are the same (memcmp: a generic comparison went a byte at a time).
    static func equal(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        guard first.count == second.count else { return false }
        guard let a = first.baseAddress, let b = second.baseAddress else { return true }
        return memcmp(a, b, first.count) == 0
    }

    /// The offset of the first occurrence of `needle` in `haystack` at or after `from`.
    static func first(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard let first = needle.first, let base = haystack.baseAddress, from >= 0 else { return nil }
        let last = haystack.count - needle.count
        var index = from
        while index <= last {
            // memchr finds the candidates (vectorised in the C library); the rest of the needle is compared here.
            guard let found = memchr(base + index, Int32(first), last - index + 1) else { return nil }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            var matched = true
            for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { return index }
            index += 1
        }
        return nil
    }
}

/// Tests on eight bytes at once, for scans that pass over runs of ordinary bytes. Each is the classic "has a zero
/// byte" test, `(v - 0x01…) & ~v & 0x80…`, which is non-zero exactly when some byte is zero: it never misses one.
enum EightBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes from `index` (which must leave eight).
    @inline(__always) static func load(_ base: UnsafePointer<UInt8>, at index: Int) -> UInt64 {
        UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
    }

    /// Non-zero when some byte of `word` is `byte`.
    @inline(__always) static func has(_ byte: UInt8, in word: UInt64) -> UInt64 {
        let value = word ^ (ones &* UInt64(byte))
        return (value &- ones) & ~value & highs
    }

    /// Non-zero when some byte of `word` is below `limit` (at most 0x80).
    @inline(__always) static func hasBelow(_ limit: UInt8, in word: UInt64) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }

    /// Non-zero when some byte of `word` is 0x80 or above.
    @inline(__always) static func hasNonASCII(_ word: UInt64) -> UInt64 { word & highs }
}

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
        // Native strings keep their UTF-8 contiguous: search with memchr, then step to the match by byte offset.
        if let found = bytes.withContiguousStorageIfAvailable({ ByteSearch.first(pattern, in: $0) }) {
            guard let offset = found else { return nil }
            let lower = bytes.index(bytes.startIndex, offsetBy: offset)
            return lower..<bytes.index(lower, offsetBy: pattern.count)
        }
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

extension StringProtocol {
    /// The first occurrence of an ASCII byte, found in the UTF-8 bytes. Unlike `firstIndex(of:)` with a
    /// `Character`, it compares no grapheme clusters, and it finds the byte even when a combining mark follows it,
    /// which is what markup and URL syntax mean by that character.
    func firstIndex(ofASCII byte: UInt8) -> Index? {
        // memchr over the contiguous bytes; the generic search steps through the UTF-8 view one index at a time.
        let found = utf8.withContiguousStorageIfAvailable { ByteSearch.first(byte: byte, in: $0) }
        switch found {
        case .some(.some(let offset)): return utf8.index(utf8.startIndex, offsetBy: offset)
        case .some(.none): return nil
        case .none: return utf8.firstIndex(of: byte)
        }
    }

    /// The last occurrence of an ASCII byte, found in the UTF-8 bytes (see `firstIndex(ofASCII:)`).
    func lastIndex(ofASCII byte: UInt8) -> Index? {
        let found = utf8.withContiguousStorageIfAvailable { bytes -> Int? in bytes.lastIndex(of: byte) }
        switch found {
        case .some(.some(let offset)): return utf8.index(utf8.startIndex, offsetBy: offset)
        case .some(.none): return nil
        case .none:
            var last: Index?
            var index = utf8.startIndex
            while index < utf8.endIndex {
                if utf8[index] == byte { last = index }
                index = utf8.index(after: index)
            }
            return last
        }
    }

    /// The text between each ASCII `separator` byte, as `split(separator:omittingEmptySubsequences: false)` gives
    /// it but found in the UTF-8 bytes (see `firstIndex(ofASCII:)`).
    func components(separatedByASCII separator: UInt8, maxSplits: Int = .max) -> [SubSequence] {
        let offsets = utf8.withContiguousStorageIfAvailable { bytes -> [Int] in
            var found: [Int] = []
            var from = 0
            while found.count < maxSplits, let at = ByteSearch.first(byte: separator, in: bytes, from: from) {
                found.append(at)
                from = at + 1
            }
            return found
        }
        if let offsets {
            var parts: [SubSequence] = []
            parts.reserveCapacity(offsets.count + 1)
            var start = startIndex
            for offset in offsets {
                let index = utf8.index(utf8.startIndex, offsetBy: offset)
                parts.append(self[start..<index])
                start = utf8.index(after: index)
            }
            parts.append(self[start...])
            return parts
        }
        var parts: [SubSequence] = []
        var start = startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex, parts.count < maxSplits {
            if utf8[index] == separator {
                parts.append(self[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        parts.append(self[start...])
        return parts
    }
}

extension String {
    /// Every occurrence of an ASCII `target` replaced with `replacement`, found in the UTF-8 bytes (Foundation's
    /// `replacingOccurrences` compares Unicode text and was slow on a whole stylesheet).
    func replacingASCII(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        let bytes = Array(utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            guard !needle.isEmpty, var found = ByteSearch.first(needle, in: buffer) else { return self }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 64)
            var copied = 0
            while true {
                result.append(contentsOf: buffer[copied..<found])
                result.append(contentsOf: replacement.utf8)
                copied = found + needle.count
                guard let next = ByteSearch.first(needle, in: buffer, from: copied) else { break }
                found = next
            }
            result.append(contentsOf: buffer[copied...])
            return String(decoding: result, as: UTF8.self)
        }
    }
}

/// The 64-bit FNV-1a hash of bytes, which costs a few instructions a byte: the tables that look names and links up
/// by their bytes (`TemplateMap`, the link check's `KnownLinks`, a handout's class names) use it where SipHash, as a
/// `Dictionary` hashes, cost several times as much.
enum FNV1a {
    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash)
    }

    /// The hash of a string's UTF-8 bytes, read where the string keeps them (it nearly always does): stepping
    /// through `utf8` costs several times as much.
    static func hash(_ text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable { hash($0) } ?? hash(text.utf8)
    }
}

/// Decoding UTF-8 that is known to be valid (it came from a `String`).
enum UTF8Scalar {
    /// The value of the scalar whose first byte is at `index`, and its length in bytes.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let byte = bytes[index]
        guard byte >= 0x80 else { return (UInt32(byte), 1) }
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
        var value = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
        for offset in 1..<length where index + offset < bytes.count {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        return (value, length)
    }
}

/// The slots of a read-only open-addressing table: for each slot, the index of the key placed there (-1 for none),
/// found again by probing from the key's hash. The keys, their hashes (FNV-1a, cheap for the short names and ids
/// looked up) and how to compare them are the owner's.
struct HashSlots: Sendable {
    /// The size is a power of two.
    private let slots: [Int]

    /// Slots for keys with these hashes, at most `1 / spread` full.
    init(hashes: [Int], spread: Int, minimumSize: Int = 8) {
        var size = minimumSize
        while size < spread * hashes.count { size *= 2 }
        var slots = [Int](repeating: -1, count: size)
        for (index, hash) in hashes.enumerated() {
            var slot = hash & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = index
        }
        self.slots = slots
    }

    /// The index of the key with `hash` for which `isKey` is true, if any.
    func index(hash: Int, where isKey: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        var slot = hash & mask
        while case let index = slots[slot], index >= 0 {
            if isKey(index) { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }
}

/// Whole numbers written as decimal digits without making a `String`.
enum DecimalDigits {
    /// The digits of `value` (as `String(value)` writes them), in a buffer on the stack, handed to `body`.
    static func with<Result>(_ value: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in  // the 20 digits of the largest
            var rest = value
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            return body(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
