/// Word lists for synthetic content: realistic names and phrases from primary care and community services.
///
/// Everything is an array (never a dictionary or set) so iteration order, and so the output, is fixed.
enum SynthVocabulary {
    struct StageInfo {
        var id: String
        var title: String
        var level: Int
        var bands: [[String]]
        var summary: String
        /// How practice at this stage is described in a sentence ("work under supervision").
        var practice: String
    }

    static let stages: [StageInfo] = [
        StageInfo(
            id: "support-worker", title: "Support worker level practice", level: 3, bands: [["2"], ["2", "3"], ["3"]],
            summary:
                "Supporting people's care under the direction of registered colleagues, following agreed protocols and reporting changes.",
            practice: "work to agreed protocols under supervision"),
        StageInfo(
            id: "assistant-associate", title: "Assistant and associate level practice", level: 4, bands: [["4"], ["4", "5"], ["3", "4"]],
            summary: "Higher-level support and associate roles working within a defined scope, usually built on Level 5 education.",
            practice: "make judgements within a defined scope"),
        StageInfo(
            id: "registered-practitioner", title: "Registered practitioner level practice", level: 5, bands: [["5"], ["5", "6"]],
            summary: "Registered professionals who are accountable for their own practice and hold their own caseload.",
            practice: "hold your own caseload and account for your practice"),
        StageInfo(
            id: "enhanced", title: "Enhanced level practice", level: 6, bands: [["6"], ["6", "7"], ["7"]],
            summary: "Experienced practitioners with deeper knowledge in a field, who manage complex care and lead small teams.",
            practice: "manage complex care and lead others"),
        StageInfo(
            id: "advanced", title: "Advanced level practice", level: 7, bands: [["7", "8a"], ["8a"], ["8a", "8b"]],
            summary:
                "Master's-level practice across clinical practice, leadership, education and research, with a high degree of autonomy.",
            practice: "work autonomously with complexity and uncertainty"),
        StageInfo(
            id: "consultant", title: "Consultant level practice", level: 8, bands: [["8b", "8c"], ["8c"], ["8c", "8d"]],
            summary: "Expert practitioners who lead across organisations and systems, shaping services, education and research.",
            practice: "lead practice across organisations and systems"),
    ]

    /// Relative frequency of roles at each stage.
    static let stageWeights = [14, 12, 26, 22, 16, 10]

    struct DomainInfo {
        var title: String
        var code: String
        var summary: String
    }

    static let baseDomains: [DomainInfo] = [
        DomainInfo(
            title: "Clinical practice: assessment, diagnosis and management", code: "CL",
            summary: "Assessing people, reasoning about what is wrong, and planning, delivering and reviewing care."),
        DomainInfo(
            title: "Leadership and management", code: "LM",
            summary: "Leading yourself, teams and services, managing resources and improving quality and safety."),
        DomainInfo(
            title: "Education and learning", code: "ED",
            summary: "Learning throughout your career and helping others learn, from supervision to designing programmes."),
        DomainInfo(
            title: "Research and evidence", code: "RE",
            summary: "Using evidence in practice, evaluating services and taking part in or leading research."),
        DomainInfo(
            title: "Person-centred care", code: "PC",
            summary: "Working with people as partners in their care, respecting what matters to them and supporting self-management."),
        DomainInfo(
            title: "Population health and prevention", code: "PH",
            summary: "Improving the health of communities, reducing inequalities and preventing ill health."),
    ]

    static let domainThemes = [
        "Digital and data practice", "Integrated working", "Safeguarding and protection", "Medicines optimisation",
        "Mental health and wellbeing", "Children, young people and families", "Palliative and end of life care",
        "Frailty and ageing well", "Rehabilitation and enablement", "Workforce wellbeing", "Equality, diversity and inclusion",
        "Quality improvement", "Service design and commissioning", "Environmental sustainability", "Ethics and law",
        "Communication and relationships", "Clinical governance", "Learning disability and autism", "Long-term conditions",
        "Urgent community care", "Remote and virtual care", "Health and housing", "Community assets and social prescribing",
        "Infection prevention and control", "Nutrition and hydration", "Risk management", "Partnership with carers",
        "Trauma-informed practice", "Health literacy", "Coaching and mentoring",
    ]

    struct CapabilityInfo {
        var title: String
        /// A noun phrase that can follow "leads" or "helps with".
        var activity: String
        /// Index into `baseDomains`.
        var domain: Int
    }

