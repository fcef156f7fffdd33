import Foundation

/// workflowd's run loop: drains the outbox, evaluates reminder rules on a timer, writes vendor
/// exports on a schedule, and survives the database going away.
///
/// LISTEN/NOTIFY only wakes the loop early; the timer is always there too. A lost connection is
/// logged and retried with backoff, never a reason to exit. On SIGTERM/SIGINT the loop stops
/// claiming, lets the message in hand finish, gives the rest of its batch back and returns 0.
public final class Daemon {
    /// What workflowd was asked to do.
    public struct Configuration: Sendable {
        public var conninfo: String
        /// One pass (reminders, exports, drain) and exit.
        public var once = false
        /// Seconds between reminder passes (and the longest sleep).
        public var interval: TimeInterval = 60
        /// Judge deadlines as of this moment instead of the clock.
        public var now: Date?
        /// Where vendor reports go, replaced atomically.
        public var exportsDirectory: String?
        public var exportInterval: TimeInterval = 3600
        /// An e-invoice drop folder taken in on every pass (see `InvoiceFolder`).
        public var invoicesDirectory: String?
        /// The language of the reason files written beside held and refused invoices.
        public var language: Language = .et
        public var batchSize = 50
        public var retry = Outbox.RetryPolicy()
        /// With --once: how long to keep trying an unavailable database before giving up.
        public var onceConnectTimeout: TimeInterval = 30
        /// A Maildir whose new mail is handed to the mail gateway each pass.
        public var maildir: String?
        /// The domain of reply addresses the gateway takes (nil: any).
        public var replyDomain: String?
        /// The receiving server's authserv-id, whose Authentication-Results alone count (MailGateway).
        public var authservID: String?

        public init(conninfo: String) { self.conninfo = conninfo }
    }

    let configuration: Configuration
    let channels: [any DeliveryChannel]
    let renderer = MessageRenderer()
    let log: Log
    let stop: StopSignal

    public init(configuration: Configuration, channels: [any DeliveryChannel], log: Log, stop: StopSignal) {
        self.configuration = configuration
        self.channels = channels
        self.log = log
        self.stop = stop
    }

    /// The moment deadlines are judged at.
    var now: Date { configuration.now ?? Date() }

    /// What a run did, for tests and the exit line.
    public struct Totals: Sendable, Equatable {
        public var delivered = 0
        public var failed = 0
        public var retried = 0
        public var remindersQueued = 0
        public var exports = 0
        public var exportsFailed = 0
        public var mailApplied = 0
        public var mailNotApplied = 0
        public var invoicesDone = 0
        public var invoicesHeld = 0
        public var invoicesRefused = 0
        /// Messages an earlier pass failed to deliver that still wait for their retry, not yet due.
        public var waiting = 0
        /// Messages under another daemon's lease when a `--once` pass ended (said, not failed).
        public var leasedElsewhere = 0

        /// The exit status of a `--once` pass (sysexits): 74 when an export could not be
        /// written, else 75 when a delivery failed (it waits for a retry, or gave up) or an
        /// earlier failure still waits for its retry, else 0.
        public var onceStatus: Int32 {
            if exportsFailed > 0 { return 74 }   // EX_IOERR
            if failed + retried + waiting > 0 { return 75 }  // EX_TEMPFAIL
            return 0
        }
    }

    public private(set) var totals = Totals()

    /// Failures of this pass by cause: the first of each is logged in full, the rest counted
    /// and summed up in one line when the pass ends, so that one broken sendmail is one warning,
    /// not one per message.
    private var causes = RepeatedCauses()

