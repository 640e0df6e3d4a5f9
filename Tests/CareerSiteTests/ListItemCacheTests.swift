import Foundation
import Testing

@testable import CareerSite

@Suite struct ListItemCacheTests {
    /// An item is made once for each entry and folder depth, and every page at that depth gets the same item.
    @Test func eachItemIsMadeOncePerEntryAndDepth() {
        let cache = ListItemCache()
        var made: [String] = []
        func item(_ id: String, _ root: String) -> TemplateContext {
            cache.item(id, root: root) {
                made.append("\(id)@\(root)")
                return ["href": root + "roles/\(id).html"]
            }
        }
        for _ in 0..<3 {
            #expect(item("nurse", "../")["href"] as? String == "../roles/nurse.html")
            #expect(item("nurse", "")["href"] as? String == "roles/nurse.html")
            #expect(item("paramedic", "../")["href"] as? String == "../roles/paramedic.html")
        }
        #expect(made == ["nurse@../", "nurse@", "paramedic@../"])
    }
}
