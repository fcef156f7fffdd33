import Foundation
import Testing
@testable import DevWorkflow

/// Issue 20: a command line that fits the habits `gh`, `git` and `psql` taught: completion and a
/// manual from the command table, typed options and "did you mean", correcting what was entered
/// wrong, finding requests, input as people write it, and the operator's comforts. Every test runs
/// the built binary (and real bash, man and groff) as a user would.
@Suite struct CommandLineHabitsTests {
    static func ctl(_ arguments: [String], _ conninfo: String? = nil, language: String = "en_US.UTF-8", input: String? = nil,
                    environment: [String: String] = [:]) throws -> Binary.Result {
        try Binary.run("workflowctl", arguments + (conninfo.map { ["--database", $0] } ?? []), input: input,
                       environment: ["LANG": language].merging(environment) { $1 })
    }

    /// Runs a shell script in a real bash; its stdout.
    static func bash(_ script: String, environment: [String: String] = [:]) throws -> Subprocess.Output {
        try Subprocess.run("/bin/bash", ["--norc", "--noprofile", "-c", script], environment: environment)
    }

    /// Runs workflowctl on a pseudo-terminal (util-linux `script`), as a person at a terminal
    /// would: what the terminal showed, the pager's output included.
    static func onTerminal(_ arguments: [String], environment: [String: String]) throws -> String {
        let command = ([try Binary.path("workflowctl")] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        let run = try Subprocess.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment.merging(["COLUMNS": "100"]) { $1 })
        return run.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    }

    static func json(_ result: Binary.Result) throws -> JSONValue {
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue.parse(result.stdout)
    }

    // MARK: Completion and the manual