    /// Runs until stopped (or one pass with `once`); returns the process exit code.
    public func run() -> Int32 {
        log.info("start", ["version": WorkflowCtl.version, "once": String(configuration.once), "channels": channels.map(\.name).joined(separator: ","),
                           "exports": configuration.exportsDirectory ?? "-",
                           "now": configuration.now.map { JSONValue.iso8601($0) } ?? "clock"])
        var backoff: TimeInterval = 1
        var firstFailure: Date? = nil
        var nextReminders = Date.distantPast
        var nextExport = Date.distantPast
        var nextMaildir = Date.distantFuture
        while !stop.isTriggered {
            do {
                let connection = try Database.connect(configuration.conninfo, applicationName: "workflowd")
                // A login without workflowd's role would fail every pass the same way: said once, plainly.
                if let refusal = Database.missingGrant(Database.daemonRole, on: connection) { throw refusal }
                try connection.listen(Outbox.channel)
                let place = connection.whereabouts
                log.info("connected", ["backend": String(connection.backendPID), "database": place.database, "user": place.user,
                                       "server": place.server])
                let outbox = Outbox(connection: connection, policy: configuration.retry)
                let reminders = Reminders(connection: connection)
                while !stop.isTriggered {
                    let clock = Date()
                    if clock >= nextReminders {
                        let today = LocalDate.today(at: now)
                        let pass = try reminders.pass(today: today)
                        for reason in pass.unreadable { log.error("row_unreadable", ["row": reason]) }
                        totals.remindersQueued += pass.queued
                        log.info("reminders", ["today": today.description, "candidates": String(pass.candidates), "due": String(pass.due),
                                               "queued": String(pass.queued)])
                        nextReminders = clock.addingTimeInterval(configuration.interval)
                    }
                    if let directory = configuration.exportsDirectory, clock >= nextExport {
                        try export(to: directory, connection: connection)
                        nextExport = clock.addingTimeInterval(configuration.exportInterval)
                    }
                    if let maildir = configuration.maildir {
                        try receive(from: maildir, connection: connection)
                        nextMaildir = clock.addingTimeInterval(min(configuration.interval, 10))
                    }
                    if let directory = configuration.invoicesDirectory {
                        try takeInInvoices(from: directory, connection: connection)
                    }
                    let rescued = try outbox.rescue()
                    if rescued > 0 { log.warning("leases_rescued", ["count": String(rescued)]) }
                    try drain(outbox)
                    if configuration.once {
                        // Delivered everything it could, but not everything: a message whose
                        // retry is not due yet is not delivered either (it used to end in 0).
                        totals.waiting = try outbox.waitingForRetry()
                        totals.leasedElsewhere = try outbox.leasedElsewhere()
                        if totals.leasedElsewhere > 0 {
                            log.warning("leased_elsewhere", ["count": String(totals.leasedElsewhere),
                                                             "note": "held by another workflowd, or one that stopped mid-batch: delivered when the lease ends"])
                        }
                        return finishOnce(totals.onceStatus)
                    }
                    // A whole pass done: the database is back. (Not on connecting: a pass that fails
                    // after each connection must not restart the give-up clock or the backoff.)
                    backoff = 1
                    firstFailure = nil
                    causes.summarise(into: log)
                    let wake = min(nextReminders, configuration.exportsDirectory == nil ? .distantFuture : nextExport, nextMaildir)
                    if stop.wait(for: connection.socket, timeout: wake.timeIntervalSinceNow) {
                        let notes = try connection.waitForNotifications(timeout: 0)
                        if !notes.isEmpty { log.info("woken", ["notifications": String(notes.count)]) }
                    }
                    if !connection.isOK { throw PostgresError(code: .connectionLost, message: "connection lost while waiting") }
                }
            } catch let error as WorkflowError where error.code != .unavailable && error.code != .readOnly {
                log.error("failed", ["error": error.message])
                if configuration.once { return finishOnce(error.code == .notPermitted ? WorkflowCtl.exitCode(for: error.code) : 70) }
                // The same failure would come back at once: wait before reconnecting, never spin.
                _ = stop.wait(for: nil, timeout: backoff)
                backoff = min(backoff * 2, 30)
            } catch let error where Daemon.isReadOnly(error) {
                // A hot standby: nothing can be claimed or queued here. One pass gives up at once
                // (78, like workflowctl); a running daemon waits for a promotion, with backoff.
                let message = WorkflowError(.readOnly, Message("error.read_only")).message
                if configuration.once {
                    log.error("read_only", ["error": message])
                    return finishOnce(78)
                }
                log.warning("read_only", ["error": message, "retry_in": String(format: "%.0fs", backoff)])
                _ = stop.wait(for: nil, timeout: backoff)
                backoff = min(backoff * 2, 30)
            } catch {
                let message = (error as? WorkflowError)?.message ?? (error as? PostgresError)?.description ?? "\(error)"
                let started = firstFailure ?? Date()
                firstFailure = started
                if configuration.once {
                    // One pass: the cause is logged the first time, counted after (its count comes
                    // in the summary), and the pass gives up after onceConnectTimeout.
                    let givingUp = Date().timeIntervalSince(started) >= configuration.onceConnectTimeout
                    if causes.isNew("database_unavailable", message) {
                        if givingUp {
                            log.error("database_unavailable", ["error": message, "giving_up_after": "\(Int(configuration.onceConnectTimeout))s"])
                        } else {
                            log.warning("database_unavailable", ["error": message, "retry_in": String(format: "%.0fs", backoff)])
                        }
                    }
                    if givingUp { return finishOnce(69) }
                } else if causes.isNew("database_unavailable", message) {
                    // Said once; its count follows once a whole pass has worked again.
                    log.warning("database_unavailable", ["error": message, "retry_in": String(format: "%.0fs", backoff)])
                }
                _ = stop.wait(for: nil, timeout: backoff)
                backoff = min(backoff * 2, 30)
            }
        }
        log.info("stopped", ["delivered": String(totals.delivered), "failed": String(totals.failed)])
        return 0
    }

