import Foundation

/// Decodes a content file's bytes into text: UTF-8 only, a leading BOM dropped, CRLF and CR folded to LF.
enum SourceText {
    enum Failure: Error, Equatable {
        case utf16
        case invalidUTF8(byteOffset: Int)
        case nulByte(byteOffset: Int)
    }

    static func decode(_ data: Data) -> Result<String, Failure> {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(.utf16)
        }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        if let nul = bytes[start...].firstIndex(of: 0) {
            return .failure(.nulByte(byteOffset: nul))
        }
        // Line ends become "\n" (CRLF and lone CR), on the bytes: Foundation's search for "\r" in a String was a
        // noticeable part of loading a large site.
        guard bytes[start...].contains(0x0D) else {
            // The standard library checks the bytes as it makes the string: one pass over them, where checking
            // them first (`firstInvalidUTF8Offset`) and then decoding made two. The offset is looked for only
            // when they are not valid.
            if let text = String(validating: bytes[start...], as: UTF8.self) { return .success(text) }
            return .failure(.invalidUTF8(byteOffset: firstInvalidUTF8Offset(bytes, from: start) ?? start))
        }
        if let bad = firstInvalidUTF8Offset(bytes, from: start) {
            return .failure(.invalidUTF8(byteOffset: bad))
        }
        var normalised: [UInt8] = []
        normalised.reserveCapacity(bytes.count - start)
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0D {
                normalised.append(0x0A)
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                normalised.append(bytes[index])
            }
            index += 1
        }
        return .success(String(decoding: normalised, as: UTF8.self))
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
        let bytes = text.utf8
        if bytes.allSatisfy({ $0 == 0x0A || $0 == 0x20 || $0 == 0x09 }) { return .failure(.empty) }
        /// Whether the line starting at `start` is exactly `---`; returns the index after it (and its line break).
        func fence(at start: String.Index) -> String.Index? {
            var index = start
            for _ in 0..<3 {
                guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") else { return nil }
                index = bytes.index(after: index)
            }
            if index == bytes.endIndex { return index }
            return bytes[index] == 0x0A ? bytes.index(after: index) : nil
        }
        guard let yamlStart = fence(at: bytes.startIndex) else { return .failure(.missingOpening) }
        var lineStart = yamlStart
        var line = 2
        while lineStart < bytes.endIndex {
            if let bodyStart = fence(at: lineStart) {
                // The YAML lines, without the line break before the closing fence.
                let yamlEnd = lineStart > yamlStart ? bytes.index(before: lineStart) : yamlStart
                var body = Substring(text[bodyStart...])
                // The final line break, dropped by its byte: `dropLast()` on a Substring counted every Character.
                if body.utf8.last == 0x0A { body = body[..<body.utf8.index(before: body.utf8.endIndex)] }
                return .success(
                    SplitDocument(
                        yaml: String(text[yamlStart..<yamlEnd]), yamlFirstLine: 2, body: body.isEmpty ? "" : String(body) + "\n",
                        bodyFirstLine: line + 1))
            }
            guard let newline = bytes[lineStart...].firstIndex(of: 0x0A) else { break }
            lineStart = bytes.index(after: newline)
            line += 1
        }
        return .failure(.missingClosing(openingLine: 1))
    }
}
