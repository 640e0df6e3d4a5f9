import Foundation

/// A fingerprint of everything a build reads: the generator itself, the folders' names, and the path and bytes
/// of every file under the content and templates folders. When it matches the one recorded by the last
/// successful build, and the output still holds what that build wrote, there is nothing to do.
struct BuildFingerprint: Sendable, Equatable {
    let value: String
    /// Each file's full path and the hash of its bytes, in listing order.
    private let paths: [String]
    private let hashes: [UInt64]
    /// The regular files that had settled when they were looked at (`FileStamp.isSettled`): each one's name in the
    /// build record (`KnownInput.name`), with its stamp and hash.
    private let settledNames: [String]
    private let settled: [KnownInput]
    /// How many files were read and hashed (the others' hashes came from `known`).
    let hashedCount: Int
    /// How many of those have stamps in `inputs`: files the last record had no stamp for (or another one) that
    /// have settled since, so a build that does nothing still records them for the next one.
    let newlySettledCount: Int

    /// Reads every input file; nil when any cannot be read (then the build runs in full and reports it).
    /// `now`: the time just before the files are looked at, in nanoseconds since 1970 (a parameter for tests).
    init?(options: BuildOptions, known: [String: KnownInput] = [:], now: Int64 = FileStamp.now()) {
        guard let listing = InputListing(options: options) else { return nil }
        self.init(options: options, listing: listing, known: known, now: now)
    }

    /// The fingerprint of the files in `listing`, which was made after `now`.
    ///
    /// A regular file whose stamp is the one in `known` (what the last build recorded) is not read: its hash is
    /// the recorded one. The others are read and hashed in parallel, a run of them per task: a no-op rebuild at
    /// 10,000 roles would otherwise read 12,000 files (35 MB).
    init?(options: BuildOptions, listing: InputListing, known: [String: KnownInput], now: Int64) {
        var hash = InputHash()
        hash.add(Self.generatorIdentity)
        hash.add(options.contentName)
        hash.add(options.templatesName)
        // A site built against a previous revision has a changes page and marks; one built without has neither,
        // so the two never count as the same build (the revision's own files are not read here).
        hash.add(options.previous.map { "previous\u{0}" + $0 } ?? "no previous")
        var paths: [String] = []
        var hashes: [UInt64] = []
        var settledNames: [String] = []
        var settled: [KnownInput] = []
        var hashedCount = 0
        var newlySettledCount = 0
        for (rootName, found) in listing.roots {
            hash.add("\u{0}root\u{0}")
            // Each file's size and hash, and whether it was read.
            var sizesAndHashes = [(Int, UInt64, Bool)?](repeating: nil, count: found.count)
            var unknown: [Int] = []
            let names = found.map { KnownInput.name(rootName, $0.relative) }
            for (index, file) in found.enumerated() {
                if let stamp = file.stamp, let input = known[names[index]], input.stamp == stamp {
                    sizesAndHashes[index] = (Int(stamp.size), input.hash, false)
                } else {
                    unknown.append(index)
                }
            }
            guard let hashed = Self.hashes(of: unknown.map { found[$0].path }) else { return nil }
            hashedCount += unknown.count
            for (index, (size, fileHash)) in zip(unknown, hashed) { sizesAndHashes[index] = (size, fileHash, true) }
            paths.reserveCapacity(paths.count + found.count)
            hashes.reserveCapacity(hashes.count + found.count)
            for (index, (file, sizeAndHash)) in zip(found, sizesAndHashes).enumerated() {
                guard let (size, fileHash, read) = sizeAndHash else { return nil }
                paths.append(file.path)
                hashes.append(fileHash)
                hash.add(file.relative)
                hash.add(UInt64(size))
                hash.add(fileHash)
                if let stamp = file.stamp, stamp.isSettled(before: now) {
                    settledNames.append(names[index])
                    settled.append(KnownInput(stamp: stamp, hash: fileHash))
                    if read { newlySettledCount += 1 }
                }
            }
        }
        value = hash.hexDigest
        self.paths = paths
        self.hashes = hashes
        self.settledNames = settledNames
        self.settled = settled
        self.hashedCount = hashedCount
        self.newlySettledCount = newlySettledCount
    }

    /// Each file's full path and the hash of its bytes (`InputHash`), for `InputLedger`. Made on each use: a build
    /// that does nothing never needs it.
    var files: [String: UInt64] { Dictionary(zip(paths, hashes)) { first, _ in first } }

    /// Each settled regular file's stamp and hash, by its name in the build record, for the next build. Made on
    /// each use, like `files`.
    var inputs: [String: KnownInput] { Dictionary(zip(settledNames, settled)) { first, _ in first } }

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

