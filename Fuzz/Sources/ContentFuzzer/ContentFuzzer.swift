import CareerSite
import Foundation

/// The fixture site, loaded once per process; each input replaces one of its files in memory.
let check = InMemoryContentCheck(
    root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/EndToEndTests/Fixtures/minimal/Content"),
    displayRoot: "Content")

/// The file an input replaces, chosen by its first byte, so every kind's fields are reached.
let targets = [
    "framework.md", "stages/entry.md", "domains/clinical.md", "capabilities/assessment.md", "professions/nursing.md",
    "roles/community-nurse.md", "routes/nursing-route.md", "pages/about.md",
]

/// One libFuzzer input: the first byte picks the file, the rest are its bytes. Beyond not trapping, every error
/// must be positioned in a file, and an error in the replaced file must point at one of its lines; a violation
/// traps on purpose so libFuzzer saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = Data(bytes: start, count: count)
    let path = targets[Int(input[input.startIndex]) % targets.count]
    let bytes = input.dropFirst()
    let lineCount = bytes.count { $0 == 0x0A || $0 == 0x0D } + 1
    for diagnostic in check.diagnostics(replacing: path, with: Data(bytes)) where diagnostic.severity == .error {
        guard let location = diagnostic.location, location.path.hasPrefix("Content/") else {
            fatalError("error without a position in a content file: \(diagnostic)")
        }
        if location.path == "Content/\(path)", location.line < 1 || location.line > lineCount || location.column < 1 {
            fatalError("error outside the \(lineCount) lines of \(path): \(diagnostic)")
        }
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable with its `main` renamed to `<target>_main`, which replaces libFuzzer's own `main`;
/// this hands over to libFuzzer's driver as that `main` would.
@_cdecl("ContentFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { fuzz($0, $1) }
}
