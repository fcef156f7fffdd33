extension Catalogue {
    /// Notification and reminder e-mails: every line a recipient reads, by key. Which keys make up
    /// a message is `MessageLayout`'s business; the commands shown stay out of the catalogue (a
    /// shell takes them as they are).
    ///
    /// Estonian addresses the reader formally (`Teie`, `Te`) and always puts a noun in the right
    /// case before `{named}` (`arendustellimuse {named}`), so the id and the title never need to
    /// be inflected. `{business_days} tööpäeva` stands only where the number governs the
    /// genitive or partitive (`… tööpäeva võrra`, `hilineb … tööpäeva`), which reads right for 1
    /// as well as for 11.
    static let notifications: [String: (String, String)] = [
        // Every message
        "mail.greeting": ("Tere, {name}!", "Hello {name},"),
        "mail.greeting.anonymous": ("Tere!", "Hello,"),
        "mail.named": ("{request} „{title}”", "{request} \"{title}\""),
        "mail.named.untitled": ("{request}", "{request}"),
        "mail.subject": ("[{request}] {headline}: {title}", "[{request}] {headline}: {title}"),
        "mail.subject.untitled": ("[{request}] {headline}", "[{request}] {headline}"),
        "mail.escalated": ("{headline} (edastatud ka administraatorile)", "{headline} (escalated)"),
        "mail.escalation": ("Saate selle teate ka administraatorina, sest arendustellimuse tähtaeg on ületatud {business_days} tööpäeva võrra.",
                            "You receive this as an administrator too, because the request is {business_days} business days overdue."),
        "mail.repeated": ("See on {occurrence}. meeldetuletus samal teemal.", "This is reminder number {occurrence} about this."),
        "mail.footer": ("Teate saatis DevWorkflow arendustellimuse {request} kohta. Arendustellimuse vaatamiseks: workflowctl request show {request}",
                        "Sent by DevWorkflow about {request}. To see it: workflowctl request show {request}"),
        "mail.someone": ("Keegi", "Someone"),
        "mail.money": ("{amount}\u{A0}€", "{amount} EUR"),

        // Facts, one `Label: value` line each
        "mail.fact.system": ("Süsteem: {system}", "System: {system}"),
        "mail.fact.priority": ("Prioriteet: {priority}", "Priority: {priority}"),
        "mail.fact.due": ("Hinnapakkumise tähtaeg: {due}", "Quote due: {due}"),
        "mail.fact.quote_due": ("Hinnapakkumise tähtaeg: {quote_due}", "Quote due: {quote_due}"),
        "mail.fact.vendor": ("Tarnija: {vendor}", "Vendor: {vendor}"),
        "mail.fact.hours": ("Töötunnid: {hours}", "Hours: {hours}"),
        "mail.fact.price": ("Hind: {price}", "Price: {price}"),
        "mail.fact.delivery": ("Üleandmise kuupäev: {delivery}", "Delivery date: {delivery}"),
        "mail.fact.order": ("Tellimuse number: {order}", "Order number: {order}"),
        "mail.fact.contract": ("Raamleping: {contract}", "Contract: {contract}"),
        "mail.fact.deadline": ("Tähtaeg: {deadline}", "Deadline: {deadline}"),
        "mail.fact.new_deadline": ("Uus tähtaeg: {deadline}", "New deadline: {deadline}"),
        "mail.fact.version": ("Versioon: {version_name}", "Version: {version_name}"),
        "mail.fact.reason": ("Põhjus: {reason}", "Reason: {reason}"),
        "mail.fact.note": ("Märkus: {note}", "Note: {note}"),
        "mail.fact.state": ("Olek: {state}", "State: {state}"),
        "mail.fact.overdue": ("Tähtaeg ületatud: {business_days} tööpäeva võrra", "Overdue by: {business_days} business days"),

        // What to do next, said in more than one message
        "mail.next.prioritise_or_reject": ("Palun määrake arendustellimusele prioriteet või lükake see tagasi:", "Please prioritise it or reject it:"),
        "mail.next.record_quote": ("Hinnapakkumise saate sisestada käsuga (kui tooteomanik sisestab selle Teie eest, lisab ta --vendor KEY):",
                                   "Record it with (a product owner recording it for you adds --vendor KEY):"),
        "mail.next.record_quote.vendor": ("Hinnapakkumise saate sisestada käsuga (kui tooteomanik sisestab selle Teie eest, lisab ta --vendor {vendor}):",
                                          "Record it with (a product owner recording it for you adds --vendor {vendor}):"),
        "mail.next.transitions": ("Võimalikud järgmised sammud näete käsuga: workflowctl request transitions {request}",
                                  "To see what can happen next: workflowctl request transitions {request}"),

        // Transitions
        "mail.propose.headline": ("Uus arendustellimus", "New request"),
        "mail.propose.summary": ("{actor} esitas {at} arendustellimuse {named}.", "{actor} proposed {named} on {at}."),

        "mail.prioritise.headline": ("Prioriseeritud", "Prioritised"),
        "mail.prioritise.summary": ("{actor} prioriseeris {at} arendustellimuse {named}.", "{actor} prioritised {named} on {at}."),
        "mail.prioritise.next": ("Teil ei ole praegu vaja midagi teha: süsteemi {system} tooteomanik küsib tarnijatelt hinnapakkumisi.",
                                 "Nothing to do for now: the product owner of {system} will ask vendors for quotes."),

        "mail.reject.headline": ("Tagasi lükatud", "Rejected"),
        "mail.reject.summary": ("{actor} lükkas {at} arendustellimuse {named} tagasi.", "{actor} rejected {named} on {at}."),
        "mail.reject.next": ("Arendustellimusega rohkem ei tegeleta. Kui Te ei ole otsusega nõus, pöörduge palun süsteemi {system} tooteomaniku poole.",
                             "Nothing more will be done for this request. If you disagree, please talk to the product owner of {system}."),

        "mail.request_quote.headline": ("Hinnapakkumise küsimine", "Quote requested"),
        "mail.request_quote.summary": ("{actor} küsis Teilt {at} hinnapakkumist arendustellimuse {named} kohta.",
                                       "{actor} asked you for a quote for {named} on {at}."),
        "mail.request_quote.next": ("Palun esitage hinnapakkumine hiljemalt {due}: töötunnid, hind ja üleandmise kuupäev.",
                                    "Please send your quote by {due}: hours, price and delivery date."),
        "mail.request_quote.next.undated": ("Palun esitage hinnapakkumine: töötunnid, hind ja üleandmise kuupäev.",
                                            "Please send your quote: hours, price and delivery date."),

        "mail.quote.headline": ("Hinnapakkumine tarnijalt {vendor}", "Quote received from {vendor}"),
        "mail.quote.headline.anonymous": ("Hinnapakkumine saadud", "Quote received"),
        "mail.quote.summary": ("{actor} sisestas {at} tarnija {vendor} hinnapakkumise arendustellimuse {named} kohta.",
                               "{actor} recorded the quote of {vendor} for {named} on {at}."),
        "mail.quote.summary.anonymous": ("{actor} sisestas {at} hinnapakkumise arendustellimuse {named} kohta.",
                                         "{actor} recorded a quote for {named} on {at}."),
        "mail.quote.next": ("Kui vajalikud hinnapakkumised on laekunud, esitage tellimus ühele tarnijale:",
                            "When the quotes you need are in, order from one vendor:"),

        "mail.order.headline": ("Tellimus {order}", "Order {order}"),
        "mail.order.headline.unnumbered": ("Tellitud", "Ordered"),
        "mail.order.summary": ("{actor} tellis {at} arendustellimuse {named} tarnijalt {vendor}.", "{actor} ordered {named} from {vendor} on {at}."),
        "mail.order.summary.anonymous": ("{actor} tellis {at} arendustellimuse {named}.", "{actor} ordered {named} on {at}."),
        "mail.order.next": ("Palun andke töö üle hiljemalt {deadline}. Kui töö on valmis, sisestage üleandmine käsuga:",
                            "Please deliver by {deadline}. When it is done, record the delivery:"),
        "mail.order.next.undated": ("Palun andke töö üle tellimuse tähtajaks. Kui töö on valmis, sisestage üleandmine käsuga:",
                                    "Please deliver by the order's deadline. When it is done, record the delivery:"),

        "mail.deliver.headline": ("Üle antud", "Delivered"),
        "mail.deliver.summary": ("{actor} teatas {at} arendustellimuse {named} töö üleandmisest.", "{actor} recorded the delivery of {named} on {at}."),
        "mail.deliver.next": ("Palun viige läbi vastuvõtutestimine ning seejärel võtke töö vastu või saatke see tagasi:",
                              "Please run the acceptance tests, then accept or return it:"),

        "mail.accept.headline": ("Vastu võetud", "Accepted"),
        "mail.accept.summary": ("{actor} võttis {at} vastu arendustellimuse {named} üleantud töö.",
                                "{actor} accepted the delivery of {named} on {at}."),
        "mail.accept.next": ("Teil ei ole vaja midagi teha: süsteemi {system} tooteomanik paigaldab töö tootmiskeskkonda.",
                             "Nothing to do: the product owner of {system} will release it to production."),

        "mail.return.headline": ("Tagasi saadetud", "Returned"),
        "mail.return.summary": ("{actor} saatis {at} arendustellimuse {named} üleantud töö tagasi.",
                                "{actor} returned the delivery of {named} on {at}."),
        "mail.return.next": ("Palun kõrvaldage põhjuses nimetatud puudused ja andke töö uuesti üle hiljemalt {deadline}:",
                             "Please fix what the reason names and deliver again by {deadline}:"),
        "mail.return.next.undated": ("Palun kõrvaldage põhjuses nimetatud puudused ja andke töö uuesti üle tellimuse tähtajaks:",
                                     "Please fix what the reason names and deliver again by the order's deadline:"),

        "mail.release.headline": ("Tootmiskeskkonda paigaldatud versioonis {version_name}", "Released in {version_name}"),
        "mail.release.headline.unnamed": ("Tootmiskeskkonda paigaldatud", "Released"),
        "mail.release.summary": ("{actor} paigaldas {at} arendustellimuse {named} tootmiskeskkonda.",
                                 "{actor} released {named} to production on {at}."),
        "mail.release.next": ("Rohkem ei ole vaja midagi teha: arendustellimus on täidetud.", "Nothing more to do: the request is finished."),

        "mail.cancel.headline": ("Tühistatud", "Cancelled"),
        "mail.cancel.summary": ("{actor} tühistas {at} arendustellimuse {named}.", "{actor} cancelled {named} on {at}."),
        "mail.cancel.next": ("Arendustellimusega rohkem ei tegeleta. Kui olete tööga juba alustanud, lõpetage see palun ja pöörduge süsteemi {system} tooteomaniku poole.",
                             "Nothing more will be done for this request. If you are working on it, please stop and talk to the product owner of {system}."),

        "mail.transition.headline": ("Muudatus ({transition})", "Update ({transition})"),
        "mail.transition.headline.plain": ("Muudatus", "Update"),
        "mail.transition.summary": ("{actor} viis {at} arendustellimuse {named} olekust {from} olekusse {to} (samm {transition}).",
                                    "{actor} moved {named} from {from} to {to} ({transition}) on {at}."),
        "mail.transition.summary.new": ("{actor} viis {at} arendustellimuse {named} olekusse {to} (samm {transition}).",
                                        "{actor} moved {named} to {to} ({transition}) on {at}."),
        "mail.transition.summary.changed": ("{actor} muutis {at} arendustellimust {named}.", "{actor} changed {named} on {at}."),

        // Reminders
        "mail.proposed_waiting.headline": ("Meeldetuletus: ootab prioriseerimist", "Reminder: waiting for prioritisation"),
        "mail.proposed_waiting.summary": ("Arendustellimus {named} on oodanud prioriseerimist {business_days} tööpäeva.",
                                          "{named} has waited {business_days} business days for prioritisation."),

        "mail.quote_overdue.headline": ("Meeldetuletus: Teie hinnapakkumise tähtaeg on möödunud", "Reminder: your quote is overdue"),
        "mail.quote_overdue.summary": ("Arendustellimuse {named} hinnapakkumise tähtaeg oli {quote_due}, kuid Teie hinnapakkumist ei ole laekunud.",
                                       "The quote for {named} was due on {quote_due}, and yours has not arrived."),
        "mail.quote_overdue.summary.undated": ("Arendustellimuse {named} hinnapakkumise tähtaeg on möödunud, kuid Teie hinnapakkumist ei ole laekunud.",
                                               "The quote for {named} is overdue, and yours has not arrived."),
        "mail.quote_overdue.next": ("Palun esitage hinnapakkumine kohe: töötunnid, hind ja üleandmise kuupäev.",
                                    "Please send your quote now: hours, price and delivery date."),

        "mail.quoted_waiting.headline": ("Meeldetuletus: hinnapakkumised ootavad otsust", "Reminder: quotes wait for a decision"),
        "mail.quoted_waiting.summary": ("Arendustellimuse {named} hinnapakkumised on oodanud otsust {business_days} tööpäeva, tellimust ei ole veel esitatud.",
                                        "{named} has had quotes for {business_days} business days without an order."),
        "mail.quoted_waiting.next": ("Palun esitage tellimus ühele tarnijale või küsige tarnijatelt uusi hinnapakkumisi, kui saadud pakkumised ei sobi:",
                                     "Please order from one vendor, or ask the vendors again if the quotes do not fit:"),

        "mail.deadline_near.headline": ("Meeldetuletus: üleandmise tähtaeg {deadline}", "Reminder: delivery due {deadline}"),
        "mail.deadline_near.headline.undated": ("Meeldetuletus: üleandmise tähtaeg läheneb", "Reminder: delivery due soon"),
        "mail.deadline_near.summary": ("Arendustellimuse {named} üleandmise tähtaeg on {deadline} ehk {business_days} tööpäeva pärast.",
                                       "The deadline of {named} is {deadline}, in {business_days} business days."),
        "mail.deadline_near.summary.undated": ("Arendustellimuse {named} üleandmise tähtaeg on {business_days} tööpäeva pärast.",
                                               "The deadline of {named} is in {business_days} business days."),
        "mail.deadline_near.next": ("Palun andke töö tähtaegselt üle ja sisestage üleandmine käsuga:",
                                    "Please deliver on time and record the delivery:"),
        "mail.deadline_near.next.late": ("Kui Te tähtajaks valmis ei jõua, teatage sellest kohe süsteemi {system} tooteomanikule.",
                                         "If you cannot make it, tell the product owner of {system} now."),

        "mail.deadline_passed.headline": ("Tähtaeg {deadline} on möödunud", "Deadline {deadline} passed"),
        "mail.deadline_passed.headline.undated": ("Tähtaeg on möödunud", "Deadline passed"),
        "mail.deadline_passed.summary": ("Arendustellimuse {named} tähtaeg oli {deadline}; üleandmine hilineb {business_days} tööpäeva.",
                                         "The deadline of {named} was {deadline}; the delivery is {business_days} business days late."),
        "mail.deadline_passed.summary.undated": ("Arendustellimuse {named} üleandmine hilineb {business_days} tööpäeva.",
                                                 "The delivery of {named} is {business_days} business days late."),
        "mail.deadline_passed.next.vendor": ("Tarnijale: palun andke töö kohe üle või teatage tooteomanikule, millal Te selle üle annate:",
                                             "Vendor: please deliver now, or tell the product owner when you will:"),
        "mail.deadline_passed.next.owner": ("Tooteomanikule: palun võtke tarnijaga ühendust või tühistage tellimus:",
                                            "Product owner: please follow up with the vendor, or cancel the order:"),

        "mail.acceptance_pending.headline": ("Meeldetuletus: vastuvõtmine on ootel", "Reminder: acceptance pending"),
        "mail.acceptance_pending.summary": ("Arendustellimus {named} on üle antud ja on oodanud vastuvõtmist {business_days} tööpäeva.",
                                            "{named} was delivered and has waited {business_days} business days for acceptance."),
        "mail.acceptance_pending.next": ("Palun viige vastuvõtutestimine lõpule ning seejärel võtke töö vastu või saatke see tagasi:",
                                         "Please finish the acceptance tests, then accept or return it:"),

        "mail.release_pending.headline": ("Meeldetuletus: tootmiskeskkonda paigaldamine on ootel", "Reminder: release pending"),
        "mail.release_pending.summary": ("Arendustellimus {named} võeti vastu {business_days} tööpäeva tagasi, kuid seda ei ole veel tootmiskeskkonda paigaldatud.",
                                         "{named} was accepted {business_days} business days ago and is not released yet."),
        "mail.release_pending.next": ("Palun paigaldage töö tootmiskeskkonda ja sisestage versioon käsuga:",
                                      "Please release it to production and record the version:"),

        "mail.rule.headline": ("Meeldetuletus ({rule})", "Reminder ({rule})"),
        "mail.rule.headline.plain": ("Meeldetuletus", "Reminder"),
        "mail.rule.summary": ("Arendustellimus {named} vajab Teie tähelepanu ({business_days} tööpäeva).",
                              "{named} needs your attention ({business_days} business days)."),
        "mail.rule.summary.plain": ("Arendustellimus {named} vajab Teie tähelepanu.", "{named} needs your attention."),
    ]
}
