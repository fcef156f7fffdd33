import DevWorkflow
import Foundation

// workflow-bench: the product's speed beside pgbench and psql, measured in the same run on the
// same cluster. Prints a table and one JSON line per figure; exits 1 when a self-check fails
// (the history does not match the transitions counted), not when a goal is missed.
//
//   swift run -c release workflow-bench [--size smoke|quick|full] [--only moves|files|invoices|chains] [--keep] [--workflowctl PATH]
//   bash scripts/bench [--size quick]       (the same, with the statically linked workflowctl users get)
//   bash scripts/bench --only files         (a 1 GiB file attached and read back, beside psql's large objects)
//   workflow-bench load --database CONNINFO [--connections N] [--seconds S] [--seed N] --log FILE
//
// `load` is the library half of the reliability suite's load test (see Load.swift): it moves the
// requests of an existing database from N connections and prints one JSON line of counts.

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "load" { runLoad(Array(arguments.dropFirst())) }
var size = Size.full
var keep = false
/// One part of the run alone (`files`, `invoices`, `chains`), or everything.
var only: String? = nil
var workflowctlPath: String? = nil
var index = 0
while index < arguments.count {
    switch arguments[index] {
    case "--size":
        index += 1
        switch index < arguments.count ? arguments[index] : "" {
        case "smoke": size = .smoke
        case "quick": size = .quick
        case "full": size = .full
        default:
            FileHandle.standardError.write(Data("workflow-bench: --size takes smoke, quick or full\n".utf8))
            exit(64)
        }
    case "--keep": keep = true
    case "--only":
        index += 1
        guard index < arguments.count, ["moves", "files", "invoices", "chains"].contains(arguments[index]) else {
            FileHandle.standardError.write(Data("workflow-bench: --only takes moves, files, invoices or chains\n".utf8))
            exit(64)
        }
        only = arguments[index]
    case "--workflowctl":
        index += 1
        guard index < arguments.count else {
            FileHandle.standardError.write(Data("workflow-bench: --workflowctl takes the path of the binary to measure\n".utf8))
            exit(64)
        }
        workflowctlPath = arguments[index]
    case "--help", "-h":
        print("Usage: workflow-bench [--size smoke|quick|full] [--only moves|files|invoices|chains] [--keep] [--workflowctl PATH]\n       workflow-bench load --database CONNINFO [--connections N] [--seconds S] [--seed N] --log FILE\n\nStarts a throwaway PostgreSQL cluster, seeds it through the product, and measures the product beside pgbench and psql.")
        exit(0)
    default:
        FileHandle.standardError.write(Data("workflow-bench: unknown option \(arguments[index])\n".utf8))
        exit(64)
    }
    index += 1
}

let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let work = "/tmp/workflow-bench-\(getpid())"
let cluster = EmbeddedCluster(directory: work + "/cluster")
var figures: [Figure] = []

@MainActor func finish(_ code: Int32) -> Never {
    if !keep {
        _ = try? cluster.stop()
        try? FileManager.default.removeItem(atPath: work)
    }
    exit(code)
}

