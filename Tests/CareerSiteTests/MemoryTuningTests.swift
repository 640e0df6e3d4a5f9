import Foundation
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

    /// A build's one flush goes through the C target (syncfs on Linux): it succeeds on a real folder, and a folder
    /// that cannot be opened is a "flush" error naming it.
    @Test func theFileSystemOfAFolderIsFlushed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("careers-flush-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("x".utf8).write(to: folder.appendingPathComponent("a.html"))
        try POSIXFileSystem().synchronize(folder: folder.path)
        let missing = folder.appendingPathComponent("missing").path
        #expect(throws: WriteError.self) { try POSIXFileSystem().synchronize(folder: missing) }
        do {
            try POSIXFileSystem().synchronize(folder: missing)
        } catch {
            #expect("\(error)".hasPrefix("cannot flush '\(missing)': "))
        }
    }
}
