/// A map from ids to values that is made once and then only read: the framework's indexes.
///
/// An id is looked up by an FNV-1a hash of its bytes (a few instructions a byte) in an open-addressing table at
/// most half full, then compared as a string. As an `[ID: Value]`, each look-up hashed the id with SipHash, about
/// 570 instructions; pages look ids up 150,000 times in a build of 2,000 roles.
struct IDTable<Kind, Value: Sendable>: Sendable {
    private let keys: [String]
    private let values: [Value]
    /// Indices into `keys` (-1 for none); the size is a power of two.
    private let slots: [Int]

    init(_ entries: [ID<Kind>: Value]) {
        let pairs = Array(entries)
        keys = pairs.map(\.key.rawValue)
        values = pairs.map(\.value)
        var size = 8
        while size < 2 * pairs.count { size *= 2 }
        var slots = [Int](repeating: -1, count: size)
        for (index, key) in keys.enumerated() {
            var slot = Self.hash(key) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = index
        }
        self.slots = slots
    }

    subscript(id: ID<Kind>) -> Value? {
        let mask = slots.count - 1
        var slot = Self.hash(id.rawValue) & mask
        while case let index = slots[slot], index >= 0 {
            if keys[index] == id.rawValue { return values[index] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private static func hash(_ text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable { FNV1a.hash($0) } ?? FNV1a.hash(text.utf8)
    }
}
