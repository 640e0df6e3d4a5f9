// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "careers",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "careers", targets: ["careers"]),
        .executable(name: "careers-serve", targets: ["careers-serve"]),
        .library(name: "CareerSite", targets: ["CareerSite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "Ccmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // The C library calls the Glibc module does not export: mallopt (see MemoryTuning) and syncfs (SiteWriter).
        .target(name: "CSystem"),
        .target(
            name: "CareerSite",
            dependencies: [
                "Ccmark",
                "CSystem",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "CareerPreview",
            dependencies: ["CareerSite", .product(name: "FlyingFox", package: "FlyingFox")]
        ),
        .executableTarget(
            name: "careers",
            dependencies: [
                "CareerSite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The preview server, a program of its own so that careers does not link FlyingFox's HTTP stack
        // (FoundationNetworking, libcurl and their libraries), whose loading slowed every command's start-up.
        .executableTarget(
            name: "careers-serve",
            dependencies: [
                "CareerSite",
                "CareerPreview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // swift-mustache, which rendered the site before TemplateParser and TemplateRenderer, is kept as the
        // reference those are compared with (MustacheOracleTests).
        .testTarget(
            name: "CareerSiteTests",
            dependencies: ["CareerSite", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(name: "CareerPreviewTests", dependencies: ["CareerPreview", "CareerSite"]),
        // The careers program's own argument handling, compared with ArgumentParser's.
        .testTarget(
            name: "CareersCommandTests",
            dependencies: ["careers", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["CareerSite"],
            exclude: ["Fixtures", "Golden", "Broken"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
