import Foundation

extension OptionSpec {
    static let auditSince = Option<LocalDate>("since", "DATE", help: "help.option.audit.log.since")
    static let auditKind = Option<String>("kind", "KIND", help: "help.option.audit.log.kind")
    static let sealFile = Option<String>("seal", "FILE", help: "help.option.audit.verify.seal", complete: .files)
    static let hashFiles = Flag("files", help: "help.option.audit.verify.files")
    static let sealOut = Option<String>("out", "FILE", help: "help.option.audit.seal.out", complete: .files)
    static let redactedComment = Required<String>("comment", "N", help: "help.option.request.redact.comment")
    static let redactReason = Required<String>("reason", "TEXT", help: "help.option.request.redact.reason")
    static let forgetReason = Required<String>("reason", "TEXT", help: "help.option.person.forget.reason")
}

extension Commands {
    /// `audit log|verify|seal`, `request redact`, `person forget`: the record of every change,
    /// its hash chains, and the redactions that keep them holding.
    static var audit: [Command] {
        [
            Command("audit", "log", options: [.auditSince, .auditKind], summary: "help.audit.log", pages: true) { call in
                let rows = try call.store().auditLog(since: try call[.auditSince], kind: try call[.auditKind])
                let text = PeopleText(call.language)
                call.emit(.object([("audit", .array(rows))]),
                          text: rows.isEmpty ? call.say("out.nothing")
                              : call.fitted(rows.flatMap(text.auditLines), rest: "        "))
            },
            Command("audit", "verify", options: [.sealFile, .hashFiles], summary: "help.audit.verify") { call in
                let seal = try call[.sealFile].map { try Seal(file: $0) }
                let result = try call.store().verifyChains(against: seal, hashingFiles: call[.hashFiles])
                if let problem = result.problem {
                    throw WorkflowError(.invalidData, problem.message,
                                        context: ["kind": problem.kind.rawValue, "chain": problem.chain, "record": problem.record,
                                                  "expected": problem.expected, "found": problem.found])
                }
                call.emit(.object([("holds", true), ("chains", .number("\(result.chains)")), ("records", .number("\(result.records)")),
                                   ("files", .number("\(result.files)")), ("files_hashed", .bool(call[.hashFiles])),
                                   ("digest", .string(result.digest)), ("seal", seal.map { .string($0.digest) } ?? .null)]),
                          text: call.say(seal == nil ? "out.audit.verified" : "out.audit.verified_seal",
                                         ["chains": "\(result.chains)", "records": "\(result.records)", "digest": "\(result.digest)",
                                          "seal": "\(seal?.digest ?? "")"])
                              + "\n" + call.say(call[.hashFiles] ? "out.audit.files_hashed" : "out.audit.files", ["files": "\(result.files)"]))
            },
            Command("audit", "seal", options: [.sealOut], summary: "help.audit.seal") { call in
                // A seal is evidence: one already in the file is never written over, and the
                // refusal comes before the seal joins the record (a failed command records nothing).
                var existing = stat()
                if let path = try call[.sealOut], lstat(path, &existing) == 0, (existing.st_mode & S_IFMT) != S_IFDIR {
                    throw Files.cannotWrite(path, EEXIST)
                }
                let seal = try call.store().seal(at: Date())
                let document = seal.json.text + "\n"
                if let path = try call[.sealOut] {
                    let sink = try AtomicFileSink(path: path)
                    try sink.write(document)
                    try sink.commit(replacing: false)
                    call.emit(.object([("sealed", .string(seal.digest)), ("file", .string(path)), ("chains", .number("\(seal.heads.count)")),
                                       ("records", .number("\(seal.records)"))]),
                              text: call.say("out.audit.sealed", ["digest": "\(seal.digest)", "path": "\(path)", "chains": "\(seal.heads.count)",
                                                                  "records": "\(seal.records)"]))
                } else {
                    call.out.write(document)
                }
            },
            Command("request", "redact", arguments: "ID", positionals: 1...1,
                    options: [.redactedComment, .redactReason], summary: "help.request.redact", complete: [.live(.requests)]) { call in
                let text = try call[.redactedComment]
                guard let number = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text), number > 0 else {
                    throw WorkflowError(.invalidData, Message("error.comment_number", ["value": "\(text.prefix(20))"]))
                }
                try call.store().redactComment(request: call.argument(0), number: number, reason: try call[.redactReason])
                call.emit(.object([("request", .string(call.argument(0))), ("comment", .number("\(number)")), ("redacted", true)]),
                          text: call.say("out.audit.redacted", ["request": "\(call.argument(0))", "number": "\(number)"]))
            },
            Command("person", "forget", arguments: "LOGIN", positionals: 1...1, options: [.forgetReason], summary: "help.person.forget",
                    complete: [.live(.logins)]) { call in
                try call.store().forgetPerson(login: call.argument(0), reason: try call[.forgetReason])
                call.emit(.object([("person", .string(call.argument(0))), ("forgotten", true)]),
                          text: call.say("out.audit.forgotten", ["login": "\(call.argument(0))"]))
            },
        ]
    }
}

