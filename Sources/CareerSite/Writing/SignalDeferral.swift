import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Holds back SIGINT and SIGTERM while the site is being written, so Ctrl-C cannot stop a build half-way
/// through replacing files.
///
/// While at least one write is under way, the two signals only set a flag (process-wide, so it works whichever
/// thread the kernel picks). The writer checks the flag between files of phase 1 and gives up cleanly; phase 2
/// ignores it until every file is in place. When the last write ends, the previous handlers come back and a
/// signal that arrived meanwhile is raised again, so the process stops as the user asked. A signal the process
/// already ignores (as `careers serve` does, to handle it itself) stays ignored.
struct SignalDeferral: Sendable {
    static let signals: [Int32] = [SIGINT, SIGTERM]
    /// Held while files are being renamed into place; a process that wants to exit takes it first.
    static let commitLock = NSLock()
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var previous: [Int32: (@convention(c) (Int32) -> Void)?] = [:]
    /// The signal that arrived while deferred, or 0; written by the handler, and cleared by `begin` and `end`.
    /// Atomic, because the handler runs on whichever thread the kernel picks while render threads read it (a
    /// plain variable here was a data race, which Thread Sanitizer reported in the interrupted `careers` process).
    private static let pending = Atomic<Int32>(0)

    /// Whether a deferred signal has arrived.
    static var interruptPending: Bool { pending.load(ordering: .acquiring) != 0 }
    var interrupted: Bool { Self.interruptPending }

    /// Starts deferring (nested and concurrent writes share one deferral).
    static func begin() -> SignalDeferral {
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            previous = [:]
            // Initialised here, never first in the handler (lazy initialisation is not async-signal-safe).
            pending.store(0, ordering: .releasing)
            for number in signals {
                let old = signal(number) { number in SignalDeferral.pending.store(number, ordering: .releasing) }
                if unsafeBitCast(old, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                    signal(number, SIG_IGN)
                } else {
                    previous[number] = old
                }
            }
        }
        depth += 1
        return SignalDeferral()
    }

    /// Stops deferring; when this was the last write, restores the handlers and re-raises a deferred signal.
    func end() {
        Self.lock.lock()
        Self.depth -= 1
        guard Self.depth == 0 else {
            Self.lock.unlock()
            return
        }
        for (number, old) in Self.previous { signal(number, old) }
        let arrived = Self.pending.exchange(0, ordering: .acquiringAndReleasing)
        Self.lock.unlock()
        if arrived != 0 { raise(arrived) }
    }
}

/// Lets a program that exits on a signal of its own (such as `careers serve`) wait until no site is half-way
/// through being renamed into place.
public enum SiteWriting {
    /// Waits for a write's rename phase to finish, then keeps any other from starting; call just before exiting.
    public static func holdForExit() {
        SignalDeferral.commitLock.lock()
    }
}
