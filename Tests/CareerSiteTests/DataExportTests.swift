import Foundation
import Testing

@testable import CareerSite

@Suite struct DataExportTests {
    static let tinyJSON = #"""
        {
          "format": "careers-framework",
          "format_version": 1,
          "framework": {
            "title": "Test framework",
            "short_title": null,
            "edition": "1",
            "status": "draft",
            "updated": "2026-01-15",
            "base_url": null,
            "owner": "NHS Test",
            "url": "index.html",
            "body_text": "Hello."
          },
          "stages": [
            {
              "id": "entry",
              "title": "Entry",
              "order": 1,
              "level": 3,
              "bands": [
                "3",
                "4"
              ],
              "summary": "First.",
              "url": "stages/entry.html",
              "body_text": "What Entry body."
            },
            {
              "id": "advanced",
              "title": "Advanced",
              "order": 2,
              "level": null,
              "bands": [],
              "summary": "Second.",
              "url": "stages/advanced.html",
              "body_text": ""
            }
          ],
          "domains": [
            {
              "id": "clinical",
              "title": "Clinical",
              "order": 1,
              "summary": "Clinical work.",
              "url": "domains/clinical.html",
              "body_text": ""
            }
          ],
          "capabilities": [
            {
              "id": "assessment",
              "title": "Assessment",
              "code": "CL1",
              "domain": "clinical",
              "summary": "Assessing.",
              "levels": {
                "entry": "Observes \u0026 records.",
                "advanced": "Diagnoses; leads “others”."
              },
              "url": "capabilities/assessment.html",
              "body_text": "Why it matters."
            },
            {
              "id": "triage",
              "title": "Triage",
              "code": null,
              "domain": "clinical",
              "summary": "Sorting.",
              "levels": {
                "entry": null,
                "advanced": "Sorts."
              },
              "url": "capabilities/triage.html",
              "body_text": ""
            }
          ],
          "professions": [
            {
              "id": "nursing",
              "title": "Nursing",
              "regulator": "NMC",
              "summary": "Nurses.",
              "url": "professions/nursing.html",
              "body_text": ""
            }
          ],
          "roles": [
            {
              "id": "nurse",
              "title": "Nurse",
              "stage": "entry",
              "profession": "nursing",
              "settings": [
                "community",
                "general practice"
              ],
              "bands": [
                "5"
              ],
              "summary": "A nurse.",
              "capabilities": [
                "triage",
                "assessment"
              ],
              "next": [
                "lead-nurse"
              ],
              "entry": "A degree \u003cor\u003e equivalent",
              "url": "roles/nurse.html",
              "body_text": "Visits Clinics"
            },
            {
              "id": "lead-nurse",
              "title": "Lead nurse",
              "stage": "advanced",
              "profession": "nursing",
              "settings": [],
              "bands": [],
              "summary": "Leads.",
              "capabilities": [
                "triage"
              ],
              "next": [],
              "entry": null,
              "url": "roles/lead-nurse.html",
              "body_text": ""
            }
          ],
          "routes": [
            {
              "id": "nursing",
              "title": "Nursing route",
              "profession": null,
              "summary": "Up.",
              "steps": [
                {
                  "role": "nurse",
                  "via": null
                },
                {
                  "role": "lead-nurse",
                  "via": "MSc"
                }
              ],
              "url": "routes/nursing.html",
              "body_text": ""
            }
          ],
          "pages": [
            {
              "id": "about",
              "title": "About",
              "order": null,
              "summary": null,
              "url": "pages/about.html",
              "body_text": "About."
            }
          ]
        }

