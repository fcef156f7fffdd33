extension WorkflowDefinition {
    /// The formats `workflow show` draws in.
    public enum DrawingFormat: String, Sendable, CaseIterable {
        case text, dot, mermaid
    }

    /// The definition drawn as a table, a Graphviz graph or a Mermaid state diagram.
    public func draw(_ format: DrawingFormat) -> String {
        switch format {
        case .text: return drawText()
        case .dot: return drawDot()
        case .mermaid: return drawMermaid()
        }
    }

    private func drawText() -> String {
        var lines = ["workflow \(name) (start: \(start))", "", "states:"]
        for state in states { lines.append("  \(state.name)\(state.isFinal ? " (final)" : "")") }
        lines += ["", "transitions:"]
        for transition in transitions {
            lines.append("  \(transition.name): \(transition.from.joined(separator: ", ")) -> \(transition.to)")
            lines.append("      who: \(transition.actors.map(\.rawValue).joined(separator: ", "))")
            if !transition.required.isEmpty { lines.append("      needs: \(transition.required.map(\.option).joined(separator: ", "))") }
            if !transition.optional.isEmpty { lines.append("      may take: \(transition.optional.map(\.option).joined(separator: ", "))") }
            if !transition.effect.guards.isEmpty { lines.append("      guards: \(transition.effect.guards.joined(separator: "; "))") }
            if !transition.notify.isEmpty { lines.append("      notifies: \(transition.notify.map(\.rawValue).joined(separator: ", "))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func drawDot() -> String {
        var lines = ["digraph \(name) {", "  rankdir=LR;", "  node [shape=box, style=rounded];",
                     "  \"\" [shape=point];", "  \"\" -> \"\(start)\";"]
        for state in states where state.isFinal { lines.append("  \"\(state.name)\" [peripheries=2];") }
        for transition in transitions {
            for from in transition.from { lines.append("  \"\(from)\" -> \"\(transition.to)\" [label=\"\(transition.name)\"];") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func drawMermaid() -> String {
        var lines = ["stateDiagram-v2", "  [*] --> \(start)"]
        for transition in transitions {
            for from in transition.from { lines.append("  \(from) --> \(transition.to): \(transition.name)") }
        }
        for state in states where state.isFinal { lines.append("  \(state.name) --> [*]") }
        return lines.joined(separator: "\n") + "\n"
    }
}
