/// Which catalogue texts make up each message, and in what order; the texts themselves, in
/// Estonian and English, are in `Catalogue+Notifications.swift` under `mail.`.
///
/// A text names the facts it shows as `{placeholder}`. A line whose placeholder has no value is
/// left out, and a line with `unless: name` is kept only when `name` has no value (the renderer
/// writes it as a leading `{!name}`: the way to say "otherwise"), one with `when: name` only when
/// it has one (a leading `{?name}`). Where a list gives alternatives
/// (headline, greeting, subject), the first that can be filled is used. Placeholders: `name` (the
/// recipient), `request`, `system`, `title`, `actor`, `at`, `from`, `to`, `transition`, `rule`,
/// `version`, `state`, the inputs `priority`, `due`, `hours`, `price` (with its currency),
/// `delivery`, `deadline`, `reason`, `note`, `version_name`, `vendor`, `order`, `contract`, and
/// the reminder's `occurrence`, `due_on`, `quote_due`, `business_days`; `named` (the request and
/// its title) everywhere, `headline` in the subject and the escalated headline; `no_login` when
/// the recipient is known not to be able to log in; `to_vendor` or `to_staff` when the recipient
/// is known to be a vendor's or not (sql/0030); `warranty_of` (the order a warranty fix is
/// of) and `warranty_end`.
///
/// A transition's entry is looked up as `transition@audience`, then `transition`; for a warranty
/// claim (its payload has `warranty_of`) `warranty.transition@audience` and `warranty.transition`
/// come first, where there is one; so does `warranty.rule` for a reminder about a claim.
///
/// Commands are written here, not in the catalogue: a shell takes them as they are, in every
/// language, so they keep the keys of transitions and options (`… move VOLIS-12 accept`).
/// Someone who cannot log in (`no_login`: a vendor who only reads mail) is shown none of the
/// commands a reply can stand for; they are told how to answer the mail instead.
struct MessageLayout: Sendable {
    /// One line of a message: a catalogue text or a command, maybe kept only when a fact is missing.
    struct Line: Sendable {
        enum Content: Sendable {
            /// A catalogue key.
            case text(String)
            /// A command line, shown indented under the text that introduces it.
            case command(String)
        }

        var content: Content
        /// Keep the line only when none of these facts has a value.
        var unless: [String]
        /// Keep the line only when this fact has a value (one the line does not show).
        var when: String?

        static func text(_ key: String, unless: String..., when: String? = nil) -> Line {
            Line(content: .text(key), unless: unless, when: when)
        }
        static func command(_ template: String, unless: String..., when: String? = nil) -> Line {
            Line(content: .command(template), unless: unless, when: when)
        }
    }

    /// The lines of one transition or reminder rule.
    struct Entry: Sendable {
        /// What the subject says after the request id: catalogue keys, alternatives.
        var headline: [String]
        /// What happened, one sentence or two.
        var summary: [Line]
        /// `Label: value` lines; those without a value are left out.
        var facts: [Line] = []
        /// What the recipient should do next, with the command to do it.
        var next: [Line]
    }

    var greeting: [String]
    /// `{named}`: the request with its title, or without when the title is unknown.
    var named: [String]
    var subject: [String]
    /// The headline of a reminder that also goes to an administrator.
    var escalatedHeadline: String
    /// Said in a reminder that also goes to an administrator.
    var escalation: [Line]
    /// Said in a repeated reminder (occurrence 2 and later).
    var repeated: [Line]
    /// After the signature separator `-- `.
    var footer: [Line]
    /// Who acted, when the payload does not say.
    var someone: String
    /// An amount with its currency; `{amount}` is the number in the language's convention.
    var money: String
    var transitions: [String: Entry]
    var rules: [String: Entry]
    /// A transition the layout does not know.
    var otherTransition: Entry
    /// A reminder rule the layout does not know.
    var otherRule: Entry

    /// Every catalogue key the layout uses.
    var keys: Set<String> {
        // A text that introduces a command may have a `.mail` variant, said to someone who cannot
        // log in (MessageRenderer): used as well.
        func keys(_ lines: [Line]) -> [String] {
            lines.flatMap { line -> [String] in
                guard case let .text(key) = line.content else { return [] }
                return Catalogue.entries[key + ".mail"] != nil ? [key, key + ".mail"] : [key]
            }
        }
        var all = Set(greeting + named + subject + [escalatedHeadline, someone, money])
        all.formUnion(keys(escalation + repeated + footer))
        for entry in Array(transitions.values) + Array(rules.values) + [otherTransition, otherRule] {
            all.formUnion(entry.headline)
            all.formUnion(keys(entry.summary + entry.facts + entry.next))
        }
        return all
    }
}

