import Foundation

/// Values made once and kept by key, for the renderers' parallel jobs (the shared part of page contexts, list
/// items, cut-down stylesheets). Each value must be a pure function of its key: a value is made outside the lock, so two
/// threads may make the same one at once, and whichever is kept is the same.
final class Memo<Key: Hashable, Value>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = NSLock()

    func value(for key: Key, make: () -> Value) -> Value {
        lock.lock()
        let known = values[key]
        lock.unlock()
        if let known { return known }
        let made = make()
        lock.lock()
        if values[key] == nil { values[key] = made }
        lock.unlock()
        return made
    }
}

/// A value made by the first of two users of a key and taken by the second, so it is made once and kept only
/// between the two: an entry's page and its handout show the same context (`EntryContextCache`). A user that finds
/// nothing makes the value and leaves it for the other; a user that finds it takes it out. Each value must be a
/// pure function of its key, as in `Memo`: when both users come at once, both make it, and one copy is left over
/// until the handoff is let go.
final class Handoff<Key: Hashable, Value>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = NSLock()

    func take(_ key: Key, make: () -> Value) -> Value {
        lock.lock()
        let left = values.removeValue(forKey: key)
        lock.unlock()
        if let left { return left }
        let made = make()
        lock.lock()
        values[key] = made
        lock.unlock()
        return made
    }

    /// How many values wait for their second user.
    var waiting: Int {
        lock.lock()
        defer { lock.unlock() }
        return values.count
    }
}
