import DevWorkflow
import Foundation

/// `workflow-bench load`: library connections moving requests at random, for the reliability
/// suite's load test (scripts/reliability.d/10-load), beside CLI processes doing the same.
///
/// Each connection loops: pick a request, read what may be done with it now, pick one of the
/// allowed transitions (weighted so that requests rarely end), fill in its required inputs, and
/// move with the version it read. Another mover may win in between: that refusal must come back
/// as a conflict (or as a guard, when the state it read no longer allows the step). Anything
/// else is counted as unexplained. Each success is written as one line `id<TAB>version<TAB>
/// transition<TAB>source` so the caller can match every success to exactly one event.
struct LoadRun {
    let conninfo: String
    let connections: Int
    let seconds: Double
    let seed: UInt64
    let logPath: String

    struct Counts: Sendable {
        var operations = 0
        var successes = 0
        var conflicts = 0
        var guards = 0
        var unexplained = 0
        var samples: [String] = []

        mutating func add(_ other: Counts) {
            operations += other.operations
            successes += other.successes
            conflicts += other.conflicts
            guards += other.guards
            unexplained += other.unexplained
            samples += other.samples.prefix(max(0, 10 - samples.count))
        }
    }

    /// How often each transition is picked among the allowed ones: the ones that end a request
    /// are rare, so most of the 200 requests stay in play for the whole run.
    static let weights: [String: Int] = [
        "prioritise": 1000, "request_quote": 1000, "quote": 1000, "order": 1000, "deliver": 1000, "return": 800,
        "accept": 10, "reject": 3, "cancel": 3, "release": 3,
    ]

    func run() throws -> Counts {
        let ids = try Database.connect(conninfo).query("SELECT id FROM request ORDER BY id").map { try $0.decode(0, as: String.self) }
        guard !ids.isEmpty else { throw BenchFailure("no requests to move") }
        let total = Shared(Counts())
        let lines = Shared<[String]>([])
        let failures = Shared<[String]>([])
        let group = DispatchGroup()
        let deadline = Date().addingTimeInterval(seconds)
        for worker in 0..<connections {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let (counts, successes) = try mover(worker: worker, ids: ids, until: deadline)
                    total.update { $0.add(counts) }
                    lines.update { $0 += successes }
                } catch {
                    failures.update { $0.append("connection \(worker): \(error)") }
                }
            }
        }
        group.wait()
        if let failure = failures.current.first { throw BenchFailure(failure) }
        let text = lines.current.joined(separator: "\n") + (lines.current.isEmpty ? "" : "\n")
        try text.write(toFile: logPath, atomically: true, encoding: .utf8)
        return total.current
    }

    /// One connection's loop until the deadline; returns its counts and its success lines.
    func mover(worker: Int, ids: [String], until deadline: Date) throws -> (Counts, [String]) {
        let store = WorkflowStore(connection: try Database.connect(conninfo, applicationName: "workflow-bench-load"))
        var random = SplitMix64(seed: seed &+ UInt64(worker) &* 0x9E37_79B9)
        var counts = Counts()
        var successes: [String] = []
        var finished: Set<String> = []
        let today = store.today
        while Date() < deadline {
            if finished.count == ids.count { break }
            let id = ids[random.below(ids.count)]
            if finished.contains(id) { continue }
            let now: TransitionOptions
            do {
                now = try store.transitions(id)
            } catch {
                counts.operations += 1
                counts.unexplained += 1
                counts.samples.append("reading \(id): \(String(reflecting: error))")
                continue
            }
            let allowed = now.options.filter(\.allowed)
            guard let transition = Self.pick(allowed.map(\.transition), &random),
                  let option = allowed.first(where: { $0.transition == transition }) else {
                finished.insert(id)
                continue
            }
            let inputs = Self.inputs(for: transition, required: option.required, today: today, &random)
            counts.operations += 1
            do {
                let outcome = try store.move(id, transition, inputs: inputs, expectedVersion: now.version)
                counts.successes += 1
                successes.append("\(id)\t\(outcome.version)\t\(transition)\tlibrary-\(worker)")
            } catch let error as WorkflowError where error.code == .conflict {
                counts.conflicts += 1
            } catch let error as WorkflowError where error.code == .invalidData {
                counts.guards += 1
            } catch {
                counts.unexplained += 1
                if counts.samples.count < 10 { counts.samples.append("\(id) \(transition): \(String(reflecting: error))") }
            }
        }
        return (counts, successes)
    }

    static func pick(_ transitions: [String], _ random: inout SplitMix64) -> String? {
        let total = transitions.reduce(0) { $0 + (weights[$1] ?? 1) }
        guard total > 0 else { return nil }
        var roll = random.below(total)
        for transition in transitions {
            roll -= weights[transition] ?? 1
            if roll < 0 { return transition }
        }
        return transitions.last
    }

    /// The inputs a transition requires, chosen at random: a vendor that was not invited or has
    /// not quoted, or a price above what the budget or the contract has left, is refused by a
    /// guard, which the run counts as such. A transition the switch does not know (one a later
    /// definition added, like `hold`) gets a plain value for each input the definition requires.
    static func inputs(for transition: String, required: [WorkflowDefinition.InputField], today: LocalDate,
                       _ random: inout SplitMix64) -> TransitionInputs {
        var inputs = chosenInputs(for: transition, today: today, &random)
        for field in required {
            switch field {
            case .priority where inputs.priority == nil: inputs.priority = 3
            case .vendors where inputs.vendors.isEmpty: inputs.vendors = ["ACME"]
            case .vendor where inputs.vendor == nil: inputs.vendor = "ACME"
            case .due where inputs.due == nil: inputs.due = today.adding(days: 14)
            case .hours where inputs.hours == nil: inputs.hours = 40
            case .price where inputs.price == nil: inputs.price = Money(cents: 100_000)
            case .delivery where inputs.delivery == nil: inputs.delivery = today.adding(days: 30)
            case .deadline where inputs.deadline == nil: inputs.deadline = today.adding(days: 30)
            case .reason where inputs.reason == nil: inputs.reason = "koormustest"
            case .note where inputs.note == nil: inputs.note = "koormustest"
            case .versionName where inputs.versionName == nil: inputs.versionName = "1.0"
            default: break
            }
        }
        return inputs
    }

    /// The inputs the run picks at random for the transitions it knows.
    static func chosenInputs(for transition: String, today: LocalDate, _ random: inout SplitMix64) -> TransitionInputs {
        let vendors = ["ACME", "BETA"]
        switch transition {
        case "prioritise": return TransitionInputs(priority: 1 + random.below(5))
        case "request_quote", "invite": return TransitionInputs(vendors: random.below(3) == 0 ? vendors : [vendors[random.below(2)]])
        case "quote":
            return TransitionInputs(vendor: vendors[random.below(2)], hours: Decimal(40 + random.below(40)),
                                    price: Money(cents: Int64(10_000 + random.below(300_000))), delivery: today.adding(days: 10 + random.below(60)))
        case "order": return TransitionInputs(vendor: vendors[random.below(2)])
        case "deliver": return TransitionInputs(note: "valmis")
        case "return": return TransitionInputs(reason: "vajab parandust")
        case "release": return TransitionInputs(versionName: "1.\(random.below(100))")
        case "reject", "cancel": return TransitionInputs(reason: "koormustest")
        default: return TransitionInputs()
        }
    }
}

