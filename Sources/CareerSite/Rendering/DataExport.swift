import Foundation

/// The framework as data: `data/framework.json` (everything) and `data/framework.csv` (roles × capabilities).
///
/// Both are pure functions of the model, written the same way every time. `Docs/data-format.md` documents
/// every field and column; keep the two in step.
enum DataExport {
    /// Where the files go, site-root-relative.
    static let jsonPath = "data/framework.json"
    static let csvPath = "data/framework.csv"

    /// The `format` value, and its version: raise the version when a field is renamed or removed or its meaning
    /// changes (adding a field does not need a new version).
    static let formatName = "careers-framework"
    static let formatVersion = 1

    // MARK: JSON

    /// `data/framework.json`: pretty-printed with a 2-space indent, keys in a fixed order, ending with a newline.
    ///
    /// Every key is always present: an optional field that is not set is `null`, and a list that is not set is
    /// `[]`. References are ids. Markdown (descriptors, `entry`, bodies) is given as plain text.
    static func json(for framework: Framework) -> String { String(decoding: jsonData(for: framework), as: UTF8.self) }

    /// The same as UTF-8 bytes, for the file (valid UTF-8: every piece comes from a string).
    static func jsonData(for framework: Framework) -> Data { whole { writeJSON(for: framework, to: $0) } }

    /// The same bytes, handed to `write` in pieces of up to 64 KB as they are made: a build writes them to the file
    /// as they come, so the file (6.5 MB at 2,000 roles) is never whole in memory.
    static func writeJSON(for framework: Framework, into write: (UnsafeBufferPointer<UInt8>) -> Void) {
        inPieces(into: write) { writeJSON(for: framework, to: $0) }
    }

    private static func writeJSON(for framework: Framework, to output: ByteSink) {
        document(for: framework).writePretty(to: output, indent: 2)
        output.append(UInt8(ascii: "\n"))
    }

    static func document(for framework: Framework) -> JSONValue {
        let info = framework.info
        return .object([
            ("format", .string(formatName)),
            ("format_version", .int(formatVersion)),
            (
                "framework",
                .object([
                    ("title", .string(info.title)), ("short_title", .optional(info.shortTitle)), ("edition", .string(info.edition)),
                    ("status", .string(info.status.rawValue)), ("updated", .string(info.updated)), ("base_url", .optional(info.baseURL)),
                    ("owner", .optional(info.owner)), ("url", .string(SiteURLs.home)), ("body_text", text(info.introduction)),
                ])
            ),
            ("stages", .array(framework.stages.map(stage))),
            ("domains", .array(framework.domains.map(domain))),
            ("capabilities", lazy(framework.capabilities) { capability($0, stages: framework.stages) }),
            ("professions", .array(framework.professions.map(profession))),
            ("roles", lazy(framework.roles, role)),
            ("routes", .array(framework.routes.map(route))),
            ("pages", .array(framework.pages.map(page))),
        ])
    }

    /// The lists that grow with the framework are written an entry at a time (`JSONValue.lazyArray`).
    private static func lazy<Entry: Sendable>(_ entries: [Entry], _ item: @escaping @Sendable (Entry) -> JSONValue) -> JSONValue {
        .lazyArray(count: entries.count) { item(entries[$0]) }
    }

    private static func text(_ rich: RichText) -> JSONValue { .string(PlainText.from(html: rich.html)) }

    private static func stage(_ stage: Stage) -> JSONValue {
        .object([
            ("id", .string(stage.id.rawValue)), ("title", .string(stage.title)), ("order", .int(stage.order)),
            ("level", .optional(stage.level)), ("bands", .strings(stage.bands)), ("summary", .string(stage.summary)),
            ("url", .string(SiteURLs.path(for: stage.id))), ("body_text", text(stage.body)),
        ])
    }

    private static func domain(_ domain: Domain) -> JSONValue {
        .object([
            ("id", .string(domain.id.rawValue)), ("title", .string(domain.title)), ("order", .int(domain.order)),
            ("summary", .string(domain.summary)), ("url", .string(SiteURLs.path(for: domain.id))), ("body_text", text(domain.body)),
        ])
    }

