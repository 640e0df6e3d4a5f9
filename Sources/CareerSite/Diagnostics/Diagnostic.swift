/// A position in a source file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Path as shown to the user (relative to the working directory when possible).
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}

/// A problem found in user content or the environment, printed compiler-style.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    public var severity: Severity
    /// Where the problem is; `nil` for problems that belong to no file (e.g. a missing folder).
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    /// A warning recorded as text by an earlier build (`path:line:col: warning: message`), read back.
    static func recorded(_ text: String) -> Diagnostic {
        let marker = ": warning: "
        guard let range = text.range(of: marker) else { return .warning(text.replacingOccurrences(of: "warning: ", with: ""), at: nil) }
        let place = text[..<range.lowerBound].split(separator: ":").map(String.init)
        let message = String(text[range.upperBound...])
        if place.count >= 3, let line = Int(place[place.count - 2]), let column = Int(place[place.count - 1]) {
            return .warning(message, at: SourceLocation(path: place.dropLast(2).joined(separator: ":"), line: line, column: column))
        }
        return .warning(message, at: nil)
    }

    public static func warning(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// `path:line:col: error: message`, or `error: message` without a location.
    public var description: String {
        if let location {
            return "\(location): \(severity.rawValue): \(message)"
        }
        return "\(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// Diagnostics in the order users read them: by path, line and column; located ones first.
    public func sortedForDisplay() -> [Diagnostic] {
        sorted { a, b in
            switch (a.location, b.location) {
            case (nil, nil): return (a.severity, a.message) < (b.severity, b.message)
            case (nil, _): return true
            case (_, nil): return false
            case (let la?, let lb?):
                if la != lb { return la < lb }
                return (a.severity, a.message) < (b.severity, b.message)
            }
        }
    }

    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }
}

/// Thrown when a step cannot go on; carries every problem found so far.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sortedForDisplay()
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
