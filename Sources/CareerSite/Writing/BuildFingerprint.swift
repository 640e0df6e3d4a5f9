import Foundation

/// A fingerprint of everything a build reads: the generator itself, the folders' names, and the path and bytes
/// of every file under the content and templates folders. When it matches the one recorded by the last
/// successful build, and the output still holds what that build wrote, there is nothing to do.
struct BuildFingerprint: Sendable, Equatable {
    let value: String
    /// Each file's path and the FNV-1a hash of its bytes, for `InputLedger`.
    let files: [String: UInt64]

    /// Reads every input file; nil when any cannot be read (then the build runs in full and reports it).
    init?(options: BuildOptions) {
        var hash = FNV1a()
        hash.add(Self.generatorIdentity)
        hash.add(options.contentName)
        hash.add(options.templatesName)
        // A site built against a previous revision has a changes page and marks; one built without has neither,
        // so the two never count as the same build (the revision's own files are not read here).
        hash.add(options.previous.map { "previous\u{0}" + $0 } ?? "no previous")
        var files: [String: UInt64] = [:]
        for root in [options.content, options.templates] {
            hash.add("\u{0}root\u{0}")
            guard let found = Self.files(below: root) else { return nil }
            for (relative, url) in found {
                guard let data = try? Data(contentsOf: url) else { return nil }
                var fileHash = FNV1a()
                fileHash.add(data)
                files[url.path] = fileHash.state
                hash.add(relative)
                hash.add(UInt64(data.count))
                hash.add(fileHash.state)
            }
        }
        value = hash.hexDigest
        self.files = files
    }

    /// Every regular file below `root` (hidden names and symbolic links included, so that a change to them
    /// still triggers a full build and its diagnostics), sorted by relative path.
    private static func files(below root: URL) -> [(String, URL)]? {
        let base = root.standardizedFileURL.path
        guard FileKind(path: base) == .folder else { return nil }
        return FileTree.entries(below: base).filter { $0.kind == .file || $0.kind == .symbolicLink }
            .map { ($0.path, URL(fileURLWithPath: base + "/" + $0.path)) }.sorted { $0.0 < $1.0 }
    }

    /// The running executable's size and modification time: a rebuilt generator invalidates the fingerprint.
    static let generatorIdentity: String = {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path)|\(size)|\(modified)"
    }()
}

/// The bytes a build read of its inputs, checked against the fingerprint taken before it read anything.
///
/// The build records that fingerprint only when every file it read had the same bytes then. Checking the
/// fingerprint again at the end of the build was not enough: a file saved while the build ran and saved back
/// before it ended (an undo) gave the same fingerprint at both ends, so a site built from the other version was
/// recorded as up to date, and the next build did nothing.
final class InputLedger: @unchecked Sendable {
    private let expected: [String: UInt64]
    private let lock = NSLock()
    private var matched = true

    init(_ fingerprint: BuildFingerprint) { expected = fingerprint.files }

    /// Notes the bytes read from `url`; a file the fingerprint did not see, or saw with other bytes, is a change.
    func note(_ data: Data, from url: URL) {
        var hash = FNV1a()
        hash.add(data)
        let known = expected[url.path] ?? expected[url.standardizedFileURL.path]
        guard known != hash.state else { return }
        lock.lock()
        matched = false
        lock.unlock()
    }

    /// Whether every file read so far had the bytes the fingerprint saw.
    var allMatched: Bool {
        lock.lock()
        defer { lock.unlock() }
        return matched
    }
}

/// 64-bit FNV-1a: small, fast and stable across runs (unlike `Hasher`, which is seeded per process).
struct FNV1a {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }
    }

    mutating func add(_ data: Data) { data.withUnsafeBytes { add($0) } }
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        add(UInt64(0xFF))
    }
    mutating func add(_ number: UInt64) { withUnsafeBytes(of: number.littleEndian) { add($0) } }

    var hexDigest: String {
        let hex = String(state, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// What the last successful build recorded in the output folder's marker file.
struct BuildRecord: Codable, Equatable {
    var fingerprint: String
    /// Every file the build wrote or kept, with its size in bytes.
    var files: [String: Int]
    /// The warnings it reported, so a build that does nothing reports them again.
    var warnings: [String]
    /// Each handout's size, for the summary.
    var handouts: [String: Int]
}