    /// `levels` has every stage, in stage order: the plain-text descriptor, or `null` where it is not described.
    private static func capability(_ capability: Capability, stages: [Stage]) -> JSONValue {
        let levels: [(key: String, value: JSONValue)] = stages.map { stage in
            (stage.id.rawValue, capability.levels[stage.id].map(text) ?? .null)
        }
        return .object([
            ("id", .string(capability.id.rawValue)), ("title", .string(capability.title)), ("code", .optional(capability.code)),
            ("domain", .string(capability.domain.rawValue)), ("summary", .string(capability.summary)), ("levels", .object(levels)),
            ("url", .string(SiteURLs.path(for: capability.id))), ("body_text", text(capability.body)),
        ])
    }

    private static func profession(_ profession: Profession) -> JSONValue {
        .object([
            ("id", .string(profession.id.rawValue)), ("title", .string(profession.title)), ("regulator", .optional(profession.regulator)),
            ("summary", .string(profession.summary)), ("url", .string(SiteURLs.path(for: profession.id))),
            ("body_text", text(profession.body)),
        ])
    }

    private static func role(_ role: Role) -> JSONValue {
        .object([
            ("id", .string(role.id.rawValue)), ("title", .string(role.title)), ("stage", .string(role.stage.rawValue)),
            ("profession", .string(role.profession.rawValue)), ("settings", .strings(role.settings)), ("bands", .strings(role.bands)),
            ("summary", .string(role.summary)), ("capabilities", .strings(role.capabilities.map(\.rawValue))),
            ("next", .strings(role.next.map(\.rawValue))), ("entry", role.entry.map(text) ?? .null),
            ("url", .string(SiteURLs.path(for: role.id))), ("body_text", text(role.body)),
        ])
    }

    private static func route(_ route: Route) -> JSONValue {
        let steps: [JSONValue] = route.steps.map { step in
            .object([("role", .string(step.role.rawValue)), ("via", .optional(step.via))])
        }
        return .object([
            ("id", .string(route.id.rawValue)), ("title", .string(route.title)), ("profession", .optional(route.profession?.rawValue)),
            ("summary", .string(route.summary)), ("steps", .array(steps)), ("url", .string(SiteURLs.path(for: route.id))),
            ("body_text", text(route.body)),
        ])
    }

    private static func page(_ page: Page) -> JSONValue {
        .object([
            ("id", .string(page.id.rawValue)), ("title", .string(page.title)), ("order", .optional(page.order)),
            ("summary", .optional(page.summary)), ("url", .string(SiteURLs.path(for: page.id))), ("body_text", text(page.body)),
        ])
    }

    // MARK: CSV

    /// The CSV columns, in order.
    static let csvColumns = [
        "role_id", "role_title", "stage_id", "stage_title", "profession_id", "profession_title", "bands", "settings",
        "capability_code", "capability_id", "capability_title", "domain_id", "domain_title", "descriptor",
    ]

    /// `data/framework.csv`: RFC 4180 with CRLF line endings, UTF-8 without a BOM, a header row, then one row
    /// per capability each role lists, in role display order and then the role's own capability order.
    static func csv(for framework: Framework) -> String { String(decoding: csvData(for: framework), as: UTF8.self) }

    /// The same as UTF-8 bytes, for the file: each row's fields are written straight into one buffer (making a
    /// string of each field and joining them cost 3 % of a build; holding every row first cost memory). A row is
    /// a role's fields, a capability's and a descriptor's, and each of those is made once and copied into every
    /// row that has it: making the row's 14 fields afresh each time was 155 million instructions at 2,000 roles
    /// (7,700 a row).
    static func csvData(for framework: Framework) -> Data { whole { writeCSV(for: framework, to: $0) } }

    /// The same bytes, handed to `write` in pieces of up to 64 KB as they are made (see `writeJSON`).
    static func writeCSV(for framework: Framework, into write: (UnsafeBufferPointer<UInt8>) -> Void) {
        inPieces(into: write) { writeCSV(for: framework, to: $0) }
    }

