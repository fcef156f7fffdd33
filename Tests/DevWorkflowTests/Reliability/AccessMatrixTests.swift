import Foundation
import Testing
@testable import DevWorkflow

/// Issue 7, item 4: who may do what, as a matrix of logins against every `workflowctl` command
/// (the built binary, `--database "… user=LOGIN"`) and against plain SQL on every table of the
/// `workflow` schema (listed from the catalogue at test time, so a new table cannot escape).
///
/// The expected matrix is PRODUCT.md's "Who may do what" and its transitions table, written out
/// as data below. Outcomes:
///
/// | cell | meaning |
/// | --- | --- |
/// | `ok` | exit 0 (a write happened, a read answered) |
/// | `all` | exit 0 and every marker of the case is in the output |
/// | `own` | exit 0 and exactly the markers of this login's vendor are (vendors see only their own) |
/// | `none` | exit 0 and none of the markers is (row-level security shows nothing) |
/// | `no` | exit 77: not permitted |
/// | `hid` | exit 66: no such request/vendor for this login (a vendor must not learn it exists) |
///
/// Since issue 13 a login holds no table privilege of its own: staff logins read the tables
/// through `devworkflow_staff` (granted from the person record), vendors' logins and logins with
/// no person record read only through the functions made for them, and every write goes through
/// a function. So the staff listings and reports are refused to vendors (`no`), who read their
/// requests, history and report through those functions; a login with no person record is
/// refused everything that reads the person record (`no`).
///
/// Readings of PRODUCT.md the matrix takes (where it is silent):
/// - a vendor's users may comment on the requests their vendor was invited to ("vendors' users act
///   only on requests of their vendor"); they read only their own vendor's comments;
/// - the outbox (messages to everyone, prices in them) is for admins and product owners;
/// - `schema_migrations`, `workflow_state` and `workflow_transition` hold no business data (which
///   files are applied; the workflow PRODUCT.md itself prints): every holder of
///   `devworkflow_user` reads them, a login with no person record too, so `db status` and
///   `workflow show` work for everyone; `calendar add` is public arithmetic on the law's holidays;
/// - the embedded cluster's commands act on a local folder, not on a database: no login applies.
@Suite(.serialized) struct AccessMatrixTests {
    static let logins = ["admin", "po_other", "po", "vendor_a", "vendor_b", "requester", "nobody"]

    // MARK: The expected matrix: commands

    /// One command line, its expected outcome per login (in `logins` order), the markers a read
    /// shows, and for `own` the markers of each vendor.
    struct CommandCase {
        let command: String
        let expected: [String]
        var markers: [String] = []
        var own: [String: [String]] = [:]
        /// What the command reads on standard input (`mail receive`), if anything.
        var input: ((Scene) -> String)? = nil
        let arguments: (Scene, String) throws -> [String]
    }

    static func c(_ command: String, _ expected: [String], markers: [String] = [], own: [String: [String]] = [:],
                  input: ((Scene) -> String)? = nil, _ arguments: @escaping (Scene, String) throws -> [String]) -> CommandCase {
        CommandCase(command: command, expected: expected, markers: markers, own: own, input: input, arguments: arguments)
    }