    /// Ends a `--once` pass, however it ended: each repeated cause once more with its count, then
    /// the one summary line `done … exit=N`.
    private func finishOnce(_ status: Int32) -> Int32 {
        causes.summarise(into: log)
        log.log(status == 0 ? .info : .error, "done", [
            "delivered": String(totals.delivered), "failed": String(totals.failed), "retrying": String(max(totals.retried, totals.waiting)),
            "reminders": String(totals.remindersQueued), "exports": String(totals.exports),
            "exports_failed": String(totals.exportsFailed), "invoices": String(totals.invoicesDone + totals.invoicesHeld),
            "invoices_refused": String(totals.invoicesRefused), "mail_applied": String(totals.mailApplied),
            "mail_not_applied": String(totals.mailNotApplied), "leased_elsewhere": String(totals.leasedElsewhere), "exit": String(status)])
        return status
    }

    /// Whether an error says the server accepts reads only (SQLSTATE 25006, e.g. LISTEN or a write
    /// during recovery), whichever layer it comes from.
    static func isReadOnly(_ error: any Error) -> Bool {
        switch error {
        case let error as WorkflowError: return error.code == .readOnly
        case let error as PostgresError: return error.sqlState == SQLState.readOnlySQLTransaction
        default: return false
        }
    }

    /// Delivers what can be claimed until nothing is left or a stop is asked for.
    func drain(_ outbox: Outbox) throws {
        while !stop.isTriggered {
            var batch = try outbox.claim(limit: configuration.batchSize)
            if batch.isEmpty { return }
            if channels.contains(where: \.usesReplyAddresses) { batch = try outbox.withReplyAddresses(batch) }
            var delivered: [Int64] = []
            var untried: [Int64] = []
            for (index, message) in batch.enumerated() {
                if stop.isTriggered {
                    untried = batch[index...].map(\.id)
                    break
                }
                let rendered = renderer.render(message, documents: try MailDocuments.load(for: message, from: outbox.connection))
                do {
                    for channel in channels { try channel.deliver(message, rendered) }
                    delivered.append(message.id)
                    log.info("delivered", ["id": String(message.id), "kind": message.kind.rawValue, "request": message.request,
                                           "to": message.recipient, "key": message.idempotencyKey, "attempt": String(message.attempts)])
                } catch {
                    try fail(message, outbox: outbox, error: error)
                }
            }
            if !delivered.isEmpty {
                do {
                    for channel in channels { try channel.flush() }
                } catch let error as WorkflowError where error.code != .unavailable && error.code != .readOnly {
                    // What was handed over is not durable: none of it counts as delivered. Each
                    // message is failed like one whose delivery failed, and retried later.
                    let failed = batch.filter { delivered.contains($0.id) }
                    delivered = []
                    for message in failed { try fail(message, outbox: outbox, error: error) }
                }
            }
            let recorded = try outbox.markDelivered(delivered)
            totals.delivered += recorded.count
            if recorded.count < delivered.count {
                log.warning("lease_lost", ["count": String(delivered.count - recorded.count)])
            }
            if !untried.isEmpty {
                try outbox.release(untried)
                log.info("released", ["count": String(untried.count)])
            }
        }
    }

