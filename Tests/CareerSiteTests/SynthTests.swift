import Foundation
import Testing

@testable import CareerSite

@Suite struct SynthTests {
    /// A fresh temporary folder.
    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("careers-synth-\(UUID().uuidString)")
    }

    /// Files grouped by their top-level folder ("roles", "framework.md" …).
    func group(_ files: [SynthFile]) -> [String: [SynthFile]] {
        Dictionary(grouping: files) { String($0.path.split(separator: "/").first ?? "") }
    }

    func frontMatter(_ file: SynthFile) -> [String] {
        let parts = file.contents.components(separatedBy: "\n---\n")
        return parts.first.map { $0.split(separator: "\n").map(String.init) } ?? []
    }

    func body(_ file: SynthFile) -> String {
        let parts = file.contents.components(separatedBy: "\n---\n")
        return parts.dropFirst().joined(separator: "\n---\n")
    }

    /// The quoted values on a front-matter line: `key: "a"` or `key: ["a", "b"]`.
    func values(_ line: String) -> [String] {
        line.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    func id(_ file: SynthFile) -> String {
        String(file.path.split(separator: "/").last?.dropLast(3) ?? "")
    }

    @Test func theSameRolesAndSeedGiveTheSameFiles() {
        let first = Synthesizer.files(roles: 120, seed: 7)
        let second = Synthesizer.files(roles: 120, seed: 7)
        #expect(first == second)
        #expect(first != Synthesizer.files(roles: 120, seed: 8))
        #expect(Set(first.map(\.path)).count == first.count)
    }

    @Test func writingTwiceGivesByteIdenticalFolders() throws {
        let one = temporaryFolder()
        let two = temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: one)
            try? FileManager.default.removeItem(at: two)
        }
        _ = try Synthesizer.write(roles: 40, seed: 3, to: one, displayName: "one")
        _ = try Synthesizer.write(roles: 40, seed: 3, to: two, displayName: "two")
        let paths = try FileManager.default.subpathsOfDirectory(atPath: one.path).sorted()
        #expect(paths == (try FileManager.default.subpathsOfDirectory(atPath: two.path).sorted()))
        for path in paths where path.hasSuffix(".md") || path == Synthesizer.markerName {
            let left = try Data(contentsOf: one.appendingPathComponent(path))
            let right = try Data(contentsOf: two.appendingPathComponent(path))
            #expect(left == right, "\(path) differs")
        }
    }

    @Test(arguments: [1, 2, 10, 100, 600])
    func checkFindsNothingToReport(roles: Int) throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content")
        _ = try Synthesizer.write(roles: roles, seed: 1, to: content, displayName: "Content")
        let options = BuildOptions(
            content: content, templates: TestSite.templates, output: root.appendingPathComponent("Output"), projectRoot: root)
        #expect(SiteBuilder.check(options).diagnostics.map(\.description) == [])
        if roles <= 10 {
            let report = SiteBuilder.build(options)
            #expect(report.diagnostics.map(\.description) == [])
            #expect(report.succeeded)
        }
    }

    @Test(arguments: [1, 10, 100, 3000])
    func countsScaleWithRoles(roles: Int) {
        let counts = SynthCounts(roles: roles)
        #expect(counts.stages == 6)
        #expect(counts.pages == 5)
        #expect(counts.domains == max(6, roles / 300))
        #expect(counts.capabilities == min(max(30, roles / 20), 8 * roles))
        #expect(counts.professions == max(12, roles / 40))
        #expect(counts.routes == (roles == 1 ? 0 : max(8, roles / 10)))
        let groups = group(Synthesizer.files(roles: roles, seed: 1))
        #expect(groups["framework.md"]?.count == 1)
        #expect((groups["stages"]?.count ?? 0) == counts.stages)
        #expect((groups["domains"]?.count ?? 0) == counts.domains)
        #expect((groups["capabilities"]?.count ?? 0) == counts.capabilities)
        #expect((groups["professions"]?.count ?? 0) == counts.professions)
        #expect((groups["roles"]?.count ?? 0) == roles)
        #expect((groups["routes"]?.count ?? 0) == counts.routes)
        #expect((groups["pages"]?.count ?? 0) == counts.pages)
    }

    @Test func largeCountsFollowTheFormulas() {
        let counts = SynthCounts(roles: 50_000)
        #expect(counts.domains == 166)
        #expect(counts.capabilities == 2500)
        #expect(counts.professions == 1250)
        #expect(counts.routes == 5000)
        #expect(SynthCounts(roles: 1).capabilities == 8)
    }

    @Test func everyReferenceResolvesAndShapesAreRealistic() throws {
        let files = Synthesizer.files(roles: 1500, seed: 11)
        let groups = group(files)
        var ids: [String: Set<String>] = [:]
        for kind in EntryKind.allCases { ids[kind.rawValue] = Set((groups[kind.folder] ?? []).map(id)) }
        let usedCapabilities = Set(
            (groups["roles"] ?? []).flatMap { role in frontMatter(role).filter { $0.hasPrefix("capabilities:") }.flatMap(values) })
        #expect(usedCapabilities == ids["capability"])

        for role in groups["roles"] ?? [] {
            let lines = frontMatter(role)
            func field(_ key: String) -> [String] { lines.filter { $0.hasPrefix(key + ":") }.flatMap(values) }
            #expect(field("stage").allSatisfy { ids["stage"]?.contains($0) == true })
            #expect(field("profession").allSatisfy { ids["profession"]?.contains($0) == true })
            #expect((3...8).contains(field("capabilities").count), "\(role.path)")
            #expect(Set(field("capabilities")).count == field("capabilities").count)
            #expect(field("capabilities").allSatisfy { ids["capability"]?.contains($0) == true })
            #expect((0...3).contains(field("next").count))
            #expect(field("next").allSatisfy { ids["role"]?.contains($0) == true && $0 != id(role) })
            let words = body(role).split(whereSeparator: \.isWhitespace).count
            #expect((240...420).contains(words), "\(role.path) has \(words) words")
            #expect(body(role).contains("## "))
        }
        for route in groups["routes"] ?? [] {
            let steps = frontMatter(route).filter { $0.hasPrefix("  - role:") }.flatMap(values)
            #expect((3...7).contains(steps.count), "\(route.path)")
            #expect(Set(steps).count == steps.count, "\(route.path) repeats a role")
            #expect(steps.allSatisfy { ids["role"]?.contains($0) == true })
            #expect(frontMatter(route).contains { $0.hasPrefix("    via:") })
        }
        for capability in groups["capabilities"] ?? [] {
            let levels = frontMatter(capability).filter { $0.hasPrefix("  ") }.count
            #expect(levels == 6, "\(capability.path)")
        }

        // Every kind:id link in every body names an existing entry.
        var links = 0
        var external = 0
        for file in files {
            var rest = body(file)[...]
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                let target = after[..<close]
                rest = after[close...]
                if target.hasPrefix("https://") || target.hasPrefix("mailto:") {
                    external += 1
                    continue
                }
                let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
                #expect(parts.count == 2 && ids[parts[0]]?.contains(parts[1]) == true, "\(file.path): \(target)")
                links += 1
            }
        }
        #expect(links > 1500 * 3)
        #expect(external > 10)
        #expect(files.contains { body($0).contains("`") })
    }

    @Test func refusesAFolderItDidNotWrite() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        #expect(throws: SynthError.self) { try Synthesizer.write(roles: 5, seed: 1, to: folder, displayName: "mine") }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
    }

    @Test func replacesItsOwnEarlierOutputButNothingElse() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Synthesizer.write(roles: 50, seed: 1, to: folder, displayName: "synth")
        _ = try Synthesizer.write(roles: 5, seed: 1, to: folder, displayName: "synth")
        let roles = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("roles").path)
        #expect(roles.count == 5)

        try Data("x".utf8).write(to: folder.appendingPathComponent("extra.txt"))
        #expect(throws: SynthError.self) { try Synthesizer.write(roles: 5, seed: 1, to: folder, displayName: "synth") }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("roles").path))
    }
}