    /// Reads first (the scene as built), then writes (each on fresh state of its own).
    static func commandCases(_ s: Scene) -> [CommandCase] {
        let (p, k, a, ab, ord) = (s.proposed, s.otherSystem, s.onlyACME, s.bothQuoted, s.ordered)
        let ids = [p, k, a, ab, ord].map { "\"\($0)\"" }
        return [
            //  command                          admin   po_other po     vendor_a vendor_b requester nobody
            c("db status",                      ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["db", "status"] },
            // Migrating is the database owner's (the DBA's) job, not a person's, even an admin's.
            c("db migrate",                     ["no",   "no",    "no",  "no",    "no",    "no",     "no"]) { _, _ in ["db", "migrate"] },
            c("workflow show",                  ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["workflow", "show"] },
            c("calendar holidays",              ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["calendar", "holidays", "--year", "2026"] },
            c("calendar add",                   ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["calendar", "add", "2026-06-01", "5"] },
            c("calendar list",                  ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["2090-01-05"]) { _, _ in ["calendar", "list"] },
            c("system list",                    ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["\"VOLIS\"", "\"KOVTP\""]) { _, _ in ["system", "list"] },
            c("vendor list",                    ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["\"ACME\"", "\"BETA\"", "\"GAMMA\""]) { _, _ in
                ["vendor", "list"] },
            c("contract list",                  ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["RL-ACME", "RL-BETA", "RL-GAMMA"]) { _, _ in
                ["contract", "list"] },
            c("budget list",                    ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["\"VOLIS\"", "\"KOVTP\""]) { _, _ in ["budget", "list"] },
            c("person list",                    ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: s.personMarkers) { _, _ in ["person", "list"] },
            c("request list",                   ["all",  "all",   "all", "own",   "own",   "all",    "no"], markers: ids,
              own: ["vendor_a": ["\"\(a)\"", "\"\(ab)\"", "\"\(ord)\""], "vendor_b": ["\"\(ab)\"", "\"\(ord)\""]]) { _, _ in ["request", "list"] },
            c("request show (not invited)",     ["ok",   "ok",    "ok",  "hid",   "hid",   "ok",     "no"]) { _, _ in ["request", "show", p] },
            c("request show (both quoted)",     ["all",  "all",   "all", "own",   "own",   "all",    "no"], markers: ["\"ACME\"", "\"BETA\"", "1111.00", "2222.00"],
              own: ["vendor_a": ["\"ACME\"", "1111.00"], "vendor_b": ["\"BETA\"", "2222.00"]]) { _, _ in ["request", "show", ab] },
            c("request history (both quoted)",  ["all",  "all",   "all", "own",   "own",   "all",    "no"],
              markers: ["\"ACME\"", "\"BETA\"", "1111.00", "2222.00", "staff note", "acme note", "beta note"],
              // A vendor reads staff's comments (not internal ones) and its own vendor's, never another vendor's.
              own: ["vendor_a": ["\"ACME\"", "1111.00", "acme note", "staff note"], "vendor_b": ["\"BETA\"", "2222.00", "beta note", "staff note"]]) { _, _ in
                ["request", "history", ab] },
            c("request history (not invited)", ["ok",   "ok",    "ok",  "hid",   "hid",   "ok",     "no"]) { _, _ in ["request", "history", k] },
            c("request transitions",            ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "no"]) { _, _ in ["request", "transitions", ab] },
            // Files: staff see every one; a vendor the files for every vendor and its own.
            c("request files (both quoted)",    ["all",  "all",   "all", "own",   "own",   "all",    "no"], markers: s.fileMarkers,
              own: ["vendor_a": [s.fileMarkers[0], s.fileMarkers[2]], "vendor_b": [s.fileMarkers[0], s.fileMarkers[3]]]) { _, _ in
                ["request", "files", ab] },
            c("request files (not invited)",    ["ok",   "ok",    "ok",  "hid",   "hid",   "ok",     "no"]) { _, _ in ["request", "files", p] },
            c("request file (for vendors)",     ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "no"]) { _, _ in
                ["request", "file", ab, "1", "--out", workPath("spec.txt")] },
            c("request file (internal)",        ["ok",   "ok",    "ok",  "hid",   "hid",   "ok",     "no"]) { _, _ in
                ["request", "file", ab, "2", "--out", workPath("internal.txt")] },
            c("request file (ACME's)",          ["ok",   "ok",    "ok",  "ok",    "hid",   "ok",     "no"]) { _, _ in
                ["request", "file", ab, "3", "--out", workPath("acme.txt")] },
            // The act of an accepted order: staff and the ordered vendor (ACME).
            c("order act",                      ["ok",   "ok",    "ok",  "ok",    "hid",   "ok",     "no"]) { s, _ in
                ["order", "act", s.acceptedOrder, "--out", workPath("act.pdf")] },
            c("setting list",                   ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["file_size_limit", "organisation_name"]) { _, _ in
                ["setting", "list"] },
            c("request transitions (not inv.)", ["ok",   "ok",    "ok",  "hid",   "hid",   "ok",     "no"]) { _, _ in ["request", "transitions", p] },
            c("report vendor ACME",             ["all",  "all",   "all", "all",   "hid",   "all",    "no"], markers: ["\"\(a)\"", "\"\(ab)\"", "\"\(ord)\"", "1111.00"]) { _, _ in
                ["report", "vendor", "ACME", "--format", "json"] },
            // The status, budget and flow reports are the buyer's; a vendor reads its own report.
            c("report status",                  ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["\"proposed\"", "\"ordered\""]) { _, _ in
                ["report", "status", "--format", "json"] },
            c("report budget",                  ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["1000000.00", "RL-ACME", "RL-BETA"]) { _, _ in
                ["report", "budget", "--format", "json"] },
            c("report flow",                    ["ok",   "ok",    "ok",  "no",    "no",    "ok",     "no"]) { _, _ in ["report", "flow", "--format", "json"] },
            // Penalties (issue 19): staff see every late order, a vendor its own (penalties() decides).
            c("report penalties",               ["all",  "all",   "all", "own",   "own",   "all",    "no"], markers: ["\"\(ord)\"", "\"\(s.lateForBETA)\""],
              own: ["vendor_a": ["\"\(ord)\""], "vendor_b": ["\"\(s.lateForBETA)\""]]) { s, _ in
                ["report", "penalties", "--year", String(s.lateDeadline.year), "--format", "json"] },
            c("outbox list",                    ["all",  "all",   "all", "no",    "no",    "none",   "no"], markers: ["piret@example.ee"]) { _, _ in ["outbox", "list"] },
            // A feed is its owner's (a vendor's users, the person) and the admins'; another is as good as missing.
            c("calendar feed --vendor ACME",    ["ok",   "hid",   "hid", "ok",    "hid",   "hid",    "no"]) { _, _ in ["calendar", "feed", "--vendor", "ACME"] },
            c("calendar feed --person po",      ["ok",   "hid",   "ok",  "hid",   "hid",   "hid",    "no"]) { s, _ in ["calendar", "feed", "--person", s.f.owner] },
            c("reminder rules (list)",          ["all",  "all",   "all", "no",    "no",    "all",    "no"], markers: ["deadline_passed"]) { _, _ in ["reminder", "rules"] },

