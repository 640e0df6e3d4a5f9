import Foundation

/// Decodes a content file's bytes into text: UTF-8 only, a leading BOM dropped, CRLF and CR folded to LF.
enum SourceText {
    enum Failure: Error, Equatable {
        case utf16
        case invalidUTF8(byteOffset: Int)
        case nulByte(byteOffset: Int)
    }

    static func decode(_ data: Data) -> Result<String, Failure> {
        // On the file's bytes where they are, with memchr for the NUL and CR searches.
        data.withUnsafeBytes { raw -> Result<String, Failure> in
            let all = raw.bindMemory(to: UInt8.self)
            if all.starts(with: [0xFF, 0xFE]) || all.starts(with: [0xFE, 0xFF]) {
                return .failure(.utf16)
            }
            let start = all.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let bytes = UnsafeBufferPointer(rebasing: all[start...])
            if let nul = ByteSearch.first(byte: 0, in: bytes) {
                return .failure(.nulByte(byteOffset: start + nul))
            }
            func invalid() -> Failure { .invalidUTF8(byteOffset: firstInvalidUTF8Offset(Array(all), from: start) ?? start) }
            // Line ends become "\n" (CRLF and lone CR), on the bytes: Foundation's search for "\r" in a String was a
            // noticeable part of loading a large site.
            guard ByteSearch.first(byte: 0x0D, in: bytes) != nil else {
                // The standard library checks the bytes as it makes the string: one pass over them, where checking
                // them first (`firstInvalidUTF8Offset`) and then decoding made two. The offset is looked for only
                // when they are not valid.
                if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
                return .failure(invalid())
            }
            var normalised: [UInt8] = []
            normalised.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == 0x0D {
                    normalised.append(0x0A)
                    if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                } else {
                    normalised.append(bytes[index])
                }
                index += 1
            }
            // Folding line ends changes no other byte, so the text is UTF-8 exactly when the file was.
            if let text = String(validating: normalised, as: UTF8.self) { return .success(text) }
            return .failure(invalid())
        }
    }

    /// Offset of the first byte that does not begin or continue a well-formed UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8], from start: Int = 0) -> Int? {
        var i = start
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return i
            }
            guard i + length <= n else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = (scalar << 6) | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            minimum = 0
            i += length
        }
        return nil
    }
}

/// A content file split into its front matter and Markdown body.
struct SplitDocument: Equatable {
    /// The YAML between the two `---` lines.
    var yaml: String
    /// The line on which the YAML starts (the line after the opening `---`).
    var yamlFirstLine: Int
    /// Everything after the closing `---` line.
    var body: String
    /// The line on which the body starts.
    var bodyFirstLine: Int
}

enum FrontMatterSplitter {
    enum Failure: Error, Equatable {
        case empty
        case missingOpening
        case missingClosing(openingLine: Int)
    }

    /// Splits on lines that are exactly `---`: the first line must be one; the next such line closes the block.
    ///
    /// The YAML is the lines between (without the last line break); the body is everything after the closing
    /// line, ending with one line break when it has any text. It scans the UTF-8 bytes line by line (a line break
    /// is ASCII, so every cut falls between characters).
    static func split(_ text: String) -> Result<SplitDocument, Failure> {
        // On byte offsets into the text's UTF-8 (found with memchr): walking `String.Index`es of the UTF-8 view
        // took thousands of instructions per line of front matter.
        var text = text
        let found: Result<(yamlStart: Int, yamlEnd: Int, bodyStart: Int, bodyFirstLine: Int), Failure> = text.withUTF8 { bytes in
            if bytes.allSatisfy({ $0 == 0x0A || $0 == 0x20 || $0 == 0x09 }) { return .failure(.empty) }
            /// Whether the line starting at `start` is exactly `---`; returns the offset after it (and its line break).
            func fence(at start: Int) -> Int? {
                guard start + 3 <= bytes.count, bytes[start] == UInt8(ascii: "-"), bytes[start + 1] == UInt8(ascii: "-"),
                    bytes[start + 2] == UInt8(ascii: "-")
                else { return nil }
                let after = start + 3
                if after == bytes.count { return after }
                return bytes[after] == 0x0A ? after + 1 : nil
            }
            guard let yamlStart = fence(at: 0) else { return .failure(.missingOpening) }
            var lineStart = yamlStart
            var line = 2
            while lineStart < bytes.count {
                if let bodyStart = fence(at: lineStart) {
                    // The YAML lines, without the line break before the closing fence.
                    return .success((yamlStart, lineStart > yamlStart ? lineStart - 1 : yamlStart, bodyStart, line + 1))
                }
                guard let newline = ByteSearch.first(byte: 0x0A, in: bytes, from: lineStart) else { break }
                lineStart = newline + 1
                line += 1
            }
            return .failure(.missingClosing(openingLine: 1))
        }
        switch found {
        case .failure(let failure): return .failure(failure)
        case .success(let (yamlStart, yamlEnd, bodyStart, bodyFirstLine)):
            // Every cut is next to an ASCII byte, so on a character boundary.
            let utf8 = text.utf8
            func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
            var body = Substring(text[index(bodyStart)...])
            // The final line break, dropped by its byte: `dropLast()` on a Substring counted every Character.
            if body.utf8.last == 0x0A { body = body[..<body.utf8.index(before: body.utf8.endIndex)] }
            return .success(
                SplitDocument(
                    yaml: String(text[index(yamlStart)..<index(yamlEnd)]), yamlFirstLine: 2,
                    body: body.isEmpty ? "" : String(body) + "\n", bodyFirstLine: bodyFirstLine))
        }
    }
}