    /// The first six each belong to a different base domain, in order.
    static let baseCapabilities: [CapabilityInfo] = [
        CapabilityInfo(title: "Holistic assessment and history taking", activity: "holistic assessment of people's needs", domain: 0),
        CapabilityInfo(title: "Team leadership", activity: "the leadership of a team", domain: 1),
        CapabilityInfo(title: "Supervising and assessing learners", activity: "supervision and assessment of learners", domain: 2),
        CapabilityInfo(title: "Evidence-based practice", activity: "the use of evidence in everyday decisions", domain: 3),
        CapabilityInfo(title: "Communication and consultation", activity: "consultations that put the person first", domain: 4),
        CapabilityInfo(title: "Health promotion and prevention", activity: "health promotion and brief interventions", domain: 5),
        CapabilityInfo(title: "Clinical reasoning and diagnosis", activity: "clinical reasoning under uncertainty", domain: 0),
        CapabilityInfo(title: "Managing care and long-term conditions", activity: "care for people with long-term conditions", domain: 0),
        CapabilityInfo(title: "Medicines management and prescribing", activity: "the safe use of medicines", domain: 0),
        CapabilityInfo(title: "Recognising and responding to deterioration", activity: "the recognition of deterioration", domain: 0),
        CapabilityInfo(title: "Infection prevention and control", activity: "infection prevention and control", domain: 0),
        CapabilityInfo(title: "Quality, safety and governance", activity: "quality and safety work", domain: 1),
        CapabilityInfo(title: "Service improvement", activity: "the improvement of services", domain: 1),
        CapabilityInfo(title: "System leadership", activity: "partnership across organisations", domain: 1),
        CapabilityInfo(title: "Ethics and accountability", activity: "ethical and accountable practice", domain: 1),
        CapabilityInfo(title: "Professional development", activity: "planning your own development", domain: 2),
        CapabilityInfo(title: "Facilitating learning", activity: "teaching and facilitating learning", domain: 2),
        CapabilityInfo(title: "Education design", activity: "the design of education programmes", domain: 2),
        CapabilityInfo(title: "Research and evaluation", activity: "research and service evaluation", domain: 3),
        CapabilityInfo(title: "Audit and quality improvement", activity: "clinical audit", domain: 3),
        CapabilityInfo(title: "Innovation", activity: "testing new ways of working", domain: 3),
        CapabilityInfo(title: "Personalised care and support planning", activity: "personalised care and support planning", domain: 4),
        CapabilityInfo(title: "Supporting self-management", activity: "support for self-management", domain: 4),
        CapabilityInfo(title: "Care coordination", activity: "the coordination of care between services", domain: 4),
        CapabilityInfo(title: "Safeguarding", activity: "safeguarding adults and children", domain: 4),
        CapabilityInfo(title: "Equality and inclusion", activity: "inclusive and fair practice", domain: 4),
        CapabilityInfo(title: "Population health management", activity: "population health management", domain: 5),
        CapabilityInfo(title: "Tackling health inequalities", activity: "work to reduce health inequalities", domain: 5),
        CapabilityInfo(title: "Community and public health", activity: "public health work with communities", domain: 5),
        CapabilityInfo(title: "Digital practice", activity: "the use of digital tools and data", domain: 5),
        CapabilityInfo(title: "Records and information governance", activity: "record keeping and information governance", domain: 1),
    ]

    /// Areas that combine with a focus to make further capabilities ("Assessment in frailty").
    static let capabilityAreas: [(title: String, activity: String)] = [
        ("Assessment", "assessment"), ("Care planning", "care planning"), ("Shared decision-making", "shared decision-making"),
        ("Medicines optimisation", "medicines optimisation"), ("Case management", "case management"),
        ("Risk assessment", "risk assessment"), ("Rehabilitation", "rehabilitation"), ("Education and training", "education"),
        ("Leadership", "leadership"), ("Evaluation", "evaluation"), ("Prevention", "prevention"),
        ("Multidisciplinary working", "multidisciplinary working"), ("Supported self-care", "supported self-care"),
        ("Advance care planning", "advance care planning"), ("Remote monitoring", "remote monitoring"),
        ("Clinical supervision", "clinical supervision"), ("Pathway design", "pathway design"),
        ("Health coaching", "health coaching"), ("Triage", "triage"), ("Referral and signposting", "referral and signposting"),
    ]

    struct Family {
        var title: String
        var regulator: String?
        var field: String
        var noun: String
        var plural: String
        var support: [String]
        var associate: [String]
        var firstContact: Bool
        var summary: String
    }