    private static func writeCSV(for framework: Framework, to output: ByteSink) {
        for (index, column) in csvColumns.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendCSVField(column, to: output)
        }
        output.append(13)
        output.append(10)
        /// Fields written one after another with a comma after each, as bytes.
        func fields(_ values: [String]) -> [UInt8] {
            let sink = ByteSink(capacity: 256)
            for value in values {
                appendCSVField(value, to: sink)
                sink.append(UInt8(ascii: ","))
            }
            return sink.withBytes { Array($0) }
        }
        // Many roles share a capability and stage, so each descriptor is converted to plain text once.
        var descriptors: [CapabilityID: [StageID: [UInt8]]] = [:]
        func descriptor(_ capability: Capability, _ stage: StageID) -> [UInt8] {
            if let known = descriptors[capability.id]?[stage] { return known }
            let text = capability.levels[stage].map { PlainText.from(html: $0.html) } ?? ""
            let sink = ByteSink(capacity: text.utf8.count + 8)
            appendCSVField(text, to: sink)
            let field = sink.withBytes { Array($0) }
            descriptors[capability.id, default: [:]][stage] = field
            return field
        }
        var capabilityFields: [CapabilityID: [UInt8]] = [:]
        for role in framework.roles {
            let stage = framework.stage(role.stage)
            let profession = framework.profession(role.profession)
            var roleFields: [UInt8]?
            for id in role.capabilities {
                guard let capability = framework.capability(id) else { continue }
                let made =
                    roleFields
                    ?? fields([
                        role.id.rawValue, role.title, role.stage.rawValue, stage?.title ?? "", role.profession.rawValue,
                        profession?.title ?? "", role.bands.joined(separator: "; "), role.settings.joined(separator: "; "),
                    ])
                roleFields = made
                output.append(made)
                if let known = capabilityFields[id] {
                    output.append(known)
                } else {
                    let made = fields([
                        capability.code ?? "", capability.id.rawValue, capability.title, capability.domain.rawValue,
                        framework.domain(capability.domain)?.title ?? "",
                    ])
                    capabilityFields[id] = made
                    output.append(made)
                }
                output.append(descriptor(capability, role.stage))
                output.append(13)
                output.append(10)
            }
        }
    }

    /// What `fill` writes into a sink, as one `Data`.
    private static func whole(_ fill: (ByteSink) -> Void) -> Data {
        let output = ByteSink(capacity: 1 << 16)
        fill(output)
        return output.takeData()
    }

    /// What `fill` writes into a sink, handed to `write` in pieces of up to 64 KB as it comes.
    private static func inPieces(into write: (UnsafeBufferPointer<UInt8>) -> Void, _ fill: (ByteSink) -> Void) {
        withoutActuallyEscaping(write) { write in
            let output = ByteSink(capacity: 1 << 16, drain: write)
            fill(output)
            output.flush()
        }
    }

    /// One CSV field: neutralised against formula injection, then quoted if it needs to be.
    ///
    /// A cell starting with `=`, `+`, `-`, `@`, tab or CR would be run as a formula by spreadsheet programs, so
    /// it gets a leading `'`. A field containing `,`, `"`, CR or LF is quoted, with inner quotes doubled.
    static func csvField(_ value: String) -> String {
        let output = ByteSink(capacity: value.utf8.count + 3)
        appendCSVField(value, to: output)
        return String(decoding: output.takeData(), as: UTF8.self)
    }

    /// `csvField`, appended to `output`. Byte by byte, so every quote is doubled, even one that a combining mark
    /// follows (as one Character, that pair is not equal to "\"", and was once left single, which ended the field
    /// early). Every character that starts a formula is ASCII, so the first byte decides.
    static func appendCSVField(_ value: String, to output: ByteSink) {
        var value = value
        value.withUTF8 { bytes in
            let first = bytes.first ?? 0
            let formula =
                first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@")
                || first == 9 || first == 13
            let quoted = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
            if quoted { output.append(UInt8(ascii: "\"")) }
            if formula { output.append(UInt8(ascii: "'")) }
            if quoted {
                for byte in bytes {
                    output.append(byte)
                    if byte == UInt8(ascii: "\"") { output.append(byte) }
                }
                output.append(UInt8(ascii: "\""))
            } else {
                output.append(bytes)
            }
        }
    }
}
