internal import CSystem

/// How the process's memory allocator is set up for a build.
public enum MemoryTuning {
    /// Blocks of at least this many bytes get their own mapping, which goes back to the system when freed.
    public static let mappedBlockThreshold: Int32 = 256 * 1024

    /// Keeps large blocks out of the heap (glibc only; elsewhere it does nothing and returns false). The
    /// programs call it first thing.
    ///
    /// glibc raises its mapping threshold each time a large mapped block is freed, up to 32 MB, so after the first
    /// big page the rest (the whole-framework handout alone is 11 MB at 2,000 roles) come from the heap, whose freed
    /// space the process keeps. A fixed threshold stops that: peak memory of a 2,000-role build went from 122 MB to
    /// 91-102 MB in three runs each (`/usr/bin/time -f %M`), with no change in time.
    @discardableResult public static func limitHeapGrowth() -> Bool {
        careers_set_mapped_block_threshold(mappedBlockThreshold) == 1
    }
}
