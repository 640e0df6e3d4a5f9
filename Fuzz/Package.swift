// swift-tools-version:6.0
// The libFuzzer target for the content loader. A package of its own so that `swift build` at the root never
// builds it; Scripts/fuzz.sh builds it with -sanitize=fuzzer and runs it.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which depends on where the repository was cloned.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()

let package = Package(
    name: "careers-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "ContentFuzzer",
            dependencies: [.product(name: "CareerSite", package: root.lastPathComponent.lowercased())],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ],
    swiftLanguageModes: [.v6]
)
