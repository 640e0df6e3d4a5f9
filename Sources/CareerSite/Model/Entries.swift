/// Rendered Markdown whose internal links are still placeholders, so one rendering serves every page depth.
///
/// `SiteURLs.resolveLinks(in:from:)` turns the placeholders into relative hrefs for the page being written.
public struct RichText: Hashable, Sendable {
    public var html: String
    public init(html: String) { self.html = html }
    public static let empty = RichText(html: "")
    public var isEmpty: Bool { html.isEmpty }
}

/// The framework's publication status, which decides whether a banner is shown.
public enum PublicationStatus: String, Sendable, CaseIterable {
    case draft, consultation, published
}

/// `framework.md`: the framework as a whole.
public struct FrameworkInfo: Sendable, Hashable {
    public var title: String
    public var shortTitle: String?
    public var edition: String
    public var status: PublicationStatus
    /// `YYYY-MM-DD`.
    public var updated: String
    /// Absolute http(s) URL with a trailing slash, when set.
    public var baseURL: String?
    public var owner: String?
    public var introduction: RichText
}

/// A career stage (level of practice).
public struct Stage: Sendable, Hashable, Identifiable {
    public var id: StageID
    public var title: String
    /// Position on the ladder, unique, 1 = entry.
    public var order: Int
    /// Career Framework for Health level (1-9).
    public var level: Int?
    public var bands: [String]
    public var summary: String
    public var body: RichText
}

/// A capability domain (pillar).
public struct Domain: Sendable, Hashable, Identifiable {
    public var id: DomainID
    public var title: String
    public var order: Int
    public var summary: String
    public var body: RichText
}

/// A capability, described at each stage where it applies.
public struct Capability: Sendable, Hashable, Identifiable {
    public var id: CapabilityID
    public var title: String
    public var code: String?
    public var domain: DomainID
    public var summary: String
    /// Descriptor per stage; stages left out do not describe this capability.
    public var levels: [StageID: RichText]
    public var body: RichText
}

/// A profession or staff group.
public struct Profession: Sendable, Hashable, Identifiable {
    public var id: ProfessionID
    public var title: String
    public var regulator: String?
    public var summary: String
    public var body: RichText
}

/// A role (job) at a stage, in a profession.
public struct Role: Sendable, Hashable, Identifiable {
    public var id: RoleID
    public var title: String
    public var stage: StageID
    public var profession: ProfessionID
    public var settings: [String]
    public var bands: [String]
    public var summary: String
    public var capabilities: [CapabilityID]
    public var next: [RoleID]
    public var entry: RichText?
    public var body: RichText
}

/// One step of a route: a role, and how people get to it.
public struct RouteStep: Sendable, Hashable {
    public var role: RoleID
    public var via: String?
}

/// A career route: ordered steps from role to role.
public struct Route: Sendable, Hashable, Identifiable {
    public var id: RouteID
    public var title: String
    public var profession: ProfessionID?
    public var summary: String
    /// At least two steps; each role at most once.
    public var steps: [RouteStep]
    public var body: RichText
}

/// A free page (about, how to use, glossary…).
public struct Page: Sendable, Hashable, Identifiable {
    public var id: PageID
    public var title: String
    public var order: Int?
    public var summary: String?
    public var body: RichText
}

/// A file under `Content/assets/`, copied to the output as it is.
public struct Asset: Sendable, Hashable {
    /// Path below `assets/`, with `/` separators.
    public var path: String
    public var sourcePath: String
}