do {
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    chmod(work, 0o755)
    say("size \(size.name); cluster in \(work)")
    try cluster.start(trust: true)
    let user = String(cString: getpwuid(geteuid()).pointee.pw_name)
    let workflowctl = workflowctlPath ?? binDirectory + "/workflowctl"
    say("measuring \(workflowctl)")
    let m = Measurements(size: size, host: cluster.socketDirectory, user: user, binDirectory: binDirectory, workflowctl: workflowctl, work: work)

    if only == nil || only == "moves" {
        // pgbench's own database, scale 1 (TPC-B-like, as pgbench ships it).
        _ = try m.freshDatabase("bench_pgbench", migrate: false)
        try runChecked(try EmbeddedCluster.binary("pgbench"), ["-h", m.host, "-U", user, "-i", "-q", "bench_pgbench"])

        // Transitions through the library: each connection moves its own requests ordered ⇄ delivered.
        say("seeding \(size.requestsPerConnection * 4) requests to 'ordered' through the product")
        let transitions = try m.freshDatabase("bench_workflow")
        let ids = try m.seedTransitions(transitions, requests: size.requestsPerConnection * 4)
        let seeded = try transitions.query("SELECT count(*) FROM event").first!.decode(0, as: Int.self)
        var moved = 0
        // The machine's speed drifts over a run (a shared virtual machine: pgbench's own rate moved
        // by half within minutes), so each figure and its reference are measured in turns, a slice
        // of each per round, and each sums its slices: a drift weighs on both sides alike.
        let rounds = size.name == "smoke" ? 1 : 5
        let slice = size.transitionSeconds / Double(rounds)
        for threads in [1, 4] {
            let connections = "\(threads)_connection\(threads == 1 ? "" : "s")", clients = "\(threads) client\(threads == 1 ? "" : "s")"
            say("transitions pipelined, transitions awaited one by one, pgbench -c \(threads): \(threads) connection(s), "
                + "\(rounds) rounds of \(Figure.format(slice)) s each")
            var pipelinedMoves = 0, awaitedMoves = 0, pipelinedSeconds = 0.0, awaitedSeconds = 0.0, references: [Double] = []
            for _ in 0..<rounds {
                let (rate, count) = try m.transitionsPerSecond(database: "bench_workflow", ids: ids, threads: threads, duration: slice,
                                                               pipelined: true)
                pipelinedMoves += count
                pipelinedSeconds += Double(count) / rate
                let (awaitedRate, awaitedCount) = try m.transitionsPerSecond(database: "bench_workflow", ids: ids, threads: threads,
                                                                             duration: slice, pipelined: false)
                awaitedMoves += awaitedCount
                awaitedSeconds += Double(awaitedCount) / awaitedRate
                references.append(try m.pgbench(clients: threads, duration: slice))
            }
            moved += pipelinedMoves + awaitedMoves
            let rate = Double(pipelinedMoves) / pipelinedSeconds, awaited = Double(awaitedMoves) / awaitedSeconds
            let reference = references.reduce(0, +) / Double(references.count)
            say("  pgbench's rounds: \(references.map { Figure.format($0) }.joined(separator: ", ")) tps")
            let pipelinedGoal = threads == 1 ? 1.5 : 2.5, awaitedGoal = threads == 1 ? 1.8 : 1.5
            figures.append(Figure(name: "transitions_per_second_\(connections)", value: rate, unit: "transitions/s",
                                  reference: reference, referenceName: "pgbench TPC-B-like tps, \(clients)",
                                  ratio: rate / reference, goal: "≥ \(pipelinedGoal)×", met: rate / reference >= pipelinedGoal))
            // Each move awaited before the next is sent: what one interactive caller sees.
            figures.append(Figure(name: "transitions_per_second_\(connections)_awaited", value: awaited, unit: "transitions/s",
                                  reference: reference, referenceName: "pgbench TPC-B-like tps, \(clients)",
                                  ratio: awaited / reference, goal: "≥ \(awaitedGoal)×", met: awaited / reference >= awaitedGoal))
        }
        try m.checkHistory(transitions, expectedEvents: seeded + moved)
        say("self-check: \(seeded + moved) events = \(seeded) seeded + \(moved) moved; every history an unbroken chain")

        // One workflowctl move, process start to exit, beside psql running select 1.
        say("workflowctl request move × \(size.cliRuns) beside psql making the same move, and psql -Xqc 'select 1'")
        let (cli, psqlMove, psql) = try m.cliMove(database: "bench_workflow", id: ids[0])
        figures.append(Figure(name: "workflowctl_move_vs_psql_move", value: cli * 1000, unit: "ms", reference: psqlMove * 1000,
                              referenceName: "psql -Xqc \"SELECT workflow.move(…)\", the same move", ratio: cli / psqlMove, goal: "≤ 1.2×",
                              met: cli / psqlMove <= 1.2))
        figures.append(Figure(name: "workflowctl_move_wall_time", value: cli * 1000, unit: "ms", reference: psql * 1000,
                              referenceName: "psql -Xqc 'select 1'", ratio: cli / psql, goal: "—", met: nil))

        // A move's cost does not grow with the history: the same move beside 100 times the orders.
        let (manyOrders, fewOrders) = size.name == "smoke" ? (10_000, 100) : (100_000, 1_000)
        say("workflowctl request move … prioritise with \(manyOrders) and with \(fewOrders) orders this year")
        let manyIDs = try m.seedOrders("bench_orders_many", orders: manyOrders, runs: size.cliRuns)
        let fewIDs = try m.seedOrders("bench_orders_few", orders: fewOrders, runs: size.cliRuns)
        _ = try m.prioritise(database: "bench_orders_few", ids: Array(fewIDs.prefix(1)))   // the page cache, once for each
        _ = try m.prioritise(database: "bench_orders_many", ids: Array(manyIDs.prefix(1)))
        // In turns, one move among many orders then one among few, so a drift weighs on both alike.
        var many: [Double] = [], few: [Double] = []
        for (manyID, fewID) in zip(manyIDs.dropFirst(), fewIDs.dropFirst()) {
            many.append(try m.prioritise(database: "bench_orders_many", ids: [manyID]))
            few.append(try m.prioritise(database: "bench_orders_few", ids: [fewID]))
        }
        let withMany = median(many), withFew = median(few)
        figures.append(Figure(name: "workflowctl_move_\(manyOrders / 1000)k_orders_vs_\(fewOrders >= 1000 ? "\(fewOrders / 1000)k" : "\(fewOrders)")",
                              value: withMany * 1000, unit: "ms", reference: withFew * 1000,
                              referenceName: "the same move with \(fewOrders) orders", ratio: withMany / withFew, goal: "≤ 1.1×", met: withMany / withFew <= 1.1))
    }

    if only == nil {

        // report vendor over many requests beside psql's COPY of the same rows; peak memory at two sizes.
        say("seeding \(size.reportRequests) and \(size.smallReportRequests) requests for the reports")
        try m.seedReport("bench_report", count: size.reportRequests)
        try m.seedReport("bench_report_small", count: size.smallReportRequests)
        let (report, copy, bigPeak) = try m.reportVendor(database: "bench_report")
        figures.append(Figure(name: "report_vendor_csv_\(size.reportRequests)_requests", value: report, unit: "s", reference: copy,
                              referenceName: "psql COPY of the same rows by the same queries, to CSV", ratio: report / copy, goal: "≤ 1.5×", met: report / copy <= 1.5))
        let (_, _, smallPeak) = try m.reportVendor(database: "bench_report_small")
        let memoryRatio = Double(bigPeak) / Double(max(1, smallPeak))
        figures.append(Figure(name: "report_peak_memory_\(size.reportRequests)_vs_\(size.smallReportRequests)", value: Double(bigPeak) / 1024,
                              unit: "MiB", reference: Double(smallPeak) / 1024, referenceName: "the same report over \(size.smallReportRequests) requests",
                              ratio: memoryRatio, goal: "≤ 1.2×", met: memoryRatio <= 1.2))

        // A reminder pass costs what is due, not the size of the table.
        say("seeding \(size.reminderBig) and \(size.reminderSmall) requests, \(size.reminderDue) due each")
        try m.seedReminders("bench_rem_big", total: size.reminderBig, due: size.reminderDue)
        try m.seedReminders("bench_rem_small", total: size.reminderSmall, due: size.reminderDue)
        let (big, queuedBig) = try m.reminderPass(database: "bench_rem_big")
        let (small, queuedSmall) = try m.reminderPass(database: "bench_rem_small")
        guard queuedBig == size.reminderDue, queuedSmall == size.reminderDue else {
            throw BenchFailure("a reminder pass queued \(queuedBig) and \(queuedSmall) messages, expected \(size.reminderDue) each")
        }
        figures.append(Figure(name: "reminder_pass_\(size.reminderBig)_requests_\(size.reminderDue)_due", value: big * 1000, unit: "ms",
                              reference: small * 1000, referenceName: "the same pass over \(size.reminderSmall) requests, \(size.reminderDue) due",
                              ratio: big / small, goal: "≤ 1.5×", met: big / small <= 1.5))

        // Outbox delivery to the file sink.
        say("delivering \(size.outboxMessages) messages to the file sink")
        let rate = try m.outboxThroughput(count: size.outboxMessages)
        figures.append(Figure(name: "outbox_file_sink_delivery", value: rate, unit: "messages/s", reference: nil, referenceName: "—",
                              ratio: nil, goal: "≥ 5000 messages/s", met: rate >= 5000))

    }
    if only == nil || only == "invoices" {
        // E-invoices from an operator's drop folder, and one big invoice's memory.
        say("writing \(size.invoices) invoices to a drop folder for as many accepted orders; workflowd --once --invoices; psql inserting as many rows")
        let folder = try m.seedInvoices("bench_invoices", count: size.invoices)
        let invoiceRate = try m.invoiceFolderImport(database: "bench_invoices", folder: folder, count: size.invoices)
        let insertRate = try m.psqlInserts(database: "bench_invoices", count: size.invoices)
        figures.append(Figure(name: "invoices_from_folder_\(size.invoices)", value: invoiceRate, unit: "invoices/s", reference: insertRate,
                              referenceName: "psql -f, one INSERT per row, rows/s", ratio: invoiceRate / insertRate, goal: "≥ 500 invoices/s",
                              met: invoiceRate >= 500))
        say("workflowctl invoice import of a \(size.bigInvoiceMiB) MiB invoice, and of a one-line one")
        let (invoicePeak, oneLinePeak, bytes) = try m.bigInvoiceImport(database: "bench_invoices", mebibytes: size.bigInvoiceMiB)
        figures.append(Figure(name: "invoice_import_peak_memory_\(size.bigInvoiceMiB)_MiB", value: Double(invoicePeak) / 1024, unit: "MiB",
                              reference: Double(oneLinePeak) / 1024, referenceName: "the same import of a one-line invoice",
                              ratio: Double(invoicePeak) / Double(max(1, oneLinePeak)), goal: "< 64 MiB", met: Double(invoicePeak) / 1024 < 64))
        say("the big invoice was \(bytes) bytes")

    }
    if only == nil || only == "chains" {
        // What the hash chains cost a move: the same moves on a copy of the schema whose events are
        // not chained (the chaining trigger off, as before migration 0008), taken in turns.
        say("transitions pipelined, 1 connection, with the history's hash chains and without, in turns")
        // Both databases fresh and seeded alike, so neither carries the other runs' history.
        let chainedIDs = try m.seedTransitions(try m.freshDatabase("bench_chained"), requests: size.requestsPerConnection * 4)
        let unchained = try m.freshDatabase("bench_unchained")
        let unchainedIDs = try m.seedTransitions(unchained, requests: size.requestsPerConnection * 4)
        try unchained.executeScript("ALTER TABLE event ALTER COLUMN prev DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL; ALTER TABLE event DISABLE TRIGGER event_chained;")
        var withChains: [Double] = [], withoutChains: [Double] = []
        for _ in 0..<3 {
            withChains.append(try m.transitionsPerSecond(database: "bench_chained", ids: chainedIDs, threads: 1, duration: size.transitionSeconds,
                                                         pipelined: true).0)
            withoutChains.append(try m.transitionsPerSecond(database: "bench_unchained", ids: unchainedIDs, threads: 1, duration: size.transitionSeconds,
                                                            pipelined: true).0)
        }
        let (chained, plain) = (withChains.max()!, withoutChains.max()!)
        figures.append(Figure(name: "transitions_per_second_chained_vs_unchained", value: chained, unit: "transitions/s", reference: plain,
                              referenceName: "the same moves, events not chained", ratio: chained / plain, goal: "≥ 0.9×", met: chained / plain >= 0.9))

        // The record's hash chains recomputed, beside COPY of the same rows into sha256sum.
        let events = size.chainRequests * 10
        say("seeding \(events) and \(events / 10) chained history events; workflowctl audit verify beside psql COPY | sha256sum")
        try m.seedChains("bench_chains", requests: size.chainRequests, perRequest: 10)
        try m.seedChains("bench_chains_small", requests: size.chainRequests / 10, perRequest: 10)
        let (verify, hashed, verifyPeak) = try m.verifyChains(database: "bench_chains")
        let (_, _, smallVerifyPeak) = try m.verifyChains(database: "bench_chains_small")
        figures.append(Figure(name: "audit_verify_\(events)_events", value: verify, unit: "s", reference: hashed,
                              referenceName: "psql COPY of the same rows | sha256sum", ratio: verify / hashed, goal: "≤ 2×", met: verify / hashed <= 2))
        figures.append(Figure(name: "audit_verify_peak_memory_\(events)_vs_\(events / 10)", value: Double(verifyPeak) / 1024, unit: "MiB",
                              reference: Double(smallVerifyPeak) / 1024, referenceName: "the same verify over \(events / 10) events",
                              ratio: Double(verifyPeak) / Double(max(1, smallVerifyPeak)), goal: "≤ 1.2×",
                              met: Double(verifyPeak) / Double(max(1, smallVerifyPeak)) <= 1.2))
    }

    // A file attached and read back, beside psql moving the same bytes as a large object.
    if only == nil || only == "files" {
        let mib = Double(size.fileBytes) / 1_048_576, fileSize = size.fileBytes >= 1 << 30 ? "\(size.fileBytes >> 30)_gib" : "\(size.fileBytes >> 20)_mib"
        say("attaching and reading back a file of \(Int(mib)) MiB, then psql's \\lo_import and \\lo_export of it")
        let moved = try m.files(bytes: size.fileBytes)
        for (way, ours, theirs, psqlCommand) in [("attach", moved.attach, moved.loImport, "\\lo_import"), ("read", moved.read, moved.loExport, "\\lo_export")] {
            figures.append(Figure(name: "file_\(way)_\(fileSize)_throughput", value: mib / ours, unit: "MiB/s", reference: mib / theirs,
                                  referenceName: "psql \(psqlCommand) of the same bytes", ratio: theirs / ours, goal: "≥ 0.5×", met: theirs / ours >= 0.5))
        }
        for (way, ours, theirs, psqlCommand) in [("attach", moved.attachPeak, moved.importPeak, "\\lo_import"), ("read", moved.readPeak, moved.exportPeak, "\\lo_export")] {
            let peak = Double(ours) / 1024
            figures.append(Figure(name: "file_\(way)_\(fileSize)_peak_memory", value: peak, unit: "MiB", reference: Double(theirs) / 1024,
                                  referenceName: "psql \(psqlCommand)'s peak", ratio: Double(ours) / Double(max(1, theirs)), goal: "< 64 MiB", met: peak < 64))
        }
    }
} catch {
    say("failed: \(error)")
    finish(1)
}

// The table, then one JSON line per figure.
let header = ["figure", "value", "reference", "ratio", "goal", "met"]
let rows = figures.map { f in
    [f.name, "\(Figure.format(f.value)) \(f.unit)", f.reference.map { "\(Figure.format($0)) (\(f.referenceName))" } ?? f.referenceName,
     f.ratio.map { String(format: "%.2f×", $0) } ?? "—", f.goal, f.met.map { $0 ? "yes" : "NO" } ?? "—"]
}
let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
for row in [header] + rows {
    print(row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
}
print()
for figure in figures { print(figure.json.text) }
finish(0)
