import Foundation
import Testing

@testable import CareerSite

@Suite struct RevisionChangeReportTests {
    typealias F = RevisionFixtures

    // MARK: No change, added, removed

    @Test func identicalRevisionsGiveAnEmptyReport() throws {
        let report = try F.report(new: [:])
        #expect(report.isEmpty)
        #expect(report.groups.isEmpty)
        #expect(report.changedEntries.isEmpty)
        #expect(!report.editionUnchanged)
        #expect(report.editionWarning == nil)
        #expect(report.text() == "No changes.\n")
        #expect(report.markdown() == "No changes.\n")
    }

    @Test func anAddedEntryIsListedWithItsTitle() throws {
        let report = try F.report(new: ["roles/senior-nurse.md": F.role(title: "Senior nurse", stage: "advanced", extra: "")])
        let item = try #require(F.onlyItem(report))
        #expect(item.section == .role)
        #expect(item.change == .added)
        #expect(item.id == "senior-nurse")
        #expect(item.title == "Senior nurse")
        #expect(item.fields.isEmpty)
        #expect(report.changedEntries == [EntryRef(.role, "senior-nurse")])
    }

    @Test func aRemovedEntryIsListedButIsNotAChangedPage() throws {
        let report = try F.report(new: ["pages/about.md": nil])
        let item = try #require(F.onlyItem(report))
        #expect(item.section == .page)
        #expect(item.change == .removed)
        #expect(item.id == "about")
        #expect(item.title == "About")
        #expect(item.ref == nil)
        #expect(report.changedEntries.isEmpty)
    }

    // MARK: Renames

    @Test func aNewIdWithTheSameTitleIsARename() throws {
        let report = try F.report(
            old: ["pages/about.md": "---\ntitle: About\n---\nSee [nurses](role:nurse).\n"],
            new: [
                "pages/about.md": "---\ntitle: About\n---\nSee [nurses](role:staff-nurse).\n",
                "roles/nurse.md": nil,
                "roles/staff-nurse.md": F.role(title: "nurse", body: "Something else entirely.\n"),
                "routes/nursing.md":
                    "---\ntitle: Nursing route\nsummary: Up.\nsteps:\n  - role: staff-nurse\n  - role: lead-nurse\n    via: MSc\n---\n",
            ])
        // The route's step and the page's link now name `staff-nurse`; read through the rename, they did not change.
        let item = try #require(F.onlyItem(report))
        #expect(item.change == .renamed)
        #expect(item.oldID == "nurse")
        #expect(item.id == "staff-nurse")
        #expect(F.lines(report) == ["title: \"Nurse\" → \"nurse\"", "body added: {+Something else entirely.+}"])
        #expect(report.changedEntries == [EntryRef(.role, "staff-nurse")])
    }