    /// The running executable's stamp: a rebuilt generator invalidates the fingerprint. When the program's file
    /// cannot be found, a value no other run has, so that nothing built by another program is taken as current.
    static let generatorIdentity: String = {
        // The stamp of the running program's file (`stat` follows /proc/self/exe to it): a rebuilt careers is a
        // new file, or the same file with a new size and times. One `stat`: FileManager's attributesOfItem made a
        // dictionary of every attribute, whose first use cost about 350,000 instructions of start-up.
        var info = stat()
        guard
            stat("/proc/self/exe", &info) == 0
                || Bundle.main.executablePath.map({ stat($0, &info) == 0 }) == true
        else { return "unknown program \(FileStamp.now())" }
        let stamp = FileStamp(info)
        return "\(stamp.device)|\(stamp.inode)|\(stamp.size)|\(stamp.modified)|\(stamp.changed)"
    }()
}

/// The files a build reads, as found on disk before any is read: the part of a fingerprint that does not need
/// the last build's record, so the two can be had at the same time.
struct InputListing: Sendable {
    /// For the content folder, then the templates folder: its name in the record (`KnownInput.contentRoot`…)
    /// and its files.
    let roots: [(name: String, files: [(relative: String, path: String, stamp: FileStamp?)])]

    /// nil when either folder is not a folder.
    init?(options: BuildOptions) {
        var roots: [(name: String, files: [(relative: String, path: String, stamp: FileStamp?)])] = []
        for (root, name) in [(options.content, KnownInput.contentRoot), (options.templates, KnownInput.templatesRoot)] {
            guard let files = Self.files(below: root) else { return nil }
            roots.append((name, files))
        }
        self.roots = roots
    }

    /// Every regular file below `root` (hidden names and symbolic links included, so that a change to them
    /// still triggers a full build and its diagnostics), sorted by relative path in byte order, with its full
    /// path and, for a regular file, its stamp (a symbolic link has none: its own stamp says nothing of what it
    /// points to).
    private static func files(below root: URL) -> [(relative: String, path: String, stamp: FileStamp?)]? {
        let base = root.standardizedFileURL.path
        guard FileKind(path: base) == .folder else { return nil }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        let found = FileTree.entries(below: base).filter { $0.kind == .file || $0.kind == .symbolicLink }
        // Sorted as indices: swapping the entries themselves copied three fields, with their reference counts, at
        // every step.
        let order = found.indices.sorted { found[$0].path.precedesInByteOrder(found[$1].path) }
        return order.map { (relative: found[$0].path, path: prefix + found[$0].path, stamp: found[$0].stamp) }
    }
}

/// An input file's stamp and the hash of its bytes, as a build record keeps them so that the next build need not
/// read the file while its stamp is unchanged.
struct KnownInput: Equatable, Sendable {
    var stamp: FileStamp
    var hash: UInt64

    static let contentRoot = "content"
    static let templatesRoot = "templates"

    /// How the record names a file: its folder's role and its path in that folder, never the folder's own path,
    /// which would put where the site was built (a home folder, say) into the published output.
    static func name(_ root: String, _ relative: String) -> String { root + "/" + relative }
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
    func note(_ data: Data, from url: URL) { note(data, fromPath: url.path) }