    /// Records one failed delivery (retried later, or given up), logging its cause once a pass.
    private func fail(_ message: OutboxMessage, outbox: Outbox, error: any Error) throws {
        let reason = (error as? WorkflowError)?.message ?? "\(error)"
        let permanent = (error as? WorkflowError)?.code == .invalidData
        switch try outbox.markFailed(message, error: reason, permanent: permanent) {
        case let .retry(at):
            totals.retried += 1
            if causes.isNew("delivery_failed", reason) {
                log.warning("delivery_failed", ["id": String(message.id), "request": message.request, "attempt": String(message.attempts),
                                                "retry_at": JSONValue.iso8601(at), "error": reason])
            }
        case .failed:
            totals.failed += 1
            if causes.isNew("delivery_gave_up", reason) {
                log.error("delivery_gave_up", ["id": String(message.id), "request": message.request, "attempts": String(message.attempts),
                                               "error": reason])
            }
        case .leaseLost:
            log.warning("lease_lost", ["id": String(message.id)])
        }
    }

    /// Hands the Maildir's new mail to the gateway; what was not applied is answered through the
    /// outbox, which this same pass drains.
    func receive(from maildir: String, connection: Connection) throws {
        let gateway = MailGateway(connection: connection, domain: configuration.replyDomain, authservID: configuration.authservID)
        let pass = try MaildirIntake(directory: maildir).pass(gateway) { file, result, error in
            if let result {
                log.info("mail_received", ["file": file, "outcome": result.outcome.rawValue, "request": result.request ?? "-",
                                           "reason": result.reason?.text(.en) ?? "-"])
            } else {
                log.warning("mail_unreadable", ["file": file, "error": error?.message ?? "-"])
            }
        }
        totals.mailApplied += pass.applied
        totals.mailNotApplied += pass.notApplied
    }

    /// Imports the e-invoices waiting in the drop folder, one log line each.
    func takeInInvoices(from directory: String, connection: Connection) throws {
        let folder = InvoiceFolder(path: directory, language: configuration.language)
        try folder.prepare()
        for taken in try folder.takeIn(with: WorkflowStore(connection: connection)) {
            switch taken.outcome {
            case .done: totals.invoicesDone += 1
            case .held: totals.invoicesHeld += 1
            case .refused: totals.invoicesRefused += 1
            }
            log.log(taken.outcome == .refused ? .warning : .info, "invoice_\(taken.outcome.rawValue)",
                    ["file": taken.file, "invoice": taken.invoiceID.map(String.init) ?? "-", "reasons": taken.reasons.joined(separator: "; ")])
        }
    }

    /// Writes the day's seal of the record's chains (once a day, never overwritten), then each
    /// vendor's status report as CSV and HTML, each file replaced atomically.
    func export(to directory: String, connection: Connection) throws {
        // A folder not there yet is made; one that cannot be (a file in its way) fails each file
        // below with the system's reason, and the daemon goes on delivering.
        if !Files.isDirectory(directory) { try? Files.makeFolder(directory) }
        writeDailySeal(to: directory, connection: connection)
        // Each vendor reads its report in its own language.
        var vendors: [(key: String, language: Language)] = []
        for row in try connection.query("SELECT key, lang FROM vendor ORDER BY key") {
            vendors.append((try row.decode(0), Language(rawValue: try row.decode(1)) ?? .et))
        }
        var written = 0
        for (vendor, language) in vendors {
            for format in [ReportFormat.csv, .html] {
                let path = "\(directory)/vendor-\(vendor).\(format.fileExtension)"
                do {
                    let sink = try AtomicFileSink(path: path)
                    let renderer = format.renderer(writingTo: sink, formatting: .for(language))
                    do {
                        try ReportRun.render(VendorReport(vendor: vendor), from: connection, into: renderer, asOf: now) { reason in
                            self.log.error("row_unreadable", ["vendor": vendor, "file": path, "row": reason])
                        }
                        try sink.commit()
                    } catch {
                        sink.discard()
                        throw error
                    }
                    written += 1
                } catch let error as WorkflowError where error.code == .ioError || error.code == .internalError || error.code == .invalidData {
                    // One vendor's report that cannot be written stops neither the others nor delivery.
                    totals.exportsFailed += 1
                    // The same folder fails every file alike: the cause is the system's reason.
                    if causes.isNew("export_failed", error.text.arguments["reason"]?.text(.en) ?? error.message) {
                        log.error("export_failed", ["vendor": vendor, "file": path, "error": error.message])
                    }
                }
            }
        }
        totals.exports += written
        log.info("exported", ["vendors": String(vendors.count), "files": String(written), "directory": directory])
        try exportCalendars(to: directory, connection: connection)
    }

