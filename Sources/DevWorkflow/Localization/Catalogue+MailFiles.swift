extension Catalogue {
    /// Mail in, finished (sql/0014): a reply's files stored as the request's, and mail to people
    /// who cannot log in saying how to answer by mail rather than which command to run.
    static let mailFiles: KeyValuePairs<String, (String, String)> = [
        // A reply's files (mail_attach)
        "error.mail_file_refused": ("manust „{name}” ei saanud talletada: {why}. Kirjast ei rakendatud midagi; saatke see uuesti ilma selle failita või väiksema failiga",
                                    "the attached file \"{name}\" could not be stored: {why}. Nothing of the message was applied; send it again without that file, or with a smaller one"),
        "error.mail_files": ("receive_mail ei saanud kõigi manuste baite", "receive_mail was not given the bytes of every attachment"),

        // Mail to someone without a login: the reply is the way to answer
        "mail.next.reply_quote.only": ("Hinnapakkumise esitamiseks vastake sellele kirjale, kirjutades esimesele reale: pakkumine: 12 h; 1500,00; 20.12.2026 (tunnid; hind eurodes; üleandmise kuupäev). Kirjale lisatud failid salvestatakse arendustellimuse juurde.",
                                       "To quote, reply to this message with the first line: quote: 12 h; 1500.00; 2026-12-20 (hours; price in euros; delivery date). Files attached to your reply are kept with the request."),
        "mail.next.reply_deliver.only": ("Üleandmisest teatamiseks vastake sellele kirjale, kirjutades esimesele reale: üle antud: märkus tehtud töö kohta. Kirjale lisatud failid salvestatakse arendustellimuse juurde.",
                                         "To report the delivery, reply to this message with the first line: deliver: a note on the work done. Files attached to your reply are kept with the request."),
        "mail.comment.next.reply": ("Vastamiseks vastake sellele kirjale: Teie vastus lisatakse arendustellimusele kommentaarina ja lisatud failid selle failidena.",
                                    "To answer, reply to this message: your reply is added to the request as a comment, and the files you attach as its files."),
        "mail.footer.mail": ("Teate saatis DevWorkflow arendustellimuse {request} kohta.", "Sent by DevWorkflow about {request}."),
        "documents.mail.ask.reply": ("Küsige neid vastusega sellele kirjale.", "Ask for them by replying to this message."),
    ]
}
