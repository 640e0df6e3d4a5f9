import Testing

@testable import CareerSite

@Suite struct IDTableTests {
    /// The table finds what a dictionary finds, and nothing else: for tables of every size up to a few hundred, with
    /// ids that share long prefixes (so hashes and slots collide), looked up present and absent.
    @Test func itFindsExactlyWhatADictionaryFinds() {
        var generator = SplitMix64(seed: 31)
        for count in [0, 1, 2, 3, 7, 8, 9, 64, 300] {
            var entries: [RoleID: Int] = [:]
            while entries.count < count {
                let id = RoleID("district-nurse-\(generator.next() % 1_000)")
                entries[id] = Int(generator.next() % 100)
            }
            let table = IDTable(entries)
            for (id, value) in entries { #expect(table[id] == value, "\(id)") }
            for probe in 0..<1_000 {
                let id = RoleID("district-nurse-\(probe)")
                #expect(table[id] == entries[id], "\(id)")
            }
            #expect(table[RoleID("")] == nil)
        }
    }
}
