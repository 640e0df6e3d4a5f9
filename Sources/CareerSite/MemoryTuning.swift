internal import CSystem

/// How the process's memory allocator is set up for a build.
///
/// A release `careers` on Linux is linked with jemalloc (Scripts/release-flags.sh), which needs no tuning: both
/// calls below then do nothing and return false. The tuning is for glibc's allocator, which the debug build, the
/// preview server and a release build without jemalloc's archive use.
public enum MemoryTuning {
    /// The allocator the program runs with: "jemalloc", or "glibc" (or "system" on a C library other than glibc).
    public static var allocator: String {
        if careers_allocator_is_jemalloc() == 1 { return "jemalloc" }
        #if canImport(Glibc)
            return "glibc"
        #else
            return "system"
        #endif
    }

    /// Blocks of at least this many bytes get their own mapping, which goes back to the system when freed.
    public static let mappedBlockThreshold: Int32 = 256 * 1024

    /// Keeps large blocks out of the heap (glibc's allocator only; elsewhere it does nothing and returns false). The
    /// programs call it first thing.
    ///
    /// glibc raises its mapping threshold each time a large mapped block is freed, up to 32 MB, so after the first
    /// big page the rest (the whole-framework handout alone is 11 MB at 2,000 roles) come from the heap, whose freed
    /// space the process keeps. A fixed threshold stops that: peak memory of a 2,000-role build went from 122 MB to
    /// 91-102 MB in three runs each (`/usr/bin/time -f %M`), with no change in time.
    @discardableResult public static func limitHeapGrowth() -> Bool {
        careers_set_mapped_block_threshold(mappedBlockThreshold) == 1
    }

    /// How much more than it needs a heap grows by, and keeps when freed space is given back.
    public static let heapPadding: Int32 = 64 * 1024 * 1024

    /// Has heaps grow, and shrink, in steps of `heapPadding` (glibc's allocator only; elsewhere it does nothing and
    /// returns false). For a program that runs one build and exits: `careers` calls it, the preview server does not.
    ///
    /// With the mapping threshold fixed, glibc also keeps its default trim threshold (128 KB), so a heap whose top
    /// grew past that was given back to the system and grown again, over and over, as each thread freed a page's
    /// memory and made the next: every step a system call and fresh pages to fault in. Interleaved runs into tmpfs
    /// (medians; `GLIBC_TUNABLES=glibc.malloc.top_pad=67108864` had the same effect): 2,000 roles 0.485 s -> 0.460 s
    /// (system time 0.155 -> 0.135 s), 10,000 roles 2.69 s -> 2.56 s; peak memory 64 -> 66 MB and 254 -> 260 MB.
    @discardableResult public static func padHeapGrowth() -> Bool {
        careers_set_heap_padding(heapPadding) == 1
    }
}
