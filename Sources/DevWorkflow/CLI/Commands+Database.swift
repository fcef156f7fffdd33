import Foundation

extension OptionSpec {
    static let clusterDirectory = Option<String>("dir", "PATH", help: "help.option.db.status.dir", complete: .directories)
    static let trust = Flag("trust", help: "help.option.cluster.start.trust")
}

extension Commands {
    /// `db migrate`, `db status`.
    static var database: [Command] {
        [
            Command("db", "migrate", summary: "help.db.migrate") { call in
                let migrator = Migrator(connection: try call.connection())
                let applied = try migrator.migrate()
                let status = try migrator.status()
                call.emit(.object([
                    ("applied", .array(applied.map { .string($0.file) })),
                    ("migrations", statusJSON(status)),
                ]), text: applied.isEmpty ? call.say("out.db.up_to_date", ["count": "\(status.count)"])
                    : applied.map { call.say("out.db.applied", ["file": "\($0.file)"]) }.joined(separator: "\n"))
            },
            Command("db", "status", summary: "help.db.status") { call in
                let status = try Migrator(connection: try call.connection()).status()
                let pending = status.filter { $0.state == .pending }.count
                let formatting = ReportFormatting.for(call.language)
                let lines = status.map { row in
                    call.say(row.appliedAt == nil ? "out.db.pending_line" : "out.db.\(row.state.rawValue)_line",
                             ["file": "\(row.file)", "at": "\(row.appliedAt.map(formatting.timestamp) ?? "")", "by": "\(row.appliedBy ?? "?")"])
                }.joined(separator: "\n") + "\n" + call.say("out.db.summary", ["applied": "\(status.count - pending)", "pending": "\(pending)"])
                let json = JSONValue.object([("pending", .int(pending)), ("migrations", statusJSON(status))])
                // An edited or unknown file: the whole ledger first, then the refusal `db migrate`
                // would give (65), which a JSON document carries as its `error` member.
                guard let problem = status.lazy.compactMap(\.problem).first else {
                    call.emit(json, text: lines)
                    return
                }
                if call.json {
                    // The document as `emit` writes it, left open for the error member.
                    let text = json.normalisingTimestamps().prettyText
                    var start = String(text[..<(text.lastIndex(of: "}") ?? text.endIndex)])
                    while start.last?.isNewline == true { start.removeLast() }
                    call.beginJSON(start + ",\n") { error in "  \"error\": \(error)\n}\n" }
                } else {
                    call.emit(json, text: lines)
                }
                throw WorkflowError(.invalidData, problem)
            },
        ]
    }

    static func statusJSON(_ status: [Migrator.Status]) -> JSONValue {
        .array(status.map { row in
            .object([
                ("version", .int(row.version)), ("file", .string(row.file)), ("state", .string(row.state.rawValue)),
                ("applied_at", .timestamp(row.appliedAt)), ("applied_by", .optional(row.appliedBy)),
            ])
        })
    }

    /// `cluster start|stop|status`: the embedded PostgreSQL.
    static var cluster: [Command] {
        let dir = OptionSpec.clusterDirectory
        func cluster(_ call: Invocation) throws -> EmbeddedCluster {
            EmbeddedCluster(directory: try call[.clusterDirectory] ?? EmbeddedCluster.defaultDirectory(environment: call.environment))
        }
        func describe(_ call: Invocation, _ cluster: EmbeddedCluster, _ state: EmbeddedCluster.State, _ action: Message?) -> (JSONValue, String) {
            var pairs: [(String, JSONValue)] = [("directory", .string(cluster.directory)), ("state", .string(state.rawValue)),
                                                ("conninfo", .string(cluster.conninfo))]
            if let action { pairs.insert(("action", .string(action.text(call.language))), at: 0) }
            let text = (action.map { "\($0.text(call.language))\n" } ?? "")
                + call.say("out.cluster.state", ["directory": "\(cluster.directory)", "state": .message(Message("out.cluster.\(state.rawValue)")),
                                                  "conninfo": "\(cluster.conninfo)"])
            return (.object(pairs), text)
        }
        return [
            Command("cluster", "start", options: [dir, .trust],
                    summary: "help.cluster.start") { call in
                let embedded = try cluster(call)
                let action = try embedded.start(trust: call[.trust])
                let (json, text) = describe(call, embedded, try embedded.state(), action)
                call.emit(json, text: text)
            },
            Command("cluster", "stop", options: [dir], summary: "help.cluster.stop") { call in
                let embedded = try cluster(call)
                let action = try embedded.stop()
                let (json, text) = describe(call, embedded, try embedded.state(), action)
                call.emit(json, text: text)
            },
            Command("cluster", "status", options: [dir], summary: "help.cluster.status") { call in
                let embedded = try cluster(call)
                let state = try embedded.state()
                let (json, text) = describe(call, embedded, state, nil)
                call.emit(json, text: text)
                // As `pg_ctl status`: 3 when not running, 4 when there is no cluster, so that a
                // script can test it.
                switch state {
                case .running: call.exitStatus = 0
                case .stopped: call.exitStatus = 3
                case .absent: call.exitStatus = 4
                }
            },
            Command("cluster", "add-login", arguments: "LOGIN", positionals: 1...1, options: [dir], summary: "help.cluster.add-login") { call in
                let login = call.argument(0)
                let done = try cluster(call).addLogin(login)
                call.emit(.object([("login", .string(login)), ("added", true)]), text: done.text(call.language))
            },
        ]
    }
}
