import Foundation

extension OptionSpec {
    static let mailDomain = Option<String>("domain", "DOMAIN", help: "help.option.mail.receive.domain")
    static let mailAuthserv = Option<String>("authserv-id", "ID", help: "help.option.mail.receive.authserv-id")
    static let feedPerson = Option<String>("person", "LOGIN", help: "help.option.calendar.feed.person", complete: .live(.logins))
    static let feedVendor = Option<String>("vendor", "KEY", help: "help.option.calendar.feed.vendor", complete: .live(.vendors))
    static let feedOut = Option<String>("out", "FILE", help: "help.option.out", complete: .files)
}

extension Commands {
    /// `mail receive`: one message on standard input, for an MTA's pipe.
    static var mail: [Command] {
        [
            Command("mail", "receive", options: [.mailDomain, .mailAuthserv],
                    summary: "help.mail.receive") { call in
                let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
                let result: MailGateway.Result
                do {
                    result = try MailGateway(connection: try call.connection(), domain: try call[.mailDomain],
                                          authservID: try call[.mailAuthserv]).receive(bytes)
                } catch let error as WorkflowError where error.code == .unavailable {
                    // An MTA keeps a message its pipe answers 75 (EX_TEMPFAIL) for and tries again.
                    throw WorkflowError(.conflict, error.text, underlying: error)
                }
                let reason = result.reason.map { call.say("out.mail.reason", ["reason": .message($0)]) } ?? ""
                // A refused message's sender is answered only when the database queued the answer
                // (never a stranger whose origin was not authenticated): the text says which.
                let key = result.outcome == .refused && !result.wasAnswered ? "out.mail.refused_unanswered" : "out.mail.\(result.outcome.rawValue)"
                call.emit(result.json, text: call.say(key, ["request": "\(result.request ?? "-")"]) + reason)
            },
        ]
    }

    /// `calendar feed`: a person's or a vendor's dates as RFC 5545.
    static var calendarFeed: Command {
        Command("calendar", "feed", options: [.feedPerson, .feedVendor, .feedOut], summary: "help.calendar.feed") { call in
            let person = try call[.feedPerson], vendor = try call[.feedVendor]
            guard (person == nil) != (vendor == nil) else {
                throw WorkflowError(.usage, Message("error.feed_whose"))
            }
            let store = try call.store()
            let feed = try store.calendarFeed(person: person, vendor: vendor, today: store.today)
            // The feed's reader's language, unless --lang says otherwise.
            let language = call.global.language ?? feed.language
            let calendar = feed.calendar(in: language)
            let text = calendar.text(stamp: feed.stamp)
            if let path = try call[.feedOut] {
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