    @Test func aNewIdWithTextAtLeast80PercentAlikeIsARename() throws {
        let old = ["pages/about.md": "---\ntitle: About\n---\n" + F.aboutBody]
        let edited = F.aboutBody.replacingOccurrences(of: "six domains", with: "several domains")
        let report = try F.report(
            old: old,
            new: ["pages/about.md": nil, "pages/about-this-framework.md": "---\ntitle: About this framework\n---\n" + edited])
        let item = try #require(F.onlyItem(report))
        #expect(item.change == .renamed)
        #expect(item.oldID == "about")
        #expect(item.id == "about-this-framework")
        #expect(
            F.lines(report) == [
                "title: \"About\" → \"About this framework\"",
                "body reworded: … what people can do at each stage, across [-six-]{+several+} domains of practice, and shows the roles and …",
            ])
    }

    @Test func aNewIdWithDifferentTitleAndTextIsAnAdditionAndARemoval() throws {
        let report = try F.report(new: ["pages/about.md": nil, "pages/contact.md": "---\ntitle: Contact\n---\nWrite to us.\n"])
        #expect(report.items.map { "\($0.change) \($0.id)" } == ["removed about", "added contact"])
    }

    @Test func renamesNeedTheSameTitleOrEightyPercentOfTheWords() {
        typealias Keyed = ChangeComparer.Keyed
        let ten = "one two three four five six seven eight nine ten"
        // 8 of 10 words in common, in order: 2·8 / 20 = 0.8.
        let eight = "one two three four five six seven eight alpha beta"
        // 7 of 10: 0.7.
        let seven = "one two three four five six seven alpha beta gamma"
        #expect(WordDiff.similarity(ten, eight) == 0.8)
        #expect(WordDiff.similarity(ten, seven) == 0.7)
        #expect(
            ChangeComparer.renames(removed: [Keyed(id: "a", title: "A", text: ten)], added: [Keyed(id: "b", title: "B", text: eight)]) == [
                "a": "b"
            ])
        #expect(
            ChangeComparer.renames(removed: [Keyed(id: "a", title: "A", text: ten)], added: [Keyed(id: "b", title: "B", text: seven)])
                == [:])
        // The same title (ignoring case and spacing) is enough.
        #expect(
            ChangeComparer.renames(
                removed: [Keyed(id: "a", title: "Lead  nurse", text: ten)], added: [Keyed(id: "b", title: "lead nurse", text: "x")])
                == ["a": "b"])
        // Each id is used once: the same title wins over similar text, then the most similar.
        let found = ChangeComparer.renames(
            removed: [Keyed(id: "a", title: "A", text: ten), Keyed(id: "c", title: "C", text: ten)],
            added: [Keyed(id: "b", title: "C", text: eight), Keyed(id: "d", title: "D", text: ten)])
        #expect(found == ["c": "b", "a": "d"])
    }

    @Test func referencesToARenamedEntryAreReadThroughTheRename() throws {
        let report = try F.report(new: [
            "stages/entry.md": nil,
            "stages/foundation.md": "---\ntitle: Entry\norder: 1\nsummary: First.\n---\n",
            "roles/nurse.md": F.role(stage: "foundation"),
            "capabilities/assessment.md":
                "---\ntitle: Assessment\ncode: CL1\ndomain: clinical\nsummary: Assessing.\nlevels:\n  foundation: Observes.\n  advanced: Diagnoses.\n---\n",
        ])
        let item = try #require(F.onlyItem(report))
        #expect(item.change == .renamed)
        #expect(item.section == .stage)
        #expect("\(item.oldID ?? "") → \(item.id)" == "entry → foundation")
    }

    /// Links in old Markdown are read through every rename of every kind, including links to a part of a page,
    /// and a link to an entry that was not renamed is left alone.
    @Test func linksInOldTextAreReadThroughEveryRename() throws {
        let links = { (nurse: String, stage: String) in
            "---\ntitle: About\n---\nSee [a](role:\(nurse)), [b](role:\(nurse)#training), [c](stage:\(stage)) "
                + "and [d](role:lead-nurse).\n"
        }
        let report = try F.report(
            old: ["pages/about.md": links("nurse", "entry"), "roles/nurse.md": F.role(body: "## Training\n")],
            new: [
                "pages/about.md": links("staff-nurse", "foundation"),
                "stages/entry.md": nil,
                "stages/foundation.md": "---\ntitle: Entry\norder: 1\nsummary: First.\n---\n",
                "roles/nurse.md": nil,
                "roles/staff-nurse.md": F.role(stage: "foundation", body: "## Training\n"),
                "routes/nursing.md":
                    "---\ntitle: Nursing route\nsummary: Up.\nsteps:\n  - role: staff-nurse\n  - role: lead-nurse\n    via: MSc\n---\n",
                "capabilities/assessment.md":
                    "---\ntitle: Assessment\ncode: CL1\ndomain: clinical\nsummary: Assessing.\nlevels:\n  foundation: Observes.\n  advanced: Diagnoses.\n---\n",
            ])
        #expect(
            report.items.map { "\($0.change) \($0.oldID ?? "") → \($0.id)" } == [
                "renamed entry → foundation", "renamed nurse → staff-nurse",
            ])
        #expect(F.lines(report).isEmpty)
    }

    // MARK: Fields

    @Test func stageFieldsTitleOrderLevelBandsSummaryAndBody() throws {
        let report = try F.report(
            old: ["stages/advanced.md": "---\ntitle: Advanced\norder: 2\nlevel: 6\nbands: [\"7\"]\nsummary: Second.\n---\n"],
            new: [
                "stages/advanced.md":
                    "---\ntitle: Advanced practice\norder: 3\nlevel: 7\nbands: [\"7\", \"8\"]\nsummary: Second stage.\n---\nMore.\n"
            ])
        let item = try #require(F.onlyItem(report))
        #expect(item.change == .changed)
        #expect(
            F.lines(report) == [
                "title: \"Advanced\" → \"Advanced practice\"",
                "order: 2 → 3",
                "level: 6 → 7",
                "bands: 7 → 7, 8",
                "summary reworded: Second {+stage+}.",
                "body added: {+More.+}",
            ])
        let bands = try #require(item.fields.first { $0.field == "bands" })
        #expect(bands.oldItems == ["7"])
        #expect(bands.newItems == ["7", "8"])
    }

    @Test func roleFieldsStageProfessionSettingsBandsCapabilitiesNextEntryAndBody() throws {
        let triage = "---\ntitle: Triage\ndomain: clinical\nsummary: Sorting.\nlevels:\n  entry: Sorts.\n---\n"
        let midwifery = "---\ntitle: Midwifery\nsummary: Midwives.\n---\n"
        let report = try F.report(
            old: ["capabilities/triage.md": triage, "professions/midwifery.md": midwifery],
            new: [
                "capabilities/triage.md": triage, "professions/midwifery.md": midwifery,
                "roles/nurse.md": F.role(
                    title: "Staff nurse", stage: "advanced", profession: "midwifery", summary: "A registered nurse.",
                    extra: "settings: [community]\nbands: [\"5\"]\ncapabilities: [triage]\nentry: NMC registration.\n",
                    body: "Works in clinics.\n"),
            ])
        let item = try #require(F.onlyItem(report))
        #expect(item.id == "nurse")
        #expect(
            F.lines(report) == [
                "title: \"Nurse\" → \"Staff nurse\"",
                "stage: entry → advanced",
                "profession: nursing → midwifery",
                "settings: none → community",
                "bands: none → 5",
                "summary reworded: A {+registered+} nurse.",
                "capabilities added: triage",
                "capabilities removed: assessment",
                "next removed: lead-nurse",
                "entry added: {+NMC registration.+}",
                "body added: {+Works in clinics.+}",
            ])
    }

    @Test func nextAddedAndEntryReworded() throws {
        let report = try F.report(
            old: ["roles/nurse.md": F.role(extra: "capabilities: [assessment]\nentry: A degree.\n")],
            new: ["roles/nurse.md": F.role(extra: "capabilities: [assessment]\nnext: [lead-nurse]\nentry: A nursing degree.\n")])
        #expect(F.lines(report) == ["next added: lead-nurse", "entry reworded: A {+nursing+} degree."])
    }

    @Test func capabilityCodeDomainAndProfessionRegulator() throws {
        let domain = "---\ntitle: Leadership\norder: 2\nsummary: Leading.\n---\n"
        let report = try F.report(
            old: ["domains/leadership.md": domain],
            new: [
                "domains/leadership.md": domain,
                "capabilities/assessment.md":
                    "---\ntitle: Assessment\ncode: LD1\ndomain: leadership\nsummary: Assessing.\nlevels:\n  entry: Observes.\n  advanced: Diagnoses.\n---\n",
                "professions/nursing.md": "---\ntitle: Nursing\nregulator: NMC\nsummary: Nurses.\n---\n",
            ])
        #expect(report.items.map(\.id) == ["assessment", "nursing"])
        #expect(F.lines(report) == ["code: \"CL1\" → \"LD1\"", "domain: clinical → leadership", "regulator added: \"NMC\""])
    }

    @Test func descriptorsAddedRemovedAndRewordedAtStages() throws {
        let enhanced = "---\ntitle: Enhanced\norder: 3\nsummary: Third.\n---\n"
        let report = try F.report(
            old: ["stages/enhanced.md": enhanced],
            new: [
                "stages/enhanced.md": enhanced,
                "capabilities/assessment.md":
                    "---\ntitle: Assessment\ncode: CL1\ndomain: clinical\nsummary: Assessing.\nlevels:\n  advanced: Diagnoses and treats.\n  enhanced: Leads assessment.\n---\n",
            ])
        let item = try #require(F.onlyItem(report))
        #expect(item.section == .capability)
        #expect(
            F.lines(report) == [
                "descriptor removed at stage 'entry': [-Observes.-]",
                "descriptor reworded at stage 'advanced': Diagnoses {+and treats+}.",
                "descriptor added at stage 'enhanced': {+Leads assessment.+}",
            ])
        #expect(item.fields.map(\.subject) == ["entry", "advanced", "enhanced"])
        #expect(item.fields.map(\.change) == [.removed, .modified, .added])
    }

    @Test func routeStepsReorderedAndViaChanged() throws {
        let senior = F.role(title: "Senior nurse", stage: "advanced", extra: "")
        let report = try F.report(
            old: [
                "roles/senior-nurse.md": senior,
                "routes/nursing.md":
                    "---\ntitle: Nursing route\nsummary: Up.\nsteps:\n  - role: nurse\n  - role: senior-nurse\n    via: Experience\n  - role: lead-nurse\n    via: MSc\n---\n",
            ],
            new: [
                "roles/senior-nurse.md": senior,
                "routes/nursing.md":
                    "---\ntitle: Nursing route\nsummary: Up.\nsteps:\n  - role: nurse\n  - role: lead-nurse\n    via: MSc or PhD\n  - role: senior-nurse\n    via: Experience\n---\n",
            ])
        let item = try #require(F.onlyItem(report))
        #expect(item.section == .route)
        #expect(
            F.lines(report) == [
                "steps reordered: nurse, senior-nurse, lead-nurse → nurse, lead-nurse, senior-nurse",
                "via changed at step 'lead-nurse': MSc {+or PhD+}",
            ])
    }

    @Test func routeStepsAddedAndRemovedAndViaAddedOrRemoved() throws {
        let senior = F.role(title: "Senior nurse", stage: "advanced", extra: "")
        let report = try F.report(
            old: ["roles/senior-nurse.md": senior],
            new: [
                "roles/senior-nurse.md": senior,
                "routes/nursing.md":
                    "---\ntitle: Nursing route\nsummary: Up.\nsteps:\n  - role: nurse\n    via: A degree\n  - role: senior-nurse\n    via: Experience\n---\n",
            ])
        #expect(
            F.lines(report) == [
                "step added: senior-nurse, via \"Experience\"",
                "step removed: lead-nurse",
                "via added at step 'nurse': {+A degree+}",
            ])
    }

    @Test func aLinkTargetChangeIsReportedAsFormatting() throws {
        let report = try F.report(
            old: ["pages/about.md": "---\ntitle: About\n---\nSee [nurses](role:nurse).\n"],
            new: ["pages/about.md": "---\ntitle: About\n---\nSee [nurses](role:lead-nurse).\n"])
        #expect(F.lines(report) == ["body formatting or links changed"])
    }

    @Test func whitespaceInFrontMatterTextIsNotAChange() throws {
        let report = try F.report(new: ["roles/nurse.md": F.role(summary: "\"A   nurse. \"")])
        #expect(report.isEmpty)
    }

    // MARK: Framework and edition

    @Test func frameworkTitleEditionStatusAndDate() throws {
        let report = try F.report(new: [
            "framework.md": "---\ntitle: New title\nedition: \"2\"\nstatus: consultation\nupdated: 2026-02-01\n---\nHello.\n"
        ])
        let item = try #require(F.onlyItem(report))
        #expect(item.section == .framework)
        #expect(item.ref == nil)
        #expect(
            F.lines(report) == [
                "title: \"Test framework\" → \"New title\"", "edition: \"1\" → \"2\"", "status: draft → consultation",
                "updated: 2026-01-15 → 2026-02-01",
            ])
        #expect(!report.editionUnchanged)
        #expect(report.changedEntries.isEmpty)
    }

    @Test func contentChangedWithTheSameEditionWarns() throws {
        let report = try F.report(new: ["pages/about.md": "---\ntitle: About\n---\nAbout us.\n"])
        #expect(report.editionUnchanged)
        #expect(report.editionWarning == "content changed but the edition is still '1'; update 'edition' in framework.md")
    }

    @Test func onlyTheDateChangedDoesNotWarn() throws {
        let report = try F.report(new: [
            "framework.md": "---\ntitle: Test framework\nedition: \"1\"\nstatus: draft\nupdated: 2026-03-01\n---\nHello.\n"
        ])
        #expect(!report.isEmpty)
        #expect(!report.editionUnchanged)
    }

    // MARK: Output

    @Test func textAndMarkdownOfASmallCase() throws {
        let report = try F.report(new: [
            "framework.md": "---\ntitle: Test framework\nedition: \"2\"\nstatus: draft\nupdated: 2026-02-01\n---\nHello.\n",
            "stages/advanced.md": "---\ntitle: Advanced practice\norder: 2\nsummary: Second stage.\n---\n",
            "roles/lead-nurse.md": F.role(title: "Lead nurse", stage: "advanced", summary: "Leads.", extra: "bands: [\"7\", \"8\"]\n"),
            "pages/about.md": nil,
            "pages/contact.md": "---\ntitle: Contact\n---\nWrite to us.\n",
        ])
        #expect(
            report.text() == """
                Changes from edition '1' (2026-01-15) to edition '2' (2026-02-01).

                Framework
                  edition: "1" → "2"
                  updated: 2026-01-15 → 2026-02-01

                Stages
                  changed  advanced: Advanced practice
                    title: "Advanced" → "Advanced practice"
                    summary reworded: Second {+stage+}.

                Roles
                  changed  lead-nurse: Lead nurse
                    bands: none → 7, 8

                Pages
                  removed  about: About
                  added    contact: Contact

                Summary: 1 added, 1 removed, 0 renamed, 3 changed.

                """)
        #expect(
            report.markdown() == """
                Changes from edition '1' (2026-01-15) to edition '2' (2026-02-01).

                ## Framework

                - edition: "1" → "2"
                - updated: 2026-01-15 → 2026-02-01

                ## Stages

                - **Changed** `advanced`: Advanced practice
                  - title: "Advanced" → "Advanced practice"
                  - summary reworded: Second **stage**.

                ## Roles

                - **Changed** `lead-nurse`: Lead nurse
                  - bands: none → 7, 8

                ## Pages

                - **Removed** `about`: About
                - **Added** `contact`: Contact

                Summary: 1 added, 1 removed, 0 renamed, 3 changed.

                """)
        #expect(report.changedEntries == [EntryRef(.stage, "advanced"), EntryRef(.role, "lead-nurse"), EntryRef(.page, "contact")])
    }

    @Test func markdownWithAReplacementARenameAndTheEditionWarning() throws {
        let report = try F.report(new: [
            "pages/about.md": "---\ntitle: About *this*\n---\nRead this.\n",
            "roles/nurse.md": nil,
            "roles/staff-nurse.md": F.role(),
            "routes/nursing.md":
                "---\ntitle: Nursing route\nsummary: Up.\nsteps:\n  - role: staff-nurse\n  - role: lead-nurse\n    via: MSc\n---\n",
        ])
        #expect(
            report.markdown() == """
                Changes from edition '1' (2026-01-15) to edition '1' (2026-01-15).

                > **Warning:** content changed but the edition is still '1'; update 'edition' in framework.md.

                ## Roles

                - **Renamed** `nurse` → `staff-nurse`: Nurse

                ## Pages

                - **Changed** `about`: About \\*this\\*
                  - title: "About" → "About \\*this\\*"
                  - body reworded: ~~About~~ **Read this**.

                Summary: 0 added, 0 removed, 1 renamed, 1 changed.

                """)
        #expect(report.text().contains("    body reworded: [-About-]{+Read this+}.\n"))
        #expect(report.text().contains("  renamed  nurse → staff-nurse: Nurse\n"))
    }

    @Test func templateContextHasGroupsItemsFieldsAndWords() throws {
        let report = try F.report(new: [
            "pages/about.md": "---\ntitle: About\n---\nAbout us.\n", "pages/contact.md": "---\ntitle: Contact\n---\n",
        ])
        let context = report.templateContext { "../" + $0.kind.folder + "/" + $0.id + ".html" }
        #expect(context["has_groups"] as? Bool == true)
        #expect(context["edition_unchanged"] as? Bool == true)
        #expect(context["added"] as? Int == 1)
        let groups = try #require(context["groups"] as? [TemplateContext])
        #expect(groups.map { $0["heading"] as? String } == ["Pages"])
        let items = try #require(groups.first?["items"] as? [TemplateContext])
        #expect(items.map { $0["id"] as? String } == ["about", "contact"])
        #expect(items.map { $0["is_changed"] as? Bool } == [true, false])
        #expect(items.first?["href"] as? String == "../pages/about.html")
        let fields = try #require(items.first?["fields"] as? [TemplateContext])
        #expect(fields.first?["label"] as? String == "body reworded")
        let words = try #require(fields.first?["words"] as? [TemplateContext])
        #expect(words.map { $0["text"] as? String } == ["About", " us", "."])
        #expect(words.map { $0["is_inserted"] as? Bool } == [false, true, false])
    }
}
