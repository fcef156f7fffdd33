import Foundation
import Testing
@testable import DevWorkflow

/// The benchmark cannot rot: a seconds-long run of it prints every figure and passes its own checks.
@Suite struct BenchSmokeTests {
    @Test func aSmokeRunPrintsEveryFigureWithItsReference() throws {
        let result = try Binary.run("workflow-bench", ["--size", "smoke"])
        #expect(result.status == 0, "\(result.stderr.suffix(600))")
        #expect(result.stderr.contains("self-check:"))
        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }
        let figures = try lines.map { try JSONValue.parse(String($0)) }
        let names = figures.compactMap { $0["name"]?.plain }
        #expect(names.count == 9)
        for prefix in ["transitions_per_second_1_connection", "transitions_per_second_4_connections", "workflowctl_move_wall_time",
                       "report_vendor_csv_", "report_peak_memory_", "reminder_pass_", "outbox_file_sink_delivery"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "\(prefix) missing")
        }
        // The pipelined figures carry the goals; the awaited ones stand beside them, with none.
        for connections in ["1_connection", "4_connections"] {
            let goal = figures.first { $0["name"]?.plain == "transitions_per_second_\(connections)" }
            let awaited = figures.first { $0["name"]?.plain == "transitions_per_second_\(connections)_awaited" }
            let met = goal?["met"]
            #expect(goal?["goal"]?.plain == "≥ 1.5×" && (met == .bool(true) || met == .bool(false)), "\(connections)")
            #expect(awaited?["goal"]?.plain == "—" && awaited?["met"] == .null, "\(connections) awaited")
        }
        for figure in figures {
            #expect((Double(figure["value"]?.plain ?? "") ?? 0) > 0, "\(figure.text)")
            if figure["name"]?.plain != "outbox_file_sink_delivery" {
                #expect((Double(figure["reference"]?.plain ?? "") ?? 0) > 0, "\(figure.text)")
                #expect((Double(figure["ratio"]?.plain ?? "") ?? 0) > 0, "\(figure.text)")
            }
        }
        #expect(result.stdout.contains("figure") && result.stdout.contains("goal"), "the table is printed")
    }
}
