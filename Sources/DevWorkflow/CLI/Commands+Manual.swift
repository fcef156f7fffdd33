import Foundation

extension Commands {
    /// `completion bash|zsh|fish`, `man`, and `__complete KIND`, which the completion scripts call.
    static var manual: [Command] {
        [
            Command("completion", "bash", summary: "help.completion.bash") { call in call.out.write(CompletionScript.bash()) },
            Command("completion", "zsh", summary: "help.completion.zsh") { call in call.out.write(CompletionScript.zsh()) },
            Command("completion", "fish", summary: "help.completion.fish") { call in call.out.write(CompletionScript.fish()) },
            // `man workflowd`: the daemon's page.
            Command("man", "", arguments: "[workflowd]", positionals: 0...1, summary: "help.man") { call in
                switch call.positionals.first {
                case nil: call.out.write(ManPage(language: call.language).render())
                case "workflowd"?: call.out.write(ManPage(language: call.language).renderDaemon())
                case let other?:
                    throw WorkflowError(.usage, Message("error.unknown_command", ["command": "man \(other)", "known": .words(["workflowd"]),
                                                                                   "suggestion": ""]))
                }
            },
        ] + LiveValues.allCases.map(live)
    }

    /// `__complete KIND`: the values completion offers, one a line, as the login may see them;
    /// nothing at all (and exit 0) when the database cannot say, so a shell never shows an error.
    static func live(_ kind: LiveValues) -> Command {
        Command("__complete", kind.rawValue, arguments: kind == .transitions ? "ID" : "", positionals: kind == .transitions ? 1...1 : 0...0,
                summary: "help.complete", hidden: true) { call in
            guard let words = try? liveValues(kind, call), !words.isEmpty else { return }
            call.out.write(words.map(TerminalText.line).joined(separator: "\n") + "\n")
        }
    }

    static func liveValues(_ kind: LiveValues, _ call: Invocation) throws -> [String] {
        let store = try call.store()
        func keys(_ listing: WorkflowStore.AdminListing, _ field: String) throws -> [String] {
            try store.list(listing).compactMap { $0[field]?.plain }
        }
        switch kind {
        case .requests:
            var ids: [String] = []
            try store.requests(WorkflowStore.Filter()) { ids.append($0.id) }
            return ids
        case .transitions: return try store.transitions(call.argument(0)).options.filter(\.allowed).map(\.transition)
        case .vendors:
            // A vendor's user reads no vendor list: its own key is the one it may name.
            if let key = (try? store.actor())?.vendor { return [key] }
            return try keys(.vendors, "key")
        case .systems: return try keys(.systems, "key")
        case .logins: return try keys(.people, "login")
        case .states: return try store.definition().states.map(\.name)
        case .invoices: return try store.invoices().compactMap { $0["id"]?.plain }
        case .contracts: return try keys(.contracts, "number")
        case .orders:
            // The orders of the requests the login sees (a vendor: its own orders only).
            var numbers: [String] = []
            try store.requests(WorkflowStore.Filter()) { if let number = $0.orderNumber { numbers.append(number) } }
            return numbers
        }
    }
}