extension PeopleText {
    /// One record of the audit log for people: who did what to which row, then each value on a
    /// line of its own (old → new for a change), in the reader's language and formats.
    func auditLines(_ row: JSONValue) -> [String] {
        let kind = row["kind"]?.plain ?? ""
        func shown(_ value: JSONValue?, field: String = "") -> String {
            // Values with names of their own: an invoice's status and kind, a role, yes and no,
            // the reasons an invoice was held (catalogue messages with their arguments).
            switch (kind, field, value) {
            case (_, _, .bool(let flag)?): return say("audit.value.\(flag)")
            case ("invoice", "status", .string(let status)?), ("invoice", "kind", .string(let status)?):
                return ReportFormatting.text("invoice.\(field).\(status)", in: language, fallback: status)
            case ("person", "role", .string(let role)?): return ReportFormatting.text("role.\(role)", in: language, fallback: role)
            // A reminder rule's description as `reminder rules` says it, in the reader's language.
            case ("reminder_rule", "description", _) where Catalogue.entries["out.rule.\(row["object"]?.plain ?? "")"] != nil:
                return say("out.rule.\(row["object"]?.plain ?? "")")
            // Numbers that name, not count: no thousands' separator.
            case (_, "year", .number(let number)?), (_, "id", .number(let number)?): return number
            case ("invoice", "reasons", .array(let reasons)?):
                return reasons.isEmpty ? "–" : WorkflowStore.reasons(.array(reasons)).map { oneLine($0.text(language)) }.joined(separator: "; ")
            default: break
            }
            switch value {
            case nil, .null?: return "–"
            case let .array(items)?: return items.isEmpty ? "–" : items.map { oneLine($0.plain) }.joined(separator: ", ")
            case let .number(number)?: return formatting.decimal(number)
            case let .string(text)? where Message.isISODay(text): return date(value) ?? text
            case let .string(text)? where text.contains("T") && PostgresTimestamp.parse(text) != nil: return optionalTime(value) ?? text
            case let value?: return oneLine(value.plain)
            }
        }
        func pairs(_ value: JSONValue?) -> [(String, JSONValue)] {
            guard case let .object(pairs)? = value else { return [] }
            return pairs
        }
        let at = optionalTime(row["at"]) ?? ""
        let who = (row["login"]?.plain ?? "") + (row["acting"]?.nonNull.map { " (\(say("out.audit.as")) \($0.plain))" } ?? "")
        let action = row["action"]?.plain ?? ""
        func field(_ key: String) -> String { ReportFormatting.text("audit.field.\(key)", in: language, fallback: key) }
        var lines = ["#\(row["seq"]?.plain ?? "")  \(at)  \(who)  \(ReportFormatting.text("audit.action.\(action)", in: language, fallback: action)) "
                     + "\(ReportFormatting.text("audit.kind.\(kind)", in: language, fallback: kind)) \(row["object"]?.plain ?? "")"]
        let old = pairs(row["old"]), new = pairs(row["new"])
        if !old.isEmpty && !new.isEmpty {
            // A change: the fields it changed, old → new.
            let before = Dictionary(old, uniquingKeysWith: { first, _ in first })
            for (key, value) in new { lines.append("      \(field(key)): \(shown(before[key], field: key)) → \(shown(value, field: key))") }
        } else {
            // A row added or removed: its values, leaving out those it does not have.
            for (key, value) in new.isEmpty ? old : new where value != .null && value != .array([]) {
                lines.append("      \(field(key)): \(shown(value, field: key))")
            }
        }
        if let reason = row["reason"]?.nonNull?.plain { lines.append("      — \(oneLine(reason))") }
        return lines
    }
}