            // Writes: what admins manage.
            c("system add",                     ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in ["system", "add", s.key("S"), "--name", "Uus süsteem"] },
            c("vendor add",                     ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in ["vendor", "add", s.key("V"), "--name", "Uus OÜ", "--email", "uus@uus.ee"] },
            c("contract add",                   ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                // A vendor's contracts may not overlap: each attempt a year of its own, long after the scene's.
                let year = 2050 + s.next()
                return ["contract", "add", "--vendor", "ACME", "--number", s.key("C"), "--from", "\(year)-01-01", "--to", "\(year)-12-31", "--rate", "50", "--cap", "1000"] },
            c("contract amend",                 ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["contract", "amend", "--number", "RL-BETA", "--cap", "\(2_000_000 + s.next())"] },
            c("budget set",                     ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["budget", "set", "--system", "KOVTP", "--year", "\(2040 + s.next())", "--amount", "1000"] },
            c("person add",                     ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["person", "add", s.key("l").lowercased(), "--name", "Uus Isik", "--email", "uus@example.ee", "--role", "requester"] },
            c("calendar closure add",           ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["calendar", "closure", "add", "2091-01-\(String(format: "%02d", 1 + s.next() % 28))"] },
            c("reminder rules set",             ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { _, _ in ["reminder", "rules", "set", "deadline_near", "--days", "4"] },
            c("outbox retry",                   ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in ["outbox", "retry", try s.failedMessage()] },
            c("setting set",                    ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { _, _ in ["setting", "set", "file_size_limit", "104857600"] },

            // Correcting what was entered wrong (issue 20): admins manage people, vendors and systems.
            c("system edit",                    ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { _, _ in ["system", "edit", "KOVTP", "--name", "Veebiplatvorm"] },
            c("vendor edit",                    ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { _, _ in ["vendor", "edit", "GAMMA", "--email", "uus@gamma.ee"] },
            c("person edit",                    ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in ["person", "edit", try s.spare(), "--name", "Uus Nimi"] },
            c("person deactivate",              ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in ["person", "deactivate", try s.spare()] },
            c("person activate",                ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                let login = try s.spare()
                _ = try s.f.store().setActive(login, false)
                return ["person", "activate", login] },
            c("calendar closure remove",        ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                let day = LocalDate(year: 2092, month: 1, day: 1 + s.next() % 28)!
                try s.f.store().addClosure(day, note: "eemaldamiseks")
                return ["calendar", "closure", "remove", day.description] },
            c("outbox retry --all-failed",      ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                _ = try s.failedMessage()
                return ["outbox", "retry", "--all-failed"] },
            // A request's title: its system's product owner and admins; its proposer while it is only proposed.
            c("request edit",                   ["ok",   "no",    "ok",  "hid",   "hid",   "no",     "no"]) { s, _ in
                ["request", "edit", try s.fresh("proposed"), "--title", "Parandatud pealkiri"] },
            c("request edit (own proposal)",    ["ok",   "no",    "ok",  "hid",   "hid",   "ok",     "no"]) { s, _ in
                ["request", "edit", try s.f.store(as: s.f.requester).propose(system: "VOLIS", title: "Minu soov").id, "--description", "täpsem"] },
            c("request edit (ordered)",         ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "edit", try s.fresh("ordered"), "--title", "Parandatud pealkiri"] },
            // Warranty and late delivery (issue 19): whoever may propose opens a claim on an order
            // they see; the order's system's product owner or an admin holds and resumes its clock.
            c("request new --warranty-of",      ["ok",   "ok",    "ok",  "no",    "no",    "ok",     "no"]) { s, _ in
                ["request", "new", "--warranty-of", s.acceptedOrder, "--title", "Viga \(s.next())"] },
            c("request hold",                   ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "hold", try s.fresh("ordered"), "--reason", "ootame testandmeid"] },
            c("request resume",                 ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                let id = try s.fresh("ordered")
                _ = try s.f.store().move(id, "hold", inputs: .init(reason: "ootame"))
                return ["request", "resume", id] },
            c("contract terms",                 ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["contract", "terms", "--number", "RL-BETA", "--penalty-per-day", "0,\(1 + s.next() % 9)"] },
            // Both vendors have quoted for ab: it waits for the owner's order, not for them (sql/0049).
            c("request list --mine",            ["all",  "none",  "all", "none",  "none",  "none",   "no"], markers: ["\"\(p)\"", "\"\(ab)\""])
                { _, _ in ["request", "list", "--mine", "--system", "VOLIS"] },
            // What completion asks for: as the login may see it, and nothing (exit 0) when it may not.
            c("__complete requests",            ["all",  "all",   "all", "own",   "own",   "all",    "none"], markers: [p, k, a, ab, ord].map { "\($0)\n" },
              own: ["vendor_a": ["\(a)\n", "\(ab)\n", "\(ord)\n"], "vendor_b": ["\(ab)\n", "\(ord)\n"]]) { _, _ in ["__complete", "requests"] },
            // A vendor's login may only quote here: neither inviting nor ordering is offered to it.
            c("__complete transitions",         ["all",  "none",  "all", "none",  "none",  "none",   "none"], markers: ["invite\n", "order\n"]) { _, _ in
                ["__complete", "transitions", ab] },
            // A vendor's login is offered its own key (`report vendor`, `calendar feed --vendor`).
            c("__complete vendors",             ["all",  "all",   "all", "own",   "own",   "all",    "none"], markers: ["ACME\n", "BETA\n", "GAMMA\n"],
              own: ["vendor_a": ["ACME\n"], "vendor_b": ["BETA\n"]]) { _, _ in
                ["__complete", "vendors"] },
            c("__complete systems",             ["all",  "all",   "all", "none",  "none",  "all",    "none"], markers: ["VOLIS\n", "KOVTP\n"]) { _, _ in
                ["__complete", "systems"] },
            c("__complete logins",              ["all",  "all",   "all", "none",  "none",  "all",    "none"], markers: ["\(s.f.vendorA)\n"]) { s, _ in
                ["__complete", "logins"] },
            c("__complete invoices",            ["all",  "none",  "all", "all",   "none",  "none",   "none"], markers: ["\(s.sceneInvoice)\n"]) { _, _ in
                ["__complete", "invoices"] },
            c("__complete contracts",           ["all",  "all",   "all", "none",  "none",  "all",    "none"], markers: ["RL-ACME\n", "RL-BETA\n"]) { _, _ in
                ["__complete", "contracts"] },
            c("__complete orders",              ["all",  "all",   "all", "own",   "own",   "all",    "none"], markers: [s.acceptedOrder, s.orderForBETA].map { "\($0)\n" },
              own: ["vendor_a": ["\(s.acceptedOrder)\n"], "vendor_b": ["\(s.orderForBETA)\n"]]) { _, _ in ["__complete", "orders"] },
            c("__complete states",              ["all",  "all",   "all", "all",   "all",   "all",    "all"], markers: ["quote_requested\n"]) { _, _ in
                ["__complete", "states"] },
            // Written from the command table alone: nothing of the database's, for anyone.
            c("completion bash",                ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["completion", "bash"] },
            c("completion zsh",                 ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["completion", "zsh"] },
            c("completion fish",                ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["completion", "fish"] },
            c("man",                            ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["man"] },

            // The money trail: VAT rates are public law; invoices are the buyer's and the seller's.
            c("vat list",                       ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "ok"]) { _, _ in ["vat", "list"] },
            c("vat set",                        ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["vat", "set", "--from", "2099-\(String(format: "%02d", 1 + s.next() % 12))-01", "--rate", "24"] },
            c("invoice list",                   ["all",  "none",  "all", "all",   "none",  "none",   "no"], markers: ["\"SCENE-1\""]) { _, _ in ["invoice", "list"] },
            c("invoice show",                   ["ok",   "hid",   "ok",  "ok",    "hid",   "hid",    "no"]) { s, _ in ["invoice", "show", s.sceneInvoice] },
            c("invoice import",                 ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in ["invoice", "import", try s.invoiceFile()] },
            c("invoice release",                ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["invoice", "release", try s.freshInvoice(held: true), "--reason", "kokku lepitud"] },
            c("invoice pay",                    ["ok",   "hid",   "ok",  "no",    "hid",   "hid",    "no"]) { s, _ in
                ["invoice", "pay", try s.freshInvoice(held: false), "--date", Fixture.today.description] },

            // The record of every change: admins and product owners read and seal it; only admins redact.
            c("audit log",                      ["ok",   "ok",    "ok",  "no",    "no",    "no",     "no"]) { _, _ in ["audit", "log"] },
            c("audit verify",                   ["ok",   "ok",    "ok",  "no",    "no",    "no",     "no"]) { _, _ in ["audit", "verify"] },
            c("audit seal",                     ["ok",   "ok",    "ok",  "no",    "no",    "no",     "no"]) { _, _ in ["audit", "seal"] },
            c("request redact",                 ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "redact", s.proposed, "--comment", try s.freshComment(), "--reason", "isikuandmed"] },
            c("person forget",                  ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, _ in
                ["person", "forget", try s.freshPerson(), "--reason", "lahkus"] },

