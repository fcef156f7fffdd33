import Foundation
import Testing
@testable import DevWorkflow

/// Every kind of notification the schema can queue has a name in both languages (`transition.KIND`),
/// so `outbox list` never shows a catalogue key. The kinds are read from the database: the steps
/// of every road that notify (`workflow_transition`), and the kinds the schema's functions write
/// as literals — the transition given to `notify_event()` or `notify_invoice()`, or put into the
/// outbox's `transition` column by an `INSERT INTO outbox`. A new kind without a name fails here.
@Suite struct NotificationKindNamesTests {
    /// The arguments of the call whose opening parenthesis is at `open`, split at top-level commas
    /// (quotes and nested parentheses kept whole), trimmed.
    static func arguments(_ text: [Character], from open: Int) -> (list: [String], end: Int) {
        var depth = 0, quoted = false, current = "", list: [String] = []
        var index = open
        while index < text.count {
            let c = text[index]
            if quoted {
                current.append(c)
                if c == "'" { quoted = false }
            } else if c == "'" {
                quoted = true
                current.append(c)
            } else if c == "(" {
                depth += 1
                if depth > 1 { current.append(c) }
            } else if c == ")" {
                depth -= 1
                if depth == 0 {
                    list.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                    return (list, index)
                }
                current.append(c)
            } else if c == "," && depth == 1 {
                list.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            } else {
                current.append(c)
            }
            index += 1
        }
        return (list, index)
    }

    /// `'kind'` as `kind`; nil for anything that is not one plain literal.
    static func literal(_ expression: String) -> String? {
        guard expression.count > 2, expression.hasPrefix("'"), expression.hasSuffix("'") else { return nil }
        let inner = expression.dropFirst().dropLast()
        return inner.allSatisfy { $0.isLetter || $0 == "_" } ? String(inner) : nil
    }

    /// The literal kinds in one function's source.
    static func literalKinds(in source: String) -> Set<String> {
        let text = Array(source)
        let lower = Array(source.lowercased())
        func occurrences(of word: String) -> [Int] {
            let pattern = Array(word)
            guard lower.count >= pattern.count else { return [] }
            return (0...(lower.count - pattern.count)).filter { Array(lower[$0..<$0 + pattern.count]) == pattern }
        }
        var kinds: Set<String> = []
        // notify_event(event, request, actor, by, TRANSITION, …) and notify_invoice(document, TRANSITION, …).
        for (call, position) in [("notify_event(", 4), ("notify_invoice(", 1)] {
            for start in occurrences(of: call) {
                let arguments = Self.arguments(text, from: start + call.count - 1).list
                if arguments.count > position, let kind = literal(arguments[position]) { kinds.insert(kind) }
            }
        }
        // INSERT INTO outbox (…, transition, …) SELECT|VALUES (…, 'kind', …)
        for start in occurrences(of: "insert into outbox") {
            guard let open = lower[start...].firstIndex(of: "(") else { continue }
            let (columns, end) = arguments(text, from: open)
            guard let column = columns.firstIndex(where: { $0.lowercased() == "transition" }) else { continue }
            let rest = String(lower[(end + 1)...]).trimmingCharacters(in: .whitespacesAndNewlines)
            var values: [String]
            if rest.hasPrefix("values"), let parenthesis = lower[(end + 1)...].firstIndex(of: "(") {
                values = arguments(text, from: parenthesis).list
            } else if rest.hasPrefix("select") {
                // The select list up to FROM (or the statement's end), as one call's arguments.
                let selectStart = lower[(end + 1)...].firstIndex(of: "s")! + "select".count
                let tail = String(text[selectStart...])
                let stop = tail.lowercased().range(of: "\\sfrom\\s|;", options: .regularExpression)?.lowerBound ?? tail.endIndex
                values = arguments(Array("(" + tail[..<stop] + ")"), from: 0).list
            } else {
                continue
            }
            if values.count > column, let kind = literal(values[column]) { kinds.insert(kind) }
        }
        return kinds
    }

    @Test func everyNotificationKindTheSchemaCanQueueHasANameInBothLanguages() throws {
        let f = try Fixture()
        let connection = try f.sql()
        var kinds = Set(try connection.query("SELECT DISTINCT name FROM workflow.workflow_transition WHERE cardinality(notify) > 0")
            .map { try $0.decode(0, as: String.self) })
        let sources = try connection.query("""
            SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'workflow' AND p.prosrc ~* 'insert into outbox|notify_event\\(|notify_invoice\\('
            """).map { try $0.decode(0, as: String.self) }
        let literal = sources.reduce(into: Set<String>()) { $0.formUnion(Self.literalKinds(in: $1)) }
        // The reading of the sources still finds the kinds known today (else it would pass on nothing).
        #expect(literal.isSuperset(of: ["propose", "import", "comment", "mail_refused", "invoice_held", "invoice_refused"]), "\(literal.sorted())")
        kinds.formUnion(literal)
        for kind in kinds.sorted() {
            let entry = Catalogue.entries["transition.\(kind)"]
            #expect(entry != nil, "no name for the notification kind \(kind): add transition.\(kind) to the catalogue")
            #expect(entry.map { !$0.et.isEmpty && !$0.en.isEmpty } ?? true, "transition.\(kind) needs both languages")
        }
    }

    /// `outbox list` names a comment's notification, in both languages, as it names a step's.
    @Test func outboxListNamesEveryKind() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        try f.store(as: f.owner).comment(id, "Kas testkeskkond on olemas?")
        let admin = try f.db.conninfo()
        for language in ["en_US.UTF-8", "et_EE.UTF-8"] {
            let run = try Binary.run("workflowctl", ["outbox", "list", "--limit", "1000", "--database", admin], environment: ["LANG": language])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stdout.contains("transition."), "\(language): \(run.stdout)")
            #expect(run.stdout.contains(language.hasPrefix("en") ? "notification: comment" : "teavitus: kommentaar"), "\(run.stdout)")
        }
    }
}
