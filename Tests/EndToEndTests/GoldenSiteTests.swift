import Foundation
import Testing

@testable import CareerSite

/// Builds each fixture site and compares every output file with its committed golden copy.
@Suite struct GoldenSiteTests {
    static let fixtures = ["minimal"]

    @Test(arguments: fixtures) func buildMatchesGoldenFiles(_ name: String) throws {
        let content = Repository.tests.appendingPathComponent("Fixtures/\(name)/Content")
        let golden = Repository.tests.appendingPathComponent("Golden/\(name)")
        let output = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }

        let report = SiteBuilder.build(options(content: content, output: output))
        #expect(report.succeeded, "\(report.diagnostics.map(\.description))")
        var actual = try filesBelow(output)
        actual[SiteWriter.marker] = nil
        // The build's own diagnostics are part of the golden record, so warnings cannot change unnoticed.
        actual["diagnostics.txt"] = Data(report.diagnostics.map { $0.description + "\n" }.joined().utf8)

        if Repository.recording {
            try? FileManager.default.removeItem(at: golden)
            for (path, data) in actual {
                let url = golden.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            Issue.record("Recorded \(actual.count) golden files for '\(name)'; run again without CAREERS_RECORD to compare.")
            return
        }
        let expected = try filesBelow(golden)
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (path, data) in expected.sorted(by: { $0.key < $1.key }) {
            guard let built = actual[path] else { continue }
            if built != data {
                Issue.record("\(path) differs from Golden/\(name)/\(path); if the change is intended, re-record with CAREERS_RECORD=1")
            }
        }
    }

    @Test func buildIsDeterministic() throws {
        let content = Repository.tests.appendingPathComponent("Fixtures/minimal/Content")
        let first = temporaryFolder()
        let second = temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        #expect(SiteBuilder.build(options(content: content, output: first)).succeeded)
        #expect(SiteBuilder.build(options(content: content, output: second)).succeeded)
        #expect(try filesBelow(first) == filesBelow(second))
    }
}

/// Broken fixtures: each folder's `expected.txt` lists the exact diagnostics, in order.
@Suite struct BrokenFixtureTests {
    static var fixtures: [String] {
        let folder = Repository.tests.appendingPathComponent("Broken")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test(arguments: fixtures) func diagnosticsMatchExpected(_ name: String) throws {
        let folder = Repository.tests.appendingPathComponent("Broken/\(name)")
        let output = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        let options = options(content: folder.appendingPathComponent("Content"), output: output)

        let check = SiteBuilder.check(options)
        let build = SiteBuilder.build(options)
        let actual = check.diagnostics.map { $0.description + "\n" }.joined()
        #expect(!check.succeeded)
        #expect(build.diagnostics == check.diagnostics, "build and check must report the same problems")
        #expect(!FileManager.default.fileExists(atPath: output.path), "a failed build must write nothing")

        let expectedURL = folder.appendingPathComponent("expected.txt")
        if Repository.recording {
            try Data(actual.utf8).write(to: expectedURL)
            Issue.record("Recorded expected diagnostics for '\(name)'; run again without CAREERS_RECORD to compare.")
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(actual == expected)
    }
}