    @Test func theBashCompletionCompletesInARealBash() throws {
        let f = try Fixture()
        let quoted = try f.request(in: "quoted")
        let order = try f.orderNumber(of: try f.request(in: "accepted", system: "KOVTP"))
        let conninfo = try f.db.conninfo(user: f.owner)
        let script = workPath("workflowctl.bash")
        let generated = try Self.ctl(["completion", "bash"])
        #expect(generated.status == 0)
        try generated.stdout.write(toFile: script, atomically: true, encoding: .utf8)
        let program = try Binary.path("workflowctl")
        let run = try Self.bash("""
            source "$SCRIPT" || exit 9
            complete -p workflowctl
            c() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _workflowctl; local IFS=,; echo "${COMPREPLY[*]}"; }
            c "$PROGRAM" req
            c "$PROGRAM" request ed
            c "$PROGRAM" reqest
            c "$PROGRAM" request list --so
            c "$PROGRAM" request list --sort ''
            c "$PROGRAM" person add kati --role ven
            c "$PROGRAM" request list --database="$DB" --state quo
            c "$PROGRAM" --database "$DB" request show VOLIS-
            c "$PROGRAM" request move --database "$DB" "$ID" ''
            c "$PROGRAM" --database "$DB" request list --vendor A
            c "$PROGRAM" --database 'host=/nonexistent' request show ''
            c "$PROGRAM" calendar holidays --
            c "$PROGRAM" ma
            echo "nouns: $(compgen -W "$(_workflowctl_nouns)" -- re | sort | tr '\\n' ' ')"
            c "$PROGRAM" --database "$DB" request attach VOLIS-
            c "$PROGRAM" --database "$DB" request files VOLIS-
            c "$PROGRAM" --database "$DB" order act ''
            c "$PROGRAM" --database "$DB" invoice list --order ''
            c "$PROGRAM" --database "$DB" request new --warranty-of ''
            """, environment: ["SCRIPT": script, "PROGRAM": program, "DB": conninfo, "ID": quoted, "LANG": "en_US.UTF-8"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.components(separatedBy: "\n")
        guard lines.count >= 20 else { Issue.record("bash said: \(run.stdout) \(run.stderr)"); return }
        #expect(lines[0] == "complete -F _workflowctl workflowctl")
        #expect(lines[1] == "request")
        #expect(lines[2] == "edit")
        #expect(lines[3] == "", "no noun starts with reqest")
        #expect(lines[4] == "--sort")
        #expect(lines[5] == "id,created,state,priority,deadline", "a value's choices from its declaration")
        #expect(lines[6] == "vendor")
        #expect(lines[7] == "quote_requested,quoted", "states from the database")
        #expect(Set(lines[8].split(separator: ",")) == [Substring(quoted)], "request ids the login sees: \(lines[8])")
        #expect(Set(lines[9].split(separator: ",")) == ["invite", "quote", "order", "cancel"], "the transitions allowed now: \(lines[9])")
        #expect(lines[10] == "ACME", "vendor keys: \(lines[10])")
        #expect(lines[11] == "", "no database: nothing offered, and no error on the terminal")
        #expect(lines[12].split(separator: ",").contains("--year") && lines[12].split(separator: ",").contains("--json"))
        #expect(lines[13] == "mail,man", "the nouns starting with ma")
        #expect(lines[14] == "nouns: reminder report request ")
        #expect(lines[15] == quoted && lines[16] == quoted, "request ids for attach and files: \(lines[15]) \(lines[16])")
        #expect(lines[17] == order && lines[18] == order && lines[19] == order, "order numbers for an act, invoices and a claim: \(lines[17...19])")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    /// zsh and fish complete too, run for real: fish with its own `complete -C`, zsh with the
    /// completion system's `compadd` and `_files` standing in (it adds every candidate; zsh
    /// filters them by what was typed).
    @Test func zshAndFishCompleteInRealShells() throws {
        let f = try Fixture()
        let quoted = try f.request(in: "quoted")
        let conninfo = try f.db.conninfo(user: f.owner)
        let bin = try Binary.path("workflowctl").split(separator: "/").dropLast().joined(separator: "/")
        let environment = ["PATH": "/\(bin):/usr/bin:/bin", "DB": conninfo, "ID": quoted, "LANG": "en_US.UTF-8"]
        let fishScript = workPath("workflowctl.fish"), zshScript = workPath("_workflowctl")
        try Self.ctl(["completion", "fish"]).stdout.write(toFile: fishScript, atomically: true, encoding: .utf8)
        try Self.ctl(["completion", "zsh"]).stdout.write(toFile: zshScript, atomically: true, encoding: .utf8)
        let fish = try Subprocess.run("/usr/bin/fish", ["--no-config", "-c", """
            source \(fishScript)
            echo (complete -C 'workflowctl req')
            echo (complete -C 'workflowctl request ed')
            echo (complete -C 'workflowctl request list --so')
            echo (complete -C 'workflowctl request list --sort ')
            echo (complete -C "workflowctl --database '$DB' request move $ID ")
            echo (complete -C "workflowctl --database '$DB' request show ")
            """], environment: environment)
        #expect(fish.status == 0, "\(fish.stderr)")
        #expect(fish.stdout.components(separatedBy: "\n").prefix(6) == ["request", "edit", "--sort", "created deadline id priority state",
                                                                           "cancel invite order quote", quoted], "\(fish.stdout) \(fish.stderr)")
        let zsh = try Subprocess.run("/usr/bin/zsh", ["-f", "-c", """
            compdef() { :; }
            compadd() { if [[ $1 == -a ]]; then print -r -- ${(P)2}; return; fi; [[ $1 == -- ]] && shift; print -r -- "$@"; }
            _files() { print -r -- FILES; }
            source \(zshScript)
            words=(workflowctl request ed); CURRENT=3; _workflowctl
            words=(workflowctl person add kati --role ""); CURRENT=6; _workflowctl
            words=(workflowctl request import ""); CURRENT=4; _workflowctl
            words=(workflowctl --database "$DB" request move "$ID" ""); CURRENT=7; _workflowctl
            """], environment: environment)
        #expect(zsh.status == 0, "\(zsh.stderr)")
        let lines = zsh.stdout.components(separatedBy: "\n")
        #expect(lines.first?.split(separator: " ").contains("edit") == true, "\(zsh.stdout)")
        #expect(lines.dropFirst().first == "admin product_owner vendor requester", "\(zsh.stdout)")
        #expect(lines.dropFirst(2).first == "FILES", "\(zsh.stdout)")
        #expect(lines.dropFirst(3).first.map { Set($0.split(separator: " ")) } == ["invite", "quote", "order", "cancel"], "\(zsh.stdout) \(zsh.stderr)")
    }

    @Test func everyShellGetsEveryCommandAndOption() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try Self.ctl(["completion", shell]).stdout
            for command in WorkflowCtl.visibleCommands {
                #expect(script.contains(command.verb.isEmpty ? command.noun : command.verb), "\(shell): \(command.name)")
                for option in command.options {
                    #expect(script.contains(shell == "fish" ? "-l \(option.name)" : "--\(option.name)"), "\(shell): \(command.name) --\(option.name)")
                }
            }
            #expect(!script.contains("__complete requests") || shell != "bash", "bash asks for live values by kind")
        }
        // Each shell reads its script without a syntax error (scripts/install-deps installs zsh and fish).
        let bash = try Self.bash("bash -n <(\"$PROGRAM\" completion bash) && echo fine", environment: ["PROGRAM": try Binary.path("workflowctl")])
        #expect(bash.stdout == "fine\n", "\(bash.stderr)")
        for (shell, check) in [("/usr/bin/zsh", "-n"), ("/usr/bin/fish", "--no-execute")] {
            #expect(FileManager.default.isExecutableFile(atPath: shell), "\(shell) is missing: bash scripts/install-deps")
            let path = workPath("completion")
            try Self.ctl(["completion", String(shell.split(separator: "/").last!)]).stdout.write(toFile: path, atomically: true, encoding: .utf8)
            let run = try Subprocess.run(shell, [check, path])
            #expect(run.status == 0, "\(shell): \(run.stderr)")
        }
    }

    /// dist/ carries the scripts and pages pre-generated: they are what the binary writes now
    /// (`bash scripts/generate-dist` after changing a command).
    @Test func theDistributedScriptsAndPagesAreCurrent() throws {
        let dist = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../dist").standardized.path
        for (file, arguments) in [("completion/workflowctl.bash", ["completion", "bash"]), ("completion/_workflowctl", ["completion", "zsh"]),
                                  ("completion/workflowctl.fish", ["completion", "fish"]), ("man/workflowctl.1", ["man", "--lang", "en"]),
                                  ("man/workflowctl.et.1", ["man", "--lang", "et"]), ("man/workflowd.8", ["man", "workflowd", "--lang", "en"]),
                                  ("man/workflowd.et.8", ["man", "workflowd", "--lang", "et"])] {
            let saved = try String(contentsOfFile: dist + "/" + file, encoding: .utf8)
            #expect(saved == (try Self.ctl(arguments).stdout), "dist/\(file) is out of date: bash scripts/generate-dist")
        }
    }

    /// A page as `man -l` shows it at 80 columns, its letters without man's overstriking (bold,
    /// when it writes to a pipe); groff with every warning on must take it without a word.
    static func readWithMan(_ page: String, file name: String) throws -> String {
        let file = workPath(name)
        try page.write(toFile: file, atomically: true, encoding: .utf8)
        let groff = try Subprocess.run("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-z", file])
        #expect(groff.status == 0 && groff.stderr.isEmpty, "groff: \(groff.stderr)")
        let man = try Subprocess.run("/usr/bin/man", ["-l", file], environment: ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80",
                                                                                   "LANG": "C.UTF-8", "MAN_KEEP_FORMATTING": ""])
        #expect(man.status == 0, "\(man.stderr)")
        return man.stdout.replacingOccurrences(of: ".\u{8}", with: "", options: .regularExpression)
    }

    @Test func theManualRendersWithManInBothLanguages() throws {
        for (language, heading, summary) in [("en", "NAME", Message("help.request.edit").text(.en)), ("et", "NIMI", Message("help.request.edit").text(.et))] {
            let page = try Self.ctl(["man", "--lang", language])
            #expect(page.status == 0)
            #expect(page.stdout.hasPrefix("'\\\" -*- coding: UTF-8 -*-"))
            let text = try Self.readWithMan(page.stdout, file: "workflowctl.1")
            #expect(text.contains("WORKFLOWCTL(1)"), "\(text.prefix(300))")
            #expect(text.contains(heading))
            let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains(summary.split(whereSeparator: \.isWhitespace).joined(separator: " ")), "\(language): \(summary)")
            for command in WorkflowCtl.visibleCommands {
                #expect(text.contains("workflowctl \(command.name)"), "\(language): \(command.name) is in the manual")
            }
            #expect(words.contains("--expect-version N"))
            #expect(text.contains("WORKFLOW_PAGER"))
            #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, "man at 80 columns")
        }
    }

    /// workflowd has the page workflowctl's names under SEE ALSO (workflowd(8)): well-formed
    /// roff in both languages, every option of workflowd's and its exit codes on it.
    @Test func theDaemonsManualRendersWithManInBothLanguages() throws {
        for language in ["en", "et"] {
            let page = try Self.ctl(["man", "workflowd", "--lang", language])
            #expect(page.status == 0)
            let text = try Self.readWithMan(page.stdout, file: "workflowd.8")
            #expect(text.contains("WORKFLOWD(8)"), "\(text.prefix(300))")
            for option in WorkflowD.options { #expect(text.contains("--" + option.name), "\(language): --\(option.name)") }
            #expect(text.contains("77") && text.contains("devworkflow_daemon"))
            #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, "man at 80 columns")
        }
        #expect(try Self.ctl(["man", "workflowctl"]).status == 64)
    }

    // MARK: Typed options, did you mean, help

    @Test func everyOptionIsTypedAndReadByItsDeclaration() {
        for command in WorkflowCtl.commands {
            for option in command.options {
                let typed = option is Flag || option is Option<String> || option is Option<Int> || option is Option<LocalDate> || option is Option<Money>
                    || option is Option<PersonRole> || option is Option<Language> || option is Required<String> || option is Required<Int>
                    || option is Required<LocalDate> || option is Required<Money> || option is Required<PersonRole> || option is Repeated<String>
                    || option is Required<Decimal> || option is Option<Decimal>
                #expect(typed, "workflowctl \(command.name) --\(option.name) is declared untyped")
            }
            #expect(Set(command.options.map(\.name)).count == command.options.count, "\(command.name) declares an option twice")
        }
        for option in WorkflowD.options {
            let typed = option is Flag || option is Option<String> || option is Option<Int> || option is Option<WorkflowD.Seconds>
                || option is Option<WorkflowD.Moment>
            #expect(typed, "workflowd --\(option.name) is declared untyped")
        }
        // The source holds no string look-up of an option any more.
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Sources").standardized
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        // (The bench's own load driver is no user's command line.)
        for file in files where !file.path.contains("/workflow-bench/") {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            for lookup in ["values[\"", "call.value(\"", "call.all(\"", "call.flag(\"", "call.required(\"", "call.date(\"", "call.money(\"", "call.integer(\"", "call.decimal(\""] {
                #expect(!text.contains(lookup), "\(file.lastPathComponent) reads an option by name: \(lookup)")
            }
        }
    }

    @Test func aTypoGetsDidYouMean() throws {
        let cases: [([String], String)] = [
            (["reqest", "list"], "did you mean 'request'?"),
            (["request", "lsit"], "did you mean 'request list'?"),
            (["request", "list", "--stat", "proposed"], "did you mean --state?"),
            (["request", "move", "VOLIS-1", "prioritise", "--priorty", "1"], "did you mean --priority?"),
            // A word cut short means the one it starts (not --price, two edits from --prio).
            (["request", "move", "VOLIS-1", "prioritise", "--prio", "2"], "did you mean --priority?"),
            (["--jsno", "request", "list"], "did you mean --json?"),
            (["calendar", "closure", "remvoe", "2026-12-24"], "did you mean 'calendar closure remove'?"),
        ]
        for (arguments, hint) in cases {
            let run = try Self.ctl(arguments + ["--database", "host=/nonexistent"])
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(hint), "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        let estonian = try Self.ctl(["reqest", "list"], language: "et_EE.UTF-8")
        #expect(estonian.stderr.contains("kas mõtlesite „request”?"), "\(estonian.stderr)")
        // Nothing close: no guess.
        #expect(!(try Self.ctl(["xyzzy"]).stderr.contains("did you mean")))
    }

    @Test func helpReadsWellAtEightyColumnsAndMarksWhatIsRequired() throws {
        for language in ["en_US.UTF-8", "et_EE.UTF-8"] {
            var pages = [try Self.ctl(["--help"], language: language, environment: ["COLUMNS": "80"]).stdout]
            for command in WorkflowCtl.visibleCommands {
                pages.append(try Self.ctl(command.name.split(separator: " ").map(String.init) + ["--help"], language: language,
                                          environment: ["COLUMNS": "80"]).stdout)
            }
            for page in pages {
                for line in page.split(separator: "\n") { #expect(line.count <= 80, "\(language): \(line.count) columns: \(line)") }
            }
            #expect(pages[0].contains("request edit") && pages[0].contains("completion bash"))
        }
        let new = try Self.ctl(["request", "new", "--help"], environment: ["COLUMNS": "200"]).stdout
        #expect(new.contains("workflowctl request new [--system KEY] --title TEXT [--description TEXT] [--requester TEXT] [--warranty-of ORD]"), "\(new)")
        let holidays = try Self.ctl(["calendar", "holidays", "--help"], environment: ["COLUMNS": "200"]).stdout
        #expect(holidays.contains("workflowctl calendar holidays --year YYYY\n") && holidays.contains("(required)"), "\(holidays)")
        let estonian = try Self.ctl(["calendar", "holidays", "--help"], language: "et_EE.UTF-8").stdout
        #expect(estonian.contains("(kohustuslik)"))
        // Narrower terminal, narrower help; the words stay together.
        let narrow = try Self.ctl(["request", "move", "--help"], environment: ["COLUMNS": "50"]).stdout
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 50 }, "\(narrow)")
        #expect(narrow.contains("[--expect-version N]"))
        // A required option left out: named with its value, exit 64.
        let missing = try Self.ctl(["contract", "add", "--vendor", "ACME"])
        #expect(missing.status == 64 && missing.stderr.contains("--number NO") && missing.stderr.contains("--cap EUR"), "\(missing.stderr)")
    }

    /// workflowd's help is written from the options it parses, so it names each one as declared
    /// and fits the terminal like workflowctl's.
    @Test func theDaemonsHelpNamesEveryOptionItTakesAtEightyColumns() throws {
        for language in ["en_US.UTF-8", "et_EE.UTF-8"] {
            let help = try Binary.run("workflowd", ["--help"], environment: ["LANG": language, "COLUMNS": "80"])
            #expect(help.status == 0, "\(help.stderr)")
            for line in help.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(language): \(line.count) columns: \(line)") }
            for option in WorkflowD.options {
                // In the usage and in the table, under its declared value name.
                #expect(help.stdout.components(separatedBy: option.synopsis).count - 1 >= 2, "\(language): \(option.synopsis)")
                #expect(!Message(option.help).text(language == "en_US.UTF-8" ? .en : .et).isEmpty)
            }
            let short = try Binary.run("workflowd", ["-h"], environment: ["LANG": language, "COLUMNS": "80"])
            #expect(short.stdout == help.stdout)
        }
        let wide = try Binary.run("workflowd", ["--help"], environment: ["LANG": "en_US.UTF-8", "COLUMNS": "200"]).stdout
        // The value name as declared (the hand-written help said `--export-interval S`).
        let interval = wide.split(separator: "\n").first { $0.hasPrefix("  --export-interval ") }
        #expect(interval?.hasPrefix("  --export-interval SECONDS ") == true && interval?.hasSuffix(" seconds between exports (default 3600)") == true, "\(wide)")
        #expect(wide.contains("\nExit codes: 0 done or stopped by SIGTERM/SIGINT, 64 usage,"))
    }

    // MARK: Correcting what was entered wrong

    @Test func requestEditIsRecordedWithOldAndNewValues() throws {
        let f = try Fixture()
        let id = try f.store().propose(system: "VOLIS", title: "Vigane pealkiri", description: "vana").id
        let conninfo = try f.db.conninfo(user: f.owner)
        let edited = try Self.json(try Self.ctl(["request", "edit", id, "--title", "Õige pealkiri", "--description", "uus", "--json"], conninfo))
        #expect(edited["changes"]?["title"]?["old"] == "Vigane pealkiri")
        #expect(edited["changes"]?["title"]?["new"] == "Õige pealkiri")
        #expect(edited["version"] == .number("2"))
        let same = try Self.json(try Self.ctl(["request", "edit", id, "--title", "Õige pealkiri", "--json"], conninfo))
        #expect(same["edited"] == .bool(false) && same["version"] == .number("2"), "no change, no event")
        // A stale version is a conflict to retry, as with a move.
        let stale = try Self.ctl(["request", "edit", id, "--title", "Kolmas", "--expect-version", "1"], conninfo)
        #expect(stale.status == 75, "\(stale.stderr)")
        let history = try Self.ctl(["request", "history", id], conninfo)
        #expect(history.stdout.contains("Vigane pealkiri → Õige pealkiri"), "\(history.stdout)")
        let shown = try Self.json(try Self.ctl(["request", "show", id, "--json"], conninfo))
        #expect(shown["title"] == "Õige pealkiri")
        // Another system's product owner, and a vendor, may not.
        #expect(try Self.ctl(["request", "edit", id, "--title", "x"], try f.db.conninfo(user: f.otherOwner)).status == 77)
        #expect(try Self.ctl(["request", "edit", id, "--title", "x"], try f.db.conninfo(user: f.vendorA)).status == 66)
        // A title the database would refuse on proposal is refused on edit too.
        #expect(try Self.ctl(["request", "edit", id, "--title", "  "], conninfo).status == 65)
    }

    @Test func aDeactivatedPersonsLoginCanDoNothingUntilActivated() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        let asOwner = try f.db.conninfo(user: f.owner)
        #expect(try Self.ctl(["request", "list"], asOwner).status == 0)
        let off = try Self.ctl(["person", "deactivate", f.owner], admin)
        #expect(off.status == 0 && off.stdout.contains("deactivated \(f.owner)"), "\(off.stderr)")
        #expect(try Self.ctl(["person", "deactivate", f.owner], admin).stdout.contains("already"))
        for arguments in [["request", "list"], ["request", "new", "--system", "VOLIS", "--title", "x"], ["system", "list"], ["__complete", "requests"]] {
            let run = try Self.ctl(arguments, asOwner)
            if arguments[0] == "__complete" {
                #expect(run.status == 0 && run.stdout.isEmpty, "completion stays quiet")
            } else {
                #expect(run.status == 77, "\(arguments): \(run.status) \(run.stderr)")
                #expect(run.stderr.contains("person activate"), "\(run.stderr)")
            }
        }
        // Not through psql either: the staff role went with it.
        #expect(throws: PostgresError.self) { try f.sql(as: f.owner).query("SELECT count(*) FROM workflow.request") }
        // An admin acting --as them cannot either.
        #expect(try Self.ctl(["request", "list", "--as", f.owner], admin).status == 77)
        #expect(try Self.ctl(["person", "activate", f.owner], admin).status == 0)
        #expect(try Self.ctl(["request", "list"], asOwner).status == 0)
        // Only admins; and an admin cannot lock themselves out.
        #expect(try Self.ctl(["person", "deactivate", f.requester], asOwner).status == 77)
        let me = try Self.json(try Self.ctl(["person", "list", "--json"], admin))["people"]?.arrayValue?.first { $0["role"] == "admin" }?["login"]?.plain ?? ""
        #expect(try Self.ctl(["person", "deactivate", me], admin).status != 0)
    }

    @Test func personListShowsWhoIsDeactivatedTheirSystemsAndVendorInAlignedColumns() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        #expect(try Self.ctl(["person", "deactivate", f.owner], admin).status == 0)
        let listed = try Self.ctl(["person", "list"], admin)
        #expect(listed.status == 0, "\(listed.stderr)")
        let lines = listed.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.allSatisfy { $0.count <= 80 }, "fits 80 columns: \(listed.stdout)")
        // Each person: an aligned line (login, role, active or deactivated, name), then an indented
        // line with the address and the systems or the vendor.
        let firsts = lines.filter { !$0.hasPrefix(" ") }
        #expect(firsts.count * 2 == lines.count, "\(listed.stdout)")
        func line(_ login: String) -> (String, String) {
            guard let at = lines.firstIndex(where: { $0.hasPrefix(login + " ") }), at + 1 < lines.count else { return ("", "") }
            return (lines[at], lines[at + 1])
        }
        let (owner, ownerMore) = line(f.owner), (other, otherMore) = line(f.otherOwner), (vendor, vendorMore) = line(f.vendorA)
        #expect(owner.contains("product owner") && owner.contains("deactivated") && owner.hasSuffix("Piret Omanik"), "\(owner)")
        #expect(ownerMore == "    <piret@example.ee>  systems: VOLIS", "\(ownerMore)")
        #expect(other.contains("  active  ") && otherMore.hasSuffix("systems: KOVTP"), "\(other) / \(otherMore)")
        #expect(vendor.contains("vendor") && vendor.contains("  active  ") && vendorMore == "    <anna@acme.ee>  vendor: ACME", "\(vendor) / \(vendorMore)")
        // Every first line has its role, status and name at the same columns.
        guard let role = owner.range(of: "product owner"), let status = owner.range(of: "deactivated"), let name = owner.range(of: "Piret Omanik") else {
            Issue.record("the owner's line lacks a column: \(owner)")
            return
        }
        let roleAt = owner.distance(from: owner.startIndex, to: role.lowerBound)
        let statusAt = owner.distance(from: owner.startIndex, to: status.lowerBound)
        let nameAt = owner.distance(from: owner.startIndex, to: name.lowerBound)
        for first in firsts {
            let characters = Array(first)
            #expect(characters.count > nameAt && characters[roleAt - 1] == " " && characters[roleAt] != " ", "role column: \(first)")
            #expect(characters[statusAt - 1] == " " && characters[statusAt] != " ", "status column: \(first)")
            #expect(characters[nameAt - 1] == " " && characters[nameAt] != " ", "name column: \(first)")
        }
        // In Estonian too.
        let estonian = try Self.ctl(["person", "list"], admin, language: "et_EE.UTF-8").stdout
        #expect(estonian.contains("deaktiveeritud") && estonian.contains("süsteemid: VOLIS") && estonian.contains("tarnija: ACME"), "\(estonian)")
        // --json says it as a boolean.
        let people = try Self.json(try Self.ctl(["person", "list", "--json"], admin))["people"]?.arrayValue ?? []
        #expect(people.first { $0["login"] == .string(f.owner) }?["active"] == .bool(false))
        #expect(people.first { $0["login"] == .string(f.vendorA) }?["active"] == .bool(true))
        #expect(people.allSatisfy { $0["active"] == .bool(true) || $0["active"] == .bool(false) })
    }

    @Test func peopleVendorsSystemsAndClosuresAreCorrected() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        #expect(try Self.ctl(["person", "edit", f.requester, "--name", "Rein Parandatud", "--email", "rein@vald.ee"], admin).status == 0)
        #expect(try Self.ctl(["person", "edit", f.otherOwner, "--system", "VOLIS", "--system", "KOVTP"], admin).status == 0)
        let people = try Self.ctl(["person", "list"], admin).stdout
        #expect(people.contains("Rein Parandatud\n    <rein@vald.ee>"), "\(people)")
        // Now an owner of VOLIS too: may prioritise its requests.
        let id = try f.request(in: "proposed")
        #expect(try Self.ctl(["request", "move", id, "prioritise", "--priority", "2"], try f.db.conninfo(user: f.otherOwner)).status == 0)
        // A vendor's user with systems is no shape a person can have.
        #expect(try Self.ctl(["person", "edit", f.vendorA, "--system", "VOLIS"], admin).status == 64)
        #expect(try Self.ctl(["person", "edit", "nosuch", "--name", "x"], admin).status == 66)

        #expect(try Self.ctl(["vendor", "edit", "ACME", "--name", "Acme Grupp OÜ", "--email", "hanked@acme.ee"], admin).status == 0)
        let vendors = try Self.ctl(["vendor", "list"], admin).stdout
        #expect(vendors.split(separator: "\n").contains { $0.hasPrefix("ACME ") && $0.contains(" Acme Grupp OÜ ") && $0.contains(" <hanked@acme.ee>") }, "\(vendors)")
        // In columns: every line's address starts where the others' do.
        let at = vendors.split(separator: "\n").map { line in line.firstIndex(of: "<").map { line.distance(from: line.startIndex, to: $0) } }
        #expect(Set(at).count == 1 && at.first! != nil, "\(vendors)")
        #expect(try Self.ctl(["vendor", "edit", "NOPE", "--name", "x"], admin).status == 66)
        #expect(try Self.ctl(["vendor", "edit", "GAMMA", "--registry-code", "11223344"], admin).status == 0)
        #expect(try Self.ctl(["vendor", "list"], admin).stdout.split(separator: "\n").contains { $0.contains("<gamma@gamma.ee>") && $0.hasSuffix(" 11223344") })
        #expect(try Self.ctl(["vendor", "edit", "ACME", "--registry-code", "11223344"], admin).status == 65, "one vendor's code")
        #expect(try Self.ctl(["vendor", "edit", "ACME", "--registry-code", Fixture.acmeCode], admin).status == 0, "its own code again")
        #expect(try Self.ctl(["vendor", "edit", "ACME", "--registry-code", "1234"], admin).status == 65)
        #expect(try Self.ctl(["system", "edit", "KOVTP", "--name", "Veebiplatvorm"], admin).status == 0)
        #expect(try Self.ctl(["system", "list"], admin).stdout.split(separator: "\n").contains { $0.hasPrefix("KOVTP ") && $0.hasSuffix(" Veebiplatvorm") })
        #expect(try Self.ctl(["system", "edit", "KOVTP"], admin).status == 64, "--name is required")

        // A closure day added by mistake is taken back, in the people's date form too.
        #expect(try Self.ctl(["calendar", "closure", "add", "28.12.2026", "--note", "kogemata"], admin).status == 0)
        #expect(try Self.ctl(["calendar", "add", "2026-12-23", "2"], admin).stdout == "2026-12-30\n", "the 28th closed, the 24th-26th holidays")
        #expect(try Self.ctl(["calendar", "list"], admin).stdout.contains("kogemata"))
        let removed = try Self.ctl(["calendar", "closure", "remove", "2026-12-28"], admin)
        #expect(removed.status == 0 && removed.stdout.contains("2026-12-28"), "\(removed.stderr)")
        #expect(try Self.ctl(["calendar", "add", "2026-12-23", "2"], admin).stdout == "2026-12-29\n")
        #expect(try Self.ctl(["calendar", "closure", "remove", "2026-12-28"], admin).status == 66)
    }

    /// `person edit LOGIN` (and `vendor edit KEY`) with no change said "changed" and exited 0; like
    /// `request edit`, naming nothing to change is a usage error that changes nothing.
    @Test func anEditWithNothingToChangeIsAUsageError() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        let id = try f.request(in: "proposed")
        let before = try f.fingerprint()
        #expect(try Self.ctl(["request", "edit", id], admin).status == 64, "as request edit does")
        for (arguments, expected) in [(["person", "edit", f.requester], "person edit needs something to change: --name, --email, --role, --system, --vendor or --lang"),
                                      (["person", "edit", "nosuch"], "person edit needs something to change: --name, --email, --role, --system, --vendor or --lang"),
                                      (["vendor", "edit", "ACME"], "vendor edit needs something to change: --name, --email, --lang or --registry-code")] {
            let run = try Self.ctl(arguments, admin)
            #expect(run.status == 64, "\(arguments): \(run.status) \(run.stdout)")
            #expect(run.stdout.isEmpty && run.stderr == "workflowctl: error: \(expected)\n", "\(arguments): \(run.stderr)")
        }
        let estonian = try Self.ctl(["person", "edit", f.requester], admin, language: "et_EE.UTF-8")
        #expect(estonian.stderr == "workflowctl: error: käsk „person edit” vajab vähemalt üht muudatust: --name, --email, --role, --system, --vendor või --lang\n",
                "\(estonian.stderr)")
        #expect(try f.fingerprint() == before, "nothing changed, nothing audited")
        // One change is enough.
        #expect(try Self.ctl(["person", "edit", f.requester, "--lang", "en"], admin).status == 0)
    }

    @Test func anotherVendorIsInvitedWhileQuotesAreOpen() throws {
        let f = try Fixture()
        let root = try f.store()
        try root.addVendor(key: "DELTA", name: "Delta OÜ", email: "delta@delta.ee")
        try root.addContract(vendor: "DELTA", number: "RL-DELTA", from: Fixture.today.adding(days: -10), to: Fixture.today.adding(days: 300),
                             rate: Money(cents: 9000), cap: Money(cents: 5_000_000))
        let conninfo = try f.db.conninfo(user: f.owner)
        for state in ["quote_requested", "quoted"] {
            let id = try f.request(in: state)
            let offered = try Self.ctl(["__complete", "transitions", id], conninfo).stdout.split(separator: "\n")
            #expect(offered.contains("invite"), "\(state): \(offered)")
            let invited = try Self.ctl(["request", "move", id, "invite", "--vendor", "DELTA"], conninfo)
            #expect(invited.status == 0, "\(state): \(invited.stderr)")
            let shown = try Self.json(try Self.ctl(["request", "show", id, "--json"], conninfo))
            #expect(shown["state"] == .string(state), "inviting keeps the quotes open")
            #expect(shown.text.contains("DELTA"))
            // The newly invited vendor is told, and may now quote.
            let told = try f.sql().query("SELECT count(*) FROM workflow.outbox WHERE request_id = \(id) AND recipient = 'delta@delta.ee'").first!
            #expect(try told.decode(0, as: Int.self) == 1)
            _ = try root.move(id, "quote", inputs: .init(vendor: "DELTA", hours: 2, price: Money(cents: 18_000), delivery: Fixture.today.adding(days: 30)))
            // A vendor whose contract has expired is not.
            #expect(try Self.ctl(["request", "move", id, "invite", "--vendor", "GAMMA"], conninfo).status == 65)
        }
        // Not once quotes are closed.
        let ordered = try f.request(in: "ordered")
        #expect(try Self.ctl(["request", "move", ordered, "invite", "--vendor", "DELTA"], conninfo).status == 65)
    }

    // MARK: Finding things

    @Test func requestListFindsMineSearchesSortsAndPages() throws {
        let f = try Fixture()
        let root = try f.store()
        let protocolID = try root.propose(system: "VOLIS", title: "Istungiprotokolli allkirjastamine", description: "ID-kaardiga").id
        let vehicle = try root.propose(system: "KOVTP", title: "Sõidukite register", description: "Mootorsõidukite andmed").id
        let quoted = try f.request(in: "quoted")
        let ordered = try f.request(in: "ordered")
        let asOwner = try f.db.conninfo(user: f.owner)
        func ids(_ arguments: [String], _ conninfo: String) throws -> [String] {
            let document = try Self.json(try Self.ctl(["request", "list", "--json"] + arguments, conninfo))
            return document["requests"]?.arrayValue?.compactMap { $0["id"]?.plain } ?? []
        }
        // Found whatever the case and the Estonian letters, inside compound words, every word.
        #expect(try ids(["--search", "PROTOKOLL"], asOwner) == [protocolID])
        #expect(try ids(["--search", "soiduk"], asOwner) == [vehicle])
        #expect(try ids(["--search", "sõiduk andmed"], asOwner) == [vehicle])
        #expect(try ids(["--search", "sõiduk protokoll"], asOwner) == [])
        #expect(try ids(["--search", "100%"], asOwner) == [], "% is a letter, not a pattern")
        // An edited title or description is found by its new words, not its old ones (sql/0031
        // keeps the search text beside the request).
        _ = try root.edit(vehicle, description: "Liikluskindlustuse päring")
        #expect(try ids(["--search", "kindlustus"], asOwner) == [vehicle])
        #expect(try ids(["--search", "mootor"], asOwner) == [])
        _ = try root.edit(protocolID, title: "Volikogu päevakord")
        #expect(try ids(["--search", "päevakord"], asOwner) == [protocolID])
        #expect(try ids(["--search", "protokoll"], asOwner) == [])
        // Mine: what waits for this person's step now, not every step they may take (sql/0049).
        // The owner may cancel any of them and hold the order: side steps, which do not count; the
        // order waits for its vendor's delivery.
        #expect(Set(try ids(["--mine"], asOwner)) == Set([protocolID, quoted]), "the owner of VOLIS: prioritise, order")
        // ACME has quoted: the quoted request waits for the owner's order, not for ACME's quote again.
        #expect(Set(try ids(["--mine"], try f.db.conninfo(user: f.vendorA))) == [ordered], "ACME delivers")
        #expect(Set(try ids(["--mine"], try f.db.conninfo(user: f.vendorB))) == [quoted], "BETA is invited and has not quoted")
        #expect(try ids(["--mine"], try f.db.conninfo(user: f.requester)) == [])
        // A held order waits for the owner's resume.
        _ = try root.move(ordered, "hold", inputs: .init(reason: "ootame"))
        #expect(Set(try ids(["--mine"], asOwner)) == Set([protocolID, quoted, ordered]), "resume")
        _ = try root.move(ordered, "resume")
        // Several states; a sort; pages in a stable order.
        #expect(Set(try ids(["--state", "quoted", "--state", "ordered"], asOwner)) == [quoted, ordered])
        for index in 1...7 { _ = try root.propose(system: "VOLIS", title: "Lehekülg \(index)") }
        let all = try ids([], asOwner)
        #expect(all.count == 11)
        var paged: [String] = []
        for offset in stride(from: 0, to: 11, by: 3) { paged += try ids(["--limit", "3", "--offset", "\(offset)"], asOwner) }
        #expect(paged == all, "pages neither overlap nor skip")
        let page = try Self.json(try Self.ctl(["request", "list", "--json", "--limit", "3", "--offset", "9"], asOwner))
        #expect(page["count"] == .number("2") && page["total"] == .number("11"))
        let text = try Self.ctl(["request", "list", "--limit", "3"], asOwner).stdout
        #expect(text.contains("rows 1–3 of 11; next: --offset 3"), "\(text)")
        let byState = try ids(["--sort", "state"], asOwner)
        #expect(byState.last == ordered && byState.firstIndex(of: quoted)! > byState.firstIndex(of: protocolID)!)
        let bad = try Self.ctl(["request", "list", "--sort", "colour"], asOwner)
        #expect(bad.status == 64 && bad.stderr.contains("deadline"), "\(bad.stderr)")
        #expect(try Self.ctl(["request", "list", "--limit", "0"], asOwner).status == 64)
        #expect(try Self.ctl(["request", "list", "--offset", "-1"], asOwner).status == 64)
    }

    @Test func theSearchIsServedByAnIndex() throws {
        let f = try Fixture()
        let owner = try f.sql()
        try owner.execute("SET enable_seqscan = off")
        let plan = try owner.query("""
            EXPLAIN SELECT request_id FROM workflow.request_search WHERE folded LIKE '%protokoll%'
            """).map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
        #expect(plan.contains("request_search_idx"), "\(plan)")
    }

    /// `request list` for a person: columns as wide as their widest cell, named in a heading, the
    /// long state names said shorter, a held order marked, and on a terminal of 80 columns every
    /// line within them, a long title ending in "…"; down a pipe the title is whole.
    @Test func requestListKeepsToTheTerminalInColumns() {
        let day = LocalDate(year: 2027, month: 1, day: 8)!
        func request(_ id: String, _ state: String, vendor: String?, title: String, held: Bool = false) -> RequestSummary {
            RequestSummary(id: id, system: "VOLIS", title: title, state: state, version: 6, priority: 2, requester: nil, vendor: vendor,
                           orderNumber: vendor.map { _ in "ORD-2026-0001" }, deadline: vendor.map { _ in day }, quoteDue: nil,
                           stateSince: Date(), createdAt: Date(), heldSince: held ? Date() : nil)
        }
        let long = String(repeating: "Istungi protokolli avaldamine ", count: 5)
        let rows = [request("VOLIS-1", "released", vendor: "KOODIVESKI", title: long), request("VOLIS-12", "ordered", vendor: "PILV", title: "Lühike", held: true),
                    request("VOLIS-3", "proposed", vendor: nil, title: "Kolmas")]
        let lines = PeopleText(.et).lines(rows, width: 80, heading: true)
        #expect(lines.count == 4 && lines.allSatisfy { $0.count <= 80 }, "\(lines)")
        #expect(lines[0].hasPrefix("Id        Olek                P   Tarnija     Tähtaeg     Pealkiri"), "\(lines[0])")
        #expect(lines[1].hasPrefix("VOLIS-1   paigaldatud         P2  KOODIVESKI              Istungi") && lines[1].hasSuffix("…"), "\(lines[1])")
        #expect(lines[2] == "VOLIS-12  tellitud, peatatud  P2  PILV        08.01.2027  Lühike", "\(lines[2])")
        #expect(lines[3] == "VOLIS-3   esitatud            P2                          Kolmas", "\(lines[3])")
        #expect(PeopleText(.en).lines(rows, width: nil)[0].hasSuffix(long))
    }

    /// The listings a person reads keep to 80 columns in both languages: a line too long is
    /// broken at its spaces and goes on indented (a description under its own column).
    @Test func listingsKeepToEightyColumns() throws {
        let f = try Fixture()
        for state in ["ordered", "delivered", "quote_requested"] { _ = try f.request(in: state) }
        let conninfo = try f.db.conninfo()
        for language in ["et_EE.UTF-8", "en_US.UTF-8"] {
            for command in [["reminder", "rules"], ["outbox", "list"], ["contract", "list"], ["workflow", "show"], ["person", "list"],
                            ["audit", "log"]] {
                let run = try Self.ctl(command, conninfo, language: language, environment: ["COLUMNS": "80"])
                #expect(run.status == 0, "\(command): \(run.stderr)")
                let long = run.stdout.split(separator: "\n").filter { $0.count > 80 }
                #expect(long.isEmpty, "\(command) \(language): \(long.prefix(3))")
            }
        }
    }

    /// `person add` names the SQL that makes the login as PostgreSQL must read it: "Jaan" in
    /// quotes (unquoted, PostgreSQL would make the role jaan), a plain name as it is. The hint's
    /// statement, run, makes exactly that login.
    @Test func thePersonAddHintQuotesALoginWithCapitals() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        let login = "Jaan\(f.db.name.suffix(4))"
        let added = try Self.ctl(["person", "add", login, "--name", "Jaan Õun", "--email", "jaan@vald.example", "--role", "requester"], admin)
        #expect(added.status == 0, "\(added.stderr)")
        let said = added.stdout + added.stderr
        let statement = try #require(said.range(of: "`CREATE ROLE [^`]*`", options: .regularExpression).map { String(said[$0].dropFirst().dropLast()) }, "\(said)")
        #expect(statement == "CREATE ROLE \"\(login)\" LOGIN IN ROLE devworkflow_user", "\(statement)")
        try f.sql().execute(SQL(unsafe: statement))
        #expect(try f.sql().query("SELECT count(*) FROM pg_roles WHERE rolname = \(login)").first!.decode(0, as: Int.self) == 1)
        let plain = try Self.ctl(["person", "add", "mari_\(f.db.name.suffix(4))", "--name", "Mari", "--email", "mari@vald.example", "--role", "requester"], admin)
        #expect((plain.stdout + plain.stderr).contains("`CREATE ROLE mari_\(f.db.name.suffix(4)) LOGIN IN ROLE devworkflow_user`"), "\(plain.stdout)")
    }

    /// No line of a command's text output ends in blanks (a value left empty, an empty last column).
    @Test func noLineEndsInBlanks() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        #expect(try Self.ctl(["setting", "set", "organisation_address", ""], admin).status == 0)
        for arguments in [["setting", "list"], ["vendor", "list"], ["system", "list"], ["person", "list"], ["contract", "list"], ["budget", "list"]] {
            let run = try Self.ctl(arguments, admin)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            #expect(!run.stdout.split(separator: "\n").contains { $0.hasSuffix(" ") }, "\(arguments): \(run.stdout)")
        }
    }

    /// `request history` marks an internal comment as one vendors do not see: staff answering a
    /// vendor can tell which comments it read.
    @Test func theHistoryMarksInternalComments() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let conninfo = try f.db.conninfo(user: f.owner)
        #expect(try Self.ctl(["request", "comment", id, "Kõigile"], conninfo).status == 0)
        #expect(try Self.ctl(["request", "comment", id, "Ainult meile", "--internal"], conninfo).status == 0)
        let history = try Self.ctl(["request", "history", id], conninfo, environment: ["COLUMNS": "200"]).stdout
        #expect(history.contains("comment #1 by \(f.owner): Kõigile") && history.contains("internal comment #2 by \(f.owner) (vendors do not see it): Ainult meile"),
                "\(history)")
        let vendor = try Self.ctl(["request", "history", id], try f.db.conninfo(user: f.vendorA), environment: ["COLUMNS": "200"]).stdout
        #expect(vendor.contains("Kõigile") && !vendor.contains("Ainult meile") && !vendor.contains("internal"), "\(vendor)")
    }

    /// A vendor reads its side of a request (sql/0051). Invited and not yet quoted, a request
    /// others have quoted for is "quote requested" to it, and it may still quote; ordered from
    /// another vendor, a step it asks for is refused as the state it sees is, final, by the CLI and
    /// psql alike, never naming the real state.
    @Test func aVendorIsNotToldOfTheOtherVendors() throws {
        let f = try Fixture()
        let quoted = try f.request(in: "quoted")
        let (acme, beta) = (try f.db.conninfo(user: f.vendorA), try f.db.conninfo(user: f.vendorB))
        #expect(try Self.json(try Self.ctl(["request", "show", quoted, "--json"], beta))["state"] == "quote_requested")
        #expect(try Self.json(try Self.ctl(["request", "show", quoted, "--json"], acme))["state"] == "quoted", "ACME has quoted")
        func ids(_ arguments: [String], _ conninfo: String) throws -> [String] {
            try Self.json(try Self.ctl(["request", "list", "--json"] + arguments, conninfo))["requests"]?.arrayValue?.compactMap { $0["id"]?.plain } ?? []
        }
        #expect(try ids(["--state", "quoted"], beta) == [] && ids(["--state", "quote_requested"], beta) == [quoted])
        let options = try Self.json(try Self.ctl(["request", "transitions", quoted, "--json"], beta))
        #expect(options["state"] == "quote_requested")
        #expect(options["transitions"]?.arrayValue?.contains { $0["name"] == "quote" && $0["allowed"] == .bool(true) } == true, "\(options)")

        _ = try f.store().move(quoted, "order", inputs: .init(vendor: "ACME"))
        _ = try f.store().move(quoted, "deliver", inputs: .init(note: "valmis"))
        let refused = try Self.ctl(["--json", "request", "move", quoted, "deliver", "--note", "x"], beta)
        #expect(refused.status == 65 && (try? JSONValue.parse(refused.stdout))?["error"]?["message_key"] == "error.not_possible_final", "\(refused.stdout)")
        #expect(!refused.stdout.contains("delivered") && !refused.stderr.contains("delivered"), "\(refused.stdout)")
        do {
            _ = try f.sql(as: f.vendorB).query("SELECT workflow.move(\(quoted), 'deliver', NULL, '{\"note\": \"x\"}')")
            Issue.record("BETA delivered ACME's order")
        } catch let error as PostgresError {
            #expect(error.detail?.contains("state:ordered_elsewhere") == true && error.message.contains("is ordered_elsewhere"), "\(error.message)")
        }
        // Nor may BETA attach a file to it (sql/0058): its history would show the step.
        let file = workPath("beta-\(UUID().uuidString.prefix(6)).txt")
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let attached = try Self.ctl(["request", "attach", quoted, file], beta)
        #expect(attached.status == 65 && attached.stderr.contains("is ordered_elsewhere") && attached.stderr.contains("final"), "\(attached.stderr)")
        // ACME itself is told where its request stands.
        let own = try Self.ctl(["request", "move", quoted, "deliver", "--note", "x"], acme)
        #expect(own.status == 65 && own.stderr.contains("delivered"), "\(own.stderr)")
    }

    /// A vendor's user asking for a staff listing is told what it is and what it has instead, not
    /// the database's "permission denied for table outbox".
    @Test func aVendorIsToldTheListingsAreStaffs() throws {
        let f = try Fixture()
        for noun in ["outbox", "vendor", "contract"] {
            let run = try Self.ctl([noun, "list"], try f.db.conninfo(user: f.vendorA))
            #expect(run.status == 77, "\(noun): \(run.stderr)")
            #expect(run.stderr.contains("`\(noun) list` is for the buyer's staff") && !run.stderr.contains("permission denied"), "\(noun): \(run.stderr)")
        }
    }

    /// An amount written with three decimals is ambiguous (1.500: one and a half, or fifteen
    /// hundred?) and refused every way in, not read as 1.50 (sql/0052).
    @Test func threeDecimalsAreRefusedNotRounded() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let delivery = Fixture.today.adding(days: 30).description
        let cli = try Self.ctl(["request", "move", id, "quote", "--vendor", "ACME", "--hours", "20", "--price", "1.500", "--delivery", delivery],
                               try f.db.conninfo())
        #expect(cli.status == 65 && cli.stderr.contains("1.500"), "\(cli.stderr)")
        do {
            _ = try f.sql().query("SELECT workflow.move(\(id), 'quote', NULL, '{\"vendor\": \"ACME\", \"hours\": \"20\", \"price\": \"1500.000\", \"delivery\": \"\(delivery)\"}')")
            Issue.record("three decimals taken through psql")
        } catch let error as PostgresError {
            #expect(error.detail?.contains("error.money_format") == true, "\(error.message)")
        }
        #expect(try f.sql().query("SELECT count(*) FROM quote WHERE request_id = \(id)").first!.decode(0, as: Int.self) == 0)
    }

    /// A move says the dates it set, given or filled in: the quotes' due date (+5 business days
    /// unless given), an order's deadline.
    @Test func aMoveSaysTheDatesItSet() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        let id = try f.request(in: "prioritised")
        let asked = try Self.ctl(["request", "move", id, "request_quote", "--vendor", "ACME"], conninfo)
        let due = try f.sql().query("SELECT quote_due FROM request WHERE id = \(id)").first!.decode(0, as: LocalDate.self)
        #expect(asked.status == 0 && asked.stdout.hasSuffix(" (version 3)\n  quotes due: \(due)\n"), "\(asked.stdout)")
        _ = try f.store().move(id, "quote", inputs: .init(vendor: "ACME", hours: 2, price: Money(cents: 15_000), delivery: Fixture.today.adding(days: 30)))
        let ordered = try Self.ctl(["request", "move", id, "order", "--vendor", "ACME"], conninfo)
        let deadline = Fixture.today.adding(days: 30)
        // The quote's delivery date, whatever day of the week the test runs on.
        let remark: String = switch try f.store().dayOff(deadline) {
        case nil: ""
        case .weekend: " (a weekend day)"
        case let .holiday(key): " (a public holiday: \(Message("holiday.\(key)").text(.en)))"
        case .closure: " (a closure day)"
        }
        #expect(ordered.stdout.hasSuffix("\n  delivery deadline: \(deadline)\(remark)\n"), "\(ordered.stdout)")
        // A date given by hand on a day off is said to be one: a holiday, a weekend, a closure.
        let christmas = LocalDate(year: Fixture.today.year + (Fixture.today.month == 12 && Fixture.today.day > 20 ? 1 : 0), month: 12, day: 25)!
        var saturday = Fixture.today.adding(days: 3)
        while saturday.weekday != 6 { saturday = saturday.adding(days: 1) }
        let quoted = try f.request(in: "quoted")
        let onHoliday = try Self.ctl(["request", "move", quoted, "order", "--vendor", "ACME", "--deadline", christmas.description], conninfo)
        #expect(onHoliday.stdout.hasSuffix("\n  delivery deadline: \(christmas) (a public holiday: Christmas Day)\n"), "\(onHoliday.stdout)")
        let other = try f.request(in: "prioritised")
        let onSaturday = try Self.ctl(["request", "move", other, "request_quote", "--vendor", "ACME", "--due", saturday.description], conninfo,
                                      language: "et_EE.UTF-8")
        #expect(onSaturday.stdout.contains("\n  hinnapakkumiste tähtaeg: \(ReportFormatting.estonian.date(saturday)) (nädalavahetus)\n"), "\(onSaturday.stdout)")
        let estonian = try Self.ctl(["request", "move", try f.request(in: "prioritised"), "request_quote", "--vendor", "ACME"], conninfo, language: "et_EE.UTF-8")
        #expect(estonian.stdout.contains("\n  hinnapakkumiste tähtaeg: \(ReportFormatting.estonian.date(due))\n"), "\(estonian.stdout)")
    }

    /// A report read at a terminal is Markdown (tables a person reads); down a pipe it is CSV as
    /// before, and --format still decides.
    @Test func aReportOnATerminalIsMarkdownAndDownAPipeCSV() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let conninfo = try f.db.conninfo()
        let environment = ["WORKFLOW_PAGER": "cat", "LANG": "en_US.UTF-8"]
        let shown = try Self.onTerminal(["report", "status", "--database", conninfo], environment: environment)
        #expect(shown.hasPrefix("# ") && shown.contains("| "), "\(shown.prefix(200))")
        let piped = try Self.ctl(["report", "status"], conninfo)
        #expect(piped.status == 0 && !piped.stdout.hasPrefix("# ") && piped.stdout.split(separator: "\r\n").first?.contains(",") == true,
                "a CSV header row: \(piped.stdout.prefix(200))")
        #expect(try Self.onTerminal(["report", "status", "--format", "csv", "--database", conninfo], environment: environment).contains(","))
    }

    @Test func longOutputGoesThroughThePagerOnATerminalOnly() throws {
        let f = try Fixture()
        let root = try f.store()
        let rows = (1...130).map { "Taotlus \($0),kirjeldus" }.joined(separator: "\n")
        let file = workPath("many.csv")
        try ("title,description\n" + rows + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        _ = try Self.ctl(["request", "import", "--system", "VOLIS", file], try f.db.conninfo())
        _ = root
        let conninfo = try f.db.conninfo(user: f.owner)
        let pager = ["WORKFLOW_PAGER": "sed 's/^/PAGED /'", "LANG": "en_US.UTF-8"]
        let paged = try Self.onTerminal(["request", "list", "--database", conninfo], environment: pager)
        let lines = paged.split(separator: "\n")
        #expect(lines.count == 131 && lines[0].hasPrefix("PAGED Id ") && lines.dropFirst().allSatisfy { $0.hasPrefix("PAGED VOLIS-") },
                "the columns' names, then every row through the pager: \(paged.prefix(300))")
        // --no-pager, --json, or no terminal: straight out.
        let straight = try Self.onTerminal(["request", "list", "--no-pager", "--database", conninfo], environment: pager)
        #expect(!straight.contains("PAGED"))
        // ...but not 20 000 rows at once: a page, and how to get the rest.
        #expect(straight.split(separator: "\n").filter { $0.hasPrefix("VOLIS-") }.count == Commands.terminalPage)
        #expect(straight.contains("rows 1–100 of 130") && straight.contains("--offset 100") && straight.contains("--limit 130"), "\(straight.suffix(300))")
        #expect(try Self.onTerminal(["request", "list", "--json", "--database", conninfo], environment: pager).hasPrefix("{"))
        let piped = try Self.ctl(["request", "list"], conninfo, environment: pager)
        #expect(piped.stdout.split(separator: "\n").count == 130 && !piped.stdout.contains("PAGED"), "a pipe gets everything, unpaged")
        // PAGER is git's fallback; `cat` or empty means none.
        #expect(try Self.onTerminal(["request", "show", "VOLIS-1", "--database", conninfo], environment: ["PAGER": "sed 's/^/P2 /'"]).hasPrefix("P2 "))
        #expect(!(try Self.onTerminal(["request", "show", "VOLIS-1", "--database", conninfo], environment: ["WORKFLOW_PAGER": "", "PAGER": "sed 's/^/P2 /'"]).contains("P2 ")))
        // Help is long too.
        #expect(try Self.onTerminal(["--help"], environment: pager).hasPrefix("PAGED "))
    }

    // MARK: Input as people write it

    @Test func estonianDatesAndAmountsAreAcceptedWhereverISOIs() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        let year = Fixture.today.year + 2
        let added = try Self.ctl(["contract", "add", "--vendor", "GAMMA", "--number", "RL-2", "--from", "1.1.\(year)", "--to", "31.12.\(year)",
                                  "--rate", "85,50", "--cap", "1 500 000,00 €"], admin)
        #expect(added.status == 0, "\(added.stderr)")
        let contracts = try Self.json(try Self.ctl(["contract", "list", "--json"], admin))["contracts"]?.arrayValue ?? []
        let contract = contracts.first { $0["number"] == "RL-2" }
        #expect(contract?["valid_from"]?.plain == "\(year)-01-01" && contract?["valid_to"]?.plain == "\(year)-12-31")
        #expect(contract?["rate"]?.plain == "85.50" && contract?["cap"]?.plain == "1500000.00", "\(String(describing: contract))")
        #expect(try Self.ctl(["budget", "set", "--system", "VOLIS", "--year", "\(year)", "--amount", "12\u{A0}000,50"], admin).status == 0)
        #expect(try Self.ctl(["calendar", "add", "20.12.2026", "1"], admin).stdout == "2026-12-21\n")
        #expect(try Self.ctl(["report", "flow", "--since", "1.12.2026", "--format", "json"], admin).status == 0)
        #expect(try WorkflowD.parseMoment("22.12.2026") == WorkflowD.parseMoment("2026-12-22"), "workflowd --now too")
        // A move: the price and the date as people write them reach move() in its own form.
        let id = try f.request(in: "quote_requested")
        let delivery = Fixture.today.adding(days: 30)
        let dotted = "\(delivery.day).\(delivery.month).\(delivery.year)"
        let moved = try Self.ctl(["request", "move", id, "quote", "--vendor", "BETA", "--hours", "12,5", "--price", "1 125,00", "--delivery", dotted,
                                  "--json"], admin)
        #expect(moved.status == 0, "\(moved.stderr)")
        let shown = try Self.ctl(["request", "show", id, "--json"], admin).stdout
        #expect(shown.contains("1125.00") && shown.contains(delivery.description), "\(shown)")
        // A wrong one names the option and the forms it takes.
        let wrong = try Self.ctl(["contract", "add", "--vendor", "GAMMA", "--number", "RL-3", "--from", "31.13.2026", "--to", "2027-01-01",
                                  "--rate", "1", "--cap", "1"], admin)
        #expect(wrong.status == 65 && wrong.stderr.contains("--from") && wrong.stderr.contains("20.12.2026"), "\(wrong.stderr)")
        #expect(try Self.ctl(["budget", "set", "--system", "VOLIS", "--year", "\(year)", "--amount", "1.500,00"], admin).status == 65)
    }

    @Test func importReadsAnEstonianSpreadsheetsCSVAndChecksEveryLine() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        _ = try f.store().propose(system: "VOLIS", title: "Olemasolev soov")
        // As a spreadsheet in Estonian locale saves it: a byte order mark, `;`, records ended by CRLF, a
        // description over lines (a line break inside a cell is LF, as Excel and LibreOffice write it).
        let good = "\u{FEFF}Pealkiri;Kirjeldus;Taotleja\r\nÕiguste haldus;\"Esimene rida\nteine rida; semikooloniga\";Mari\r\nOlemasolev soov;uuesti;\r\n"
        let file = workPath("et.csv")
        try good.write(toFile: file, atomically: true, encoding: .utf8)
        let dry = try Self.ctl(["request", "import", "--system", "VOLIS", "--dry-run", file], conninfo)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("checked 2 rows"), "\(dry.stdout)")
        #expect(dry.stderr.contains("line 4") && dry.stderr.contains("VOLIS-1"), "a duplicate is warned of: \(dry.stderr)")
        #expect(try Self.ctl(["request", "list", "--json"], conninfo).stdout.contains("Õiguste") == false, "a dry run writes nothing")
        let done = try Self.json(try Self.ctl(["request", "import", "--system", "VOLIS", file, "--json"], conninfo))
        #expect(done["imported"] == .number("2"))
        let first = try Self.json(try Self.ctl(["request", "show", done["first"]?.plain ?? "", "--json"], conninfo))
        #expect(first["title"] == "Õiguste haldus")
        #expect(first["description"] == .string("Esimene rida\nteine rida; semikooloniga"), "the lines of a description are kept")
        #expect(first["requester"] == "Mari")

        // Every bad line is named, not only the first, and nothing is written.
        let bad = "title;description\n;tühi pealkiri\nHea rida;x\n\(String(repeating: "p", count: 400));liiga pikk\n"
        let badFile = workPath("bad.csv")
        try bad.write(toFile: badFile, atomically: true, encoding: .utf8)
        for dryRun in [true, false] {
            let run = try Self.ctl(["request", "import", "--system", "VOLIS", badFile] + (dryRun ? ["--dry-run"] : []), conninfo)
            #expect(run.status == 65)
            #expect(run.stderr.contains("line 2") && run.stderr.contains("line 4") && !run.stderr.contains("line 3"), "\(run.stderr)")
            #expect(run.stderr.contains("2 lines are wrong"), "\(run.stderr)")
        }
        #expect(!(try Self.ctl(["request", "list"], conninfo).stdout.contains("Hea rida")))
        let estonian = try Self.ctl(["request", "import", "--system", "VOLIS", badFile], conninfo, language: "et_EE.UTF-8")
        #expect(estonian.stderr.contains("2 rida on vigased"), "\(estonian.stderr)")

        // A cell whose lines a Windows program broke with CR LF is stored with LF.
        let windows = workPath("windows.csv")
        try "title;description\r\nReavahetused;\"Esimene rida\r\nteine rida\"\r\n".write(toFile: windows, atomically: true, encoding: .utf8)
        let crlf = try Self.json(try Self.ctl(["request", "import", "--system", "VOLIS", windows, "--json"], conninfo))
        let shown = try Self.json(try Self.ctl(["request", "show", crlf["first"]?.plain ?? "", "--json"], conninfo))
        #expect(shown["description"] == .string("Esimene rida\nteine rida"), "\(shown["description"] ?? .null)")
    }

    @Test func importShowsProgressOnATerminalOnly() throws {
        let f = try Fixture()
        let conninfo = try f.db.conninfo(user: f.owner)
        let file = workPath("long.csv")
        try ("title\n" + (1...2100).map { "Rida \($0)" }.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let terminal = try Self.onTerminal(["request", "import", "--system", "VOLIS", "--dry-run", file, "--database", conninfo],
                                           environment: ["LANG": "en_US.UTF-8"])
        #expect(terminal.contains("read 1000 rows…") && terminal.contains("read 2000 rows…"), "\(terminal)")
        #expect(terminal.contains("checked 2100 rows"))
        let piped = try Self.ctl(["request", "import", "--system", "VOLIS", "--dry-run", file], conninfo)
        #expect(piped.status == 0 && piped.stderr.isEmpty, "no progress in a pipe: \(piped.stderr)")
    }

    // MARK: Operator comforts

    @Test func failedMessagesAreRetriedAllAtOnceOrByRequest() throws {
        let f = try Fixture()
        let one = try f.request(in: "quote_requested"), other = try f.request(in: "quote_requested")
        try f.sql().execute("UPDATE workflow.outbox SET status = 'failed', attempts = 5")
        let failed = { (id: String) in try f.sql().query("SELECT count(*) FROM workflow.outbox WHERE status = 'failed' AND request_id = \(id)").first!.decode(0, as: Int.self) }
        let before = try failed(one), otherBefore = try failed(other)
        #expect(before > 0 && otherBefore > 0)
        let admin = try f.db.conninfo()
        #expect(try Self.ctl(["outbox", "retry"], admin).status == 64, "retry what: an id, --request or --all-failed")
        let byRequest = try Self.json(try Self.ctl(["outbox", "retry", "--request", one, "--json"], admin))
        #expect(byRequest["retried"] == .number("\(before)"))
        #expect(try failed(one) == 0 && failed(other) == otherBefore)
        let all = try Self.ctl(["outbox", "retry", "--all-failed"], admin)
        #expect(all.stdout.contains("\(otherBefore) failed message"), "\(all.stdout)")
        #expect(try failed(other) == 0)
        #expect(try Self.ctl(["outbox", "retry", "--all-failed"], try f.db.conninfo(user: f.owner)).status == 77)
    }

    /// Retrying the failed messages of a request that does not exist is "no such request" (66),
    /// not "0 queued again"; `outbox list --failed --pending` lists both kinds.
    @Test func retryOfAMissingRequestIs66AndFailedWithPendingListsBoth() throws {
        let f = try Fixture()
        let failedOne = try f.request(in: "quote_requested"), pendingOne = try f.request(in: "quote_requested")
        try f.sql().execute("UPDATE workflow.outbox SET status = 'failed', attempts = 5 WHERE request_id = \(failedOne)")
        let admin = try f.db.conninfo()
        for language in ["en_US.UTF-8", "et_EE.UTF-8"] {
            let missing = try Self.ctl(["outbox", "retry", "--request", "NOPE-1"], admin, language: language)
            #expect(missing.status == 66 && missing.stdout.isEmpty, "\(missing.stdout)\(missing.stderr)")
            let expected = language.hasPrefix("en") ? "no request NOPE-1" : "arendustellimust NOPE-1 ei ole"
            #expect(missing.stderr == "workflowctl: error: \(expected)\n", "\(missing.stderr)")
        }
        #expect(try f.sql().query("SELECT count(*) FROM workflow.outbox WHERE status = 'failed'").first!.decode(0, as: Int.self) > 0, "nothing retried")
        // A request that exists but has no failed message: none queued again, as before.
        let none = try Self.json(try Self.ctl(["outbox", "retry", "--request", pendingOne, "--json"], admin))
        #expect(none["retried"] == 0)
        // --failed and --pending together: both.
        func requests(_ arguments: [String]) throws -> Set<String> {
            let document = try Self.json(try Self.ctl(["outbox", "list", "--json", "--limit", "1000"] + arguments, admin))
            guard case let .array(rows)? = document["messages"] else { return [] }
            return Set(rows.compactMap { $0["request"]?.plain })
        }
        #expect(try requests(["--failed"]) == [failedOne])
        #expect(try requests(["--pending"]) == [pendingOne])
        #expect(try requests(["--failed", "--pending"]) == [failedOne, pendingOne])
        let both = try Self.ctl(["outbox", "list", "--failed", "--pending"], admin)
        #expect(both.status == 0 && both.stdout.contains(failedOne) && both.stdout.contains(pendingOne), "\(both.stdout)")
    }

    /// Only the rules that repeat take --repeat and --escalate (the database says which); any other
    /// is refused, 65, in one line naming the rule and what it takes, and nothing changes.
    @Test func aRuleSentOnceRefusesRepeatAndEscalate() throws {
        let f = try Fixture()
        let admin = try f.db.conninfo()
        let rules = { try f.sql().query("SELECT string_agg(concat_ws(':', key, enabled, business_days, repeat_every, escalate_after), ' ' ORDER BY key) FROM workflow.reminder_rule").first!.decode(0, as: String.self) }
        let before = try rules()
        for (arguments, rule) in [(["proposed_waiting", "--escalate", "5"], "proposed_waiting"), (["deadline_near", "--repeat", "2"], "deadline_near"),
                                  (["warranty_ending", "--days", "4", "--repeat", "1", "--escalate", "3"], "warranty_ending")] {
            for language in ["en_US.UTF-8", "et_EE.UTF-8"] {
                let run = try Self.ctl(["reminder", "rules", "set"] + arguments, admin, language: language)
                #expect(run.status == 65, "\(arguments): \(run.stdout)\(run.stderr)")
                #expect(run.stderr.filter { $0 == "\n" }.count == 1 && run.stderr.contains(rule) && run.stderr.contains("--days")
                        && run.stderr.contains("--repeat") && run.stderr.contains("deadline_passed"), "\(run.stderr)")
            }
        }
        #expect(try rules() == before, "nothing changed")
        // The rules that repeat take both; and no writer gives a rule sent once a repeat.
        #expect(try Self.ctl(["reminder", "rules", "set", "deadline_passed", "--repeat", "3", "--escalate", "12"], admin).status == 0)
        #expect(try Self.ctl(["reminder", "rules", "set", "warranty_fix_passed", "--repeat", "2"], admin).status == 0)
        #expect(try Self.ctl(["reminder", "rules", "set", "proposed_waiting", "--days", "7"], admin).status == 0)
        #expect(throws: (any Error).self) { try f.sql().execute("UPDATE workflow.reminder_rule SET repeat_every = 2 WHERE key = 'deadline_near'") }
        let repeating = try f.sql().query("SELECT string_agg(key, ',' ORDER BY key) FROM workflow.reminder_rule WHERE repeats").first!.decode(0, as: String.self)
        #expect(repeating == "deadline_passed,warranty_fix_passed")
    }

    @Test func clusterStatusExitsAsPgCtlStatusDoes() throws {
        let running = (ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? "") + "/cluster"
        let up = try Self.ctl(["cluster", "status", "--dir", running])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(try Self.ctl(["cluster", "status", "--dir", workPath("absent")]).status == 4)
        // A folder with a cluster that is not running: 3.
        let stopped = workPath("stopped")
        try FileManager.default.createDirectory(atPath: stopped + "/data", withIntermediateDirectories: true)
        try "15\n".write(toFile: stopped + "/data/PG_VERSION", atomically: true, encoding: .utf8)
        let down = try Self.ctl(["cluster", "status", "--dir", stopped, "--json"])
        #expect(down.status == 3, "\(down.stdout) \(down.stderr)")
    }

    @Test func aDatabaseNotMigratedSaysToMigrateIt() throws {
        // A new user's first command on a database they made themselves: not "relation does not
        // exist", but what to do, with the database-unavailable exit code; and nothing written.
        let db = try TestDatabase.empty()
        let conninfo = try db.conninfo()
        for arguments in [["demo", "run"], ["request", "list"], ["request", "move", "VOLIS-1", "prioritise", "--priority", "2"]] {
            let result = try Self.ctl(arguments, conninfo)
            #expect(result.status == 69, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("workflowctl: error: the database lacks DevWorkflow's schema")
                    && result.stderr.contains("run `workflowctl db migrate`"), "\(arguments): \(result.stderr)")
            let json = try Self.ctl(["--json"] + arguments, conninfo)
            #expect((try? JSONValue.parse(json.stdout))?["error"]?["message_key"]?.plain == "error.not_migrated", "\(json.stdout)")
        }
        #expect(try db.connect().query("SELECT count(*) FROM pg_namespace WHERE nspname = 'workflow'").first!.decode(0, as: Int.self) == 0)
        // After `db migrate` the same command works.
        #expect(try Self.ctl(["db", "migrate"], conninfo).status == 0)
        #expect(try Self.ctl(["request", "list"], conninfo).status == 0)
    }

    @Test func demoRunTwiceChangesNothingTheSecondTime() throws {
        let db = try TestDatabase.migrated()
        let conninfo = try db.conninfo()
        let first = try Self.ctl(["demo", "run"], conninfo)
        #expect(first.status == 0, "\(first.stderr)")
        let count = { try db.connect().query("SELECT count(*), max(seq) FROM workflow.request r JOIN workflow.event e ON e.request_id = r.id").first!.decode(0, as: Int.self) }
        let before = try count()
        let second = try Self.ctl(["demo", "run"], conninfo)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("demo data already loaded") && second.stdout.contains("walked already"), "\(second.stdout)")
        #expect(try count() == before)
    }

    @Test func langJSONTimestampsAndPluralsAreOneForm() throws {
        let f = try Fixture()
        let id = try f.request(in: "quoted")
        let conninfo = try f.db.conninfo(user: f.owner)
        // --lang anywhere on the line wins over the locale.
        #expect(try Self.ctl(["--lang", "en", "request", "show", id], conninfo, language: "et_EE.UTF-8").stdout.contains("State:"))
        #expect(try Self.ctl(["request", "show", id, "--lang", "et"], conninfo).stdout.contains("Olek:"))
        #expect(try Self.ctl(["request", "show", id, "--lang", "fi"], conninfo).status == 64)
        // Every timestamp in --json: UTC, Z, whole seconds.
        let utc = try NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#)
        var checked = 0
        func walk(_ value: JSONValue, _ key: String = "") {
            switch value {
            case let .object(pairs): for (k, v) in pairs { walk(v, k) }
            case let .array(items): for item in items { walk(item, key) }
            case let .string(text) where JSONValue.isTimestampField(key):
                checked += 1
                #expect(utc.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil, "\(key): \(text)")
            default: break
            }
        }
        for arguments in [["request", "list"], ["request", "show", id], ["request", "history", id], ["outbox", "list"], ["db", "status"]] {
            walk(try Self.json(try Self.ctl(arguments + ["--json"], conninfo)))
        }
        #expect(checked > 10)
        // One row and two rows, in both languages.
        #expect(Message("out.import.checked", ["count": "1", "system": "VOLIS"]).text(.en).hasPrefix("checked 1 row:"))
        #expect(Message("out.import.checked", ["count": "2", "system": "VOLIS"]).text(.en).hasPrefix("checked 2 rows:"))
        #expect(Message("out.import.checked", ["count": "1", "system": "VOLIS"]).text(.et).hasPrefix("kontrollitud 1 rida:"))
        #expect(Message("out.import.checked", ["count": "2", "system": "VOLIS"]).text(.et).hasPrefix("kontrollitud 2 rida:"))
        #expect(Message("out.report.written", ["file": "f", "rows": "1", "sha256": "x"]).text(.en).contains("1 row,"))
        #expect(Message("out.report.written", ["file": "f", "rows": "21", "sha256": "x"]).text(.en).contains("21 rows,"))
        #expect(Message("mail.import.headline", ["count": "1"]).text(.en) == "1 request imported")
        #expect(Message("mail.import.headline", ["count": "3"]).text(.en) == "3 requests imported")
        #expect(Message("mail.import.headline", ["count": "1"]).text(.et) == "Imporditud 1 arendustellimus")
        #expect(Message("mail.import.headline", ["count": "3"]).text(.et) == "Imporditud 3 arendustellimust")
        #expect(Message("error.business_days_beyond", ["date": "9999-12-31", "count": "1"]).text(.en).contains("plus 1 business day falls"))
        #expect(Message("error.business_days_beyond", ["date": "9999-12-31", "count": "1"]).text(.et).contains("± 1 tööpäev jääb"))
        // Every text that counts something chooses its word by the number, in both languages.
        for (key, texts) in Catalogue.entries {
            for text in [texts.et, texts.en] where text.contains("{count}") {
                #expect(text.contains("{count:plural:") || key == "out.demo.count", "\(key): \(text)")
            }
        }
    }
}
