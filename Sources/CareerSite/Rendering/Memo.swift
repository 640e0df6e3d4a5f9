import Foundation

/// Values made once and kept by key, for the renderers' parallel jobs (the shared part of page contexts, list
/// items, map drawings). Each value must be a pure function of its key: a value is made outside the lock, so two
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
