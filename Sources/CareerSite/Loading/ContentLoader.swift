import Foundation

/// A content file that has been read and split, before its fields are typed.
struct SourceDocument: Sendable {
    var kind: EntryKind?
    /// The id from the file name (for `framework.md`, "framework").
    var id: String
    /// Path as shown in diagnostics.
    var path: String
    var frontMatter: YAMLNode?
    var frontMatterLine: Int
    var body: String
    var bodyLine: Int
}

/// Everything found under `Content/`: the documents that could be read, assets, and the problems so far.
struct LoadedContent: Sendable {
    var framework: SourceDocument?
    var documents: [SourceDocument] = []
    var assets: [Asset] = []
    var diagnostics: [Diagnostic] = []
    /// The ids of entries whose file is there but could not be read (not UTF-8, front matter not closed, invalid
    /// YAML), by kind. Their own error is reported; references to them are not, or one broken role file brought an
    /// "unknown role" error from every page and route that named it.
    var unreadable: [EntryKind: Set<String>] = [:]
    /// Each document's rendered body, by document path, when the loader rendered them (`ContentLoader.rendersBodies`);
    /// the documents' `body` is empty then.
    var renderedBodies: [String: RenderedBody]?
}

/// Finds and reads the files under `Content/`: checks names and layout, decodes text, splits front matter
/// and parses its YAML. Typing the fields is the job of `FieldReader` and `FrameworkBuilder`.
struct ContentLoader {
    /// The content folder on disk.
    let root: URL
    /// How the folder is named in diagnostics (e.g. "Content").
    let displayRoot: String
    /// Told the bytes of every file read, when a build checks its inputs (`InputLedger`).
    let ledger: InputLedger?
    /// Whether each document's Markdown body is rendered as soon as the file is read, and its source dropped
    /// (`LoadedContent.renderedBodies`), so that the sources of all the bodies and their HTML are never in memory
    /// together. The ids links may name are those of the files found, known before any is read. A check of one
    /// file in memory (`InMemoryContentCheck`) keeps the sources, to render them again against other ids.
    var rendersBodies = false
    private let fileManager = FileManager.default

    init(root: URL, displayRoot: String, ledger: InputLedger? = nil) {
        self.root = root
        self.displayRoot = displayRoot
        self.ledger = ledger
    }

