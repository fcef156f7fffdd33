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
        #expect(names.count == 16)
        for prefix in ["transitions_per_second_1_connection", "transitions_per_second_4_connections", "workflowctl_move_wall_time",
                       "workflowctl_move_vs_psql_move", "workflowctl_move_10k_orders_vs_100",
                       "report_vendor_csv_", "report_peak_memory_", "reminder_pass_", "outbox_file_sink_delivery",
                       "invoices_from_folder_", "invoice_import_peak_memory_",
                       "audit_verify_", "audit_verify_peak_memory_", "transitions_per_second_chained_vs_unchained"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "\(prefix) missing")
        }
        // Every transition figure carries its goal (issue 14: the awaited ones too), and says whether it is met.
        for (connections, pipelined, awaitedGoal) in [("1_connection", "≥ 1.5×", "≥ 1.8×"), ("4_connections", "≥ 2.5×", "≥ 1.5×")] {
            let goal = figures.first { $0["name"]?.plain == "transitions_per_second_\(connections)" }
            let awaited = figures.first { $0["name"]?.plain == "transitions_per_second_\(connections)_awaited" }
            #expect(goal?["goal"]?.plain == pipelined && [.bool(true), .bool(false)].contains(goal?["met"]), "\(connections)")
            #expect(awaited?["goal"]?.plain == awaitedGoal && [.bool(true), .bool(false)].contains(awaited?["met"]), "\(connections) awaited")
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
