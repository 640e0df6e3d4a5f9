import Foundation

/// What a template sees of a context value when it looks the value up. Text is HTML-escaped as it is written,
/// `RawHTML` goes in as it is, and empty text of either kind counts as absent (nil), so `{{#field}}…{{/field}}` shows
/// only when the field has text and a name with empty text is looked up further out in the context stack, as if the
/// key were missing.
enum TemplateValue {
    case text(String)
    case html(String)
    /// Rendered output (`RenderedHTML`): UTF-8 bytes that came from valid strings, written as they are.
    case bytes(Data)
    case bool(Bool)
    case map(TemplateContext)
    case maps([TemplateContext])
    /// A list of maps made one at a time as a section shows them (`LazyMaps`).
    case lazyMaps(LazyMaps)
    /// A list of other values (text, numbers…), each pushed as the current object in turn.
    case list([TemplateValue])
    /// A whole number (counts), written in decimal.
    case int(Int)
    /// Another template rendered straight into the output where it is written (`DeferredRender`).
    case deferred(DeferredRender)
}

/// A template's context: names to values of the kinds `TemplateData` lists.
typealias TemplateContext = TemplateMap

/// A value a template context can hold: text, markup, flags, whole numbers, maps, lists, and the renderer's own
/// kinds (`LazyMaps`, `DeferredRender`). Each type says how a template sees it, so a lookup costs one protocol call.
/// Contexts were `[String: Any]` before, and telling the types apart with runtime casts was 5 % of a build of a
/// 2,000-role framework; a type a template cannot show (an optional, say) was written with `String(describing:)`,
/// and is now a compile-time error.
protocol TemplateData {
    /// How a template sees this value; nil when it counts as absent (empty text).
    var templateValue: TemplateValue? { get }
    /// How a template sees a list of such values.
    static func templateList(_ items: [Self]) -> TemplateValue
}

extension TemplateData {
    static func templateList(_ items: [Self]) -> TemplateValue { .list(items.map { $0.templateValue ?? .text("") }) }
}

extension String: TemplateData {
    var templateValue: TemplateValue? { isEmpty ? nil : .text(self) }
}

extension RawHTML: TemplateData {
    var templateValue: TemplateValue? { html.isEmpty ? nil : .html(html) }
}

extension RenderedHTML: TemplateData {
    var templateValue: TemplateValue? { bytes.isEmpty ? nil : .bytes(bytes) }
}

extension Bool: TemplateData {
    var templateValue: TemplateValue? { .bool(self) }
}

extension Int: TemplateData {
    var templateValue: TemplateValue? { .int(self) }
}

extension LazyMaps: TemplateData {
    var templateValue: TemplateValue? { .lazyMaps(self) }
}

extension DeferredRender: TemplateData {
    var templateValue: TemplateValue? { .deferred(self) }
}

extension TemplateMap: TemplateData {
    var templateValue: TemplateValue? { .map(self) }
    static func templateList(_ items: [Self]) -> TemplateValue { .maps(items) }
}

extension Array: TemplateData where Element: TemplateData {
    var templateValue: TemplateValue? { Element.templateList(self) }
}

