extension Catalogue {
    /// Mail in, reply addresses, calendars and webhook signing: why a message could not be read
    /// or a reply not be understood, in words its sender gets back.
    static let mailIn: [String: (String, String)] = [
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
    ]
}
