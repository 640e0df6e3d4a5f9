/// Orders short codes the way people read them: a run of ASCII digits compares as the number it writes, so
/// "PC2" comes before "PC10" and "1.9" before "1.10"; every other byte compares as itself (UTF-8). Texts that are
/// equal that way ("PC01" and "PC1") fall back to plain byte order, so the order is total and a sort by it is the
/// same on every run.
///
/// Plain text order (`<`) put "PC10" between "PC1" and "PC2" as soon as a domain had ten capabilities.
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { a in b.withUTF8 { b in less(a, b) } }
    }

    static func less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        switch compare(a, b) {
        case .less: return true
        case .greater: return false
        case .equal: return a.lexicographicallyPrecedes(b)
        }
    }

    private enum Comparison { case less, equal, greater }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Compares `a` and `b` as sequences of tokens: each run of digits is one token, ordered by its value (leading
    /// zeros aside) and placed among the other bytes where a digit's byte would be; any other byte is a token of
    /// its own. A strict weak order: its ties are exactly the texts that differ only in leading zeros.
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Comparison {
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            guard isDigit(a[i]), isDigit(b[j]) else {
                if a[i] != b[j] { return a[i] < b[j] ? .less : .greater }
                i += 1
                j += 1
                continue
            }
            var start = (i, j)
            while start.0 < a.count, a[start.0] == UInt8(ascii: "0") { start.0 += 1 }
            while start.1 < b.count, b[start.1] == UInt8(ascii: "0") { start.1 += 1 }
            var end = start
            while end.0 < a.count, isDigit(a[end.0]) { end.0 += 1 }
            while end.1 < b.count, isDigit(b[end.1]) { end.1 += 1 }
            let length = (end.0 - start.0, end.1 - start.1)
            if length.0 != length.1 { return length.0 < length.1 ? .less : .greater }
            for offset in 0..<length.0 where a[start.0 + offset] != b[start.1 + offset] {
                return a[start.0 + offset] < b[start.1 + offset] ? .less : .greater
            }
            (i, j) = end
        }
        let rest = (a.count - i, b.count - j)
        if rest.0 == rest.1 { return .equal }
        return rest.0 < rest.1 ? .less : .greater
    }
}