    /// The same for a file read by its path.
    func note(_ data: Data, fromPath path: String) {
        var hash = InputHash()
        hash.add(data)
        let known = expected[path] ?? expected[URL(fileURLWithPath: path).standardizedFileURL.path]
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

    var hexDigest: String { Self.hex(state) }

    /// `value` in 16 hexadecimal digits, zeros first.
    static func hex(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
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
    /// The stamp and hash of each input file that had settled, by its name (`KnownInput.name`), so the next
    /// build hashes only files whose stamps changed.
    var inputs: [String: KnownInput] = [:]
}

/// The record as text: a line naming the format, then one line per item, each a word, a space and the rest.
///
/// ```
/// careers build record 3
/// fingerprint 0f3c…
/// file 2686 404.html
/// handout 23412 handouts/role-district-nurse.html
/// input 9c0e5a1d33b2f870 2049 1835263 1730 1764583815123456789 1764583815123456789 content/roles/district-nurse.md
/// warning Content/capabilities/x.md: warning: no role uses this capability
/// ```
///
/// An `input` line holds the file's hash (16 hexadecimal digits), then its stamp: device, inode, size, and the
/// modification and status-change times in nanoseconds since 1970.
///
/// Paths and warnings may hold any character, so a backslash, a line feed and a carriage return in them are
/// written `\\`, `\n` and `\r`. Files, handouts and inputs are sorted by path, so the same build writes the
/// same bytes.
/// JSON (format 1) took `JSONDecoder` 19 % of a no-op rebuild at 10,000 roles, for 23,000 entries; this is read
/// with one pass over the bytes. A marker in another format gives no record, so the next build runs in full.
extension BuildRecord {
    static let formatLine = "careers build record 3"

    /// The text of the record, with a line feed after every line.
    var text: String { String(decoding: bytes(after: ""), as: UTF8.self) }

    /// The record's UTF-8 bytes after `header`, written straight into one buffer: as lines of `String`s made by
    /// interpolation and joined, it took 85 million instructions at 2,000 roles (18,000 a line), at the end of
    /// the build where nothing else runs beside it.
    @inline(never)  // a function of its own, for Scripts/scaling.sh to count
    func bytes(after header: String) -> Data {
        let sink = ByteSink(capacity: 64 * (files.count + handouts.count) + 128 * inputs.count + 1_024)
        sink.append(header)
        sink.append(Self.formatLine)
        sink.append(UInt8(ascii: "\n"))
        Self.line("fingerprint", fingerprint, into: sink)
        for (path, size) in files.sorted(by: { $0.key.precedesInByteOrder($1.key) }) {
            Self.line("file", size: size, path, into: sink)
        }
        for (path, size) in handouts.sorted(by: { $0.key.precedesInByteOrder($1.key) }) {
            Self.line("handout", size: size, path, into: sink)
        }
        for (name, input) in inputs.sorted(by: { $0.key.precedesInByteOrder($1.key) }) {
            let stamp = input.stamp
            sink.append("input ")
            Self.appendHex(input.hash, into: sink)
            for number in [stamp.device, stamp.inode] {
                sink.append(UInt8(ascii: " "))
                Self.appendDecimal(number, into: sink)
            }
            for number in [stamp.size, stamp.modified, stamp.changed] {
                sink.append(UInt8(ascii: " "))
                Self.appendDecimal(number, into: sink)
            }
            sink.append(UInt8(ascii: " "))
            Self.appendEscaped(name, into: sink)
            sink.append(UInt8(ascii: "\n"))
        }
        for warning in warnings { Self.line("warning", warning, into: sink) }
        return sink.takeData()
    }

    /// A line: the word, the size if there is one, then the text escaped.
    private static func line(_ word: StaticString, size: Int? = nil, _ text: String, into sink: ByteSink) {
        sink.append(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        if let size {
            sink.append(UInt8(ascii: " "))
            appendDecimal(Int64(size), into: sink)
        }
        sink.append(UInt8(ascii: " "))
        appendEscaped(text, into: sink)
        sink.append(UInt8(ascii: "\n"))
    }

    /// A whole number in decimal, as `String(value)` writes it.
    private static func appendDecimal(_ value: Int64, into sink: ByteSink) {
        if value < 0 { sink.append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude, into: sink)
    }

    private static func appendDecimal(_ value: UInt64, into sink: ByteSink) { DecimalDigits.with(value) { sink.append($0) } }

    /// Sixteen lower-case hexadecimal digits, as `InputHash.hex` writes them.
    private static func appendHex(_ value: UInt64, into sink: ByteSink) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let digit = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF
            sink.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }

    /// The text with a backslash, a line feed and a carriage return written `\\`, `\n` and `\r`.
    private static func appendEscaped(_ text: String, into sink: ByteSink) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() {
                let escape: UInt8
                switch byte {
                case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
                case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
                default: continue
                }
                sink.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                sink.append(UInt8(ascii: "\\"))
                sink.append(escape)
                start = index + 1
            }
            sink.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// Reads `text` as written by `text`; nil for anything else (another format, a damaged or cut-off file).
    init?(text: Substring) {
        var text = text
        guard let record = text.withUTF8({ Self(bytes: $0) }) else { return nil }
        self = record
    }

    /// Reads the UTF-8 bytes of a record, in one pass over them with no copy but the strings it keeps. The
    /// generic `split` and `firstIndex(of:)` of `String.UTF8View` it used before took two thirds of a no-op
    /// rebuild's instructions at 10,000 roles (17,000 a line).
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        var lines = RecordLines(bytes)
        let ascii = Self.isASCII(bytes)
        func text(_ field: UnsafeBufferPointer<UInt8>.SubSequence) -> String? { Self.unescaped(field, ascii: ascii) }
        guard let first = lines.next(), first.elementsEqual(Self.formatLine.utf8) else { return nil }
        var fingerprint: String?
        var files: [String: Int] = [:]
        var handouts: [String: Int] = [:]
        var warnings: [String] = []
        var inputs: [String: KnownInput] = [:]
        files.reserveCapacity(bytes.count / 40)
        while let line = lines.next() {
            var fields = RecordFields(line)
            guard let word = fields.next() else { return nil }
            switch word.count {
            case 4 where word.elementsEqual("file".utf8), 7 where word.elementsEqual("handout".utf8):
                guard let size = fields.next().flatMap(Self.number), let path = text(fields.rest) else { return nil }
                if word.count == 4 { files[path] = size } else { handouts[path] = size }
            case 5 where word.elementsEqual("input".utf8):
                guard let (input, name) = Self.input(&fields, ascii: ascii) else { return nil }
                inputs[name] = input
            case 7 where word.elementsEqual("warning".utf8):
                guard let warning = text(fields.rest) else { return nil }
                warnings.append(warning)
            case 11 where word.elementsEqual("fingerprint".utf8) && fingerprint == nil:
                guard let value = text(fields.rest) else { return nil }
                fingerprint = value
            default:
                return nil
            }
        }
        guard lines.endedCleanly, let fingerprint else { return nil }
        self.init(fingerprint: fingerprint, files: files, warnings: warnings, handouts: handouts, inputs: inputs)
    }

    /// An `input` line after its word: the hash, the five numbers of the stamp and the name, one space apart.
    private static func input(_ fields: inout RecordFields, ascii: Bool) -> (KnownInput, String)? {
        guard let hashField = fields.next(), hashField.count == 16, let hash = hexadecimal(hashField),
            let device = fields.next().flatMap(unsignedNumber), let inode = fields.next().flatMap(unsignedNumber),
            let size = fields.next().flatMap(number), let modified = fields.next().flatMap(signedNumber),
            let changed = fields.next().flatMap(signedNumber), let name = unescaped(fields.rest, ascii: ascii)
        else { return nil }
        let stamp = FileStamp(device: device, inode: inode, size: Int64(size), modified: modified, changed: changed)
        return (KnownInput(stamp: stamp, hash: hash), name)
    }

    /// Decimal digits, at least one, of a value up to `UInt64.max`; nil for anything else.
    private static func unsignedNumber(_ digits: UnsafeBufferPointer<UInt8>.SubSequence) -> UInt64? {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (tens, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = tens.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }

    /// `unsignedNumber` of a value up to `Int.max`.
    private static func number(_ digits: UnsafeBufferPointer<UInt8>.SubSequence) -> Int? {
        unsignedNumber(digits).flatMap { Int(exactly: $0) }
    }

    /// `unsignedNumber`, or `-` and `unsignedNumber`, of a value that fits in an `Int64` (any that `String(_:)`
    /// writes, `Int64.min` included).
    private static func signedNumber(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Int64? {
        guard text.first == UInt8(ascii: "-") else { return unsignedNumber(text).flatMap { Int64(exactly: $0) } }
        guard let magnitude = unsignedNumber(text.dropFirst()), magnitude <= Int64.min.magnitude else { return nil }
        return Int64(truncatingIfNeeded: 0 &- magnitude)
    }

    private static func hexadecimal(_ digits: UnsafeBufferPointer<UInt8>.SubSequence) -> UInt64? {
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// Whether every byte is below 128. Such bytes are valid UTF-8, so `String(decoding:as:)` may make strings
    /// of them: `String(validating:as:)` on a buffer took 1,600 instructions a path.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        var high: UInt64 = 0
        while offset + 8 <= raw.count {
            high |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < raw.count {
            high |= UInt64(raw[offset])
            offset += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The text `escaped` made into `bytes`; nil for an escape it does not make or bytes that are not UTF-8.
    /// `ascii`: the bytes are known to be ASCII.
    private static func unescaped(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence, ascii: Bool) -> String? {
        guard bytes.contains(UInt8(ascii: "\\")) else {
            let buffer = UnsafeBufferPointer(rebasing: bytes)
            return ascii ? String(decoding: buffer, as: UTF8.self) : String(validating: buffer, as: UTF8.self)
        }
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

/// The lines of a record's bytes, each without its line feed. A record ends with a line feed, so bytes after
/// the last one mean it was cut off (`endedCleanly` is then false).
private struct RecordLines {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var start = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var endedCleanly: Bool { start == bytes.count }

    mutating func next() -> UnsafeBufferPointer<UInt8>.SubSequence? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
        else { return nil }
        let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        defer { start = end + 1 }
        return bytes[start..<end]
    }
}

/// The fields of a record line, one space apart; the last field (a path or a message) is `rest`, which may
/// hold spaces.
private struct RecordFields {
    private(set) var rest: UnsafeBufferPointer<UInt8>.SubSequence

    init(_ line: UnsafeBufferPointer<UInt8>.SubSequence) { rest = line }

    /// The next field; nil when no space follows it.
    mutating func next() -> UnsafeBufferPointer<UInt8>.SubSequence? {
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        defer { rest = rest[(space + 1)...] }
        return rest[..<space]
    }
}
