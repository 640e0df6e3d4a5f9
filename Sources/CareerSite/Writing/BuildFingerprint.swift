import Foundation

/// A fingerprint of everything a build reads: the generator itself, the folders' names, and the path and bytes
/// of every file under the content and templates folders. When it matches the one recorded by the last
/// successful build, and the output still holds what that build wrote, there is nothing to do.
struct BuildFingerprint: Sendable, Equatable {
    let value: String
    /// Each file's path and the hash of its bytes (`InputHash`), for `InputLedger`.
    let files: [String: UInt64]

    /// Reads every input file; nil when any cannot be read (then the build runs in full and reports it).
    ///
    /// The files are read and hashed in parallel, a run of them per task: a no-op rebuild is mostly this, and at
    /// 10,000 roles it reads 12,000 files (35 MB).
    init?(options: BuildOptions) {
        var hash = InputHash()
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
            guard let hashed = Self.hashes(of: found.map(\.1)) else { return nil }
            files.reserveCapacity(files.count + found.count)
            for ((relative, path), (size, fileHash)) in zip(found, hashed) {
                files[path] = fileHash
                hash.add(relative)
                hash.add(UInt64(size))
                hash.add(fileHash)
            }
        }
        value = hash.hexDigest
        self.files = files
    }

    /// Every regular file below `root` (hidden names and symbolic links included, so that a change to them
    /// still triggers a full build and its diagnostics), sorted by relative path, with its full path.
    private static func files(below root: URL) -> [(String, String)]? {
        let base = root.standardizedFileURL.path
        guard FileKind(path: base) == .folder else { return nil }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return FileTree.entries(below: base).filter { $0.kind == .file || $0.kind == .symbolicLink }
            .map { ($0.path, prefix + $0.path) }.sorted { $0.0 < $1.0 }
    }

    /// Each file's size and hash, in the order given; nil when any cannot be read.
    private static func hashes(of paths: [String]) -> [(Int, UInt64)]? {
        let runs = min(paths.count, 64)
        guard runs > 0 else { return [] }
        let results = ConcurrentResults<[(Int, UInt64)]?>(count: runs)
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            var sizesAndHashes: [(Int, UInt64)] = []
            for index in stride(from: run * paths.count / runs, to: (run + 1) * paths.count / runs, by: 1) {
                guard let data = FileBytes.read(paths[index]) else {
                    results.set(run, nil)
                    return
                }
                var fileHash = InputHash()
                fileHash.add(data)
                sizesAndHashes.append((data.count, fileHash.state))
            }
            results.set(run, sizesAndHashes)
        }
        let done = results.values
        guard done.count == runs else { return nil }
        var all: [(Int, UInt64)] = []
        all.reserveCapacity(paths.count)
        for run in done {
            guard let run else { return nil }
            all += run
        }
        return all
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
        var hash = InputHash()
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

/// A 64-bit hash of bytes, taken 16 at a time with the multiply-and-fold step of wyhash. It is stable across runs
/// and machines (unlike `Hasher`, which is seeded per process), and it replaced a byte-at-a-time FNV-1a that took
/// four cycles a byte and was the largest part of a no-op rebuild's own work. It tells versions of a file apart;
/// it is not meant to resist someone crafting a collision.
struct InputHash {
    private(set) var state: UInt64 = 0x2d35_8dcc_aa6c_78a5

    private static let k0: UInt64 = 0xa076_1d64_78bd_642f
    private static let k1: UInt64 = 0xe703_7ed1_a0b4_28db
    private static let k2: UInt64 = 0x8ebc_6af0_9c88_c6e3

