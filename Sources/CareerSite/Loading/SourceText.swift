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
        if let bad = firstInvalidUTF8Offset(bytes, from: start) {
            return .failure(.invalidUTF8(byteOffset: bad))
        }
        var text = String(decoding: bytes[start...], as: UTF8.self)
        if text.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return .success(text)
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
    static func split(_ text: String) -> Result<SplitDocument, Failure> {
        if text.allSatisfy({ $0 == "\n" || $0 == " " || $0 == "\t" }) { return .failure(.empty) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == "---" else { return .failure(.missingOpening) }
        guard let closing = lines.dropFirst().firstIndex(of: "---") else {
            return .failure(.missingClosing(openingLine: 1))
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        let bodyLines = lines[(closing + 1)...]
        var body = bodyLines.joined(separator: "\n")
        if !body.isEmpty { body += "\n" }
        return .success(SplitDocument(yaml: yaml, yamlFirstLine: 2, body: body, bodyFirstLine: closing + 2))
    }
}
