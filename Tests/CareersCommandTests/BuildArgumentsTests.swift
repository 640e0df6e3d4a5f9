import ArgumentParser
import Testing

@testable import careers

/// `BuildRequest.init(quickParsing:)` reads a plain build's arguments without ArgumentParser. Whatever it accepts
/// must be read by ArgumentParser to the same request; whatever else it must leave to ArgumentParser.
@Suite struct BuildArgumentsTests {
    /// The request ArgumentParser reads from `arguments`, or nil when it reads another command or fails.
    func argumentParserRequest(_ arguments: [String]) -> BuildRequest? {
        (try? Careers.parseAsRoot(arguments) as? Build)?.request
    }

    @Test func theFormsOfAPlainBuildAreReadAsArgumentParserReadsThem() {
        let cases: [([String], BuildRequest)] = [
            ([], BuildRequest()),
            (["build"], BuildRequest()),
            (["--output", "site"], BuildRequest(output: "site")),
            (["build", "--output=site"], BuildRequest(output: "site")),
            (
                ["build", "--content", "c", "--templates", "t", "--output", "o", "--previous", "HEAD~1"],
                BuildRequest(content: "c", templates: "t", output: "o", previous: "HEAD~1")
            ),
            (
                ["--previous=v0.2:Content", "--templates=T", "--content=C"],
                BuildRequest(content: "C", templates: "T", previous: "v0.2:Content")
            ),
            (["--output", "a=b"], BuildRequest(output: "a=b")),
            (["--output=a=b"], BuildRequest(output: "a=b")),
            (["--content", "my content/with spaces", "--output", "café"], BuildRequest(content: "my content/with spaces", output: "café")),
            (["--output", "build"], BuildRequest(output: "build")),
        ]
        for (arguments, expected) in cases {
            #expect(BuildRequest(quickParsing: arguments) == expected, "\(arguments)")
            #expect(argumentParserRequest(arguments) == expected, "\(arguments)")
        }
    }

    /// An empty name was read as the current folder (`URL(fileURLWithPath: "")`): `--output ''` said the current
    /// folder "is not empty and was not created by careers", and `handout --out ''` failed with Foundation's
    /// "error 512".
    @Test func optionsThatNameAFileOrFolderMayNotBeEmpty() {
        let cases: [([String], String)] = [
            (["--output", ""], "--output needs a folder name"),
            (["build", "--output="], "Missing value for '--output <dir>'"),
            (["build", "--content", ""], "--content needs a folder name"),
            (["check", "--templates", ""], "--templates needs a folder name"),
            (["build", "--previous", ""], "--previous needs a folder or a git revision"),
            (["handout", "role:nurse", "--out", ""], "--out needs a file name"),
            (["handout", "role:nurse", "--pdf", ""], "--pdf needs a file name"),
            (["synth", "--roles", "3", "--out", ""], "--out needs a folder name"),
            (["serve", "--output", ""], "--output needs a folder name"),
            (["diff", ""], "the old revision needs a folder or a git revision"),
            (["diff", "HEAD~1", "--content", ""], "--content needs a folder name"),
        ]
        for (arguments, expected) in cases {
            #expect(BuildRequest(quickParsing: arguments) == nil, "\(arguments)")
            do {
                _ = try Careers.parseAsRoot(arguments)
                Issue.record("expected an error: \(arguments)")
            } catch {
                #expect(Careers.message(for: error) == expected, "\(arguments)")
            }
        }
        #expect((try? Careers.parseAsRoot(["handout", "role:nurse", "--out", "x.html", "--pdf", "x.pdf"])) is Handout)
    }

    @Test func everythingElseIsLeftToArgumentParser() {
        let cases: [[String]] = [
            ["--help"], ["-h"], ["help"], ["build", "--help"], ["build", "-h"], ["help", "build"],
            ["check"], ["check", "--content", "c"], ["serve"], ["synth", "--roles", "3", "--out", "x"],
            ["handout", "roles/x"], ["diff"],
            ["build", "build"], ["build", "extra"], ["extra"], [""],
            ["--output"], ["--output="], ["--output", ""], ["--output", "-x"], ["--output=-x"], ["--output", "--content"],
            ["--output", "a", "--output", "b"], ["--output=a", "--output", "b"],
            ["--port", "80"], ["--contents", "c"], ["--Output", "o"], ["-o", "x"], ["--", "x"], ["--"],
            ["--=x"], ["--version"], ["--generate-completion-script", "bash"], ["--experimental-dump-help"],
        ]
        for arguments in cases {
            #expect(BuildRequest(quickParsing: arguments) == nil, "\(arguments)")
        }
    }

    /// Random argument lists from a vocabulary of commands, options, values and oddities: every list read directly
    /// is read by ArgumentParser as a build with the same request.
    @Test func everyAcceptedListAgreesWithArgumentParser() {
        let vocabulary = [
            "build", "check", "help", "--content", "--templates", "--output", "--previous", "--content=c", "--output=o",
            "--previous=HEAD~1", "--templates=", "--output=a=b", "-h", "--help", "--", "-", "-x", "--port", "x", "y z",
            "build", "HEAD", "=", "--=", "café", "--Output", "check",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var accepted = 0
        for _ in 0..<4000 {
            let arguments = (0..<next(7)).map { _ in vocabulary[next(vocabulary.count)] }
            guard let quick = BuildRequest(quickParsing: arguments) else { continue }
            accepted += 1
            #expect(argumentParserRequest(arguments) == quick, "\(arguments)")
        }
        // The vocabulary makes plain builds often enough for the comparison to mean something.
        #expect(accepted > 200)
    }
}
