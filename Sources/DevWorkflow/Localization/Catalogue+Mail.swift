extension Catalogue {
    /// Mail in, reply addresses, calendars and webhook signing: why a message could not be read
    /// or a reply not be understood, in words its sender gets back.
    static let mailIn: KeyValuePairs<String, (String, String)> = [
        // Reading a message
        "error.mail_not_a_message": ("see ei ole e-kiri: kiri peab algama päiseväljaga (näiteks „From: …”)",
                                     "this is not an e-mail: a message must start with a header field (like 'From: …')"),
        "error.mail_header_line": ("e-kirja päise rida {line} ei ole päiseväli („Nimi: väärtus”)",
                                   "line {line} of the e-mail's header is not a header field ('Name: value')"),
        "error.mail_too_large": ("e-kiri on liiga suur: {size} baiti, lubatud kuni {limit}", "the e-mail is too large: {size} bytes, at most {limit} allowed"),
        "error.mail_too_many_parts": ("e-kirjas on liiga palju osi (lubatud kuni {limit})", "the e-mail has too many parts (at most {limit} allowed)"),
        "error.mail_too_deep": ("e-kirja osad on liiga sügavalt üksteise sees (lubatud kuni {limit} taset)",
                                "the e-mail's parts nest too deep (at most {limit} levels allowed)"),
        "error.mail_too_many_fields": ("e-kirja päises on liiga palju välju (lubatud kuni {limit})", "the e-mail's header has too many fields (at most {limit} allowed)"),
        "error.mail_no_boundary": ("e-kirja osa tüübiga {type} ei nimeta oma piirjoont (boundary)", "a part of type {type} names no boundary"),

        // Understanding a reply
        "error.reply_empty": ("vastuses ei ole omaenda teksti, ainult tsiteeritud kiri", "the reply has no text of its own, only the quoted message"),
        "error.reply_quote_format": ("pakkumise rida „{line}” ei ole loetav: oodatud „pakkumine: TUNNID; HIND; KUUPÄEV”, näiteks „pakkumine: 12 h; 1500,00; 20.12.2026”",
                                     "the quote line '{line}' cannot be read: expected 'quote: HOURS; PRICE; DATE', like 'quote: 12 h; 1500.00; 2026-12-20'"),
        "error.reply_hours": ("„{value}” ei ole tundide arv: oodatud näiteks 12, 12 h või 12,5 h", "'{value}' is not a number of hours: expected e.g. 12, 12 h or 12.5 h"),
        "error.reply_price": ("„{value}” ei ole summa eurodes: oodatud näiteks 1500,00, 1 500,00 € või 1500.00",
                              "'{value}' is not an amount in euros: expected e.g. 1500.00, 1 500,00 € or 1500,00"),
        "error.reply_date": ("„{value}” ei ole kuupäev: oodatud näiteks 20.12.2026 või 2026-12-20", "'{value}' is not a date: expected e.g. 2026-12-20 or 20.12.2026"),

        // Reply addresses
        "error.reply_token_format": ("„{address}” ei ole DevWorkflow vastamise aadress", "'{address}' is not a DevWorkflow reply address"),
        "error.reply_token_signature": ("vastamise aadressi „{address}” allkiri ei klapi: kiri ei ole vastus DevWorkflow saadetud kirjale",
                                        "the reply address '{address}' does not carry a valid signature: the message is no answer to one DevWorkflow sent"),

        // Signed webhooks
        "error.webhook_secret_format": ("veebikonksu saladus peab olema kujul whsec_ ja 24 kuni 64 baidi base64-kood",
                                        "the webhook secret must be whsec_ followed by the base64 of 24 to 64 bytes"),
        "error.webhook_secret_file": ("--webhook-secret-file {path}: {problem}", "--webhook-secret-file {path}: {problem}"),
        "error.webhook_secret_unreadable": ("faili ei õnnestu lugeda ({reason})", "cannot read the file ({reason})"),
        "error.webhook_secret_not_file": ("see ei ole tavaline fail", "not a regular file"),
        "error.webhook_secret_needs_url": ("--webhook-secret-file vajab ka võtit --webhook", "--webhook-secret-file needs --webhook too"),

        // The mail gateway (receive_mail in sql/0011): why a message was not applied
        "error.mail_gateway_only": ("e-kirju võtab vastu ainult e-posti värav (deemoni kasutaja) või administraator",
                                    "only the mail gateway (the daemon's login) or an admin may hand in mail"),
        "error.mail_document": ("receive_mail ootab JSON-objekti, milles on message_id", "receive_mail takes a JSON object with a message_id"),
        "error.mail_automatic": ("kirja saatis masin ({why}); sellisele kirjale ei vastata", "a machine sent the message ({why}); such mail is never answered"),
        "error.mail_own": ("see on DevWorkflow enda saadetud kiri", "this is a message DevWorkflow sent itself"),
        "error.mail_not_authenticated": ("kirja päritolu ei leidnud kinnitust: {method} andis tulemuse {result}. Saatke kiri uuesti oma tavalisest postkastist",
                                         "the message's origin could not be confirmed: {method} said {result}. Send it again from your usual mailbox"),
        "error.mail_token_invalid": ("kirja vastamise aadress ei ole DevWorkflow allkirjastatud aadress või on seda muudetud. Vastake otse DevWorkflow saadetud kirjale",
                                     "the message's reply address is not one DevWorkflow signed, or it was altered. Reply directly to a message DevWorkflow sent"),
        "error.mail_not_tied": ("kiri ei ole vastus ühelegi DevWorkflow saadetud kirjale, seega ei ole teada, millise arendustellimuse kohta see on",
                                "the message answers no message DevWorkflow sent, so it is not known which request it is about"),
        "error.mail_other_sender": ("kirja saatja {sender} ei ole see, kellele arendustellimuse {request} kiri saadeti (ega sama tarnija töötaja)",
                                    "the sender {sender} is not the person the message about {request} was sent to (nor one of the same vendor's people)"),
        "error.mail_command_needs_token": ("pakkumise või üleandmise rida rakendatakse ainult vastusena DevWorkflow kirja vastamise aadressile (Reply-To); vastake kirjale arendustellimuse {request} kohta otse",
                                           "a quote or delivery line is applied only when sent to a DevWorkflow message's reply address (Reply-To); reply directly to the message about {request}"),
        "error.mail_not_applied": ("kirja ei õnnestunud rakendada", "the message could not be applied"),
        "error.feed_whose": ("kalender on ühe isiku (--person LOGIN) või ühe tarnija (--vendor KEY) oma", "a calendar feed is of one person (--person LOGIN) or one vendor (--vendor KEY)"),
        "error.no_feed_person": ("isikut {login} ei ole (või tema kalender ei ole Teile nähtav)", "no person {login} (or their calendar is not yours to read)"),

        // workflowctl mail receive
        "out.mail.applied": ("kiri rakendati: {request}", "message applied: {request}"),
        "out.mail.refused": ("kirja ei rakendatud ({request}); saatjale vastatakse", "message not applied ({request}); its sender is answered"),
        "out.mail.refused_unanswered": ("kirja ei rakendatud ({request}); saatjale ei vastata", "message not applied ({request}); its sender is not answered"),
        "out.mail.ignored": ("kiri jäeti kõrvale ({request}); sellele ei vastata", "message set aside ({request}); not answered"),
        "out.mail.duplicate": ("see kiri on juba vastu võetud ({request}); midagi ei tehtud uuesti", "this message was handed in before ({request}); nothing done again"),
        "out.mail.reason": (": {reason}", ": {reason}"),
        "out.calendar.written": ("kalender kirjutati faili {file} ({events} sündmust)", "calendar written to {file} ({events} events)"),

        // Mails about mail
        "mail.comment.headline": ("Uus kommentaar", "New comment"),
        "mail.comment.summary": ("{actor} kommenteeris {at} arendustellimust {named}:", "{actor} commented on {named} on {at}:"),
        "mail.fact.comment": ("  {comment}", "  {comment}"),
        "mail.comment.next": ("Vastamiseks vastake sellele kirjale: Teie vastus lisatakse arendustellimusele kommentaarina. Käsurealt:",
                              "To answer, reply to this message: your reply is added to the request as a comment. From the command line:"),
        "mail.next.reply_quote": ("Võite ka vastata sellele kirjale, kirjutades esimesele reale: pakkumine: 12 h; 1500,00; 20.12.2026 (tunnid; hind eurodes; üleandmise kuupäev).",
                                  "Or reply to this message with the first line: quote: 12 h; 1500.00; 2026-12-20 (hours; price in euros; delivery date)."),
        "mail.next.reply_deliver": ("Võite ka vastata sellele kirjale, kirjutades esimesele reale: üle antud: märkus tehtud töö kohta.",
                                    "Or reply to this message with the first line: deliver: a note on the work done."),
        "mail.mail_refused.headline": ("Teie kirja ei rakendatud", "Your message was not applied"),
        "mail.mail_refused.summary": ("Saime {at} Teie kirja „{subject}”, kuid ei rakendanud seda.", "We received your message \"{subject}\" on {at} but did not apply it."),
        "mail.mail_refused.summary.untitled": ("Saime {at} Teie kirja, kuid ei rakendanud seda.", "We received your message on {at} but did not apply it."),
        "mail.fact.why": ("Põhjus: {why}.", "Reason: {why}."),
        "mail.mail_refused.next": ("Vastake DevWorkflow saadetud kirjale sellelt aadressilt, kuhu see tuli. Esimene rida „pakkumine: 12 h; 1500,00; 20.12.2026” esitab hinnapakkumise, „üle antud: märkus” teatab üleandmisest; muu tekst lisatakse kommentaarina.",
                                   "Reply to a message DevWorkflow sent, from the address it came to. A first line \"quote: 12 h; 1500.00; 2026-12-20\" records a quote, \"deliver: note\" a delivery; any other text is added as a comment."),
        "mail.subject.plain": ("{headline}", "{headline}"),

        // Calendars
        "calendar.name": ("DevWorkflow – {name}", "DevWorkflow – {name}"),
        "calendar.quote_due": ("Hinnapakkumise tähtaeg: {request} „{title}”", "Quote due: {request} \"{title}\""),
        "calendar.order_deadline": ("Üleandmise tähtaeg: {request} „{title}”", "Delivery deadline: {request} \"{title}\""),
        "calendar.acceptance_window": ("Vastuvõtmine: {request} „{title}”", "Acceptance: {request} \"{title}\""),
        "calendar.release_window": ("Tootmiskeskkonda paigaldamine: {request} „{title}”", "Release: {request} \"{title}\""),
        "calendar.contract_end": ("Raamleping {detail} lõpeb ({vendor})", "Contract {detail} ends ({vendor})"),
        "calendar.holiday": ("Riigipüha: {detail}", "Public holiday: {detail}"),
        "calendar.closure": ("Suletud: {detail}", "Closed: {detail}"),
        "calendar.closure.plain": ("Suletud (lisapuhkepäev)", "Closed (extra day off)"),
        "calendar.about": ("Arendustellimus {request} süsteemis {system}.", "Request {request} of {system}."),
        "calendar.about.order": ("Arendustellimus {request} süsteemis {system}, tellimus {order} tarnijalt {vendor}.",
                                 "Request {request} of {system}, order {order} from {vendor}."),
        "calendar.kind.quote-due": ("Hinnapakkumine", "Quote"),
        "calendar.kind.order-deadline": ("Tähtaeg", "Deadline"),
        "calendar.kind.acceptance-window": ("Vastuvõtmine", "Acceptance"),
        "calendar.kind.release-window": ("Paigaldamine", "Release"),
        "calendar.kind.contract-end": ("Raamleping", "Contract"),
        "calendar.kind.holiday": ("Riigipüha", "Public holiday"),
        "calendar.kind.closure": ("Suletud", "Closed"),
    ]
}
