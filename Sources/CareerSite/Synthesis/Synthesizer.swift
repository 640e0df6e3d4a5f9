import Foundation

/// One synthetic content file: its path under the content folder and its text.
public struct SynthFile: Sendable, Equatable {
    public var path: String
    public var contents: String
}

/// Why synthetic content could not be written.
public struct SynthError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// What `Synthesizer.write` did.
public struct SynthSummary: Sendable {
    public var counts: SynthCounts
    public var files: Int
    public var bytes: Int
}

/// Generates realistic synthetic content in the shipped content format, for benchmarks and tests.
///
/// The same number of roles and seed always give byte-identical files (SplitMix64, no system randomness, no
/// dictionary or set iteration). Every reference resolves and every capability is used by a role, so
/// `careers check` reports nothing.
public enum Synthesizer {
    /// The file that marks a folder as synthetic output, so it can be replaced on the next run.
    public static let markerName = ".careers-synth"

    /// The content files for `roles` roles, in a fixed order (the marker is not included).
    public static func files(roles: Int, seed: UInt64) -> [SynthFile] {
        SynthProse(plan: SynthPlan(roles: roles, seed: seed)).files()
    }

    /// Writes the content files and the marker to `folder`.
    ///
    /// The folder may be missing, empty, or hold only what an earlier run wrote (it has the marker and nothing
    /// else than framework.md and the kind folders); that earlier output is replaced. Anything else is refused.
    public static func write(roles: Int, seed: UInt64, to folder: URL, displayName: String) throws -> SynthSummary {
        let fileManager = FileManager.default
        try prepare(folder, displayName: displayName, fileManager: fileManager)
        let files = files(roles: roles, seed: seed)
        var bytes = 0
        var folders = Set<String>()
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            let marker = "Written by careers synth --roles \(roles) --seed \(seed); the next run replaces this folder.\n"
            try Data(marker.utf8).write(to: folder.appendingPathComponent(markerName))
            for file in files {
                let url = folder.appendingPathComponent(file.path)
                let parent = url.deletingLastPathComponent()
                if folders.insert(parent.path).inserted {
                    try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
                }
                let data = Data(file.contents.utf8)
                bytes += data.count
                try data.write(to: url)
            }
        } catch {
            throw SynthError(description: "cannot write to '\(displayName)': \(error.localizedDescription)")
        }
        return SynthSummary(counts: SynthCounts(roles: roles), files: files.count, bytes: bytes)
    }

    /// The names a synthetic content folder holds at its top level.
    static var ownNames: [String] { [markerName, "framework.md"] + EntryKind.allCases.map(\.folder) }

    private static func prepare(_ folder: URL, displayName: String, fileManager: FileManager) throws {
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw SynthError(description: "'\(displayName)' exists and is not a folder") }
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw SynthError(description: "cannot read '\(displayName)': \(error.localizedDescription)")
        }
        if names.isEmpty { return }
        guard names.contains(markerName) else {
            throw SynthError(
                description:
                    "'\(displayName)' is not empty and was not written by careers synth (it has no \(markerName) file); "
                    + "choose a new or empty folder")
        }
        if let foreign = names.first(where: { !ownNames.contains($0) }) {
            throw SynthError(
                description: "'\(displayName)' holds '\(foreign)', which careers synth did not write; remove it or choose another folder")
        }
        for name in names where EntryKind(folder: name) != nil {
            let kindFolder = folder.appendingPathComponent(name)
            let entries = (try? fileManager.contentsOfDirectory(atPath: kindFolder.path)) ?? []
            if let foreign = entries.sorted().first(where: { !$0.hasSuffix(".md") }) {
                throw SynthError(
                    description:
                        "'\(displayName)/\(name)' holds '\(foreign)', which careers synth did not write; remove it or choose another folder"
                )
            }
        }
        do {
            for name in names where name != markerName {
                try fileManager.removeItem(at: folder.appendingPathComponent(name))
            }
        } catch {
            throw SynthError(description: "cannot clear the earlier output in '\(displayName)': \(error.localizedDescription)")
        }
    }
}