    /// The high and low halves of the 128-bit product, folded.
    @inline(__always) private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }

    /// Adds `bytes` and their count, so that no two sequences of calls with different pieces give the same state
    /// by shifting bytes from one piece to the next.
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var state = self.state
        let count = bytes.count
        var offset = 0
        while offset + 16 <= count {
            let a = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let b = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            state = Self.fold(a ^ Self.k0, b ^ state ^ Self.k1)
            offset += 16
        }
        var a: UInt64 = 0
        var b: UInt64 = 0
        for index in offset..<count {
            let position = index - offset
            let byte = UInt64(bytes[index]) << UInt64((position & 7) * 8)
            if position < 8 { a |= byte } else { b |= byte }
        }
        self.state = Self.fold(a ^ Self.k0 ^ UInt64(count), b ^ state ^ Self.k2)
    }

    mutating func add(_ data: Data) { data.withUnsafeBytes { add($0) } }
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }
    mutating func add(_ number: UInt64) { withUnsafeBytes(of: number.littleEndian) { add($0) } }

    var hexDigest: String {
        let hex = String(state, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// What the last successful build recorded in the output folder's marker file.
struct BuildRecord: Equatable {
    var fingerprint: String
    /// Every file the build wrote or kept, with its size in bytes.
    var files: [String: Int]
    /// The warnings it reported, so a build that does nothing reports them again.
    var warnings: [String]
    /// Each handout's size, for the summary.
    var handouts: [String: Int]
}

/// The record as text: a line naming the format, then one line per item, each a word, a space and the rest.
///
/// ```
/// careers build record 2
/// fingerprint 0f3c…
/// file 2686 404.html
/// handout 23412 handouts/role-district-nurse.html
/// warning Content/capabilities/x.md: warning: no role uses this capability
/// ```
///
/// Paths and warnings may hold any character, so a backslash, a line feed and a carriage return in them are
/// written `\\`, `\n` and `\r`. Files and handouts are sorted by path, so the same build writes the same bytes.
/// JSON (format 1) took `JSONDecoder` 19 % of a no-op rebuild at 10,000 roles, for 23,000 entries; this is read
/// with one pass over the bytes. A marker in another format gives no record, so the next build runs in full.
extension BuildRecord {
    static let formatLine = "careers build record 2"

    /// The text of the record, with a line feed after every line.
    var text: String {
        var lines = [Self.formatLine, "fingerprint " + Self.escaped(fingerprint)]
        lines.reserveCapacity(files.count + handouts.count + warnings.count + 2)
        for (path, size) in files.sorted(by: { $0.key < $1.key }) { lines.append("file \(size) " + Self.escaped(path)) }
        for (path, size) in handouts.sorted(by: { $0.key < $1.key }) { lines.append("handout \(size) " + Self.escaped(path)) }
        for warning in warnings { lines.append("warning " + Self.escaped(warning)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads `text` as written by `text`; nil for anything else (another format, a damaged or cut-off file).
    init?(text: Substring) {
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true else { return nil }  // cut off before its last line feed
        lines.removeLast()
        guard let first = lines.first, String(Substring(first)) == Self.formatLine else { return nil }
        var fingerprint: String?
        var files: [String: Int] = [:]
        var handouts: [String: Int] = [:]
        var warnings: [String] = []
        files.reserveCapacity(lines.count)
        for line in lines.dropFirst() {
            guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
            let rest = line[line.index(after: space)...]
            let word = String(Substring(line[..<space]))
            switch word {
            case "file", "handout":
                guard let gap = rest.firstIndex(of: UInt8(ascii: " ")), let size = Int(String(Substring(rest[..<gap]))),
                    let path = Self.unescaped(rest[rest.index(after: gap)...])
                else { return nil }
                if word == "file" { files[path] = size } else { handouts[path] = size }
            case "warning":
                guard let warning = Self.unescaped(rest) else { return nil }
                warnings.append(warning)
            case "fingerprint" where fingerprint == nil:
                fingerprint = Self.unescaped(rest)
            default:
                return nil
            }
        }
        guard let fingerprint else { return nil }
        self.init(fingerprint: fingerprint, files: files, warnings: warnings, handouts: handouts)
    }

    private static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
        else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text `escaped` made into `bytes`; nil for an escape it does not make or bytes that are not UTF-8.
    private static func unescaped(_ bytes: Substring.UTF8View.SubSequence) -> String? {
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(Substring(bytes)) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var escape = false
        for byte in bytes {
            if escape {
                switch byte {
                case UInt8(ascii: "\\"): result.append(byte)
                case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): result.append(UInt8(ascii: "\r"))
                default: return nil
                }
                escape = false
            } else if byte == UInt8(ascii: "\\") {
                escape = true
            } else {
                result.append(byte)
            }
        }
        return escape ? nil : String(validating: result, as: UTF8.self)
    }
}
