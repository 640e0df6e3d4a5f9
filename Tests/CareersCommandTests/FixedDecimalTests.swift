import Foundation
import Testing

@testable import careers

/// `Reporter.fixed(_:places:)` writes the times and sizes the program prints; it must write exactly what
/// `String(format: "%.<places>f")` wrote before it, rounding included.
@Suite struct FixedDecimalTests {
    func expected(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }

    @Test func knownValuesAreWrittenAsPrintfWritesThem() {
        let cases: [(Double, Int, String)] = [
            (0, 2, "0.00"), (0.004, 2, "0.00"), (0.005, 2, "0.01"), (0.015, 2, "0.01"), (0.125, 2, "0.12"),
            (0.375, 2, "0.38"), (1.005, 2, "1.00"), (2.675, 2, "2.67"), (0.995, 2, "0.99"), (0.9951, 2, "1.00"),
            (9.999, 2, "10.00"), (12.5, 0, "12"), (13.5, 0, "14"), (1.25, 1, "1.2"), (1.35, 1, "1.4"),
            (-0.001, 2, "-0.00"), (-1.255, 2, "-1.25"), (88.3, 1, "88.3"), (11.17, 1, "11.2"), (123_456.789, 3, "123456.789"),
        ]
        for (value, places, text) in cases {
            #expect(Reporter.fixed(value, places: places) == text, "\(value) with \(places) places")
            #expect(expected(value, places) == text, "the case itself: \(value) with \(places) places")
        }
    }

    /// Every value near a tie (k + 1/2 units of the last place, the values where a product's rounding could land on
    /// the wrong side), and values spread over the range the program prints, against `String(format:)`.
    @Test func tiesAndSpreadValuesMatchStringFormat() {
        var mismatches: [String] = []
        var checked = 0
        func check(_ value: Double, _ places: Int) {
            checked += 1
            let text = Reporter.fixed(value, places: places)
            let reference = expected(value, places)
            if text != reference, mismatches.count < 10 { mismatches.append("\(value) (\(places)): \(text) != \(reference)") }
        }
        for places in 0...3 {
            let unit = [1.0, 10.0, 100.0, 1000.0][places]
            for k in 0..<20_000 {
                let tie = (Double(k) + 0.5) / unit
                check(tie, places)
                check(tie.nextUp, places)
                check(tie.nextDown, places)
                check(-tie, places)
            }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<50_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double(state >> 11) / Double(1 << 53) * pow(10, Double(state % 7))
            check(value, Int(state >> 60) % 4)
        }
        #expect(mismatches == [])
        #expect(checked == 4 * 20_000 * 4 + 50_000)
    }

    @Test func valuesOutsideTheRangeAreWrittenAsTheirDescription() {
        #expect(Reporter.fixed(.infinity, places: 2) == "inf")
        #expect(Reporter.fixed(.nan, places: 2) == "nan")
        #expect(Reporter.fixed(1e20, places: 2) == "1e+20")
    }
}