    static let families: [Family] = [
        Family(
            title: "Nursing", regulator: "NMC", field: "nursing", noun: "nurse", plural: "nurses",
            support: ["Healthcare support worker", "Community healthcare support worker", "Healthcare assistant"],
            associate: ["Nursing associate", "Assistant practitioner"], firstContact: false,
            summary: "Registered nurses and nursing associates in general practice and community services."),
        Family(
            title: "Physiotherapy", regulator: "HCPC", field: "physiotherapy", noun: "physiotherapist", plural: "physiotherapists",
            support: ["Therapy assistant", "Rehabilitation assistant"], associate: ["Assistant practitioner"], firstContact: true,
            summary: "Physiotherapists and the support workers who work with them, helping people move and stay independent."),
        Family(
            title: "Occupational therapy", regulator: "HCPC", field: "occupational therapy", noun: "occupational therapist",
            plural: "occupational therapists", support: ["Occupational therapy support worker"],
            associate: ["Occupational therapy assistant practitioner"], firstContact: true,
            summary: "Occupational therapists who help people do the everyday things that matter to them."),
        Family(
            title: "Podiatry", regulator: "HCPC", field: "podiatry", noun: "podiatrist", plural: "podiatrists",
            support: ["Podiatry assistant", "Foot care assistant"], associate: ["Podiatry assistant practitioner"], firstContact: true,
            summary: "Podiatrists who assess and treat problems of the foot and lower limb, often for people with diabetes."),
        Family(
            title: "Dietetics", regulator: "HCPC", field: "dietetics", noun: "dietitian", plural: "dietitians",
            support: ["Dietetic support worker"], associate: ["Dietetic assistant practitioner"], firstContact: true,
            summary: "Dietitians who assess, diagnose and treat nutritional problems in the community."),
        Family(
            title: "Speech and language therapy", regulator: "HCPC", field: "speech and language therapy",
            noun: "speech and language therapist", plural: "speech and language therapists",
            support: ["Speech and language therapy assistant"], associate: ["Speech and language therapy assistant practitioner"],
            firstContact: false, summary: "Therapists who support people with communication, eating, drinking and swallowing."),
        Family(
            title: "Paramedicine", regulator: "HCPC", field: "paramedicine", noun: "paramedic", plural: "paramedics",
            support: ["Emergency care assistant"], associate: ["Associate ambulance practitioner"], firstContact: true,
            summary: "Paramedics working in general practice, urgent community response and primary care networks."),
        Family(
            title: "Pharmacy", regulator: "GPhC", field: "pharmacy", noun: "pharmacist", plural: "pharmacists",
            support: ["Pharmacy assistant", "Dispenser"], associate: ["Pharmacy technician"], firstContact: false,
            summary: "Pharmacists and pharmacy technicians who help people get the best from their medicines."),
        Family(
            title: "Mental health", regulator: "NMC or HCPC", field: "mental health", noun: "mental health practitioner",
            plural: "mental health practitioners", support: ["Mental health support worker", "Peer support worker"],
            associate: ["Associate mental health practitioner"], firstContact: false,
            summary: "Practitioners who support people with mental health needs in primary care and the community."),
        Family(
            title: "Psychological professions", regulator: "BABCP or BPS accreditation", field: "psychological therapy",
            noun: "psychological therapist", plural: "psychological therapists", support: ["Assistant psychologist"],
            associate: ["Psychological wellbeing practitioner"], firstContact: false,
            summary: "Psychological practitioners who offer talking therapies and psychological support."),
        Family(
            title: "Specialist community public health nursing", regulator: "NMC", field: "public health nursing",
            noun: "public health nurse", plural: "public health nurses", support: ["Community nursery nurse"],
            associate: ["Community nursery nurse"], firstContact: false,
            summary: "Health visitors, school nurses and the teams around them, leading public health work with families."),
        Family(
            title: "Personalised care", regulator: "none", field: "personalised care", noun: "link worker", plural: "link workers",
            support: ["Care navigator"], associate: ["Care coordinator", "Health and wellbeing coach"], firstContact: false,
            summary: "Social prescribing link workers, care coordinators and health and wellbeing coaches."),
        Family(
            title: "Midwifery", regulator: "NMC", field: "midwifery", noun: "midwife", plural: "midwives",
            support: ["Maternity support worker"], associate: ["Maternity assistant practitioner"], firstContact: false,
            summary: "Community midwives who care for women and families before, during and after birth."),
        Family(
            title: "Healthcare science", regulator: "HCPC or AHCS", field: "healthcare science", noun: "healthcare scientist",
            plural: "healthcare scientists", support: ["Healthcare science assistant"], associate: ["Healthcare science associate"],
            firstContact: false, summary: "Healthcare scientists running diagnostic services in community diagnostic centres."),
    ]

    static let focuses = [
        "frailty", "diabetes", "respiratory care", "musculoskeletal health", "end of life care", "wound care", "falls prevention",
        "children and young people", "learning disability and autism", "dementia", "heart failure", "continence", "tissue viability",
        "urgent community response", "virtual wards", "care homes", "long COVID", "weight management", "persistent pain",
        "perinatal mental health", "inclusion health", "cancer care", "stroke rehabilitation", "cardiac rehabilitation",
        "neurological conditions", "lymphoedema", "sexual health", "substance use", "veterans' health", "eating disorders",
        "severe mental illness", "social prescribing", "school health", "immunisation", "long-term conditions", "polypharmacy",
        "kidney care", "bladder and bowel care", "hearing and balance", "sickle cell disease",
    ]