    /// Writes each person's and each vendor's calendar (`calendar-person-LOGIN.ics`,
    /// `calendar-vendor-KEY.ics`), each replaced atomically, in its owner's language.
    func exportCalendars(to directory: String, connection: Connection) throws {
        let store = WorkflowStore(connection: connection)
        let today = LocalDate.today(at: now)
        var owners: [(person: String?, vendor: String?, file: String)] = []
        for row in try connection.query("SELECT login FROM person ORDER BY login") {
            let login: String = try row.decode(0)
            owners.append((login, nil, "calendar-person-\(Self.fileName(login)).ics"))
        }
        for row in try connection.query("SELECT key FROM vendor ORDER BY key") {
            let key: String = try row.decode(0)
            owners.append((nil, key, "calendar-vendor-\(Self.fileName(key)).ics"))
        }
        var written = 0
        for owner in owners {
            let path = "\(directory)/\(owner.file)"
            do {
                let feed = try store.calendarFeed(person: owner.person, vendor: owner.vendor, today: today)
                try AtomicFileSink.replace(path, with: feed.text(in: feed.language))
                written += 1
            } catch let error as WorkflowError where error.code == .ioError || error.code == .invalidData {
                totals.exportsFailed += 1
                if causes.isNew("export_failed", error.text.arguments["reason"]?.text(.en) ?? error.message) {
                    log.error("export_failed", ["file": path, "error": error.message])
                }
            }
        }
        totals.exports += written
        log.info("calendars_exported", ["files": String(written), "directory": directory])
    }

    /// A login or key as a file name: letters, digits, `.`, `_` and `-` as they are (not a leading
    /// `.`), anything else as `%XX` of its UTF-8 bytes, so no name can leave the folder.
    static func fileName(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let plain = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || (byte == UInt8(ascii: ".") && !output.isEmpty)
            output += plain ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return output
    }
}

extension Daemon {
    /// `seal-YYYY-MM-DD.json` in the exports folder: the heads of every chain, verified first. A
    /// seal already written that day is kept (linked into place, so never replaced); a chain that
    /// does not hold is logged and fails the pass, and nothing is sealed.
    func writeDailySeal(to directory: String, connection: Connection) {
        let day = LocalDate.today(at: now)
        let path = "\(directory)/seal-\(day).json"
        guard !FileManager.default.fileExists(atPath: path) else { return }
        do {
            let seal = try WorkflowStore(connection: connection).seal(at: now)
            // Linked into place (`commit(replacing: false)`, as `audit seal --out`): another
            // daemon's seal of the day, written meanwhile, is kept.
            let sink = try AtomicFileSink(path: path)
            try sink.write(seal.json.text + "\n")
            do {
                try sink.commit(replacing: false)
            } catch where FileManager.default.fileExists(atPath: path) {
                return
            }
            totals.exports += 1
            log.info("sealed", ["file": path, "digest": seal.digest, "chains": String(seal.heads.count), "records": String(seal.records)])
        } catch let error as WorkflowError {
            totals.exportsFailed += 1
            log.error(error.code == .invalidData ? "chain_broken" : "seal_failed", ["file": path, "error": error.message])
        } catch {
            totals.exportsFailed += 1
            log.error("seal_failed", ["file": path, "error": "\(error)"])
        }
    }
}

@available(*, unavailable)
extension Daemon: Sendable {}

/// Failures counted by event and cause within one pass of the daemon.
struct RepeatedCauses {
    private var counts: [String: (event: String, cause: String, count: Int)] = [:]
    private var order: [String] = []

    /// Counts a failure; true the first time its cause comes in this pass (log it then).
    mutating func isNew(_ event: String, _ cause: String) -> Bool {
        let key = event + "\u{0}" + cause
        if let seen = counts[key] {
            counts[key] = (event, cause, seen.count + 1)
            return false
        }
        counts[key] = (event, cause, 1)
        order.append(key)
        return true
    }

    /// Logs one line per cause that came more than once (`<event>_repeated count=N`, N in all),
    /// and starts the next pass afresh.
    mutating func summarise(into log: Log) {
        for key in order {
            guard let entry = counts[key], entry.count > 1 else { continue }
            log.warning(entry.event + "_repeated", ["count": String(entry.count), "error": entry.cause])
        }
        counts = [:]
        order = []
    }
}
