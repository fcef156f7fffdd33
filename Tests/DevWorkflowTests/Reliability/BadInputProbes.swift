import Foundation
#if !FUZZING
@testable import DevWorkflow
#endif

/// The properties every bad-input target checks, one function per target, shared by the
/// libFuzzer harness (`fuzz/FuzzMain.swift`, built by `scripts/reliability.d/30-fuzz` together
/// with the library's sources) and the corpus replay in CI (`BadInputCorpusTests`).
///
/// Each probe takes raw bytes and never traps on them; what it finds wrong it lists in
/// `violations` (the harness aborts on any, so libFuzzer keeps the input as a crash):
/// - a rejection that is not a `WorkflowError`, has an unexpected code, an empty message, or a
///   message with a placeholder nobody filled in;
/// - an accepted value that does not read back as itself (dates, amounts, hours, CSV records);
/// - a result that differs with the size of the read buffer (CSV);
/// - a command line that ends in an internal error (exit 70) or prints anything but one error line.
enum BadInputProbe {
    static let targets = ["cli", "csv", "date", "money", "daemon"]

    /// What one input did: accepted or rejected, and every broken property.
    struct Result {
        var accepted = false
        var violations: [String] = []
        mutating func fail(_ text: String) { violations.append(text) }
    }

    static func run(_ target: String, _ bytes: [UInt8]) -> Result {
        switch target {
        case "cli": return cli(bytes)
        case "csv": return csv(bytes)
        case "date": return date(bytes)
        case "money": return money(bytes)
        case "daemon": return daemon(bytes)
        default: return Result(accepted: false, violations: ["unknown target \(target)"])
        }
    }

    // MARK: Rejections

    /// A rejection must be a WorkflowError with an expected code and a non-empty message, in both
    /// languages, with every placeholder filled.
    static func checkRejection(_ error: any Error, _ codes: Set<String>, _ what: String, _ result: inout Result) {
        guard let error = error as? WorkflowError else {
            result.fail("\(what): rejected with \(type(of: error)), not a WorkflowError: \(error)")
            return
        }
        if !codes.contains(error.code.rawValue) { result.fail("\(what): code \(error.code) (expected \(codes.sorted())): \(error.message)") }
        for language in [Language.et, .en] {
            let text = TerminalText.line(error.message(in: language))
            if text.trimmingCharacters(in: .whitespaces).isEmpty { result.fail("\(what): empty \(language) message for \(error.text.key)") }
        }
        let missing = unfilledPlaceholders(error.text)
        if !missing.isEmpty { result.fail("\(what): \(error.text.key) left \(missing) unfilled") }
    }