        """#

    static let tinyCSV = [
        "role_id,role_title,stage_id,stage_title,profession_id,profession_title,bands,settings,capability_code,capability_id,capability_title,domain_id,domain_title,descriptor",
        "nurse,Nurse,entry,Entry,nursing,Nursing,5,community; general practice,,triage,Triage,clinical,Clinical,",
        "nurse,Nurse,entry,Entry,nursing,Nursing,5,community; general practice,CL1,assessment,Assessment,clinical,Clinical,Observes & records.",
        "lead-nurse,Lead nurse,advanced,Advanced,nursing,Nursing,,,,triage,Triage,clinical,Clinical,Sorts.",
    ].map { $0 + "\r\n" }.joined()

    // MARK: JSON

    @Test func theTinyFrameworkGivesThisExactJSON() {
        #expect(DataExport.json(for: ExportFixtures.tiny()) == Self.tinyJSON)
    }

    @Test func theJSONIsValidAndKeepsEveryKeyWithNullForMissingValues() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(DataExport.json(for: ExportFixtures.tiny()).utf8)) as? [String: Any])
        #expect(object["format"] as? String == "careers-framework")
        #expect(object["format_version"] as? Int == 1)
        let framework = try #require(object["framework"] as? [String: Any])
        #expect(framework["short_title"] is NSNull)
        #expect(framework["base_url"] is NSNull)
        let pages = try #require(object["pages"] as? [[String: Any]])
        #expect(pages.first?["summary"] is NSNull)
        #expect(pages.first?["order"] is NSNull)
        let capabilities = try #require(object["capabilities"] as? [[String: Any]])
        let triage = try #require(capabilities.first { $0["id"] as? String == "triage" })
        let levels = try #require(triage["levels"] as? [String: Any])
        #expect(levels["entry"] is NSNull)
        #expect(levels["advanced"] as? String == "Sorts.")
        #expect(triage["code"] is NSNull)
    }

    /// Quoting skips runs of bytes that need nothing; a reference that looks at every scalar in turn gives the
    /// same text, for random strings of the characters that are escaped and those next to them.
    @Test func quotingMatchesAScalarByScalarReference() {
        func reference(_ text: String, asciiOnly: Bool) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                let value = scalar.value
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    let escaped =
                        value < 0x20 || value == 0x7F || scalar == "<" || scalar == ">" || scalar == "&" || value == 0x2028
                        || value == 0x2029 || (asciiOnly && value >= 0x80)
                    guard escaped else {
                        out.unicodeScalars.append(scalar)
                        continue
                    }
                    let units = value > 0xFFFF ? [0xD800 + ((value - 0x10000) >> 10), 0xDC00 + ((value - 0x10000) & 0x3FF)] : [value]
                    for unit in units {
                        out += "\\u" + String(repeating: "0", count: 4 - String(unit, radix: 16).count) + String(unit, radix: 16)
                    }
                }
            }
            return out + "\""
        }
        let alphabet: [Character] = [
            "a", "Z", " ", "?", "@", "~", "\"", "\\", "&", "<", ">", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{7F}", "é", "—",
            "\u{2027}", "\u{2028}", "\u{2029}", "\u{202A}", "€", "😀", "\u{10FFFF}",
        ]
        var generator = SplitMix64(seed: 23)
        for _ in 0..<2_000 {
            let text = String((0..<Int(generator.next() % 24)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            for asciiOnly in [false, true] {
                #expect(JSONValue.quote(text, asciiOnly: asciiOnly) == reference(text, asciiOnly: asciiOnly), "\(text)")
            }
        }
        // Longer runs of plain text, which are passed over eight bytes at a time, with the rest at every offset.
        let pieces = ["plain", " words", ".", "Z~@?", "\"", "\\", "&", "<", ">", "\n", "\u{1F}", "\u{7F}", "é", "\u{2028}", "😀", "/"]
        for _ in 0..<2_000 {
            let text = (0..<Int(generator.next() % 20)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            for asciiOnly in [false, true] {
                #expect(JSONValue.quote(text, asciiOnly: asciiOnly) == reference(text, asciiOnly: asciiOnly), "\(text)")
            }
        }
    }

    @Test func jsonTextCannotBreakOutOfAScriptElement() throws {
        let title = "</script><!-- \"quoted\" \\ & \u{2028} Café"
        let json = DataExport.json(for: ExportFixtures.tiny(roleTitle: title))
        #expect(json.contains(#""title": "\u003c/script\u003e\u003c!-- \"quoted\" \\ \u0026 \u2028 Café","#))
        for forbidden in ["<", ">", "&", "\u{2028}"] { #expect(!json.contains(forbidden)) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let roles = try #require(object["roles"] as? [[String: Any]])
        #expect(roles.contains { $0["title"] as? String == title })
    }

    @Test func theSameFrameworkAlwaysGivesTheSameFiles() throws {
        #expect(DataExport.json(for: ExportFixtures.tiny()) == DataExport.json(for: ExportFixtures.tiny()))
        #expect(DataExport.csv(for: ExportFixtures.tiny()) == DataExport.csv(for: ExportFixtures.tiny()))
        let first = try #require(try ExportFixtures.loaded())
        let second = try #require(try ExportFixtures.loaded())
        #expect(DataExport.json(for: first) == DataExport.json(for: second))
        #expect(DataExport.csv(for: first) == DataExport.csv(for: second))
    }

    /// A build writes both files as they are made, in pieces of at most 64 KB (`writeJSON`, `writeCSV`): put
    /// together, the pieces are the files' bytes, for a framework small enough for one piece and one of 300 roles.
    @Test func theFilesMadeInPiecesAreTheWholeFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("careers-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("Content")
        _ = try Synthesizer.write(roles: 300, seed: 1, to: content, displayName: "Content")
        let options = BuildOptions(
            content: content, templates: TestSite.templates, output: root.appendingPathComponent("Output"), projectRoot: root)
        let large = try #require(SiteBuilder.load(options).0)
        for framework in [ExportFixtures.tiny(), large] {
            var json: [[UInt8]] = []
            var csv: [[UInt8]] = []
            DataExport.writeJSON(for: framework) { json.append(Array($0)) }
            DataExport.writeCSV(for: framework) { csv.append(Array($0)) }
            for (pieces, whole) in [(json, DataExport.jsonData(for: framework)), (csv, DataExport.csvData(for: framework))] {
                #expect(pieces.flatMap { $0 } == [UInt8](whole))
                #expect(pieces.allSatisfy { $0.count <= 1 << 16 })
                if whole.count > 1 << 17 { #expect(pieces.count > 2) }
            }
        }
    }

    /// Bodies and descriptors go through the real Markdown renderer.
    @Test func richTextFromContentBecomesPlainText() throws {
        let framework = try #require(
            try ExportFixtures.loaded([
                "roles/nurse.md":
                    "---\ntitle: Nurse\nstage: entry\nprofession: nursing\nsummary: A nurse.\ncapabilities: [assessment]\nnext: [lead-nurse]\nentry: \"A *degree* & 'registration'\"\n---\n# About\n\nWorks with [lead nurses](role:lead-nurse) &amp; <b>others</b>.\n\n- One\n- Two\n\n![A chart](https://example.org/chart.png)\n"
            ]))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(DataExport.json(for: framework).utf8)) as? [String: Any])
        let roles = try #require(object["roles"] as? [[String: Any]])
        let nurse = try #require(roles.first { $0["id"] as? String == "nurse" })
        #expect(nurse["entry"] as? String == "A degree & ‘registration’")
        #expect(nurse["body_text"] as? String == "About Works with lead nurses & others. One Two A chart")
        let capabilities = try #require(object["capabilities"] as? [[String: Any]])
        #expect((capabilities.first?["levels"] as? [String: Any])?["entry"] as? String == "Observes.")
    }

    // MARK: CSV

    @Test func theTinyFrameworkGivesThisExactCSV() {
        #expect(DataExport.csv(for: ExportFixtures.tiny()) == Self.tinyCSV)
    }

    @Test func aCapabilityNotDescribedAtTheRolesStageHasAnEmptyDescriptor() throws {
        let rows = try Self.parseCSV(DataExport.csv(for: ExportFixtures.tiny()))
        let triageForNurse = try #require(rows.first { $0[0] == "nurse" && $0[9] == "triage" })
        #expect(triageForNurse[13] == "")
        let triageForLead = try #require(rows.first { $0[0] == "lead-nurse" && $0[9] == "triage" })
        #expect(triageForLead[13] == "Sorts.")
    }

    @Test func formulaCellsAreNeutralised() throws {
        for prefix in ["=", "+", "-", "@", "\t", "\r"] {
            let title = prefix + "HYPERLINK(\"http://x\")"
            let csv = DataExport.csv(for: ExportFixtures.tiny(roleTitle: title, roleSettings: [prefix + "1+1"], roleBands: [prefix + "2"]))
            let rows = try Self.parseCSV(csv)
            let nurse = try #require(rows.first { $0[0] == "nurse" })
            #expect(nurse[1] == "'" + title)
            #expect(nurse[6] == "'" + prefix + "2")
            #expect(nurse[7] == "'" + prefix + "1+1")
        }
        #expect(DataExport.csvField("=1+2") == "'=1+2")
        #expect(DataExport.csvField("+44 20") == "'+44 20")
        #expect(DataExport.csvField("-5") == "'-5")
        #expect(DataExport.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(DataExport.csvField("\tx") == "'\tx")
        #expect(DataExport.csvField("\rx") == "\"'\rx\"")
        #expect(DataExport.csvField("a=b") == "a=b")
        #expect(DataExport.csvField("=a,b") == "\"'=a,b\"")
    }

    @Test func fieldsWithCommasQuotesAndLineBreaksAreQuoted() throws {
        #expect(DataExport.csvField("plain text") == "plain text")
        #expect(DataExport.csvField("a, b") == "\"a, b\"")
        #expect(DataExport.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(DataExport.csvField("two\nlines") == "\"two\nlines\"")
        #expect(DataExport.csvField("two\r\nlines") == "\"two\r\nlines\"")
        #expect(DataExport.csvField("") == "")
        // A quote with a combining mark after it is one Character; its quote is still doubled.
        #expect(DataExport.csvField("a\"\u{301}b") == "\"a\"\"\u{301}b\"")
        #expect(DataExport.csvField("café, \"naïve\"") == "\"café, \"\"naïve\"\"\"")

        let title = "Nurse, \"senior\"\nnight shifts"
        let csv = DataExport.csv(for: ExportFixtures.tiny(roleTitle: title, capabilityTitle: "Assess, plan"))
        #expect(csv.contains("nurse,\"Nurse, \"\"senior\"\"\nnight shifts\",entry,"))
        #expect(csv.contains(",CL1,assessment,\"Assess, plan\",clinical,"))
        let rows = try Self.parseCSV(csv)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.count == DataExport.csvColumns.count })
        #expect(rows[1][1] == title)
        #expect(rows[2][10] == "Assess, plan")
    }

    @Test func csvIsCRLFWithoutABOMAndOneRowPerRoleCapability() throws {
        let csv = DataExport.csv(for: ExportFixtures.tiny())
        #expect(!csv.hasPrefix("\u{FEFF}"))
        #expect(csv.hasSuffix("descriptor\r\n") == false)
        #expect(csv.hasSuffix("Sorts.\r\n"))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let rows = try Self.parseCSV(csv)
        #expect(rows.first == DataExport.csvColumns)
        #expect(rows.dropFirst().map { "\($0[0])×\($0[9])" } == ["nurse×triage", "nurse×assessment", "lead-nurse×triage"])
    }

    /// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
    static func parseCSV(_ text: String) throws -> [[String]] {
        struct Malformed: Error {}
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var scalars = text.unicodeScalars[...]
        var quoted = false
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == "," {
                row.append(field)
                field = ""
            } else if scalar == "\r" && scalars.first == "\n" {
                scalars.removeFirst()
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if scalar == "\"" || scalar == "\r" || scalar == "\n" {
                throw Malformed()
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted, row.isEmpty, field.isEmpty else { throw Malformed() }
        return rows
    }
}

extension DataExportTests {
    @Suite struct PlainTextTests {
        @Test func tagsAreDroppedAndBlocksSeparated() {
            #expect(PlainText.from(html: "<p>One <em>two</em>three</p>\n<p>Four</p>") == "One twothree Four")
            #expect(PlainText.from(html: "<h2 id=\"a\">Title</h2><ul><li>A</li><li>B</li></ul>") == "Title A B")
            #expect(PlainText.from(html: "line<br />\nbreak") == "line break")
            #expect(PlainText.from(html: "") == "")
            #expect(PlainText.from(html: "  \n ") == "")
        }

        @Test func linkPlaceholdersAndAttributesDisappear() {
            let html = "<p>See <a href=\"x-careers:role/nurse#entry\" title=\"a &gt; b\">nurses</a>.</p>"
            #expect(PlainText.from(html: html) == "See nurses.")
            #expect(PlainText.from(html: "<a href=\"x-careers:page/a\" data-x='>'>x</a>") == "x")
        }

        @Test func imagesKeepTheirAltText() {
            #expect(PlainText.from(html: "<p>A<img src=\"x-careers:asset/a.png\" alt=\"chart &amp; key\" />B</p>") == "A chart & key B")
        }

        @Test func entitiesAreDecodedOnce() {
            #expect(PlainText.from(html: "&amp; &lt; &gt; &quot; &#39; &#x41; &#66; &copy; &") == "& < > \" ' A B &copy; &")
            #expect(PlainText.from(html: "&amp;lt;b&amp;gt;") == "&lt;b&gt;")
            #expect(PlainText.from(html: "&lt;b&gt;bold&lt;/b&gt;") == "<b>bold</b>")
            #expect(PlainText.from(html: "“curly” ‘quotes’ – dash") == "“curly” ‘quotes’ – dash")
        }

        @Test func omittedRawHTMLLeavesNoGap() {
            #expect(PlainText.from(html: "<p><!-- raw HTML omitted -->others<!-- raw HTML omitted -->.</p>") == "others.")
            #expect(PlainText.from(html: "<p>a</p>\n<!-- raw HTML omitted -->\n<p>b</p>") == "a b")
            #expect(PlainText.from(html: "<!-- a > b -->x") == "x")
        }

        @Test func aLoneLessThanSignIsText() {
            #expect(PlainText.from(html: "a < b and 1<2") == "a < b and 1<2")
        }

        /// The byte-level scan must treat every Unicode White_Space character as a space, and nothing else.
        @Test func everyKindOfWhitespaceCollapses() {
            let spaces = [
                "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2005}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}",
                "\u{3000}",
            ]
            for space in spaces {
                #expect(
                    PlainText.from(html: "\(space)a\(space)\t\r\n\u{0B}\u{0C}b\(space)") == "a b",
                    "U+\(String(space.unicodeScalars.first?.value ?? 0, radix: 16))")
            }
            #expect(PlainText.from(html: "a&nbsp;b&#x3000;c") == "a b c")
            // Look-alikes that are not White_Space stay: zero-width space, word joiner, U+2009's neighbours' lead bytes.
            #expect(PlainText.from(html: "a\u{200B}b\u{2060}c\u{2010}d") == "a\u{200B}b\u{2060}c\u{2010}d")
            #expect(PlainText.collapseWhitespace("  é\u{A0}\u{A0}ü  ") == "é ü")
        }

        @Test func anUnfinishedReferenceBeforeATagStaysText() {
            #expect(PlainText.from(html: "<p>a &amp</p><p>;b &#65</p>") == "a &amp ;b &#65")
        }

        /// The single pass over bytes gives what a plain reading of the rules, scalar by scalar, gives (with
        /// Unicode's own White_Space property), for random mixes of tags, comments, images, references,
        /// whitespace of every kind and other characters.
        @Test func onePassMatchesAScalarByScalarReading() {
            let fragments = [
                "<p>", "</p>", "<em>", "</EM>", "<br />", "<h2 id=\"x\">", "<li>", "<img src=\"a.png\" alt=\"x &amp; y\" />",
                "<IMG ALT=\"Up\u{A0}down\">", "<img alt='q'>", "<img alt=\"open>", "<img src=\"b\">", "<a href=\"x\" data-x='>'>",
                "</a>", "<!-- raw HTML omitted -->", "<!-->", "<!-- a", "< b", "<", ">", "\"", "'", "&amp;", "&lt;", "&#65;",
                "&#x3000;", "&nbsp;", "&#0;", "&copy;", "&", ";", "&#32;", "&#x2028;", "&#+66;", "&amp", "&#x1F600;",
                "&abcdefghijkl;", " ", "  ", "\n", "\t", "\r\n", "\u{0B}", "\u{A0}", "\u{3000}", "\u{2009}", "\u{200B}", "\u{85}",
                "\u{1680}", "\u{202F}", "\u{2060}", "a", "Zz", "é", "—", "😀", "\u{1}",
            ]
            var generator = SplitMix64(seed: 41)
            for _ in 0..<3_000 {
                let count = Int(generator.next() % 14)
                let html = (0..<count).map { _ in fragments[Int(generator.next() % UInt64(fragments.count))] }.joined()
                #expect(PlainText.from(html: html) == Self.plainTextReading(html), "\(html.debugDescription)")
            }
        }

        /// The rules of `PlainText`, read one scalar at a time.
        private static func plainTextReading(_ html: String) -> String {
            let scalars = Array(html.unicodeScalars)
            var text = String.UnicodeScalarView()
            var pendingSpace = false
            func put(_ scalar: Unicode.Scalar) {
                if scalar.properties.isWhitespace {
                    pendingSpace = !text.isEmpty
                } else {
                    if pendingSpace { text.append(" ") }
                    pendingSpace = false
                    text.append(scalar)
                }
            }
            func space() { pendingSpace = !text.isEmpty }
            /// At an `&`: the decoded character and the index after the reference, if it is one.
            func reference(_ source: [Unicode.Scalar], at start: Int) -> (String, Int)? {
                var end = start + 1
                while end < source.count, source[end] != ";", source[end] != "<" { end += 1 }
                let name = String(String.UnicodeScalarView(source[(start + 1)..<min(end, source.count)]))
                guard end < source.count, source[end] == ";", name.utf8.count <= 11 else { return nil }
                let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
                if let known = named[name] { return (known, end + 1) }
                guard name.hasPrefix("#") else { return nil }
                let digits = name.dropFirst()
                let hex = digits.hasPrefix("x") || digits.hasPrefix("X")
                guard let value = hex ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10), value != 0,
                    let scalar = Unicode.Scalar(value)
                else { return nil }
                return (String(scalar), end + 1)
            }
            func putDecoding(_ source: [Unicode.Scalar]) {
                var index = 0
                while index < source.count {
                    if source[index] == "&", let (decoded, next) = reference(source, at: index) {
                        decoded.unicodeScalars.forEach(put)
                        index = next
                    } else {
                        put(source[index])
                        index += 1
                    }
                }
            }
            func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
            /// At a `<`: the index of the `>` that ends the tag, if it starts one.
            func tagEnd(at start: Int) -> Int? {
                guard start + 1 < scalars.count else { return nil }
                let first = scalars[start + 1]
                guard first == "/" || first == "!" || first == "?" || isLetter(first) else { return nil }
                if first == "!", start + 3 < scalars.count, scalars[start + 2] == "-", scalars[start + 3] == "-" {
                    var index = start + 4
                    while index + 2 < scalars.count {
                        if scalars[index] == "-", scalars[index + 1] == "-", scalars[index + 2] == ">" { return index + 2 }
                        index += 1
                    }
                    return nil
                }
                var quote: Unicode.Scalar?
                for index in (start + 1)..<scalars.count {
                    let scalar = scalars[index]
                    if let open = quote {
                        if scalar == open { quote = nil }
                    } else if scalar == "\"" || scalar == "'" {
                        quote = scalar
                    } else if scalar == ">" {
                        return index
                    }
                }
                return nil
            }
            let inline: Set<String> = [
                "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
                "sub", "sup", "u", "var",
            ]
            var index = 0
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "&", let (decoded, next) = reference(scalars, at: index) {
                    decoded.unicodeScalars.forEach(put)
                    index = next
                    continue
                }
                guard scalar == "<", let end = tagEnd(at: index) else {
                    put(scalar)
                    index += 1
                    continue
                }
                let inside = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                let name = String(
                    inside.drop { $0 == "/" }.unicodeScalars.prefix { isLetter($0) || ("0"..."9").contains($0) || !$0.isASCII }
                ).lowercased()
                var alt: Substring?
                if name == "img" {
                    for quote in ["\"", "'"] {
                        guard let found = inside.range(of: " alt=" + quote) else { continue }
                        let rest = inside[found.upperBound...]
                        alt = rest.firstIndex(of: Character(quote)).map { rest[..<$0] }
                        break
                    }
                }
                if let alt {
                    space()
                    putDecoding(Array(alt.unicodeScalars))
                    space()
                } else if !name.isEmpty, !inline.contains(name) {
                    space()
                }
                index = end + 1
            }
            return String(text)
        }
    }
}
