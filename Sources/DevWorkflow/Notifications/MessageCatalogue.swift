/// Every text a message is made of, in one table per language.
///
/// Kept as data so a translation is one more table with the same keys. A text names the facts it
/// shows as `{placeholder}`; a line whose placeholder has no value is left out, and a line that
/// starts with `{!name}` is kept only when `name` has no value (the way to say "otherwise").
/// Where a list gives alternatives (headline, greeting, subject), the first that can be filled
/// is used. Placeholders: `name` (the recipient), `request`, `system`, `title`, `actor`, `at`,
/// `from`, `to`, `transition`, `rule`, `version`, `state`, the inputs `priority`, `due`, `hours`,
/// `price` (with its currency), `delivery`, `deadline`, `reason`, `note`, `version_name`,
/// `vendor`, `order`, `contract`, and the reminder's `occurrence`, `due_on`, `quote_due`,
/// `business_days`; `named` (the request and its title) everywhere, `headline` in the subject
/// and the escalated headline.
struct MessageCatalogue: Sendable {
    /// The texts of one transition or reminder rule.
    struct Entry: Sendable {
        /// What the subject says after the request id; alternatives.
        var headline: [String]
        /// What happened, one sentence or two.
        var summary: [String]
        /// `Label: value` lines; those without a value are left out.
        var facts: [String] = []
        /// What the recipient should do next, with the command to do it.
        var next: [String]
    }

    var greeting: [String]
    /// `{named}`: the request with its title, or without when the title is unknown.
    var named: [String]
    var subject: [String]
    /// The headline of a reminder that also goes to an administrator.
    var escalatedHeadline: String
    /// Said in a reminder that also goes to an administrator.
    var escalation: [String]
    /// Said in a repeated reminder (occurrence 2 and later).
    var repeated: [String]
    var footer: [String]
    /// Who acted, when the payload does not say.
    var someone: String
    /// An amount with its currency; `{amount}` is `1200.00`.
    var money: String
    var transitions: [String: Entry]
    var rules: [String: Entry]
    /// A transition the table does not know.
    var otherTransition: Entry
    /// A reminder rule the table does not know.
    var otherRule: Entry
}