    /// Placeholders of a message's template (and its nested messages') that have no argument.
    static func unfilledPlaceholders(_ message: Message) -> [String] {
        guard let entry = Catalogue.entries[message.key] else { return ["<no catalogue key \(message.key)>"] }
        var missing: [String] = []
        for template in [entry.et, entry.en] {
            var rest = Substring(template)
            while let open = rest.firstIndex(of: "{") {
                let after = rest[rest.index(after: open)...]
                guard let close = after.firstIndex(of: "}") else { break }
                // `{price:money}` is the placeholder `price`, written as money.
                let name = String(after[..<close].prefix { $0 != ":" })
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }), message.arguments[name] == nil, !missing.contains(name) {
                    missing.append(name)
                }
                rest = after[after.index(after: close)...]
            }
        }
        for case let .message(nested) in message.arguments.values { missing += unfilledPlaceholders(nested) }
        return missing
    }

    // MARK: cli

    /// The command line, split at NUL bytes into arguments: the parser alone, each typed option
    /// value through the accessors the commands use, then the whole run in-process against a
    /// database that is not there (so nothing is ever written anywhere).
    static func cli(_ bytes: [UInt8]) -> Result {
        var result = Result()
        let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let language: Language = bytes.count % 2 == 0 ? .en : .et
        var global = GlobalOptions()
        var noun: String?
        do {
            let parsed = try WorkflowCtl.parse(arguments, global: &global, language: language)
            result.accepted = true
            if case let .run(command, positionals, values) = parsed {
                noun = command.noun
                checkTypedValues(command, positionals, values, global, &result)
            }
        } catch {
            checkRejection(error, ["usage"], "parse \(arguments)", &result)
        }
        // The embedded cluster's commands would create and start a real server; demo needs one.
        // (Any line naming them is skipped, whatever the parser made of it: never start a server.)
        guard noun != "cluster" && noun != "demo" && !arguments.contains("cluster") && !arguments.contains("demo") else { return result }
        let dead = "host=/nonexistent/devworkflow-fuzz dbname=none connect_timeout=1"
        let environment = ["LANG": language == .en ? "en_US.UTF-8" : "et_EE.UTF-8", "WORKFLOW_DATABASE_URL": dead,
                           "WORKFLOW_HOME": "/nonexistent/devworkflow-fuzz"]
        let out = TextOutput(), err = TextOutput()
        let status = WorkflowCtl.run(arguments + ["--database", dead], environment: environment, out: out, err: err,
                                     clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        let allowed: Set<Int32> = [0, 64, 65, 66, 69, 74, 77]
        if !allowed.contains(status) { result.fail("run \(arguments): exit \(status): \(err.capturedText)") }
        let errText = err.capturedText
        if status == 0 {
            if !errText.isEmpty { result.fail("run \(arguments): succeeded but wrote to stderr: \(errText)") }
        } else {
            let prefix = "workflowctl: error: "
            if !errText.hasPrefix(prefix) || !errText.hasSuffix("\n") || errText.filter({ $0 == "\n" }).count != 1
                || errText.dropFirst(prefix.count).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                result.fail("run \(arguments): exit \(status) without one error line: \(errText.debugDescription)")
            }
            if global.json {
                let document = try? JSONValue.parse(out.capturedText)
                if document?["error"]?["code"] == nil { result.fail("run \(arguments): --json error is not one JSON document: \(out.capturedText.prefix(200))") }
            }
        }
        return result
    }

    static let dateOptions: Set<String> = ["due", "delivery", "deadline", "from", "to", "since"]
    static let moneyOptions: Set<String> = ["price", "rate", "cap", "amount"]
    static let integerOptions: Set<String> = ["priority", "year", "expect-version", "limit", "offset", "days", "repeat", "escalate"]

    /// Every option value through the typed accessor the command reads it with (every option must
    /// be typed), and the people's forms of dates, amounts and hours against references of their
    /// own; then `calendar add`'s arguments.
    static func checkTypedValues(_ command: Command, _ positionals: [String], _ values: [String: [String]], _ global: GlobalOptions,
                                 _ result: inout Result) {
        let call = Invocation(command: command, positionals: positionals, values: values, global: global, environment: [:],
                              out: TextOutput(), clock: { Date() })
        for option in command.options where values[option.name] != nil {
            let name = option.name, text = values[name]?.last ?? ""
            let what = "--\(name) \(text)"
            do {
                try readTyped(option, call, &result)
            } catch {
                checkRejection(error, ["invalid_data", "usage"], what, &result)
            }
            if dateOptions.contains(name), let date = try? PeopleInput.date(text) {
                if date != referenceDate(text) { result.fail("\(what) read as \(date), reference \(referenceDate(text).map { "\($0)" } ?? "rejects")") }
                if (try? LocalDate(parsing: date.description)) != date { result.fail("\(what) read as \(date), which does not read back") }
            }
            if moneyOptions.contains(name), let amount = try? PeopleInput.money(text) {
                if amount.cents != referencePeopleCents(text) { result.fail("\(what) read as \(amount), reference \(referencePeopleCents(text).map(String.init) ?? "rejects")") }
                if (try? Money(parsing: amount.description)) != amount { result.fail("\(what) read as \(amount), which does not read back") }
            }
            if integerOptions.contains(name), let number = try? Invocation.integer(text, option: "--\(name)") {
                let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
                if digits.isEmpty || !digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) { result.fail("\(what) read as \(number)") }
            }
            if name == "hours", PeopleInput.hours(text) != referencePeopleHundredths(text).map({ Decimal($0) / 100 }) {
                result.fail("\(what) read as \(PeopleInput.hours(text).map { "\($0)" } ?? "nil")")
            }
        }
        if command.noun == "calendar" && command.verb == "add" && positionals.count == 2 {
            do {
                let start = try PeopleInput.date(positionals[0])
                // The counting itself is the database's (add_business_days): here the parsing.
                let count = try Commands.businessDayCount(positionals[1])
                if count.magnitude > 10_000 { result.fail("calendar add \(positionals): \(count) business days passed") }
                if start != referenceDate(positionals[0]) { result.fail("calendar add \(positionals): read \(start)") }
            } catch {
                checkRejection(error, ["invalid_data"], "calendar add \(positionals)", &result)
            }
        }
    }

    /// Reads an option with the typed accessor its declaration gives (a command's option that is
    /// not typed is a violation: its reader is a string look-up).
    static func readTyped(_ option: OptionSpec, _ call: Invocation, _ result: inout Result) throws {
        switch option {
        case let typed as Option<String>: _ = try call[typed]
        case let typed as Option<Int>: _ = try call[typed]
        case let typed as Option<LocalDate>: _ = try call[typed]
        case let typed as Option<Money>: _ = try call[typed]
        case let typed as Option<PersonRole>: _ = try call[typed]
        case let typed as Option<Language>: _ = try call[typed]
        case let typed as Required<String>: _ = try call[typed]
        case let typed as Required<Int>: _ = try call[typed]
        case let typed as Required<LocalDate>: _ = try call[typed]
        case let typed as Required<Money>: _ = try call[typed]
        case let typed as Required<PersonRole>: _ = try call[typed]
        case let typed as Required<Decimal>: _ = try call[typed]
        case let typed as Option<Decimal>: _ = try call[typed]
        case let typed as Repeated<String>: _ = try call[typed]
        case let typed as Flag: _ = call[typed]
        default: result.fail("--\(option.name) of \(call.command.name) is not a typed option")
        }
    }

    /// A date as people write it, read independently: `YYYY-MM-DD` or `D.M.YYYY` (one or two
    /// digits for day and month), blanks around allowed; nil for anything else.
    static func referenceDate(_ text: String) -> LocalDate? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func number(_ part: Substring) -> Int? { part.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } ? Int(part) : nil }
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if iso.map(\.count) == [4, 2, 2], let y = number(iso[0]), let m = number(iso[1]), let d = number(iso[2]) {
            return LocalDate(year: y, month: m, day: d)
        }
        let dotted = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard dotted.count == 3, (1...2).contains(dotted[0].count), (1...2).contains(dotted[1].count), dotted[2].count == 4,
              let d = number(dotted[0]), let m = number(dotted[1]), let y = number(dotted[2]) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// The separators people put between groups of thousands.
    static let groupSeparators: Set<Character> = [" ", "\u{A0}", "\u{202F}", "\u{2009}"]

    /// A grouped number without its grouping (`1 500,25` → `1500,25`), or nil when `text` is not
    /// one: a first group of one to three digits, then groups of exactly three, each after one separator.
    static func ungrouped(_ text: Substring) -> String? {
        var sign = ""
        var body = text
        if let first = body.first, first == "-" || first == "+" { sign = String(first); body = body.dropFirst() }
        let mark = body.lastIndex { $0 == "," || $0 == "." }
        let groups = (mark.map { body[..<$0] } ?? body).split(omittingEmptySubsequences: false) { groupSeparators.contains($0) }
        guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }) else { return nil }
        return sign + groups.joined() + (mark.map { String(body[$0...]) } ?? "")
    }

    /// Euros as people write them: a plain amount, or grouped, either with ` €` or ` EUR` after it.
    static func referencePeopleCents(_ text: String) -> Int64? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var currency = false
        if let suffix = ["€", "EUR"].first(where: { body.hasSuffix($0) }) {
            currency = true
            body = body.dropLast(suffix.count)
            while let last = body.last, groupSeparators.contains(last) { body = body.dropLast() }
        }
        if let plain = ungrouped(body) { return referenceHundredths(plain) }
        return currency ? referenceHundredths(String(body)) : referenceCents(text)
    }

    /// Hours as people write them: plain, or grouped.
    static func referencePeopleHundredths(_ text: String) -> Int64? {
        ungrouped(Substring(text.trimmingCharacters(in: .whitespaces))).flatMap(referenceHundredths) ?? referenceHundredths(text)
    }

    // MARK: csv

    /// What a CSV reader made of some bytes: its records, or the error that stopped it.
    struct CSVReading: Equatable {
        var records: [[String]] = []
        var lines: [Int] = []
        var error: String?
    }

    static func read(_ reader: CSVReader, _ result: inout Result, _ what: String) -> CSVReading {
        var reading = CSVReading()
        do {
            while let (line, fields) = try reader.next() {
                reading.records.append(fields)
                reading.lines.append(line)
                if reading.records.count > 100_000 { result.fail("\(what): more records than bytes"); break }
            }
        } catch {
            checkRejection(error, ["invalid_data"], what, &result)
            reading.error = (error as? WorkflowError).map { $0.text.key + " " + $0.message } ?? "\(error)"
        }
        return reading
    }

    /// The CSV reader on bytes in memory and on a file read in tiny chunks (the same records or the
    /// same error, whatever the chunk size); accepted records written back out read back the same;
    /// then the import's header and row checks on what was read.
    static func csv(_ bytes: [UInt8]) -> Result {
        var result = Result()
        let whole = read(CSVReader(bytes: bytes), &result, "csv in memory")
        result.accepted = whole.error == nil
        let path = NSTemporaryDirectory() + "/devworkflow-probe-\(getpid())-\(Thread.current.hash).csv"
        if FileManager.default.createFile(atPath: path, contents: Data(bytes)), let handle = FileHandle(forReadingAtPath: path) {
            let chunkSize = 1 + (bytes.first.map(Int.init) ?? 0) % 5
            let chunked = read(CSVReader(readingFrom: handle, chunkSize: chunkSize), &result, "csv in chunks of \(chunkSize)")
            try? handle.close()
            if chunked != whole { result.fail("csv: chunks of \(chunkSize) read \(chunked), in memory \(whole)") }
        } else {
            result.fail("csv: cannot write \(path)")
        }
        try? FileManager.default.removeItem(atPath: path)
        guard result.accepted else { return result }

        // Written back as the reports write CSV and read again: the same fields.
        let written = whole.records.map { CSVFormat.rfc4180.record($0) + "\n" }.joined()
        let again = read(CSVReader(string: written), &result, "csv written back")
        if again != CSVReading(records: whole.records, lines: again.lines, error: nil) {
            result.fail("csv: written back reads \(again.records) \(again.error ?? ""), first read \(whole.records)")
        }

        // The import's checks: a clean refusal naming the problem, or rows fit to store.
        guard let header = whole.records.first else { return result }
        do {
            let layout = try WorkflowStore.ImportLayout(header: header)
            for (line, fields) in zip(whole.lines, whole.records).dropFirst() {
                guard let row = try layout.row(line: line, fields: fields) else { continue }
                // Lengths are the database's rule; the layout hands on text it can store, trimmed.
                if row.title != row.title.trimmingCharacters(in: .whitespacesAndNewlines) || row.title.unicodeScalars.contains("\u{0}") {
                    result.fail("csv import: line \(line) title \(row.title.debugDescription) passed the checks")
                }
            }
        } catch {
            checkRejection(error, ["invalid_data"], "csv import", &result)
        }
        return result
    }

    // MARK: date

    /// `LocalDate(parsing:)`: an accepted date is written exactly as it was typed; business-day
    /// arithmetic from it lands on a business day that reads back, or refuses cleanly.
    static func date(_ bytes: [UInt8]) -> Result {
        var result = Result()
        let text = String(decoding: bytes, as: UTF8.self)
        // As people write dates: the reference and the reader agree on every input.
        do {
            let people = try PeopleInput.date(text)
            if people != referenceDate(text) { result.fail("people's date \(text.debugDescription) read as \(people), reference rejects") }
        } catch {
            checkRejection(error, ["invalid_data"], "people's date \(text.debugDescription)", &result)
            if let expected = referenceDate(text) { result.fail("people's date \(text.debugDescription) rejected, reference reads \(expected)") }
        }
        let date: LocalDate
        do {
            date = try LocalDate(parsing: text)
        } catch {
            checkRejection(error, ["invalid_data"], "date \(text.debugDescription)", &result)
            return result
        }
        result.accepted = true
        if date.description != text { result.fail("date \(text.debugDescription) reads as \(date)") }
        if (try? PeopleInput.date(text)) != date { result.fail("date \(text.debugDescription): the people's reader disagrees") }
        if LocalDate(dayNumber: date.dayNumber) != date { result.fail("date \(text): day number \(date.dayNumber) does not map back") }
        // A count from the bytes: small ones mostly, the whole ±10 000 sometimes.
        let hash = bytes.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
        let n = hash % 4 == 0 ? Int(hash % 20_001) - 10_000 : Int(hash % 121) - 60
        do {
            // Weekends only: which days are holidays is the database's to say.
            guard (100...9_900).contains(date.year) else { return result }
            let end = BusinessCalendar().adding(businessDays: n, to: date)
            if (try? LocalDate(parsing: end.description)) != end { result.fail("\(date) + \(n) business days = \(end), which does not read back") }
            if n != 0 && !BusinessCalendar().isBusinessDay(end) { result.fail("\(date) + \(n) business days = \(end), not a business day") }
            if n > 0 && n <= 60 && BusinessCalendar().businessDays(after: date, through: end) != n {
                result.fail("\(date) + \(n) business days = \(end), but \(BusinessCalendar().businessDays(after: date, through: end)) between")
            }
        } catch {
            checkRejection(error, ["invalid_data"], "\(date) + \(n) business days", &result)
        }
        return result
    }

    // MARK: daemon

    /// `workflowd`'s command line (split at NUL bytes), then the whole input as its `--now` moment.
    static func daemon(_ bytes: [UInt8]) -> Result {
        var result = Result()
        let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        do {
            let parsed = try WorkflowD.parse(arguments, environment: ["WORKFLOW_DATABASE_URL": "host=/nonexistent/devworkflow-fuzz"],
                                             webhook: { _, _ in FileChannel(path: "/dev/null") })
            result.accepted = true
            if let now = parsed.configuration.now, !now.timeIntervalSince1970.isFinite { result.fail("workflowd \(arguments): --now is \(now)") }
            // --help and --version print and exit: only a run needs a channel.
            if !parsed.help && !parsed.version && parsed.channels.isEmpty { result.fail("workflowd \(arguments): no delivery channel") }
        } catch {
            // io_error: a --file that names a folder is refused at start (74), before any outbox work.
            checkRejection(error, ["usage", "unavailable", "io_error"], "workflowd \(arguments)", &result)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let moment = try WorkflowD.parseMoment(text)
            result.accepted = true
            // An accepted moment is a real one: written back as UTC, it reads as the same instant.
            let written = JSONValue.iso8601(moment)
            if let again = try? WorkflowD.parseMoment(written), abs(again.timeIntervalSince(moment)) >= 1 {
                result.fail("--now \(text.debugDescription) is \(written), which reads back as \(JSONValue.iso8601(again))")
            }
        } catch {
            checkRejection(error, ["usage"], "--now \(text.debugDescription)", &result)
        }
        return result
    }

    // MARK: money

    /// `Money(parsing:)` and the hours parser against a plain reference reading of the same text.
    static func money(_ bytes: [UInt8]) -> Result {
        var result = Result()
        let text = String(decoding: bytes, as: UTF8.self)
        let expected = referenceCents(text)
        do {
            let amount = try Money(parsing: text)
            result.accepted = true
            if amount.cents != expected { result.fail("money \(text.debugDescription) read as \(amount), reference \(expected.map(String.init) ?? "rejects")") }
            if (try? Money(parsing: amount.description)) != amount { result.fail("money \(amount) does not read back") }
            if amount.cents.magnitude > Money.maximum.cents.magnitude { result.fail("money \(amount) is beyond numeric(14,2)") }
        } catch {
            checkRejection(error, ["invalid_data"], "money \(text.debugDescription)", &result)
            if let expected { result.fail("money \(text.debugDescription) rejected, reference reads \(expected) cents") }
        }
        do {
            let people = try PeopleInput.money(text)
            if people.cents != referencePeopleCents(text) { result.fail("people's money \(text.debugDescription) read as \(people), reference rejects") }
        } catch {
            checkRejection(error, ["invalid_data"], "people's money \(text.debugDescription)", &result)
            if let expected = referencePeopleCents(text) { result.fail("people's money \(text.debugDescription) rejected, reference reads \(expected)") }
        }
        if PeopleInput.hours(text) != referencePeopleHundredths(text).map({ Decimal($0) / 100 }) {
            result.fail("people's hours \(text.debugDescription) read as \(PeopleInput.hours(text).map { "\($0)" } ?? "nil")")
        }
        let hours = TransitionInputs.parseHours(text)
        let hundredths = referenceHundredths(text)
        if hours != hundredths.map({ Decimal($0) / 100 }) {
            result.fail("hours \(text.debugDescription) read as \(hours.map { "\($0)" } ?? "nil"), reference \(hundredths.map(String.init) ?? "rejects")")
        }
        result.accepted = result.accepted || hours != nil
        return result
    }

    /// Euros as PRODUCT.md means them, read independently: optional sign, 1–12 digits, optional
    /// `.` or `,` and one or two decimals, spaces around allowed; nil for anything else.
    static func referenceCents(_ text: String) -> Int64? {
        referenceHundredths(text.trimmingCharacters(in: .whitespaces))
    }

    /// Optional sign, 1–12 ASCII digits, optional `.`/`,` and one or two ASCII digits, in hundredths.
    static func referenceHundredths(_ text: String) -> Int64? {
        var scalars = Array(text.unicodeScalars)
        var sign: Int64 = 1
        if let first = scalars.first, first == "-" || first == "+" { sign = first == "-" ? -1 : 1; scalars.removeFirst() }
        func digit(_ s: Unicode.Scalar) -> Int64? { ("0"..."9").contains(s) ? Int64(s.value - 48) : nil }
        var whole: Int64 = 0, wholeDigits = 0, index = 0
        while index < scalars.count, let d = digit(scalars[index]) {
            wholeDigits += 1
            guard wholeDigits <= 12 else { return nil }  // before it could overflow
            whole = whole * 10 + d
            index += 1
        }
        guard (1...12).contains(wholeDigits) else { return nil }
        var fraction: Int64 = 0
        if index < scalars.count {
            guard scalars[index] == "." || scalars[index] == "," else { return nil }
            let decimals = scalars[(index + 1)...].map(digit)
            guard (1...2).contains(decimals.count), decimals.allSatisfy({ $0 != nil }) else { return nil }
            fraction = decimals[0]! * 10 + (decimals.count == 2 ? decimals[1]! : 0)
        }
        return sign * (whole * 100 + fraction)
    }
}
