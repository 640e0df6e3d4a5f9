import Foundation

/// Prints an HTML file to PDF with a headless Chromium, when one is installed.
public enum PDFPrinter {
    /// Where to look for a browser, in order; `CHROMIUM` in the environment comes first.
    static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    public enum Failure: Error, CustomStringConvertible {
        case noBrowser
        case cannotWrite(path: String, reason: String)
        case failed(status: Int32, output: String)

        public var description: String {
            switch self {
            case .noBrowser:
                "no headless Chromium was found to print the PDF; install one (on Debian or Ubuntu: "
                    + "sudo apt-get install chromium), or set CHROMIUM to the path of a Chromium or Chrome binary"
            case .cannotWrite(let path, let reason):
                "cannot write '\(path)': \(reason)"
            case .failed(let status, let output):
                "Chromium could not print the PDF (exit status \(status))\(output.isEmpty ? "" : ": \(output)")"
            }
        }
    }

    /// The browser to use, from `CHROMIUM` or the `PATH`.
    public static func findBrowser(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let fileManager = FileManager.default
        if let explicit = environment["CHROMIUM"], !explicit.isEmpty {
            return fileManager.isExecutableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in candidates {
            for folder in folders {
                let path = folder + "/" + name
                if fileManager.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
            }
        }
        return nil
    }

    /// Fails when `pdf` cannot be written because of where it is (see `OutputFolder`), before anything else is
    /// written or run.
    public static func checkDestination(_ pdf: URL) throws(Failure) {
        if let problem = OutputFolder.problem(for: pdf) { throw .cannotWrite(path: pdf.path, reason: problem) }
    }

    /// Prints `html` (a file) to `pdf`, A4 as the handout's CSS asks, without the browser's own header and footer.
    ///
    /// Chromium prints to a new file beside `pdf`, which replaces `pdf` only once it holds a PDF: an older PDF at
    /// the path, left as it was by a failed print, once passed for the new one, and so did a folder there.
    public static func print(_ html: URL, to pdf: URL, browser: URL? = findBrowser()) throws(Failure) {
        try checkDestination(pdf)
        guard let browser else { throw .noBrowser }
        let printing = pdf.deletingLastPathComponent()
            .appendingPathComponent(".\(pdf.lastPathComponent).careers-\(getpid()).pdf")
        defer { unlink(printing.path) }
        let process = Process()
        process.executableURL = browser
        var arguments = [
            "--headless", "--disable-gpu", "--no-pdf-header-footer", "--disable-dev-shm-usage", "--no-first-run",
            "--print-to-pdf=\(printing.path)",
        ]
        if geteuid() == 0 { arguments.append("--no-sandbox") }
        arguments.append(html.absoluteURL.absoluteString)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            throw .failed(status: -1, output: "\(error)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, isPDF(printing.path) else {
            let text = String(decoding: output, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " ")
            throw .failed(status: process.terminationStatus, output: text)
        }
        if rename(printing.path, pdf.path) != 0 {
            throw .cannotWrite(path: pdf.path, reason: systemReason(errno))
        }
    }

    /// Whether `path` is a regular file that starts as a PDF does.
    static func isPDF(_ path: String) -> Bool {
        guard FileKind(path: path) == .file, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 5)) == Data("%PDF-".utf8)
    }
}