/// Renders parsed templates (`TemplateParser`) into UTF-8 bytes. Every piece written is a valid string or
/// rendered output, so the bytes are valid UTF-8 and are never checked again: a page's content goes into its
/// layout, and the page into its file, as bytes (`RenderedHTML`, then the file's `Data`, made without a copy by
/// `ByteSink`). Appending to a `String` cost about 400 instructions a piece (11 % of a build); making a `String` of
/// each page would validate every byte.
///
/// Names are looked up from the innermost context outwards; only maps have names. A section shows its content
/// once for `true` or a value (pushed as the current object), once per item of a non-empty list, and not at all
/// for `false`, an empty list or a missing value; an inverted section is the opposite. A map or a list in a
/// variable tag writes nothing. A partial tag alone on its line indents the partial's lines by the tag's
/// indentation as swift-mustache 2.1.1 did: a line of output is indented when it starts a piece of the template
/// (text, a tag or a whole section) or a later line inside one piece. So when one repeat of a section ends a line,
/// the next repeat's first line is not indented, where the Mustache specification indents every line.
struct TemplateRenderer {
    private let program: TemplateProgram
    /// `program`'s arrays, read through pointers while a render is under way (see `TemplateProgram`).
    private let operations: UnsafeBufferPointer<TemplateProgram.Operation>
    private let text: UnsafeBufferPointer<UInt8>
    private let names: UnsafeBufferPointer<TemplateProgram.Name>
    private let nameParts: UnsafeBufferPointer<TemplateProgram.NamePart>
    private let output: ByteSink
    private var stack: [TemplateValue] = []
    /// Takes finished bytes out of the output while rendering goes on (see `renderData(…, drain:)`).
    private var drain: ((ByteSink) -> Void)?
    /// How many bytes wait in the output before `drain` is called.
    private static let drainThreshold = 1 << 16
    /// Renders under way that indent their lines; they hold positions in the output, so nothing is drained then.
    private var indentedFrames = 0

    /// The named template filled with `context`, as UTF-8 bytes; empty when there is no such template.
    /// `capacity`: room for the output to start with, when the caller knows it is large.
    /// `drain`: called now and then during rendering with the output so far, from which it may remove bytes from the
    /// start (`ByteSink.removeFirst`) to use them as they are made; the result is then what it left. It is called
    /// only between whole pieces of the template (never inside a tag's output) and never while a partial's lines are
    /// being indented, so what it removes is final.
    static func renderData(
        _ name: String, program: TemplateProgram, context: TemplateContext, capacity: Int = 16_384,
        drain: ((ByteSink) -> Void)? = nil
    ) -> Data {
        guard let range = program.template(named: name) else { return Data() }
        let output = ByteSink(capacity: capacity)
        program.operations.withUnsafeBufferPointer { operations in
            program.text.withUnsafeBufferPointer { text in
                program.names.withUnsafeBufferPointer { names in
                    program.nameParts.withUnsafeBufferPointer { nameParts in
                        var renderer = TemplateRenderer(
                            program: program, operations: operations, text: text, names: names, nameParts: nameParts,
                            output: output, stack: [.map(context)], drain: drain)
                        renderer.render(range, indentation: [])
                    }
                }
            }
        }
        return output.takeData()
    }

    /// The same from parsed templates (compiled for this one render).
    static func renderData(
        _ name: String, library: [String: [TemplateNode]], context: TemplateContext, capacity: Int = 16_384,
        drain: ((ByteSink) -> Void)? = nil
    ) -> Data {
        renderData(name, program: TemplateProgram(library: library), context: context, capacity: capacity, drain: drain)
    }

    /// The same as a `String`.
    static func render(_ name: String, library: [String: [TemplateNode]], context: TemplateContext) -> String {
        String(decoding: renderData(name, library: library, context: context), as: UTF8.self)
    }

    /// The operation after `index`'s and its children.
    private func next(after index: Int) -> Int {
        let operation = operations[index]
        return operation.kind == .section || operation.kind == .invertedSection ? operation.second : index + 1
    }

    /// Renders the sibling operations in `range` (a template's, or a section's children).
    private mutating func render(_ range: Range<Int>, indentation: [UInt8]) {
        var index = range.lowerBound
        if indentation.isEmpty {
            while index < range.upperBound {
                render(at: index, indentation: indentation)
                index = next(after: index)
                if let drain, indentedFrames == 0, output.count >= Self.drainThreshold { drain(output) }
            }
            return
        }
        indentedFrames += 1
        defer { indentedFrames -= 1 }
        // Indentation goes before any non-empty output that starts a line of this template's own output (a line
        // ends at "\n" as a Swift Character, so not at "\r\n").
        let start = output.count
        while index < range.upperBound {
            let before = output.count
            let startsLine =
                before > start && output[before - 1] == UInt8(ascii: "\n")
                && !(before - 2 >= start && output[before - 2] == UInt8(ascii: "\r"))
            render(at: index, indentation: indentation)
            if startsLine, output.count > before { output.insert(indentation, at: before) }
            index = next(after: index)
        }
    }