extension MessageCatalogue {
    static let english = MessageCatalogue(
        greeting: ["Hello {name},", "Hello,"],
        named: ["{request} \"{title}\"", "{request}"],
        subject: ["[{request}] {headline}: {title}", "[{request}] {headline}"],
        escalatedHeadline: "{headline} (escalated)",
        escalation: ["You receive this as an administrator too, because the request is {business_days} business days overdue."],
        repeated: ["This is reminder number {occurrence} about this."],
        footer: ["-- ", "Sent by DevWorkflow about {request}. To see it: workflowctl request show {request}"],
        someone: "Someone",
        money: "{amount} EUR",
        transitions: [
            "propose": Entry(
                headline: ["New request"],
                summary: ["{actor} proposed {named} on {at}."],
                facts: ["System: {system}"],
                next: [
                    "Please prioritise it or reject it:",
                    "  workflowctl request move {request} prioritise --priority N",
                    "  workflowctl request move {request} reject --reason TEXT",
                ]),
            "prioritise": Entry(
                headline: ["Prioritised"],
                summary: ["{actor} prioritised {named} on {at}."],
                facts: ["Priority: {priority}"],
                next: ["Nothing to do for now: the product owner of {system} will ask vendors for quotes."]),
            "reject": Entry(
                headline: ["Rejected"],
                summary: ["{actor} rejected {named} on {at}."],
                facts: ["Reason: {reason}"],
                next: ["Nothing more will be done for this request. If you disagree, please talk to the product owner of {system}."]),
            "request_quote": Entry(
                headline: ["Quote requested"],
                summary: ["{actor} asked you for a quote for {named} on {at}."],
                facts: ["Quote due: {due}"],
                next: [
                    "Please send your quote by {due}: hours, price and delivery date.",
                    "{!due}Please send your quote: hours, price and delivery date.",
                    "Record it with (a product owner recording it for you adds --vendor KEY):",
                    "  workflowctl request move {request} quote --hours H --price EUR --delivery DATE",
                ]),
            "quote": Entry(
                headline: ["Quote received from {vendor}", "Quote received"],
                summary: [
                    "{actor} recorded the quote of {vendor} for {named} on {at}.",
                    "{!vendor}{actor} recorded a quote for {named} on {at}.",
                ],
                facts: ["Hours: {hours}", "Price: {price}", "Delivery date: {delivery}"],
                next: [
                    "When the quotes you need are in, order from one vendor:",
                    "  workflowctl request move {request} order --vendor {vendor} [--deadline DATE]",
                    "{!vendor}  workflowctl request move {request} order --vendor KEY [--deadline DATE]",
                ]),
            "order": Entry(
                headline: ["Order {order}", "Ordered"],
                summary: [
                    "{actor} ordered {named} from {vendor} on {at}.",
                    "{!vendor}{actor} ordered {named} on {at}.",
                ],
                facts: ["Order number: {order}", "Contract: {contract}", "Price: {price}", "Deadline: {deadline}"],
                next: [
                    "Please deliver by {deadline}. When it is done, record the delivery:",
                    "{!deadline}Please deliver by the order's deadline. When it is done, record the delivery:",
                    "  workflowctl request move {request} deliver --note TEXT",
                ]),
            "deliver": Entry(
                headline: ["Delivered"],
                summary: ["{actor} recorded the delivery of {named} on {at}."],
                facts: ["Vendor: {vendor}", "Note: {note}"],
                next: [
                    "Please run the acceptance tests, then accept or return it:",
                    "  workflowctl request move {request} accept",
                    "  workflowctl request move {request} return --reason TEXT [--deadline DATE]",
                ]),
            "accept": Entry(
                headline: ["Accepted"],
                summary: ["{actor} accepted the delivery of {named} on {at}."],
                next: ["Nothing to do: the product owner of {system} will release it to production."]),
            "return": Entry(
                headline: ["Returned"],
                summary: ["{actor} returned the delivery of {named} on {at}."],
                facts: ["Reason: {reason}", "New deadline: {deadline}"],
                next: [
                    "Please fix what the reason names and deliver again by {deadline}:",
                    "{!deadline}Please fix what the reason names and deliver again by the order's deadline:",
                    "  workflowctl request move {request} deliver --note TEXT",
                ]),
            "release": Entry(
                headline: ["Released in {version_name}", "Released"],
                summary: ["{actor} released {named} to production on {at}."],
                facts: ["Version: {version_name}"],
                next: ["Nothing more to do: the request is finished."]),
            "cancel": Entry(
                headline: ["Cancelled"],
                summary: ["{actor} cancelled {named} on {at}."],
                facts: ["Reason: {reason}"],
                next: ["Nothing more will be done for this request. If you are working on it, please stop and talk to the product owner of {system}."]),
        ],
        rules: [
            "proposed_waiting": Entry(
                headline: ["Reminder: waiting for prioritisation"],
                summary: ["{named} has waited {business_days} business days for prioritisation."],
                next: [
                    "Please prioritise it or reject it:",
                    "  workflowctl request move {request} prioritise --priority N",
                    "  workflowctl request move {request} reject --reason TEXT",
                ]),
            "quote_overdue": Entry(
                headline: ["Reminder: your quote is overdue"],
                summary: [
                    "The quote for {named} was due on {quote_due}, and yours has not arrived.",
                    "{!quote_due}The quote for {named} is overdue, and yours has not arrived.",
                ],
                facts: ["Overdue by: {business_days} business days"],
                next: [
                    "Please send your quote now: hours, price and delivery date.",
                    "Record it with (a product owner recording it for you adds --vendor {vendor}):",
                    "{!vendor}Record it with (a product owner recording it for you adds --vendor KEY):",
                    "  workflowctl request move {request} quote --hours H --price EUR --delivery DATE",
                ]),
            "quoted_waiting": Entry(
                headline: ["Reminder: quotes wait for a decision"],
                summary: ["{named} has had quotes for {business_days} business days without an order."],
                next: [
                    "Please order from one vendor, or ask the vendors again if the quotes do not fit:",
                    "  workflowctl request move {request} order --vendor KEY [--deadline DATE]",
                ]),
            "deadline_near": Entry(
                headline: ["Reminder: delivery due {deadline}", "Reminder: delivery due soon"],
                summary: [
                    "The deadline of {named} is {deadline}, in {business_days} business days.",
                    "{!deadline}The deadline of {named} is in {business_days} business days.",
                ],
                next: [
                    "Please deliver on time and record the delivery:",
                    "  workflowctl request move {request} deliver --note TEXT",
                    "If you cannot make it, tell the product owner of {system} now.",
                ]),
            "deadline_passed": Entry(
                headline: ["Deadline {deadline} passed", "Deadline passed"],
                summary: [
                    "The deadline of {named} was {deadline}; the delivery is {business_days} business days late.",
                    "{!deadline}The delivery of {named} is {business_days} business days late.",
                ],
                facts: ["Vendor: {vendor}"],
                next: [
                    "Vendor: please deliver now, or tell the product owner when you will:",
                    "  workflowctl request move {request} deliver --note TEXT",
                    "Product owner: please follow up with the vendor, or cancel the order:",
                    "  workflowctl request move {request} cancel --reason TEXT",
                ]),
            "acceptance_pending": Entry(
                headline: ["Reminder: acceptance pending"],
                summary: ["{named} was delivered and has waited {business_days} business days for acceptance."],
                next: [
                    "Please finish the acceptance tests, then accept or return it:",
                    "  workflowctl request move {request} accept",
                    "  workflowctl request move {request} return --reason TEXT [--deadline DATE]",
                ]),
            "release_pending": Entry(
                headline: ["Reminder: release pending"],
                summary: ["{named} was accepted {business_days} business days ago and is not released yet."],
                next: [
                    "Please release it to production and record the version:",
                    "  workflowctl request move {request} release --version-name V",
                ]),
        ],
        otherTransition: Entry(
            headline: ["Update ({transition})", "Update"],
            summary: [
                "{actor} moved {named} from {from} to {to} ({transition}) on {at}.",
                "{!from}{actor} moved {named} to {to} ({transition}) on {at}.",
                "{!to}{actor} changed {named} on {at}.",
            ],
            facts: [
                "Priority: {priority}", "Quote due: {due}", "Vendor: {vendor}", "Hours: {hours}", "Price: {price}",
                "Delivery date: {delivery}", "Order number: {order}", "Contract: {contract}", "Deadline: {deadline}",
                "Version: {version_name}", "Reason: {reason}", "Note: {note}",
            ],
            next: ["To see what can happen next: workflowctl request transitions {request}"]),
        otherRule: Entry(
            headline: ["Reminder ({rule})", "Reminder"],
            summary: [
                "{named} needs your attention ({business_days} business days).",
                "{!business_days}{named} needs your attention.",
            ],
            facts: ["State: {state}", "Quote due: {quote_due}", "Deadline: {deadline}", "Vendor: {vendor}"],
            next: ["To see what can happen next: workflowctl request transitions {request}"])
    )
}
