import Foundation
@testable import DevWorkflow

/// Runs the scripts of `scripts/crosscheck/` in the Python environment `scripts/python-env` makes
/// (the standard library's email package, icalendar, standardwebhooks and fontTools from PyPI):
/// independent implementations our mail, calendar, webhook and font output is checked against.
///
/// When Python or a package cannot be had, `run` throws and the test fails: a cross-check that
/// quietly skipped would pass on a machine where it checks nothing.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The interpreter, made ready once per test process.
    private static let interpreter: Result<String, Failure> = {
        do {
            let output = try Subprocess.run("/bin/bash", [repository.appendingPathComponent("scripts/python-env").path])
            let path = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard output.status == 0, FileManager.default.isExecutableFile(atPath: path) else {
                return .failure(Failure(description: "scripts/python-env failed (\(output.status)): \(output.stderr)"))
            }
            return .success(path)
        } catch {
            return .failure(Failure(description: "scripts/python-env could not run: \(error)"))
        }
    }()

    /// The standard output of `scripts/crosscheck/<script>` with `arguments`; throws with its
    /// standard error when it fails.
    static func run(_ script: String, _ arguments: [String] = [], input: String? = nil) throws -> String {
        let python = try interpreter.get()
        let output = try Subprocess.run(python, [repository.appendingPathComponent("scripts/crosscheck/\(script)").path] + arguments, input: input,
                                        environment: ["PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"])
        guard output.status == 0 else { throw Failure(description: "\(script) \(arguments) exited \(output.status): \(output.stderr)") }
        return output.stdout
    }
}