    private mutating func render(at index: Int, indentation: [UInt8]) {
        let operation = operations[index]
        switch operation.kind {
        case .text:
            output.append(UnsafeBufferPointer(rebasing: text[operation.first..<operation.second]))
        case .variable:
            if let value = lookup(operation.first) { write(value) }
        case .section:
            renderSection(lookup(operation.first), index + 1..<operation.second, indentation: indentation)
        case .invertedSection:
            renderInverted(lookup(operation.first), index + 1..<operation.second, indentation: indentation)
        case .partial:
            guard operation.first >= 0 else { return }
            let own = operation.second >= 0 ? indentation + program.indentations[operation.second] : indentation
            render(program.templates[operation.first], indentation: own)
        }
    }

    private mutating func renderSection(_ value: TemplateValue?, _ children: Range<Int>, indentation: [UInt8]) {
        switch value {
        case nil: return
        case .bool(let flag): if flag { render(children, indentation: indentation) }
        case .maps(let maps):
            for map in maps { renderPushing(.map(map), children, indentation: indentation) }
        case .lazyMaps(let lazy):
            for index in 0..<lazy.count { renderPushing(.map(lazy.make(index)), children, indentation: indentation) }
        case .list(let items):
            for item in items { renderPushing(item, children, indentation: indentation) }
        case .some(let value):
            renderPushing(value, children, indentation: indentation)
        }
    }

    private mutating func renderInverted(_ value: TemplateValue?, _ children: Range<Int>, indentation: [UInt8]) {
        switch value {
        case nil: render(children, indentation: indentation)
        case .bool(let flag): if !flag { render(children, indentation: indentation) }
        case .maps(let maps): if maps.isEmpty { renderPushing(.maps(maps), children, indentation: indentation) }
        case .lazyMaps(let lazy): if lazy.count == 0 { renderPushing(.lazyMaps(lazy), children, indentation: indentation) }
        case .list(let items): if items.isEmpty { renderPushing(.list(items), children, indentation: indentation) }
        case .some: return
        }
    }

    private mutating func renderPushing(_ value: TemplateValue, _ children: Range<Int>, indentation: [UInt8]) {
        stack.append(value)
        render(children, indentation: indentation)
        stack.removeLast()
    }

    /// The value of the name `nameIndex` of the program.
    private func lookup(_ nameIndex: Int) -> TemplateValue? {
        let name = names[nameIndex]
        guard !name.parts.isEmpty else { return stack.last }
        let first = name.parts.lowerBound
        var value: TemplateValue?
        if name.anchored {
            value = stack.last.flatMap { Self.child(nameParts[first], of: $0) }
        } else {
            for frame in stack.reversed() {
                if let found = Self.child(nameParts[first], of: frame) {
                    value = found
                    break
                }
            }
        }
        for part in name.parts.dropFirst() {
            guard let current = value else { return nil }
            value = Self.child(nameParts[part], of: current)
        }
        return value
    }

    private static func child(_ part: TemplateProgram.NamePart, of frame: TemplateValue) -> TemplateValue? {
        guard case .map(let map) = frame else { return nil }
        return map.shown(for: part.key, hash: part.hash)
    }

    private mutating func write(_ value: TemplateValue) {
        switch value {
        case .text(let text): appendEscaped(text)
        case .html(let html): append(html)
        case .bytes(let data): output.append(data)
        case .bool(let flag): append(flag ? "true" : "false")
        case .map, .maps, .lazyMaps, .list: return
        case .deferred(let deferred):
            guard let range = program.template(named: deferred.name) else { return }
            let outer = stack
            stack = [.map(deferred.context)]
            render(range, indentation: [])
            stack = outer
        case .int(let number): append(String(number))
        }
    }

    private func append(_ text: String) { output.append(text) }

    private func appendEscaped(_ text: String) { output.appendEscaped(text) }
}
