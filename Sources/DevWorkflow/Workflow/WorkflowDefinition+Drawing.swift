extension WorkflowDefinition {
    /// The formats `workflow show` draws in.
    public enum DrawingFormat: String, Sendable, CaseIterable {
        case text, dot, mermaid
    }

    /// The definition drawn as a table (in a language), a Graphviz graph or a Mermaid state diagram.
    public func draw(_ format: DrawingFormat, language: Language = .en) -> String {
        switch format {
        case .text: return drawText(language)
        case .dot: return drawDot()
        case .mermaid: return drawMermaid()
        }
    }

    private func drawText(_ language: Language) -> String {
        func say(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String { Message(key, arguments).text(language) }
        var lines = [say("draw.title", ["name": "\(name)", "start": .state(start)]), "", say("draw.states")]
        for state in states { lines.append("  " + say(state.isFinal ? "draw.state_final" : "draw.state", ["state": .state(state.name)])) }
        lines += ["", say("draw.transitions")]
        for transition in transitions {
            lines.append("  " + say(transition.to == nil ? "draw.transition_stays" : "draw.transition",
                                    ["transition": .transition(transition.name), "from": .states(transition.from),
                                     "to": .state(transition.to ?? "")]))
            lines.append("      " + say("draw.who", ["actors": .list(transition.actors.map { .message(Message("actor.\($0.rawValue)")) }, conjunction: false)]))
            if !transition.required.isEmpty { lines.append("      " + say("draw.needs", ["options": .words(transition.required.map(\.option))])) }
            if !transition.optional.isEmpty { lines.append("      " + say("draw.may_take", ["options": .words(transition.optional.map(\.option))])) }
            if !transition.guards.isEmpty {
                lines.append("      " + say("draw.guards", ["guards": .list(transition.guardMessages.map { .message($0) }, conjunction: false)]))
            }
            if !transition.notify.isEmpty {
                lines.append("      " + say("draw.notifies", ["audiences": .list(transition.notify.map { .message(Message("audience.\($0.rawValue)")) }, conjunction: false)]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func drawDot() -> String {
        var lines = ["digraph \(name) {", "  rankdir=LR;", "  node [shape=box, style=rounded];",
                     "  \"\" [shape=point];", "  \"\" -> \"\(start)\";"]
        for state in states where state.isFinal { lines.append("  \"\(state.name)\" [peripheries=2];") }
        for transition in transitions {
            for from in transition.from { lines.append("  \"\(from)\" -> \"\(transition.target(from: from))\" [label=\"\(transition.name)\"];") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func drawMermaid() -> String {
        var lines = ["stateDiagram-v2", "  [*] --> \(start)"]
        for transition in transitions {
            for from in transition.from { lines.append("  \(from) --> \(transition.target(from: from)): \(transition.name)") }
        }
        for state in states where state.isFinal { lines.append("  \(state.name) --> [*]") }
        return lines.joined(separator: "\n") + "\n"
    }
}
