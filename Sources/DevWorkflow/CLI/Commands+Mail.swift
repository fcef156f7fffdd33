import Foundation

extension Commands {
    /// `mail receive`: one message on standard input, for an MTA's pipe.
    static var mail: [Command] {
        [
            Command("mail", "receive", options: [.value("domain", "DOMAIN", "help.option.mail.receive.domain")],
                    summary: "help.mail.receive") { call in
                let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
                let result: MailGateway.Result
                do {
                    result = try MailGateway(connection: try call.connection(), domain: call.value("domain")).receive(bytes)
                } catch let error as WorkflowError where error.code == .unavailable {
                    // An MTA keeps a message its pipe answers 75 (EX_TEMPFAIL) for and tries again.
                    throw WorkflowError(.conflict, error.text, underlying: error)
                }
                let reason = result.reason.map { call.say("out.mail.reason", ["reason": .message($0)]) } ?? ""
                call.emit(result.json, text: call.say("out.mail.\(result.outcome.rawValue)", ["request": "\(result.request ?? "-")"]) + reason)
            },
        ]
    }

    /// `calendar feed`: a person's or a vendor's dates as RFC 5545.
    static var calendarFeed: Command {
        Command("calendar", "feed", options: [.value("person", "LOGIN", "help.option.calendar.feed.person"),
                                              .value("vendor", "KEY", "help.option.calendar.feed.vendor"),
                                              .value("lang", "et|en", "help.option.lang"), .value("out", "FILE", "help.option.out")],
                summary: "help.calendar.feed") { call in
            guard (call.value("person") == nil) != (call.value("vendor") == nil) else {
                throw WorkflowError(.usage, Message("error.feed_whose"))
            }
            let store = try call.store()
            let feed = try store.calendarFeed(person: call.value("person"), vendor: call.value("vendor"), today: store.today)
            let language = try call.value("lang").map(Language.init(parsing:)) ?? feed.language
            let calendar = feed.calendar(in: language)
            let text = calendar.text(stamp: feed.stamp)
            if let path = call.value("out") {
                try AtomicFileSink.replace(path, with: text)
                call.emit(.object([("file", .string(path)), ("events", .int(calendar.events.count))]),
                          text: call.say("out.calendar.written", ["file": "\(path)", "events": "\(calendar.events.count)"]))
            } else if call.json {
                call.emit(.object([("name", .string(calendar.name)), ("stamp", .timestamp(feed.stamp)),
                                   ("events", .array(calendar.events.map { event in
                                       .object([("uid", .string(event.uid)), ("kind", .string(event.kind)), ("date", .date(event.date)),
                                                ("last_date", .date(event.lastDate)), ("summary", .string(event.summary))])
                                   })), ("ics", .string(text))]), text: text)
            } else {
                // The calendar as it is: its CRLF line ends are the format's.
                call.out.write(text)
            }
        }
    }
}