    static let localities = [
        "Northgate", "Riverside", "Eastfield", "Westbrook", "Millbrook", "Oakham Vale", "Southmead", "Highcliffe", "Brookside",
        "Fernley", "Kingsmoor", "Ashby Park", "Elmsworth", "Harbourside", "Stonebridge", "Larkhill", "Marshfield", "Greenacre",
        "Hollins", "Thornbury", "Castleton", "Meadowbank", "Woodlands", "Lindenfield", "Redcliffe", "Bramley", "Foxton",
        "Sandhurst", "Whitmore", "Copperfield", "Pinewood", "Moorside", "Abbeygate", "Clayton", "Dunmore", "Hartwell",
    ]

    static let settings = [
        "general practice", "primary care network", "community services", "intermediate care", "integrated care system",
        "care homes", "0-19 public health", "urgent community response", "community mental health", "community pharmacy",
        "hospice at home", "prison healthcare",
    ]
    static let settingWeights = [30, 22, 34, 8, 4, 5, 3, 5, 6, 3, 2, 1]

    static let populations = [
        "older people living with frailty", "people with long-term conditions", "families with young children",
        "people who are housebound", "people living in care homes", "adults with learning disabilities",
        "people nearing the end of life", "children and young people", "people with complex needs",
        "people recovering from illness or injury", "people with mental health needs", "people at risk of admission to hospital",
    ]

    static let duties = [
        "assess people's needs and agree a plan with them", "review care and adjust it as things change",
        "run clinics for people with long-term conditions", "visit people at home and in care homes",
        "recognise when someone is deteriorating and act on it", "share information safely with other teams",
        "keep clear, contemporaneous records", "support people to manage their own health",
        "take part in multidisciplinary team meetings", "teach and supervise students and new staff",
        "follow up people after discharge from hospital", "refer people on when their needs are outside your scope",
        "contribute to audits and improvement projects", "help people and carers plan ahead",
        "check that equipment and medicines are used safely", "safeguard adults and children you meet through your work",
    ]

    static let codeTerms = [
        "`V300`", "`V150`", "`SNOMED CT`", "`NEWS2`", "`ReSPECT`", "`SystmOne`", "`EMIS Web`", "`QOF`", "`e-RS`", "`GP Connect`",
        "`ARRS`", "`PCN DES`",
    ]

    static let externalLinks: [(text: String, url: String)] = [
        ("NHS Health Careers", "https://www.healthcareers.nhs.uk/"),
        ("Skills for Health", "https://www.skillsforhealth.org.uk/"),
        ("the Centre for Advancing Practice", "https://advanced-practice.hee.nhs.uk/"),
        ("NHS England", "https://www.england.nhs.uk/"),
        ("the NMC standards", "https://www.nmc.org.uk/standards/"),
        ("the HCPC standards of proficiency", "https://www.hcpc-uk.org/standards/"),
        ("the GPhC standards", "https://www.pharmacyregulation.org/standards"),
        ("e-Learning for Healthcare", "https://www.e-lfh.org.uk/"),
        ("the Personalised Care Institute", "https://www.personalisedcareinstitute.org.uk/"),
    ]

    static let qualifications = [
        "a degree or degree apprenticeship", "a Level 5 foundation degree or apprenticeship", "a Level 3 diploma in healthcare support",
        "a master's degree in advanced practice", "a postgraduate certificate in the specialist area",
        "the Care Certificate and competency-based training in post", "a Level 7 specialist practitioner apprenticeship",
        "a doctorate or equivalent research experience", "independent prescribing (`V300`)",
    ]

    static let viaPhrases: [[String]] = [
        [
            "Usually direct entry, with the Care Certificate and training in post.",
            "Direct entry as a support worker; requirements vary by employer.",
        ],
        [
            "A Level 5 apprenticeship or foundation degree while working.",
            "Experience as a senior support worker, then Level 5 study.",
        ],
        [
            "A degree or degree apprenticeship, then registration with the regulator.",
            "A shortened degree or apprenticeship building on associate-level practice.",
        ],
        [
            "Experience at registered level and a postgraduate specialist qualification.",
            "A Level 7 specialist practitioner programme, often as an apprenticeship.",
            "Experience in post with leadership development and supervision.",
        ],
        [
            "A master's in advanced practice or the Centre for Advancing Practice ePortfolio route.",
            "Advanced practice education and verification of capability in the workplace.",
        ],
        [
            "Consultant-level capability, usually with doctoral study.",
            "Sustained leadership across organisations, research activity and a doctorate or equivalent.",
        ],
    ]

    static let extraHeadings = [
        "A typical day", "Working with others", "Supervision and support", "Skills you will use", "Further reading",
        "Things to know", "Evidence for your portfolio", "Records and systems",
    ]
}
