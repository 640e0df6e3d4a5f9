import Foundation

/// A content folder loaded once, against which one file's bytes can be checked in memory, as if the file had been
/// saved with them: decoding, front matter, YAML, fields, references and Markdown links, without touching the disk.
/// The fuzz target (`Fuzz/`) feeds it arbitrary bytes.
public struct InMemoryContentCheck: Sendable {
    private let content: LoadedContent
    private let displayRoot: String

    public init(root: URL, displayRoot: String) {
        content = ContentLoader(root: root, displayRoot: displayRoot).load()
        self.displayRoot = displayRoot
    }

    /// The problems a check would report if `path` (relative to the content folder: `framework.md` or
    /// `<kind folder>/<id>.md`) held `bytes`, sorted for display.
    public func diagnostics(replacing path: String, with bytes: Data) -> [Diagnostic] {
        let display = "\(displayRoot)/\(path)"
        var kind: EntryKind?
        var id = "framework"
        if path != "framework.md" {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let found = EntryKind(folder: String(parts[0])), parts[1].hasSuffix(".md"),
                IdentifierRules.isValid(String(parts[1].dropLast(3)))
            else {
                return [.error("not a content file path: use framework.md or <kind folder>/<id>.md", at: SourceLocation(path: display))]
            }
            kind = found
            id = String(parts[1].dropLast(3))
        }
        var replaced = content
        replaced.documents.removeAll { $0.path == display }
        // What the loader said of the file on disk is replaced too, as is whether it could be read.
        replaced.diagnostics.removeAll { $0.location?.path == display }
        if let kind { replaced.unreadable[kind]?.remove(id) }
        if kind == nil { replaced.framework = nil }
        let document = ContentLoader.document(from: bytes, display: display, kind: kind, id: id, diagnostics: &replaced.diagnostics)
        if let document {
            if kind == nil { replaced.framework = document } else { replaced.documents.append(document) }
        } else if let kind {
            replaced.unreadable[kind, default: []].insert(id)
        }
        var builder = FrameworkBuilder(content: replaced)
        return builder.build().1
    }
}
