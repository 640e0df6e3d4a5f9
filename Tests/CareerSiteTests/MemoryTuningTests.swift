import Testing

@testable import CareerSite

@Suite struct MemoryTuningTests {
    /// The programs set this first thing; on glibc the call must take (a build without it peaks about 20 % higher).
    @Test func theAllocatorTakesTheMappedBlockThreshold() {
        #if os(Linux)
            #expect(MemoryTuning.limitHeapGrowth())
        #else
            #expect(!MemoryTuning.limitHeapGrowth())
        #endif
    }

    /// The tests' build is not linked with jemalloc (only a release `careers` is: Scripts/check-release.sh checks
    /// that one), so it runs with the C library's allocator, which the two calls here tune.
    @Test func theTestBuildRunsWithTheCLibrarysAllocator() {
        #if canImport(Glibc)
            #expect(MemoryTuning.allocator == "glibc")
        #else
            #expect(MemoryTuning.allocator == "system")
        #endif
    }

    /// `careers` pads heap growth first thing; on glibc the call must take.
    @Test func theAllocatorTakesTheHeapPadding() {
        #if os(Linux)
            #expect(MemoryTuning.padHeapGrowth())
        #else
            #expect(!MemoryTuning.padHeapGrowth())
        #endif
    }
}
