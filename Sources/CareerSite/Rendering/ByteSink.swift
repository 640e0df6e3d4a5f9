import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A growing run of bytes in memory from `malloc`, which becomes a file's `Data` without a copy when it is done.
///
/// Two costs of building output in an `[UInt8]` are gone. An array grows by moving to a new buffer twice the size,
/// so while the whole-framework handout grew (11 MB at 2,000 roles) it briefly held two copies; `realloc` of a
/// large block (one that has its own mapping, see `MemoryTuning`) remaps its pages instead. And `Data([UInt8])`
/// copies every byte, once per file; `takeData()` hands the buffer over.
///
/// Used by one thread at a time, like an array.
final class ByteSink {
    private var storage: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    private(set) var count = 0
    /// For a sink that hands its bytes on (`init(capacity:drain:)`).
    private let drain: ((UnsafeBufferPointer<UInt8>) -> Void)?

    init(capacity: Int = 0) {
        drain = nil
        if capacity > 0 { grow(to: capacity) }
    }

    /// A sink that hands its bytes on instead of growing: when an append does not fit, the bytes so far go to
    /// `drain` and the sink starts again empty; an append larger than the whole sink goes to `drain` as it is.
    /// So it never holds more than `capacity` bytes. `flush()` hands on the rest. Only appends mean anything for
    /// such a sink: it never holds the whole output.
    init(capacity: Int, drain: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        self.drain = drain
        grow(to: max(1, capacity), exactly: true)
    }

    deinit { free(storage) }

    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "index out of range")
        return storage.unsafelyUnwrapped[index]
    }

    func append(_ byte: UInt8) {
        if count == capacity {
            // A draining sink has room for at least one byte once it has handed on what it held.
            if drain != nil { flush() } else { grow(to: count + 1) }
        }
        storage.unsafelyUnwrapped[count] = byte
        count += 1
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if capacity - count < bytes.count {
            if let drain {
                flush()
                if bytes.count > capacity { return drain(bytes) }
            } else {
                grow(to: count + bytes.count)
            }
        }
        (storage.unsafelyUnwrapped + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    func append(_ data: Data) { data.withUnsafeBytes { append($0.bindMemory(to: UInt8.self)) } }

    /// A string's UTF-8 bytes, from its contiguous storage (which every native string has).
    func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var copy = text
            copy.withUTF8 { append($0) }
        }
    }

    /// A string's UTF-8 bytes escaped as `HTML.escape` escapes them (`& < > " '`), without making the escaped
    /// string: every text value of every page comes through here (480,000 at 2,000 roles), and building a new
    /// string for the ones with an apostrophe or an ampersand cost more than writing them.
    func appendEscaped(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
            var copy = text
            copy.withUTF8 { appendEscaped($0) }
        }
    }

    /// The same for UTF-8 bytes: the runs between special bytes are copied whole. They are passed over eight bytes
    /// at a time while none is special (`EightBytes`); then every special byte is at most `>` (0x3E), so one
    /// comparison passes letters and every byte of a non-ASCII character, and a bit mask tells the rest.
    func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        let specials: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E
        var start = 0
        var index = 0
        while index < bytes.count {
            if index + 8 <= bytes.count, let base = bytes.baseAddress {
                let word = EightBytes.load(base, at: index)
                let special =
                    EightBytes.has(UInt8(ascii: "&"), in: word) | EightBytes.has(UInt8(ascii: "<"), in: word)
                    | EightBytes.has(UInt8(ascii: ">"), in: word) | EightBytes.has(UInt8(ascii: "\""), in: word)
                    | EightBytes.has(UInt8(ascii: "'"), in: word)
                if special == 0 {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte > 0x3E || (specials >> UInt64(byte)) & 1 == 0 {
                index += 1
                continue
            }
            append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            let entity: StaticString
            switch byte {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            default: entity = "&#39;"
            }
            append(UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
            index += 1
            start = index
        }
        append(UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    /// Puts `bytes` before the byte at `index`, moving the rest along.
    func insert(_ bytes: [UInt8], at index: Int) {
        precondition(index >= 0 && index <= count, "index out of range")
        guard !bytes.isEmpty else { return }
        if capacity - count < bytes.count { grow(to: count + bytes.count) }
        let base = storage.unsafelyUnwrapped
        (base + index + bytes.count).update(from: base + index, count: count - index)
        bytes.withUnsafeBufferPointer { (base + index).update(from: $0.baseAddress.unsafelyUnwrapped, count: bytes.count) }
        count += bytes.count
    }

    /// Calls `body` with the bytes so far.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage, count: count))
    }

    /// Drops the first `count` bytes, moving the rest to the start.
    func removeFirst(_ removed: Int) {
        precondition(removed >= 0 && removed <= count, "index out of range")
        guard removed > 0 else { return }
        let base = storage.unsafelyUnwrapped
        base.update(from: base + removed, count: count - removed)
        count -= removed
    }

    /// The bytes, as `Data` that takes over the buffer; the sink is empty afterwards.
    func takeData() -> Data {
        guard let buffer = storage, count > 0 else { return Data() }
        let data = Data(bytesNoCopy: buffer, count: count, deallocator: .free)
        storage = nil
        capacity = 0
        count = 0
        return data
    }

    /// Hands the bytes so far to `drain`, for a sink that has one.
    func flush() {
        guard let drain, count > 0 else { return }
        drain(UnsafeBufferPointer(start: storage, count: count))
        count = 0
    }

    /// At least `needed` bytes of room, growing by half again so appends stay amortised O(1) (`exactly`: `needed`).
    private func grow(to needed: Int, exactly: Bool = false) {
        let target = exactly ? needed : max(needed, capacity + capacity / 2, 64)
        guard let grown = realloc(storage, target) else {
            // As when an array cannot grow: nothing sensible can continue without the memory.
            preconditionFailure("out of memory: could not allocate \(target) bytes")
        }
        storage = grown.bindMemory(to: UInt8.self, capacity: target)
        capacity = target
    }
}