/// Parses `workflow-bench load`'s options, runs, prints one JSON line of counts and exits: 0 when
/// the run finished (the caller judges the counts), 1 when it could not run, 64 on a bad option.
func runLoad(_ arguments: [String]) -> Never {
    var values: [String: String] = [:]
    var index = 0
    while index < arguments.count {
        let name = arguments[index]
        guard ["--database", "--connections", "--seconds", "--seed", "--log"].contains(name), index + 1 < arguments.count else {
            FileHandle.standardError.write(Data("workflow-bench load: unknown option or missing value: \(name)\n".utf8))
            exit(64)
        }
        values[String(name.dropFirst(2))] = arguments[index + 1]
        index += 2
    }
    guard let conninfo = values["database"], let log = values["log"],
          let connections = Int(values["connections"] ?? "8"), connections > 0,
          let seconds = Double(values["seconds"] ?? "60"), seconds > 0,
          let seed = UInt64(values["seed"] ?? "1") else {
        FileHandle.standardError.write(Data("workflow-bench load: needs --database and --log; --connections, --seconds and --seed are numbers\n".utf8))
        exit(64)
    }
    do {
        let counts = try LoadRun(conninfo: conninfo, connections: connections, seconds: seconds, seed: seed, logPath: log).run()
        let json = JSONValue.object([
            ("operations", .int(counts.operations)), ("successes", .int(counts.successes)), ("conflicts", .int(counts.conflicts)),
            ("guards", .int(counts.guards)), ("unexplained", .int(counts.unexplained)),
            ("samples", .array(counts.samples.map { .string($0) })),
        ])
        print(json.text)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("workflow-bench load: \(error)\n".utf8))
        exit(1)
    }
}
