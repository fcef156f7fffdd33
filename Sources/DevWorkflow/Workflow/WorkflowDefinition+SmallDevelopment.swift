extension WorkflowDefinition {
    /// PRODUCT.md's road for a small development: proposal, prioritisation, quotes, order,
    /// delivery, acceptance, release; reject and cancel on the way.
    public static let smallDevelopment: WorkflowDefinition = {
        let owner: [ActorKind] = [.systemOwner, .admin]
        let open = ["proposed", "prioritised", "quote_requested", "quoted", "ordered", "delivered", "accepted"]
        do {
            return try WorkflowDefinition(
                name: "small_development",
                start: "proposed",
                states: [
                    State("proposed"), State("prioritised"), State("quote_requested"), State("quoted"), State("ordered"),
                    State("delivered"), State("accepted"), State("released", final: true), State("rejected", final: true),
                    State("cancelled", final: true),
                ],
                transitions: [
                    Transition("prioritise", from: ["proposed"], to: "prioritised", actors: owner, required: [.priority],
                               effect: .prioritise, notify: [.requester]),
                    Transition("reject", from: ["proposed", "prioritised"], to: "rejected", actors: owner, required: [.reason],
                               effect: .close, notify: [.requester]),
                    Transition("request_quote", from: ["prioritised"], to: "quote_requested", actors: owner, required: [.vendors],
                               optional: [.due], effect: .invite, notify: [.invitedVendors]),
                    Transition("quote", from: ["quote_requested", "quoted"], to: "quoted", actors: [.invitedVendor, .systemOwner, .admin],
                               required: [.hours, .price, .delivery], optional: [.vendor], effect: .quote, notify: [.systemOwners]),
                    Transition("order", from: ["quoted"], to: "ordered", actors: owner, required: [.vendor], optional: [.deadline],
                               effect: .order, notify: [.orderedVendor]),
                    Transition("deliver", from: ["ordered"], to: "delivered", actors: [.orderedVendor, .systemOwner, .admin],
                               required: [.note], optional: [.vendor], effect: .deliver, notify: [.systemOwners]),
                    Transition("accept", from: ["delivered"], to: "accepted", actors: owner, effect: .accept, notify: [.orderedVendor]),
                    Transition("return", from: ["delivered"], to: "ordered", actors: owner, required: [.reason], optional: [.deadline],
                               effect: .returnToVendor, notify: [.orderedVendor]),
                    Transition("release", from: ["accepted"], to: "released", actors: owner, required: [.versionName],
                               effect: .release, notify: [.systemOwners, .requester]),
                    Transition("cancel", from: open, to: "cancelled", actors: owner, required: [.reason], effect: .close,
                               notify: [.requester, .orderedVendor]),
                ])
        } catch {
            preconditionFailure("the built-in workflow is invalid: \(error)")
        }
    }()
}
