import Foundation

extension Commands {
    /// `demo run`: the README's main job.
    static var demo: [Command] {
        [
            Command("demo", "run", summary: "help.demo.run") { call in
                let store = try call.store()
                // It writes, or finds it wrote already: never "done" on a standby.
                try store.requireWritable()
                // With --json, nothing but the one document at the end: the steps are not said.
                let demo = DemoData(store: store) { message in
                    if !call.json { call.out.line(TerminalText.trimmingTrailingBlanks(message.text(call.language))) }
                }
                let loaded = try demo.load()
                if !call.json { call.out.line(loaded.text(call.language)) }
                let id = try demo.walk()
                let counts = try store.stateCounts()
                let json = JSONValue.object([
                    ("walked", .string(id)),
                    ("status", .array(counts.map { .object([("system", .string($0.0)), ("state", .string($0.1)), ("count", .int($0.2))]) })),
                ])
                var lines = ["", call.say("out.demo.status")]
                var current = ""
                for (system, state, count) in counts {
                    if system != current { lines.append("  \(system)"); current = system }
                    lines.append("    " + call.say("out.demo.count", ["state": .state(state), "count": "\(count)"]))
                }
                call.emit(json, text: lines.joined(separator: "\n"))
            },
        ]
    }
}