            // Proposing and commenting.
            c("request new",                    ["ok",   "ok",    "ok",  "no",    "no",    "ok",     "no"]) { _, _ in ["request", "new", "--system", "VOLIS", "--title", "Uus soov"] },
            c("request import",                 ["ok",   "ok",    "ok",  "no",    "no",    "ok",     "no"]) { s, _ in ["request", "import", "--system", "VOLIS", s.importFile] },
            c("request comment (not invited)",  ["ok",   "ok",    "ok",  "hid",   "hid",   "ok",     "no"]) { _, _ in ["request", "comment", p, "märkus"] },
            c("request comment --internal",     ["ok",   "ok",    "ok",  "no",    "no",    "ok",     "no"]) { _, _ in ["request", "comment", ab, "sisemine", "--internal"] },
            c("request comment (invited)",      ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "no"]) { _, _ in ["request", "comment", ab, "märkus"] },
            c("request attach (invited)",       ["ok",   "ok",    "ok",  "ok",    "ok",    "ok",     "no"]) { s, _ in
                ["request", "attach", try s.fresh("quote_requested"), s.attachFile, "--kind", "spec"] },
            c("request attach (not invited)",   ["ok",   "ok",    "ok",  "hid",   "hid",   "ok",     "no"]) { s, _ in
                ["request", "attach", try s.fresh("prioritised"), s.attachFile] },
            c("request attach --internal",      ["ok",   "ok",    "ok",  "no",    "no",    "ok",     "no"]) { s, _ in
                ["request", "attach", try s.fresh("quote_requested"), s.attachFile, "--internal"] },

            // The transitions table.
            c("request move prioritise",        ["ok",   "no",    "ok",  "hid",   "hid",   "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("proposed"), "prioritise", "--priority", "2"] },
            c("request move reject",            ["ok",   "no",    "ok",  "hid",   "hid",   "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("prioritised"), "reject", "--reason", "ei"] },
            c("request move request_quote",     ["ok",   "no",    "ok",  "hid",   "hid",   "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("prioritised"), "request_quote", "--vendor", "ACME", "--vendor", "BETA"] },
            c("request move quote",             ["ok",   "no",    "ok",  "ok",    "ok",    "no",     "no"]) { s, login in
                ["request", "move", try s.fresh("quote_requested"), "quote", "--hours", "4", "--price", "300", "--delivery", s.later]
                    + (login.hasPrefix("vendor") ? [] : ["--vendor", "BETA"]) },
            c("request move quote (other vendor)", ["ok", "no",   "ok",  "no",    "no",    "no",     "no"]) { s, login in
                ["request", "move", try s.fresh("quote_requested"), "quote", "--hours", "4", "--price", "300", "--delivery", s.later,
                 "--vendor", login == "vendor_b" ? "ACME" : "BETA"] },
            c("request move order",             ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("quoted"), "order", "--vendor", "ACME"] },
            c("request move deliver",           ["ok",   "no",    "ok",  "ok",    "no",    "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("ordered"), "deliver", "--note", "valmis"] },
            c("request move accept",            ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("delivered"), "accept"] },
            c("request move return",            ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("delivered"), "return", "--reason", "vigane"] },
            c("request move release",           ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("accepted"), "release", "--version-name", "2.0"] },
            c("request move cancel",            ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("ordered"), "cancel", "--reason", "loobume"] },
            // Acting "as" oneself is no acting for another.
            c("request move --as po",           ["ok",   "no",    "ok",  "no",    "no",    "no",     "no"]) { s, _ in
                ["request", "move", try s.fresh("proposed"), "prioritise", "--priority", "1", "--as", s.f.owner] },
            // Mail is handed in by the gateway: the daemon's login or an admin (an MTA's pipe runs as one).
            c("mail receive",                   ["ok",   "no",    "no",  "no",    "no",    "no",     "no"], input: { s in
                "From: someone@example.ee\nTo: devworkflow@dw.example\nSubject: x\nMessage-ID: <matrix-\(s.next())@example.ee>\n\nHello\n" }) { _, _ in
                ["mail", "receive"] },
            // Last: the demo loads a data set (into a database with the same people and nothing else).
            // Each login on a database of its own: a second run finds the demo there and changes nothing.
            c("demo run",                       ["ok",   "no",    "no",  "no",    "no",    "no",     "no"]) { s, login in ["demo", "run", "--database", try s.blankConninfo(login)] },
        ]
    }

    /// The functions of the schema that `devworkflow_user` may execute: each decides from the
    /// person record what its caller may do or see.
    static let callableFunctions = [
        "add_business_days", "add_closure", "add_comment", "add_contract", "add_person", "add_system", "add_vendor", "amend_contract", "attach_begin",
        "attach_chunk", "attach_finish", "audit_live_differences", "audit_log", "calendar_feed", "chain_field", "chain_genesis", "chain_hex", "chain_micros",
        "days_off", "definition", "easter_sunday", "edit_person", "edit_request", "edit_system", "edit_vendor", "file_chunk",
        "file_evidence", "file_evidence_chunk", "forget_person", "import_check", "import_done", "import_invoice", "invoices", "is_admin", "is_person", "is_staff", "last_seal",
        "move", "my_vendor", "open_warranty_claim", "order_act", "order_late", "pay_invoice", "penalties", "propose", "propose_many", "public_holidays",
        "receive_mail", "record_seal", "redact_comment", "release_invoice", "remove_closure", "request_card", "request_comments",
        "request_events", "request_file", "request_files", "request_list", "request_row", "request_terms", "require_auditor",
        "require_staff_reader", "retry_failed_outbox", "retry_outbox", "session_person", "set_budget", "set_contract_terms", "set_person_active", "set_reminder_rule", "set_setting", "set_vat_rate", "state_as_read", "state_since_as_read", "sync_logins", "tell_invoice_refused",
        "transitions", "vat_rates", "vendor_report_files", "vendor_report_files_query", "vendor_report_name", "vendor_report_query",
        "vendor_report_rows", "vendor_requests", "whoami",
    ]

    /// Commands that take no login, and why.
    static let noLogin: [String: String] = [
        "cluster start": "acts on a local folder (the embedded cluster), not on a database",
        "cluster stop": "acts on a local folder (the embedded cluster), not on a database",
        "cluster status": "acts on a local folder (the embedded cluster), not on a database",
        "cluster add-login": "the embedded cluster's owner creates a role (CREATE ROLE), which no person's login may",
    ]

    // MARK: The expected matrix: plain SQL

    /// What each login sees with SELECT: `all` rows, `own` (exactly the rows the vendor predicate
    /// of `ownership` picks), `none`.
    static let selects: [String: [String]] = [
        //  table                  admin  po_other po     vendor_a vendor_b requester nobody
        "schema_migrations":     ["all",  "all",   "all", "all",   "all",   "all",    "all"],
        "outbox":                ["all",  "all",   "all", "no",    "no",    "none",   "no"],
        "system":                ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "vendor":                ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "contract":              ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "budget":                ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "person":                ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "person_system":         ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "calendar_closure":      ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "request":               ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "invitation":            ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "quote":                 ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "order_counter":         ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "purchase_order":        ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "event":                 ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "comment":               ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "reminder_rule":         ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "reminder":              ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "workflow_definition":   ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "workflow_state":        ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "workflow_transition":   ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "workflow_input":        ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "workflow_step":         ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        // Mail handed in: like the outbox, for admins and product owners.
        "mail_in":               ["all",  "all",   "all", "no",    "no",    "none",   "no"],
        // The secret of reply addresses: nobody reads it, not even an admin; the schema's own functions use it.
        "mail_secret":           ["no",   "no",    "no",  "no",    "no",    "no",     "no"],
        "vat_rate":              ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        // Staff read the invoices of their systems (an admin all, the owner of VOLIS the scene's).
        "invoice":               ["all",  "none",  "all", "no",    "no",    "none",   "no"],
        // The audit record: admins and product owners; a requester's login reads no row of it.
        "audit":                 ["all",  "all",   "all", "no",    "no",    "none",   "no"],
        "setting":               ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "request_file":          ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        "request_file_chunk":    ["all",  "all",   "all", "no",    "no",    "all",    "no"],
        // The search text of each request, as readable as the request (sql/0031).
        "request_search":        ["all",  "all",   "all", "no",    "no",    "all",    "no"],
    ]

    /// Writes in plain SQL that are allowed (`ok`): none since issue 13 (writes go through the
    /// schema's functions); every INSERT, UPDATE and DELETE on every table, for every login, must be refused. A write the statement list has no valid row for is
    /// tried as `INSERT … DEFAULT VALUES` and must be refused by a privilege, not by a constraint.
    static let writes: [String: [String]] = [:]

    /// A valid row for the inserts that some login may make (the others get DEFAULT VALUES).
    static func insert(_ table: String, _ s: Scene) -> String? {
        switch table {
        case "system": return "INSERT INTO system (key, name) VALUES ('SQLNEW', 'x')"
        case "vendor": return "INSERT INTO vendor (key, name, email) VALUES ('SQLNEW', 'x', 'x@x.ee')"
        case "contract": return "INSERT INTO contract (vendor, number, valid_from, valid_to, hourly_rate, cap) VALUES ('ACME', 'SQL-1', '2026-01-01', '2026-12-31', 1, 1)"
        case "budget": return "INSERT INTO budget (system, year, amount) VALUES ('VOLIS', 2099, 1)"
        case "person": return "INSERT INTO person (login, name, email, role) VALUES ('sqlnew', 'x', 'x@x.ee', 'requester')"
        case "person_system": return "INSERT INTO person_system (login, system) VALUES ('\(s.f.otherOwner)', 'VOLIS')"
        case "calendar_closure": return "INSERT INTO calendar_closure (day, note) VALUES ('2099-01-05', 'x')"
        case "request": return "INSERT INTO request (system, title) VALUES ('VOLIS', 'sql')"
        case "comment": return "INSERT INTO comment (request_id, body) VALUES ('\(s.proposed)', 'x')"
        case "event": return "INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login) VALUES ('\(s.proposed)', 2, 'reject', 'proposed', 'rejected', 'x', 'x')"
        case "quote": return "INSERT INTO quote (request_id, vendor, hours, price, delivery, quoted_by) VALUES ('\(s.onlyACME)', 'ACME', 1, 1, '2099-01-01', 'x')"
        default: return nil
        }
    }

    // MARK: The scene

    final class Scene: @unchecked Sendable {
        // @unchecked: used from one test's thread only.
        let f: Fixture
        let admin: String
        var proposed = "", otherSystem = "", onlyACME = "", bothQuoted = "", ordered = ""
        /// The names of the files of `bothQuoted`: 1 for every vendor, 2 internal, 3 ACME's, 4 BETA's.
        let fileMarkers = ["matrix-spec.txt", "matrix-internal.txt", "matrix-acme.txt", "matrix-beta.txt"]
        let attachFile: String
        var counter = 0
        let importFile: String
        /// The scene's invoice: ACME's, matched to an accepted VOLIS order (whose act `order act` writes).
        var sceneInvoice = ""
        var acceptedOrder = ""
        /// BETA's order, late like `ordered` (ACME's): both past this deadline.
        var lateForBETA = ""
        var orderForBETA = ""
        let lateDeadline = Fixture.today.adding(days: -3)
        let later = Fixture.today.adding(days: 40).description
        private var blank: [String: String] = [:]

        init() throws {
            // Room for every attempt's order (gross on the budget, net on the cap).
            f = try Fixture(budget: Money(cents: 100_000_000), cap: Money(cents: 100_000_000))
            admin = "adm_\(f.db.name.suffix(8))"
            try f.sql().execute(SQL(unsafe: "CREATE ROLE \(admin) LOGIN IN ROLE devworkflow_user"))
            let root = try f.store()
            try root.addPerson(login: admin, name: "Ada Admin", email: "ada@example.ee", role: .admin)
            // ACME's orders carry a warranty (claims may be opened on the accepted one) and a penalty.
            try root.setContractTerms("RL-ACME", .init(warrantyMonths: 24, fixDays: 5, penaltyPerDay: 0.5, penaltyCap: 10))
            proposed = try root.propose(system: "VOLIS", title: "Pakutud").id
            otherSystem = try root.propose(system: "KOVTP", title: "Teine süsteem").id
            onlyACME = try root.propose(system: "VOLIS", title: "Ainult ACME").id
            _ = try root.move(onlyACME, "prioritise", inputs: .init(priority: 3))
            _ = try root.move(onlyACME, "request_quote", inputs: .init(vendors: ["ACME"]))
            bothQuoted = try f.request(in: "quote_requested")
            _ = try root.move(bothQuoted, "quote", inputs: .init(vendor: "ACME", hours: 14, price: Money(cents: 111_100), delivery: Fixture.today.adding(days: 20)))
            _ = try root.move(bothQuoted, "quote", inputs: .init(vendor: "BETA", hours: 25, price: Money(cents: 222_200), delivery: Fixture.today.adding(days: 20)))
            ordered = try f.request(in: "ordered")
            // An order for BETA too, so each vendor's own orders are some, not all or none.
            let forBETA = try f.request(in: "quote_requested", system: "KOVTP")
            _ = try root.move(forBETA, "quote", inputs: .init(vendor: "BETA", hours: 6, price: Money(cents: 50_000), delivery: Fixture.today.adding(days: 20)))
            _ = try root.move(forBETA, "order", inputs: .init(vendor: "BETA"))
            // Both orders late (issue 19), so `report penalties` has a late order of each vendor.
            lateForBETA = forBETA
            orderForBETA = try f.orderNumber(of: forBETA)
            try f.backdate(orders: [ordered, forBETA], deadline: lateDeadline)
            try root.comment(bothQuoted, "staff note")
            try f.store(as: f.vendorA).comment(bothQuoted, "acme note")
            try f.store(as: f.vendorB).comment(bothQuoted, "beta note")
            try root.addClosure(LocalDate(year: 2090, month: 1, day: 5)!, note: "suletud")
            // A reminder and a failed message, so every table has rows for the matrix to mean something.
            try f.sql().execute("INSERT INTO reminder (request_id, rule, occurrence, due_on) VALUES (\(ordered), 'deadline_near', 'test', now()::date)")
            // A message handed in (not tied to anything), so mail_in has a row.
            _ = try MailGateway(connection: try f.sql()).receive(Array("From: a@b.ee\nMessage-ID: <scene@b.ee>\n\nHello\n".utf8))
            attachFile = workPath("attach.txt")
            try "lisa".write(toFile: attachFile, atomically: true, encoding: .utf8)
            for (index, name) in fileMarkers.enumerated() {
                let store = index == 2 ? try f.store(as: f.vendorA) : index == 3 ? try f.store(as: f.vendorB) : root
                _ = try store.attach(bothQuoted, name: name, kind: index == 0 ? "spec" : "other", isInternal: index == 1,
                                     reading: RequestFilesTests.reader([Array(name.utf8)]))
            }
            importFile = workPath("import.csv")
            try "title,description\nImporditud,kirjeldus\n".write(toFile: importFile, atomically: true, encoding: .utf8)
            acceptedOrder = try f.orderNumber(of: try f.request(in: "accepted"))
            sceneInvoice = String(try root.importInvoice(try InvoiceImportTests.document(order: acceptedOrder, number: "SCENE-1")).id)
        }

        /// An e-invoice file for the accepted order, with a number of its own.
        func invoiceFile() throws -> String {
            let path = workPath("invoice-\(next()).xml")
            try InvoiceFixtures.variant("simple-invoice.xml", [(">PT-2026-0042<", ">M-\(next())<"), (">ORD-2026-0007<", ">\(acceptedOrder)<"),
                                                               (">RL-2025/14<", ">RL-ACME<")]).write(to: URL(fileURLWithPath: path))
            return path
        }

        /// A new invoice of ACME for a VOLIS order of its own: held (the order not accepted yet) or matched.
        func freshInvoice(held: Bool) throws -> String {
            let order = try f.orderNumber(of: try f.request(in: held ? "ordered" : "accepted"))
            return String(try f.store().importInvoice(try InvoiceImportTests.document(order: order, number: "F-\(next())")).id)
        }

        /// A new staff comment on the proposed request: its number.
        func freshComment() throws -> String {
            try f.store().comment(proposed, "Kommentaar \(next())")
            return String(try f.sql().query(SQL("SELECT max(id) FROM comment WHERE request_id = \(proposed)")).first!.decode(0, as: Int64.self))
        }

        /// A new requester to forget: their login.
        func freshPerson() throws -> String {
            let login = key("f").lowercased()
            try f.store().addPerson(login: login, name: "Unustatav Isik", email: "\(login)@example.ee", role: .requester)
            return login
        }

        var personMarkers: [String] { [admin, f.owner, f.otherOwner, f.vendorA, f.vendorB, f.requester].map { "\"\($0)\"" } }

        func login(_ label: String) -> String {
            switch label {
            case "admin": return admin
            case "po_other": return f.otherOwner
            case "po": return f.owner
            case "vendor_a": return f.vendorA
            case "vendor_b": return f.vendorB
            case "requester": return f.requester
            default: return f.nobody
            }
        }

        func next() -> Int { counter += 1; return counter }

        /// A new requester, for the rows that edit, deactivate or activate a person.
        func spare() throws -> String {
            let login = key("spare").lowercased()
            try f.store().addPerson(login: login, name: "Varu Isik", email: "varu@example.ee", role: .requester)
            return login
        }
        func key(_ prefix: String) -> String { "\(prefix)X\(next())" }

        /// A new VOLIS request in a state (ACME and BETA invited, ACME quoted and ordered).
        func fresh(_ state: String) throws -> String { try f.request(in: state) }

        func failedMessage() throws -> String {
            let row = try f.sql().query("UPDATE outbox SET status = 'failed' WHERE id = (SELECT min(id) FROM outbox WHERE status <> 'delivered') RETURNING id").first!
            return String(try row.decode(0, as: Int64.self))
        }

        /// A migrated database with the same people and no systems, vendors or requests.
        func blankConninfo(_ label: String) throws -> String {
            if blank[label] == nil {
                let db = try TestDatabase.migrated()
                let store = WorkflowStore(connection: try db.product())
                try store.addPerson(login: admin, name: "Ada Admin", email: "ada@example.ee", role: .admin)
                try store.addSystem(key: "OTHER", name: "Muu süsteem")
                for (login, role) in [(f.owner, PersonRole.productOwner), (f.otherOwner, .productOwner), (f.requester, .requester)] {
                    try store.addPerson(login: login, name: "Isik", email: "isik@example.ee", role: role, systems: role == .productOwner ? ["OTHER"] : [])
                }
                try store.addVendor(key: "ACME", name: "Acme OÜ", email: "info@acme.ee")
                try store.addVendor(key: "BETA", name: "Beta AS", email: "sales@beta.ee")
                try store.addPerson(login: f.vendorA, name: "Anna", email: "anna@acme.ee", role: .vendor, vendor: "ACME")
                try store.addPerson(login: f.vendorB, name: "Bert", email: "bert@beta.ee", role: .vendor, vendor: "BETA")
                blank[label] = db.name
            }
            return "host=\(try TestDatabase.socketDirectory()) dbname=\(blank[label]!)"
        }
    }

    // MARK: Running the matrix

    /// One observed cell.
    struct Cell {
        let row: String
        let login: String
        let expected: String
        let observed: String
        let detail: String
        var matches: Bool { expected == observed }
        var allowed: Bool { ["ok", "all", "own"].contains(observed) }
    }

    static func observe(_ s: Scene, _ row: CommandCase, _ label: String) throws -> Cell {
        var arguments = try row.arguments(s, label)
        let expected = row.expected[logins.firstIndex(of: label)!]
        // demo run brings its own database (the last --database wins); the user is the login's.
        if let index = arguments.firstIndex(of: "--database") {
            arguments[index + 1] += " user=\(s.login(label))"
        } else {
            arguments += ["--database", try s.f.db.conninfo(user: s.login(label))]
        }
        let result = try Binary.run("workflowctl", ["--json"] + arguments, input: row.input?(s), environment: ["LANG": "en_US.UTF-8"])
        let observed: String
        switch result.status {
        case 0 where row.markers.isEmpty:
            observed = "ok"
        case 0:
            let seen = row.markers.filter { result.stdout.contains($0) }
            let vendorOwn = row.own[label]
            if Set(seen) == Set(row.markers) { observed = "all" }
            else if seen.isEmpty { observed = "none" }
            else if let vendorOwn, Set(seen) == Set(vendorOwn) { observed = "own" }
            else { observed = "some" }
        case 77: observed = "no"
        case 66: observed = "hid"
        default: observed = "exit \(result.status)"
        }
        let seen = row.markers.filter { result.stdout.contains($0) }
        return Cell(row: row.command, login: label, expected: expected, observed: observed,
                    detail: result.status == 0 ? "saw \(seen) of \(row.markers)" : result.stderr)
    }

    /// Classifies a SELECT: every row, none, or a refusal (`no`).
    static func observeSelect(_ s: Scene, _ table: String, _ label: String, _ connection: Connection, _ owner: Connection) throws -> Cell {
        let expected = selects[table]?[logins.firstIndex(of: label)!] ?? "?"
        let rows = "SELECT coalesce(array_agg(to_jsonb(t)::text ORDER BY to_jsonb(t)::text), '{}')::text FROM workflow.\(table) t"
        let seen: String
        do {
            seen = try connection.query(SQL(unsafe: rows)).first!.decode(0, as: String.self)
        } catch let error as PostgresError {
            return Cell(row: "SELECT \(table)", login: label, expected: expected, observed: "no", detail: error.message)
        }
        let everything = try owner.query(SQL(unsafe: rows)).first!.decode(0, as: String.self)
        let observed = seen == everything ? "all" : seen == "{}" ? "none" : "some"
        return Cell(row: "SELECT \(table)", login: label, expected: expected, observed: observed, detail: String(seen.prefix(200)))
    }

    /// Tries a write inside a transaction that is always rolled back: `ok` when it changed a row.
    static func observeWrite(_ s: Scene, _ table: String, _ operation: String, _ label: String, _ connection: Connection) throws -> Cell {
        let expected = writes["\(table).\(operation)"]?[logins.firstIndex(of: label)!] ?? "no"
        let statement: String
        switch operation {
        case "insert": statement = insert(table, s) ?? "INSERT INTO workflow.\(table) DEFAULT VALUES"
        case "update":
            let column = try connection.query("""
                SELECT attname FROM pg_attribute WHERE attrelid = \("workflow.\(table)")::regclass AND attnum > 0 AND NOT attisdropped
                  AND attidentity = '' AND attgenerated = '' ORDER BY attnum LIMIT 1
                """).first!.decode(0, as: String.self)
            statement = "UPDATE workflow.\(table) SET \(column) = \(column)"
        default: statement = "DELETE FROM workflow.\(table)"
        }
        try connection.execute("BEGIN")
        defer { _ = try? connection.execute("ROLLBACK") }
        let observed: String, detail: String
        do {
            let result = try connection.query(SQL(unsafe: statement))
            observed = result.affectedRows > 0 ? "ok" : "no"
            detail = "\(statement): \(result.affectedRows) rows"
        } catch let error as PostgresError {
            // Refused by a privilege, a policy or the schema's own checks; a constraint on a row
            // the login was allowed to write is a hole in this test's sample rows, not a refusal.
            let refused: Set<String> = ["42501", "DW403", "DW404", "DW405", "DW422"]
            observed = refused.contains(error.sqlState?.rawValue ?? "") ? "no" : "error \(error.sqlState?.rawValue ?? "?")"
            detail = "\(statement): \(error.message)"
        }
        return Cell(row: "\(operation.uppercased()) \(table)", login: label, expected: expected, observed: observed, detail: detail)
    }

    static func table(_ cells: [Cell]) -> String {
        var rows: [String] = []
        var order: [String] = []
        var byRow: [String: [String: Cell]] = [:]
        for cell in cells {
            if byRow[cell.row] == nil { order.append(cell.row) }
            byRow[cell.row, default: [:]][cell.login] = cell
        }
        rows.append("row".padding(toLength: 36, withPad: " ", startingAt: 0) + logins.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
        for row in order {
            rows.append(row.padding(toLength: 36, withPad: " ", startingAt: 0) + logins.map { login in
                let cell = byRow[row]?[login]
                let text = cell.map { $0.matches ? $0.observed : "\($0.observed)!=\($0.expected)" } ?? "-"
                return text.padding(toLength: 11, withPad: " ", startingAt: 0)
            }.joined())
        }
        return rows.joined(separator: "\n")
    }

    // MARK: The test

    @Test func everyLoginAgainstEveryCommandAndEveryTable() throws {
        let s = try Scene()
        let cases = Self.commandCases(s)

        // Every command of workflowctl is in the matrix or says why no login applies.
        let covered = Set(cases.map { $0.command.split(separator: " ").prefix(2).joined(separator: " ") })
        for command in WorkflowCtl.commands {
            let name = command.name
            #expect(covered.contains(name) || Self.noLogin[name] != nil, "workflowctl \(name) is not in the access matrix")
        }
        for row in cases { #expect(row.expected.count == Self.logins.count, "\(row.command)") }

        var commandCells: [Cell] = []
        for row in cases {
            for label in Self.logins { commandCells.append(try Self.observe(s, row, label)) }
        }

        // Plain SQL on every table of the schema, from the catalogue.
        let owner = try s.f.sql()
        let tables = try owner.query("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'workflow' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname
            """).map { try $0.decode(0, as: String.self) }
        #expect(tables.count >= 20)
        for table in tables {
            #expect(Self.selects[table] != nil, "table \(table) is not in the access matrix: add its row to `selects`")
            let count = try owner.query(SQL(unsafe: "SELECT count(*) FROM workflow.\(table)")).first!.decode(0, as: Int.self)
            #expect(count > 0, "table \(table) has no rows in the scene: the matrix would prove nothing about it")
        }
        var sqlCells: [Cell] = []
        for label in Self.logins {
            let connection = try s.f.sql(as: s.login(label))
            for table in tables {
                sqlCells.append(try Self.observeSelect(s, table, label, connection, owner))
                for operation in ["insert", "update", "delete"] {
                    sqlCells.append(try Self.observeWrite(s, table, operation, label, connection))
                }
            }
        }

        // The functions a login may call: exactly these (each checks who calls it); any other
        // function of the schema, SECURITY DEFINER ones above all, is the owner's.
        let callable = try owner.query("""
            SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'workflow' AND has_function_privilege('devworkflow_user', p.oid, 'EXECUTE') ORDER BY p.proname
            """).map { try $0.decode(0, as: String.self) }
        #expect(callable == Self.callableFunctions, "functions devworkflow_user may execute")
        let definers = try owner.query("""
            SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'workflow' AND p.prosecdef AND p.proconfig IS NULL
            """).first!.decode(0, as: Int.self)
        #expect(definers == 0, "a SECURITY DEFINER function without a fixed search_path")

        // History tampering, for the schema's owner too (the superuser that migrated).
        var ownerChecks = 0
        for statement in ["UPDATE event SET actor = 'mallory'", "DELETE FROM event", "TRUNCATE event CASCADE",
                          "UPDATE comment SET body = 'x'", "DELETE FROM comment", "TRUNCATE comment CASCADE",
                          Self.insert("event", s)!] {
            ownerChecks += 1
            try owner.execute("BEGIN")
            do {
                try owner.execute(SQL(unsafe: statement))
                try owner.execute("COMMIT")
                Issue.record("the schema owner could \(statement)")
            } catch let error as PostgresError {
                _ = try? owner.execute("ROLLBACK")
                #expect(["DW405", "DW422"].contains(error.sqlState?.rawValue ?? ""), "\(statement): \(error.message)")
            }
        }

        let cells = commandCells + sqlCells
        let mismatches = cells.filter { !$0.matches }
        print("ACCESS MATRIX (commands)\n" + Self.table(commandCells))
        print("ACCESS MATRIX (plain SQL)\n" + Self.table(sqlCells))
        for cell in mismatches { Issue.record("\(cell.row) as \(cell.login): expected \(cell.expected), got \(cell.observed): \(cell.detail)") }
        print("ACCESS SUMMARY logins=\(Self.logins.count) commands=\(covered.count) command_checks=\(commandCells.count) sql_checks=\(sqlCells.count + ownerChecks) "
              + "allowed=\(cells.filter(\.allowed).count) refused=\(cells.count - cells.filter(\.allowed).count + ownerChecks) mismatches=\(mismatches.count)")
    }
}
