import Foundation

/// An entry's id, typed by its kind so a role id can never be used where a stage id is meant.
///
/// Valid ids are lower-case ASCII letters, digits and single hyphens, 1 to 64 characters, starting with a letter.
public struct ID<Kind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }
}

public typealias StageID = ID<Stage>
public typealias DomainID = ID<Domain>
public typealias CapabilityID = ID<Capability>
public typealias ProfessionID = ID<Profession>
public typealias RoleID = ID<Role>
public typealias RouteID = ID<Route>
public typealias PageID = ID<Page>

/// The kinds of entry, named as their content folders and their `kind:id` link prefixes.
public enum EntryKind: String, CaseIterable, Sendable, Comparable {
    case stage, domain, capability, profession, role, route, page

    /// The folder under `Content/` and under the output.
    public var folder: String {
        switch self {
        case .stage: "stages"
        case .domain: "domains"
        case .capability: "capabilities"
        case .profession: "professions"
        case .role: "roles"
        case .route: "routes"
        case .page: "pages"
        }
    }

    public init?(folder: String) {
        guard let kind = EntryKind.allCases.first(where: { $0.folder == folder }) else { return nil }
        self = kind
    }

    public static func < (lhs: EntryKind, rhs: EntryKind) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// A reference to any entry, untyped: used for links in Markdown and for output paths.
public struct EntryRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var kind: EntryKind
    public var id: String

    public init(_ kind: EntryKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.rawValue):\(id)" }

    public static func < (lhs: EntryRef, rhs: EntryRef) -> Bool { (lhs.kind, lhs.id) < (rhs.kind, rhs.id) }
}

enum IdentifierRules {
    /// Whether `text` is a valid id: `[a-z][a-z0-9]*(-[a-z0-9]+)*`, at most 64 characters.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            bytes.last != UInt8(ascii: "-")
        else { return false }
        var previousHyphen = false
        for byte in bytes {
            let isHyphen = byte == UInt8(ascii: "-")
            let isLower = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            let isDigit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            guard isHyphen || isLower || isDigit else { return false }
            if isHyphen && previousHyphen { return false }
            previousHyphen = isHyphen
        }
        return true
    }

    /// Lower-case letters with no decomposition, as they are usually written in ASCII.
    private static let latinLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    ]

    /// A valid id that a person probably meant by `text` (`District Nurse` -> `district-nurse`, `Café` -> `cafe`),
    /// if any. Accents are dropped rather than the letters that carry them (which suggested `caf` for `café`).
    static func suggestion(for text: String) -> String? {
        var result = ""
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if let spelled = Self.latinLetters[scalar] {
                result += spelled
                continue
            }
            if scalar.isASCII, CharacterSetLike.isAlphanumeric(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasPrefix("-") || result.first.map({ $0.isNumber }) == true { result.removeFirst() }
        while result.hasSuffix("-") { result.removeLast() }
        result = String(result.prefix(64))
        while result.hasSuffix("-") { result.removeLast() }
        return isValid(result) && result != text ? result : nil
    }
}

private enum CharacterSetLike {
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