extension MessageLayout {
    static let standard: MessageLayout = {
        let prioritiseOrReject: [Line] = [
            .text("mail.next.prioritise_or_reject"),
            .command("workflowctl request move {request} prioritise --priority N"),
            .command("workflowctl request move {request} reject --reason TEXT"),
        ]
        // A warranty claim has no prioritising: its product owner orders the fix or rejects it.
        let orderFixOrReject: [Line] = [
            .text("mail.warranty_propose.next"),
            .command("workflowctl request move {request} order [--deadline DATE]"),
            .command("workflowctl request move {request} reject --reason TEXT"),
        ]
        let acceptOrReturn: [Line] = [
            .command("workflowctl request move {request} accept"),
            .command("workflowctl request move {request} return --reason TEXT [--deadline DATE]"),
        ]
        let recordQuote: Line = .command("workflowctl request move {request} quote --hours H --price EUR --delivery DATE", unless: "no_login")
        let deliver: Line = .command("workflowctl request move {request} deliver --note TEXT", unless: "no_login")
        // A vendor who never runs workflowctl answers the mail itself (sql/0011's gateway): told
        // so beside the command when it can log in, instead of it when it cannot.
        let replyQuote: [Line] = [.text("mail.next.reply_quote", unless: "no_login"), .text("mail.next.reply_quote.only", when: "no_login")]
        let replyDeliver: [Line] = [.text("mail.next.reply_deliver", unless: "no_login"), .text("mail.next.reply_deliver.only", when: "no_login")]
        return MessageLayout(
            greeting: ["mail.greeting", "mail.greeting.anonymous"],
            named: ["mail.named", "mail.named.untitled"],
            subject: ["mail.subject", "mail.subject.untitled", "mail.subject.plain"],
            escalatedHeadline: "mail.escalated",
            escalation: [.text("mail.escalation")],
            repeated: [.text("mail.repeated")],
            footer: [.text("mail.footer", unless: "no_login"), .text("mail.footer.mail", when: "no_login")],
            someone: "mail.someone",
            money: "mail.money",
            transitions: [
                "propose": Entry(
                    headline: ["mail.propose.headline"],
                    summary: [.text("mail.propose.summary")],
                    facts: [.text("mail.fact.system")],
                    next: prioritiseOrReject),
                "prioritise": Entry(
                    headline: ["mail.prioritise.headline"],
                    summary: [.text("mail.prioritise.summary")],
                    facts: [.text("mail.fact.priority")],
                    next: [.text("mail.prioritise.next")]),
                "reject": Entry(
                    headline: ["mail.reject.headline"],
                    summary: [.text("mail.reject.summary")],
                    facts: [.text("mail.fact.reason")],
                    next: [.text("mail.reject.next")]),
                "request_quote": Entry(
                    headline: ["mail.request_quote.headline"],
                    summary: [.text("mail.request_quote.summary")],
                    facts: [.text("mail.fact.due")],
                    next: [
                        .text("mail.request_quote.next"),
                        .text("mail.request_quote.next.undated", unless: "due"),
                        .text("mail.next.record_quote", unless: "no_login"),
                        recordQuote,
                    ] + replyQuote),
                "quote": Entry(
                    headline: ["mail.quote.headline", "mail.quote.headline.anonymous"],
                    summary: [.text("mail.quote.summary"), .text("mail.quote.summary.anonymous", unless: "vendor")],
                    facts: [.text("mail.fact.hours"), .text("mail.fact.price"), .text("mail.fact.delivery")],
                    next: [
                        .text("mail.quote.next"),
                        .command("workflowctl request move {request} order --vendor {vendor} [--deadline DATE]"),
                        .command("workflowctl request move {request} order --vendor KEY [--deadline DATE]", unless: "vendor"),
                    ]),
                "order": Entry(
                    headline: ["mail.order.headline", "mail.order.headline.unnumbered"],
                    summary: [.text("mail.order.summary"), .text("mail.order.summary.anonymous", unless: "vendor")],
                    facts: [.text("mail.fact.order"), .text("mail.fact.contract"), .text("mail.fact.price"), .text("mail.fact.deadline")],
                    next: [.text("mail.order.next", unless: "no_login"), .text("mail.order.next.undated", unless: "deadline", "no_login"),
                           .text("mail.order.next.mail", when: "no_login"), .text("mail.order.next.mail.undated", unless: "deadline", when: "no_login"),
                           deliver] + replyDeliver),
                "deliver": Entry(
                    headline: ["mail.deliver.headline"],
                    summary: [.text("mail.deliver.summary")],
                    facts: [.text("mail.fact.vendor"), .text("mail.fact.note")],
                    next: [.text("mail.deliver.next")] + acceptOrReturn),
                "accept": Entry(
                    headline: ["mail.accept.headline"],
                    summary: [.text("mail.accept.summary")],
                    next: [.text("mail.accept.next")]),
                "return": Entry(
                    headline: ["mail.return.headline"],
                    summary: [.text("mail.return.summary")],
                    facts: [.text("mail.fact.reason"), .text("mail.fact.new_deadline")],
                    next: [.text("mail.return.next"), .text("mail.return.next.undated", unless: "deadline"), deliver] + replyDeliver),
                "release": Entry(
                    headline: ["mail.release.headline", "mail.release.headline.unnamed"],
                    summary: [.text("mail.release.summary")],
                    facts: [.text("mail.fact.version")],
                    next: [.text("mail.release.next")]),
                "cancel": Entry(
                    headline: ["mail.cancel.headline"],
                    summary: [.text("mail.cancel.summary")],
                    facts: [.text("mail.fact.reason")],
                    next: [.text("mail.cancel.next")]),
                // Each party a cancellation touches hears what it means for them.
                "cancel@requester": Entry(
                    headline: ["mail.cancel.headline"],
                    summary: [.text("mail.cancel.summary")],
                    facts: [.text("mail.fact.reason")],
                    next: [.text("mail.cancel.next.requester")]),
                "cancel@quoting_vendor": Entry(
                    headline: ["mail.cancel.headline"],
                    summary: [.text("mail.cancel.summary")],
                    facts: [.text("mail.fact.reason")],
                    next: [.text("mail.cancel.next.quoting")]),
                "cancel@system_owner": Entry(
                    headline: ["mail.cancel.headline"],
                    summary: [.text("mail.cancel.summary")],
                    facts: [.text("mail.fact.reason")],
                    next: [.text("mail.next.transitions", unless: "no_login")]),
                // A vendor whose quote was not chosen hears the quoting closed, not who won.
                "order@quoting_vendor": Entry(
                    headline: ["mail.order.closed.headline"],
                    summary: [.text("mail.order.closed.summary")],
                    next: [.text("mail.order.closed.next")]),
                "invite": Entry(
                    headline: ["mail.request_quote.headline"],
                    summary: [.text("mail.request_quote.summary")],
                    facts: [.text("mail.fact.due")],
                    next: [
                        .text("mail.request_quote.next"),
                        .text("mail.request_quote.next.undated", unless: "due"),
                        .text("mail.next.record_quote", unless: "no_login"),
                        recordQuote,
                    ] + replyQuote),
                "comment": Entry(
                    headline: ["mail.comment.headline"],
                    summary: [.text("mail.comment.summary")],
                    facts: [.text("mail.fact.comment")],
                    next: [.text("mail.comment.next", unless: "no_login"), .command("workflowctl request comment {request} TEXT", unless: "no_login"),
                           .text("mail.comment.next.reply", when: "no_login")]),
                // A quote or a delivery a reply by mail applied, told to its sender (sql/0059).
                "mail_applied": Entry(
                    headline: ["mail.mail_applied.headline"],
                    summary: [.text("mail.mail_applied.summary.quote", when: "hours"), .text("mail.mail_applied.summary.deliver", unless: "hours")],
                    facts: [.text("mail.fact.hours"), .text("mail.fact.price"), .text("mail.fact.delivery"), .text("mail.fact.note")],
                    next: [.text("mail.mail_applied.next")]),
                // The answer to a message the mail gateway did not apply: why, and how to write one.
                "mail_refused": Entry(
                    headline: ["mail.mail_refused.headline"],
                    summary: [.text("mail.mail_refused.summary"), .text("mail.mail_refused.summary.untitled", unless: "subject")],
                    facts: [.text("mail.fact.why")],
                    next: [.text("mail.mail_refused.next")]),
                // An invoice held or refused: not a step of the request, told to its system's
                // product owners and to the seller.
                "invoice_held@system_owner": Entry(
                    headline: ["mail.invoice_held.headline"],
                    summary: [.text("mail.invoice_held.summary"), .text("mail.fact.reasons")],
                    facts: [.text("mail.fact.invoice_amount")],
                    next: [.text("mail.invoice_held.next.owner"), .command("workflowctl invoice release {invoice_id} --reason TEXT")]),
                "invoice_held@seller": Entry(
                    headline: ["mail.invoice_held.headline"],
                    summary: [.text("mail.invoice_held.summary"), .text("mail.fact.reasons")],
                    facts: [.text("mail.fact.invoice_amount")],
                    next: [.text("mail.invoice_held.next.seller")]),
                "invoice_refused": Entry(
                    headline: ["mail.invoice_refused.headline"],
                    summary: [.text("mail.invoice_refused.summary"), .text("mail.fact.reasons")],
                    facts: [.text("mail.fact.invoice_amount")],
                    next: [.text("mail.invoice_refused.next")]),
                // The buyer stops and restarts an order's clock (issue 19): the vendor hears why.
                "hold": Entry(
                    headline: ["mail.hold.headline"],
                    summary: [.text("mail.hold.summary")],
                    facts: [.text("mail.fact.reason"), .text("mail.fact.deadline")],
                    next: [.text("mail.hold.next")]),
                "resume": Entry(
                    headline: ["mail.resume.headline"],
                    summary: [.text("mail.resume.summary")],
                    facts: [.text("mail.fact.reason"), .text("mail.fact.deadline")],
                    next: [.text("mail.resume.next"), deliver] + replyDeliver),
                // A warranty claim (its payload names the order it fixes: `warranty_of`): the
                // warranty road has no prioritising or quoting; the product owner orders the fix
                // from the order's vendor or rejects the claim.
                "warranty.propose": Entry(
                    headline: ["mail.warranty_propose.headline"],
                    summary: [.text("mail.warranty_propose.summary")],
                    facts: [.text("mail.fact.system"), .text("mail.fact.warranty_of")],
                    next: orderFixOrReject),
                // A warranty claim's order (its payload names the order it fixes: `warranty_of`):
                // a fix at no cost, by its own deadline.
                "warranty.order": Entry(
                    headline: ["mail.warranty_order.headline", "mail.order.headline.unnumbered"],
                    summary: [.text("mail.warranty_order.summary")],
                    facts: [.text("mail.fact.order"), .text("mail.fact.warranty_of"), .text("mail.fact.contract"), .text("mail.fact.deadline")],
                    next: [.text("mail.warranty_order.next"), .text("mail.order.next.undated", unless: "deadline"), deliver] + replyDeliver),
                "import": Entry(
                    headline: ["mail.import.headline"],
                    summary: [.text("mail.import.summary")],
                    facts: [.text("mail.fact.system")],
                    next: prioritiseOrReject),
            ],
            rules: [
                // A warranty claim waiting for the product owner: order the fix or reject it.
                "warranty.proposed_waiting": Entry(
                    headline: ["mail.warranty_proposed_waiting.headline"],
                    summary: [.text("mail.warranty_proposed_waiting.summary")],
                    next: orderFixOrReject),
                "proposed_waiting": Entry(
                    headline: ["mail.proposed_waiting.headline"],
                    summary: [.text("mail.proposed_waiting.summary")],
                    next: prioritiseOrReject),
                "quote_overdue": Entry(
                    headline: ["mail.quote_overdue.headline"],
                    summary: [.text("mail.quote_overdue.summary"), .text("mail.quote_overdue.summary.undated", unless: "quote_due")],
                    facts: [.text("mail.fact.overdue")],
                    next: [
                        .text("mail.quote_overdue.next"),
                        .text("mail.next.record_quote.vendor", unless: "no_login"),
                        .text("mail.next.record_quote", unless: "vendor", "no_login"),
                        recordQuote,
                    ] + replyQuote),
                "quoted_waiting": Entry(
                    headline: ["mail.quoted_waiting.headline"],
                    summary: [.text("mail.quoted_waiting.summary")],
                    next: [
                        .text("mail.quoted_waiting.next"),
                        .command("workflowctl request move {request} order --vendor KEY [--deadline DATE]"),
                        .text("mail.quoted_waiting.next.invite"),
                        .command("workflowctl request move {request} invite --vendor KEY [--due DATE]"),
                    ]),
                "deadline_near": Entry(
                    headline: ["mail.deadline_near.headline", "mail.deadline_near.headline.undated"],
                    summary: [.text("mail.deadline_near.summary"), .text("mail.deadline_near.summary.undated", unless: "deadline")],
                    next: [.text("mail.deadline_near.next"), deliver] + replyDeliver + [.text("mail.deadline_near.next.late")]),
                "deadline_passed": Entry(
                    headline: ["mail.deadline_passed.headline", "mail.deadline_passed.headline.undated"],
                    summary: [.text("mail.deadline_passed.summary"), .text("mail.deadline_passed.summary.undated", unless: "deadline")],
                    facts: [.text("mail.fact.vendor")],
                    // Each party its own part (to_vendor / to_staff); both when who it is is unknown.
                    next: [
                        .text("mail.deadline_passed.next.vendor", unless: "to_staff"),
                        .command("workflowctl request move {request} deliver --note TEXT", unless: "no_login", "to_staff"),
                        .text("mail.next.reply_deliver.only", unless: "to_staff", when: "no_login"),
                        .text("mail.deadline_passed.next.owner", unless: "no_login", "to_vendor"),
                        .command("workflowctl request move {request} cancel --reason TEXT", unless: "no_login", "to_vendor"),
                        .text("mail.deadline_passed.next.owner.mail", unless: "to_vendor", when: "no_login"),
                    ]),
                // The warranty road's own deadline rules: a fix is due at no cost.
                "warranty_fix_near": Entry(
                    headline: ["mail.warranty_fix_near.headline", "mail.warranty_fix_near.headline.undated"],
                    summary: [.text("mail.warranty_fix_near.summary"), .text("mail.warranty_fix_near.summary.undated", unless: "deadline")],
                    next: [.text("mail.warranty_fix_near.next"), deliver] + replyDeliver + [.text("mail.deadline_near.next.late")]),
                "warranty_fix_passed": Entry(
                    headline: ["mail.warranty_fix_passed.headline", "mail.warranty_fix_passed.headline.undated"],
                    summary: [.text("mail.warranty_fix_passed.summary"), .text("mail.warranty_fix_passed.summary.undated", unless: "deadline")],
                    facts: [.text("mail.fact.vendor")],
                    next: [
                        .text("mail.deadline_passed.next.vendor", unless: "to_staff"),
                        .command("workflowctl request move {request} deliver --note TEXT", unless: "no_login", "to_staff"),
                        .text("mail.next.reply_deliver.only", unless: "to_staff", when: "no_login"),
                        .text("mail.warranty_fix_passed.next.owner", unless: "to_vendor"),
                    ]),
                "warranty_ending": Entry(
                    headline: ["mail.warranty_ending.headline"],
                    summary: [.text("mail.warranty_ending.summary")],
                    facts: [.text("mail.fact.order"), .text("mail.fact.vendor")],
                    next: [
                        .text("mail.warranty_ending.next"),
                        .command("workflowctl request new --warranty-of {order} --title TEXT"),
                    ]),
                "acceptance_pending": Entry(
                    headline: ["mail.acceptance_pending.headline"],
                    summary: [.text("mail.acceptance_pending.summary")],
                    next: [.text("mail.acceptance_pending.next")] + acceptOrReturn),
                "release_pending": Entry(
                    headline: ["mail.release_pending.headline"],
                    summary: [.text("mail.release_pending.summary")],
                    next: [
                        .text("mail.release_pending.next"),
                        .command("workflowctl request move {request} release --version-name V"),
                    ]),
            ],
            otherTransition: Entry(
                headline: ["mail.transition.headline", "mail.transition.headline.plain"],
                summary: [
                    .text("mail.transition.summary"),
                    .text("mail.transition.summary.new", unless: "from"),
                    .text("mail.transition.summary.changed", unless: "to"),
                ],
                facts: ["priority", "due", "vendor", "hours", "price", "delivery", "order", "contract", "deadline", "version",
                        "reason", "note"].map { .text("mail.fact.\($0)") },
                next: [.text("mail.next.transitions", unless: "no_login")]),
            otherRule: Entry(
                headline: ["mail.rule.headline", "mail.rule.headline.plain"],
                summary: [.text("mail.rule.summary"), .text("mail.rule.summary.plain", unless: "business_days")],
                facts: [.text("mail.fact.state"), .text("mail.fact.quote_due"), .text("mail.fact.deadline"), .text("mail.fact.vendor")],
                next: [.text("mail.next.transitions", unless: "no_login")])
        )
    }()
}
