/// A map from ids to values that is made once and then only read: the framework's indexes.
///
/// An id is looked up by an FNV-1a hash of its bytes (a few instructions a byte) in an open-addressing table at
/// most half full, then compared as a string. As an `[ID: Value]`, each look-up hashed the id with SipHash, about
/// 570 instructions; pages look ids up 150,000 times in a build of 2,000 roles.
struct IDTable<Kind, Value: Sendable>: Sendable {
    private let keys: [String]
    private let values: [Value]
    private let slots: HashSlots

    init(_ entries: [ID<Kind>: Value]) {
        let pairs = Array(entries)
        keys = pairs.map(\.key.rawValue)
        values = pairs.map(\.value)
        slots = HashSlots(hashes: keys.map { FNV1a.hash($0) }, spread: 2)
    }

    subscript(id: ID<Kind>) -> Value? {
        slots.index(hash: FNV1a.hash(id.rawValue)) { keys[$0] == id.rawValue }.map { values[$0] }
    }
}
