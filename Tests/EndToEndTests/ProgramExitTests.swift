import Foundation
import Testing

/// The `careers` program reads a plain build's arguments itself (`BuildRequest.init(quickParsing:)`) and leaves
/// everything else to ArgumentParser. Both ways must print the same and exit with the same status. A repeated
/// option is never read directly, so `--output o --output o` takes ArgumentParser's way to the same build.
@Suite struct ProgramExitTests {
    @Test func aBuildPrintsAndExitsTheSameEitherWay() throws {
        let binary = try #require(InterruptTests.binary, "build the careers binary first (swift build --build-tests)")
        let root = temporaryFolder()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("Output").path
        func run(_ content: URL, twice: Bool) throws -> InterruptTests.Child {
            let options = ["--content", content.path, "--templates", Repository.templates.path, "--output", output]
            let child = try InterruptTests.Child(binary, ["build"] + options + (twice ? ["--output", output] : []), keepOutput: true)
            child.wait()
            return child
        }

        // A broken content folder: status 1, the same diagnostics, and nothing written.
        let broken = Repository.tests.appendingPathComponent("Broken/references/Content")
        let expected = try String(contentsOf: Repository.tests.appendingPathComponent("Broken/references/expected.txt"), encoding: .utf8)
        var printed: [String] = []
        for twice in [false, true] {
            let child = try run(broken, twice: twice)
            #expect(child.wait() == 1 << 8, "repeated option: \(twice)")
            let errors = child.takeErrors()
            let lines = errors.split(separator: "\n").map(String.init)
            let expectedLines = expected.split(separator: "\n").map(String.init)
            #expect(lines.count == expectedLines.count + 1, "\(errors)")
            for (line, wanted) in zip(lines, expectedLines) {
                #expect(line == broken.deletingLastPathComponent().path + "/" + wanted)
            }
            #expect(lines.last?.hasSuffix("; nothing was written.") == true, "\(errors)")
            #expect(child.output == "")
            #expect(!FileManager.default.fileExists(atPath: output))
            printed.append(errors)
        }
        #expect(printed[0] == printed[1])

        // A small content folder: a full build, then a build with nothing to do, each way.
        let fixture = Repository.tests.appendingPathComponent("Fixtures/minimal/Content")
        var reports: [String] = []
        for twice in [false, true] {
            try? FileManager.default.removeItem(atPath: output)
            let full = try run(fixture, twice: twice)
            #expect(full.wait() == 0, "\(full.takeErrors())")
            #expect(full.output.hasPrefix("Built "), "\(full.output)")
            #expect(full.output.contains(" written, 0 unchanged, 0 removed, 1 warning.\n"), "\(full.output)")
            // The report without its time.
            reports.append(full.output.replacing(#/ in [0-9.]+ s:/#, with: ":") + full.takeErrors())
            let again = try run(fixture, twice: !twice)
            #expect(again.wait() == 0, "\(again.takeErrors())")
            #expect(again.output.hasPrefix("Nothing changed since the last build ("), "\(again.output)")
        }
        #expect(reports[0] == reports[1])
    }
}
