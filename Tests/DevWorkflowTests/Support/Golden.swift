import Foundation
import Testing

/// Saved expected output: `Golden/<name>` in a test folder (the reports' by default, the mails'
/// in Notifications/Golden, the acts' in Documents/Golden). Run the tests with `RECORD_GOLDEN=1`
/// to rewrite the files on purpose; otherwise a difference fails the test and the actual text is
/// left in the temporary folder for `diff`.
enum Golden {
    private static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    /// The reports' golden files.
    static let reports = tests.appendingPathComponent("Reports/Golden")
    /// The notifications' golden files.
    static let mail = tests.appendingPathComponent("Notifications/Golden")
    /// The documents' golden files: acceptance acts as PDF.
    static let documents = tests.appendingPathComponent("Documents/Golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    static func check(_ text: String, named name: String, in folder: URL = reports, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        let actual = Data(text.utf8)
        if recording {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try actual.write(to: url)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            Issue.record("golden file \(name) is missing: run the tests with RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("actual-\(folder.deletingLastPathComponent().lastPathComponent)-" + name)
        try actual.write(to: saved)
        let expectedLines = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
        let actualLines = text.components(separatedBy: "\n")
        let line = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = line < expectedLines.count ? expectedLines[line] : "(end of file)"
        let got = line < actualLines.count ? actualLines[line] : "(end of file)"
        Issue.record("""
            \(name) differs from the golden file at line \(line + 1)
              expected: \(want.debugDescription)
              actual:   \(got.debugDescription)
            diff \(url.path) \(saved.path); RECORD_GOLDEN=1 rewrites it if the change is intended
            """, sourceLocation: sourceLocation)
    }

    /// A golden file's text, or nil when it was never recorded.
    static func text(named name: String, in folder: URL = reports) -> String? {
        FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { String(decoding: $0, as: UTF8.self) }
    }
}