    func load() -> LoadedContent {
        var content = LoadedContent()
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: root.path).sorted()
        } catch {
            content.diagnostics.append(.error("cannot read the content folder '\(displayRoot)'", at: nil))
            return content
        }
        let kindFolders = EntryKind.allCases.map(\.folder)
        // Files to read by path: a `URL` made for each cost 25,000 instructions (appendingPathComponent, then
        // path), 1.4 % of a build of 2,000 roles in a step that runs on one thread.
        var readPaths: [(kind: EntryKind?, path: String, display: String, id: String)] = []
        for name in names where !name.hasPrefix(".") {
            let url = root.appendingPathComponent(name)
            let display = "\(displayRoot)/\(name)"
            if isSymbolicLink(url) {
                content.diagnostics.append(
                    .error(
                        "symbolic links are not followed in the content folder; replace it with the file or folder itself",
                        at: SourceLocation(path: display)))
                continue
            }
            let isFolder = isDirectory(url)
            if name == "framework.md" && !isFolder {
                readPaths.append((nil, url.path, display, "framework"))
            } else if isFolder, let kind = EntryKind(folder: name) {
                scanKindFolder(kind, url: url, display: display, into: &readPaths, diagnostics: &content.diagnostics)
            } else if isFolder, name == "assets" {
                scanAssets(url: url, relative: "", display: display, into: &content)
            } else {
                let hint = Suggestions.hint(for: name, in: kindFolders + ["framework.md", "assets"])
                let expected = "expected framework.md, assets/ or one of the folders \(kindFolders.joined(separator: ", "))"
                content.diagnostics.append(
                    .error(
                        "unexpected \(isFolder ? "folder" : "file") '\(name)' in the content folder\(hint); \(expected)",
                        at: SourceLocation(path: display)))
            }
        }
        var byFoldedCase: [String: String] = [:]
        for asset in content.assets.sorted(by: { $0.path < $1.path }) {
            let folded = asset.path.lowercased()
            if let first = byFoldedCase[folded] {
                content.diagnostics.append(
                    .error(
                        "'assets/\(asset.path)' differs from 'assets/\(first)' only in case, so they would be one file on macOS or Windows; rename one",
                        at: SourceLocation(path: "\(displayRoot)/assets/\(asset.path)")))
            } else {
                byFoldedCase[folded] = asset.path
            }
        }
        if !names.contains("framework.md") {
            content.diagnostics.append(
                .error(
                    "missing '\(displayRoot)/framework.md': every site needs one framework.md with its title, edition, status and date",
                    at: nil))
        }
        // Files are read and parsed in parallel; the results are taken in path order, so nothing depends on
        // scheduling.
        let toRead = readPaths
        // Every file to read becomes a document or an unreadable entry: the ids the model will know.
        let known = rendersBodies ? FrameworkBuilder.knownIDs(toRead.map { ($0.kind, $0.id) }) : [:]
        let assetPaths = Set(content.assets.map(\.path))
        let rendersBodies = rendersBodies
        let results = ConcurrentResults<(SourceDocument?, RenderedBody?, [Diagnostic])>(count: toRead.count)
        DispatchQueue.concurrentPerform(iterations: toRead.count) { index in
            let item = toRead[index]
            var diagnostics: [Diagnostic] = []
            var document = read(item.path, display: item.display, kind: item.kind, id: item.id, diagnostics: &diagnostics)
            var rendered: RenderedBody?
            if rendersBodies, let source = document {
                rendered = FrameworkBuilder.renderBody(source, known: known, assets: assetPaths)
                document?.body = ""
            }
            results.set(index, (document, rendered, diagnostics))
        }
        if rendersBodies { content.renderedBodies = [:] }
        for (index, (document, rendered, diagnostics)) in results.values.enumerated() {
            content.diagnostics += diagnostics
            if let document, let rendered { content.renderedBodies?[document.path] = rendered }
            guard let document else {
                if let kind = readPaths[index].kind { content.unreadable[kind, default: []].insert(readPaths[index].id) }
                continue
            }
            if readPaths[index].kind == nil { content.framework = document } else { content.documents.append(document) }
        }
        return content
    }

    private func scanKindFolder(
        _ kind: EntryKind, url: URL, display: String,
        into paths: inout [(kind: EntryKind?, path: String, display: String, id: String)], diagnostics: inout [Diagnostic]
    ) {
        let folder = url.path
        let names = (try? fileManager.contentsOfDirectory(atPath: folder).sorted()) ?? []
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        for name in names where !name.hasPrefix(".") {
            let filePath = prefix + name
            let fileDisplay = "\(display)/\(name)"
            let location = SourceLocation(path: fileDisplay)
            // One lstat tells both (a symbolic link is refused, not followed).
            let onDisk = FileKind(path: filePath)
            if onDisk == .symbolicLink {
                diagnostics.append(
                    .error("symbolic links are not followed in the content folder; replace it with the file itself", at: location))
                continue
            }
            if onDisk == .folder {
                diagnostics.append(
                    .error("unexpected folder '\(name)' in \(display)/: \(kind.rawValue) files sit directly in it", at: location))
                continue
            }
            guard name.hasSuffix(".md") else {
                diagnostics.append(.error("unexpected file '\(name)' in \(display)/: only .md files belong here", at: location))
                continue
            }
            let id = String(name.dropLast(3))
            guard IdentifierRules.isValid(id) else {
                var message =
                    "invalid file name '\(name)': an id is lower-case letters, digits and single hyphens, starting with a letter, at most 64 characters"
                if let suggestion = IdentifierRules.suggestion(for: id) { message += " (rename it to '\(suggestion).md'?)" }
                diagnostics.append(.error(message, at: location))
                continue
            }
            paths.append((kind, filePath, fileDisplay, id))
        }
    }

    private func scanAssets(url: URL, relative: String, display: String, into content: inout LoadedContent) {
        let names = (try? fileManager.contentsOfDirectory(atPath: url.path).sorted()) ?? []
        for name in names where !name.hasPrefix(".") {
            let fileURL = url.appendingPathComponent(name)
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            if isSymbolicLink(fileURL) {
                content.diagnostics.append(
                    .error("symbolic links are not followed in the content folder", at: SourceLocation(path: "\(display)/\(path)")))
            } else if isDirectory(fileURL) {
                scanAssets(url: fileURL, relative: path, display: display, into: &content)
            } else {
                content.assets.append(Asset(path: path, sourcePath: fileURL.path))
            }
        }
    }

    private func read(_ path: String, display: String, kind: EntryKind?, id: String, diagnostics: inout [Diagnostic]) -> SourceDocument? {
        let file = SourceLocation(path: display)
        guard let data = FileBytes.read(path) else {
            diagnostics.append(.error("cannot read this file (check that it exists and you may read it)", at: file))
            return nil
        }
        ledger?.note(data, fromPath: path)
        return Self.document(from: data, display: display, kind: kind, id: id, diagnostics: &diagnostics)
    }

    /// The line and column of byte `offset` of `data`, whose bytes before it are valid UTF-8: lines end at line
    /// feeds, and columns count Unicode scalars from 1, as every other position does (a byte-order mark is not one).
    static func position(of offset: Int, in data: Data, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        data.withUnsafeBytes { bytes in
            var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while index < min(offset, bytes.count) {
                let byte = bytes[index]
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                index += 1
            }
        }
        return SourceLocation(path: file, line: line, column: column)
    }

    /// Decodes, splits and parses one file's bytes; nil (with a diagnostic at the file) when that fails.
    static func document(
        from data: Data, display: String, kind: EntryKind?, id: String, diagnostics: inout [Diagnostic]
    ) -> SourceDocument? {
        let file = SourceLocation(path: display)
        let text: String
        switch SourceText.decode(data) {
        case .success(let decoded): text = decoded
        case .failure(.utf16):
            diagnostics.append(.error("this file is UTF-16; save it as UTF-8", at: file))
            return nil
        case .failure(.invalidUTF8(let offset)):
            let byte = String(data[data.startIndex + offset], radix: 16, uppercase: true)
            diagnostics.append(
                .error(
                    "this file is not valid UTF-8 (first bad byte 0x\(byte) at offset \(offset)); save it as UTF-8",
                    at: position(of: offset, in: data, file: display)))
            return nil
        case .failure(.nulByte(let offset)):
            diagnostics.append(
                .error(
                    "this file contains a NUL byte at offset \(offset); it is not a text file",
                    at: position(of: offset, in: data, file: display)))
            return nil
        }
        let split: SplitDocument
        switch FrontMatterSplitter.split(text) {
        case .success(let document): split = document
        case .failure(.empty):
            diagnostics.append(.error("this file is empty; it needs front matter between two '---' lines", at: file))
            return nil
        case .failure(.missingOpening):
            diagnostics.append(.error("missing front matter: the first line must be exactly '---'", at: file))
            return nil
        case .failure(.missingClosing(let line)):
            diagnostics.append(
                .error(
                    "front matter is not closed: add a line that is exactly '---' after it", at: SourceLocation(path: display, line: line)))
            return nil
        }
        switch YAMLReader.parse(split.yaml, path: display, firstLine: split.yamlFirstLine) {
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        case .success(let root):
            return SourceDocument(
                kind: kind, id: id, path: display, frontMatter: root, frontMatterLine: split.yamlFirstLine,
                body: split.body, bodyLine: split.bodyFirstLine)
        }
    }

    /// Whether `url` is a folder (symbolic links are reported, and refused, before this is asked).
    private func isDirectory(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return fileManager.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }

    private func isSymbolicLink(_ url: URL) -> Bool { FileKind(path: url.path) == .symbolicLink }
}
