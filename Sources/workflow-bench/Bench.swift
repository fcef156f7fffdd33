import DevWorkflow
import Foundation

/// One measured figure, printed in the table and as one JSON line.
struct Figure {
    let name: String
    let value: Double
    let unit: String
    /// What the same run measured for comparison, and what it is.
    let reference: Double?
    let referenceName: String
    /// value / reference (or the figure's own ratio when it compares two runs of the product).
    let ratio: Double?
    /// The goal in words, and whether it was met (nil for a figure shown beside one with a goal).
    let goal: String
    let met: Bool?

    var json: JSONValue {
        .object([
            ("name", .string(name)), ("value", .number(Self.format(value))), ("unit", .string(unit)),
            ("reference", reference.map { .number(Self.format($0)) } ?? .null), ("reference_name", .string(referenceName)),
            ("ratio", ratio.map { .number(String(format: "%.3f", $0)) } ?? .null), ("goal", .string(goal)), ("met", met.map { .bool($0) } ?? .null),
        ])
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : value >= 1 ? String(format: "%.2f", value) : String(format: "%.4f", value)
    }
}

/// How big a run is.
struct Size {
    let name: String
    let transitionSeconds: Double
    let requestsPerConnection: Int
    let cliRuns: Int
    let reportRequests: Int
    let smallReportRequests: Int
    let reminderBig: Int
    let reminderSmall: Int
    let reminderDue: Int
    let outboxMessages: Int
    /// Invoice files in the drop folder, and the megabytes of the one big invoice.
    let invoices: Int
    let bigInvoiceMiB: Int
    /// Requests of ten history events each that `audit verify` recomputes (and a tenth as many).
    let chainRequests: Int

    static let full = Size(name: "full", transitionSeconds: 10, requestsPerConnection: 50, cliRuns: 30, reportRequests: 100_000,
                           smallReportRequests: 1_000, reminderBig: 1_000_000, reminderSmall: 10_000, reminderDue: 1_000, outboxMessages: 20_000,
                           invoices: 10_000, bigInvoiceMiB: 20, chainRequests: 100_000)
    static let quick = Size(name: "quick", transitionSeconds: 3, requestsPerConnection: 25, cliRuns: 10, reportRequests: 20_000,
                            smallReportRequests: 1_000, reminderBig: 100_000, reminderSmall: 10_000, reminderDue: 1_000, outboxMessages: 5_000,
                            invoices: 10_000, bigInvoiceMiB: 20, chainRequests: 20_000)
    static let smoke = Size(name: "smoke", transitionSeconds: 0.5, requestsPerConnection: 5, cliRuns: 3, reportRequests: 2_000,
                            smallReportRequests: 200, reminderBig: 5_000, reminderSmall: 1_000, reminderDue: 100, outboxMessages: 500,
                            invoices: 300, bigInvoiceMiB: 2, chainRequests: 1_000)
}

/// A value threads add to; the lock makes the unchecked Sendable safe.
final class Shared<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func update(_ body: (inout Value) -> Void) {
        lock.lock()
        body(&value)
        lock.unlock()
    }
    var current: Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Seconds a closure takes.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Fails the benchmark with a message.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program and insists on exit 0.
@discardableResult
func runChecked(_ program: String, _ arguments: [String]) throws -> Subprocess.Output {
    let output = try Subprocess.run(program, arguments)
    guard output.status == 0 else {
        throw BenchFailure("\(program) \(arguments.prefix(3).joined(separator: " ")) … exited \(output.status): \(output.stderr.prefix(300))")
    }
    return output
}

/// The peak resident memory of one run of a program, in KiB, measured by GNU time, which forks it
/// from its own small image. (The maxrss getrusage reports for a child this process spawns also
/// counts the memory this process had up to exec, which would flatter a ratio of two runs.)
func peakKilobytes(_ program: String, _ arguments: [String]) throws -> Int {
    let time = "/usr/bin/time"
    guard FileManager.default.isExecutableFile(atPath: time) else {
        throw BenchFailure("\(time) (GNU time) measures a program's peak memory: apt-get install time")
    }
    let marker = "workflow-bench-peak-rss-kib="
    let output = try runChecked(time, ["-f", marker + "%M", program] + arguments)
    guard let line = output.stderr.components(separatedBy: "\n").last(where: { $0.hasPrefix(marker) }),
          let kib = Int(line.dropFirst(marker.count)) else {
        throw BenchFailure("no peak memory from \(time): \(output.stderr.prefix(300))")
    }
    return kib
}

/// The benchmark's log: progress on stderr, so stdout holds only the table and JSON lines.
func say(_ text: String) {
    FileHandle.standardError.write(Data("workflow-bench: \(text)\n".utf8))
}
