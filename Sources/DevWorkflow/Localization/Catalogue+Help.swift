extension Catalogue {
    /// `--help` of workflowctl: what each command does and what each option means.
    static let help: KeyValuePairs<String, (String, String)> = [
        "help.workflowd": ("""
            Kasutus: workflowd [--database CONNINFO] [--once] [--interval SECONDS] [--now TIMESTAMP]
                               [--sendmail COMMAND] [--webhook URL [--webhook-secret-file FILE]] [--file PATH] [--exports DIR]
                               [--export-interval SECONDS] [--invoices DIR] [--from ADDRESS] [--max-attempts N] [--lease SECONDS]
                               [--retry-delay SECONDS] [--maildir DIR] [--reply-domain DOMAIN] [--help] [--version]

            Saadab DevWorkflow'i teavitused ja tööpäevadega arvestatud meeldetuletused ning kirjutab iga
            tarnija seisuaruande. Kui kanalit ei ole antud, läheb e-post käsuga /usr/sbin/sendmail -t -i.

              --database CONNINFO    libpq-i ühendusteave või URI (muidu WORKFLOW_DATABASE_URL, libpq-i
                                     keskkonnamuutujad või sisseehitatud andmebaas)
              --once                 üks läbimine (meeldetuletused, aruanded, saatmine) ja lõpp
              --interval SECONDS     sekundeid meeldetuletuste kontrollide vahel (vaikimisi 60)
              --now TIMESTAMP        hinda tähtaegu selle hetke seisuga (2026-12-22, 2026-12-22T09:00,
                                     2026-12-22T09:00:00+02:00)
              --sendmail COMMAND     saada e-post selle sendmail'iga ühilduva käsuga
              --webhook URL          postita iga teade JSON-ina (päis Idempotency-Key)
              --webhook-secret-file FILE
                                     allkirjasta iga postitus Standard Webhooksi järgi (webhook-id,
                                     webhook-timestamp, webhook-signature) failis oleva whsec_… saladusega
              --file PATH            lisa iga teade faili ühe JSON-reana
              --exports DIR          kirjuta sinna vendor-KEY.csv ja vendor-KEY.html ning iga isiku ja tarnija
                                     kalender (calendar-person-LOGIN.ics, calendar-vendor-KEY.ics), asendades
                                     need tervikuna
              --export-interval S    sekundeid aruannete kirjutamiste vahel (vaikimisi 3600)
              --invoices DIR         e-arvete sissetuleku kaust: iga fail imporditakse üks kord ja viiakse
                                     kausta done/, held/ (põhjustega failis NIMI.reason.txt) või refused/
              --from ADDRESS         e-kirjade saatja (vaikimisi DevWorkflow <devworkflow@localhost>)
              --max-attempts N       katseid, enne kui teade jääb saatmata (vaikimisi 6)
              --lease SECONDS        kui kaua võetud teade on meie oma, enne kui teised selle võivad võtta (vaikimisi 60)
              --retry-delay SECONDS  esimene ootamine pärast nurjumist; see kahekordistub iga kord (vaikimisi 5)
              --maildir DIR          võta vastu Maildiri kausta new/ kirjad: rakendatud kiri läheb kausta cur/,
                                     rakendamata kiri kausta failed/ koos põhjusega (failis NIMI.reason)
              --reply-domain DOMAIN  vastamise aadresside domeen (Reply-To: reply+…@DOMAIN); vaikimisi
                                     --from aadressi domeen; --maildir võtab vastu vaid selle domeeni aadresse
              --version              näita versiooni ja lõpeta

            Lõpetamise koodid: 0 valmis või peatatud signaaliga SIGTERM/SIGINT, 64 vigane käsurida,
            69 andmebaas ei ole kättesaadav (--once), 70 sisemine viga (--once), 74 aruannet ei õnnestunud
            kirjutada (--once), 75 teate saatmine nurjus: see ootab uut katset või jäi saatmata, vt
            `workflowctl outbox list --failed` (--once), 78 andmebaas on ainult lugemiseks, ootel koopia (--once).
            """, """
            Usage: workflowd [--database CONNINFO] [--once] [--interval SECONDS] [--now TIMESTAMP]
                             [--sendmail COMMAND] [--webhook URL [--webhook-secret-file FILE]] [--file PATH] [--exports DIR]
                             [--export-interval SECONDS] [--invoices DIR] [--from ADDRESS] [--max-attempts N] [--lease SECONDS]
                             [--retry-delay SECONDS] [--maildir DIR] [--reply-domain DOMAIN] [--help] [--version]

            Sends the notifications and business-day reminders of DevWorkflow and exports each vendor's
            status report. Without a channel option, mail goes through /usr/sbin/sendmail -t -i.

              --database CONNINFO    libpq connection string or URI (else WORKFLOW_DATABASE_URL, libpq's
                                     environment, or the embedded cluster)
              --once                 one pass (reminders, exports, deliveries) and exit
              --interval SECONDS     seconds between reminder passes (default 60)
              --now TIMESTAMP        judge deadlines as of this moment (2026-12-22, 2026-12-22T09:00,
                                     2026-12-22T09:00:00+02:00)
              --sendmail COMMAND     deliver e-mail through this sendmail-compatible command
              --webhook URL          POST each message as JSON (Idempotency-Key header)
              --webhook-secret-file FILE
                                     sign each webhook as Standard Webhooks defines (webhook-id,
                                     webhook-timestamp, webhook-signature) with the whsec_… secret in FILE
              --file PATH            append each message as one JSON line
              --exports DIR          write vendor-KEY.csv, vendor-KEY.html and each person's and vendor's
                                     calendar (calendar-person-LOGIN.ics, calendar-vendor-KEY.ics) there,
                                     each replaced atomically
              --export-interval S    seconds between exports (default 3600)
              --invoices DIR         an e-invoice drop folder: each file is imported once and moved to
                                     done/, held/ (with its reasons in NAME.reason.txt) or refused/
              --from ADDRESS         the From of e-mails (default DevWorkflow <devworkflow@localhost>)
              --max-attempts N       attempts before a message ends as failed (default 6)
              --lease SECONDS        how long a claimed message is ours before others may take it (default 60)
              --retry-delay SECONDS  the first wait after a failure; it doubles each time (default 5)
              --maildir DIR          take in the mail of the Maildir's new/: an applied message goes to cur/,
                                     one not applied to failed/ with why (in NAME.reason)
              --reply-domain DOMAIN  the domain of reply addresses (Reply-To: reply+…@DOMAIN); by default the
                                     domain of --from; --maildir takes reply addresses of this domain only
              --version              print the version and exit

            Exit codes: 0 done or stopped by SIGTERM/SIGINT, 64 usage, 69 database unavailable (--once),
            70 internal error (--once), 74 an export could not be written (--once), 75 a delivery failed:
            it waits for a retry or gave up, see `workflowctl outbox list --failed` (--once),
            78 read-only database, a standby (--once).
            """),
        "help.title": ("workflowctl — arendustellimused esitamisest tootmiskeskkonda paigaldamiseni",
                       "workflowctl — change requests from proposal to release"),
        "help.usage": ("Kasutus", "Usage"),
        "help.commands": ("Käsud", "Commands"),
        "help.options": ("Valikud", "Options"),

        "help.db.migrate": ("rakenda andmebaasist puuduvad skeemi migratsioonid", "apply the schema migrations this build carries that the database lacks"),
        "help.db.status": ("näita rakendatud ja ootel migratsioone", "list the migrations applied and pending"),
        "help.option.db.status.dir": ("andmebaasiklastri kaust (vaikimisi WORKFLOW_HOME, root-kasutajal /var/lib/devworkflow, muidu ~/.local/share/devworkflow, kui see on olemas, või masina ühine /var/lib/devworkflow)",
                                      "the cluster's folder (default: WORKFLOW_HOME, /var/lib/devworkflow as root, else ~/.local/share/devworkflow if it exists, or the machine's shared /var/lib/devworkflow)"),
        "help.option.cluster.start.trust": ("luba igal rollil soklist ühenduda paroolita (ühekordsed testiklastrid)",
                                            "let any role connect over the socket without a password (throwaway test clusters)"),
        "help.cluster.start": ("loo (vajadusel) ja käivita sisseehitatud PostgreSQL, ainult Unixi sokliga",
                               "create (if needed) and start the embedded PostgreSQL, Unix socket only"),
        "help.cluster.stop": ("peata sisseehitatud PostgreSQL", "stop the embedded PostgreSQL"),
        "help.cluster.status": ("ütle, kas sisseehitatud PostgreSQL on olemas ja töötab (lõpetab koodiga 0 töötab, 3 peatatud, 4 puudub, nagu pg_ctl status)",
                                "say whether the embedded PostgreSQL exists and runs (exits 0 running, 3 stopped, 4 absent, as pg_ctl status does)"),
        "help.cluster.add-login": ("anna masina kasutajale LOGIN sisselogimine (samanimeline roll rühmas devworkflow_user); seejärel lisab administraator isiku",
                                   "give the machine's user LOGIN a login (the role of the same name, in devworkflow_user); an admin then adds the person"),
        "help.demo.run": ("laadi näidisandmed (üks kord), vii üks arendustellimus kogu tee läbi ja näita olekut",
                          "load a demo data set (once), walk one request through the whole road, print the status"),

        "help.system.add": ("lisa infosüsteem (administraator)", "add an information system (admins)"),
        "help.system.list": ("näita süsteeme", "list systems"),
        "help.option.system.add.name": ("süsteemi nimi", "the system's name"),
        "help.vendor.add": ("lisa tarnija (administraator)", "add a vendor (admins)"),
        "help.vendor.list": ("näita tarnijaid", "list vendors"),
        "help.option.vendor.add.name": ("ettevõtte nimi", "the company's name"),
        "help.option.vendor.add.email": ("kuhu saadetakse tarnija teated", "where its notifications go"),
        "help.option.vendor.add.lang": ("teadete keel (vaikimisi et)", "language of its messages (default et)"),
        "help.contract.add": ("lisa tarnija raamleping (administraator)", "add a vendor's framework contract (admins)"),
        "help.contract.list": ("näita raamlepinguid", "list contracts"),
        "help.option.contract.add.vendor": ("tarnija", "the vendor"),
        "help.option.contract.add.number": ("lepingu number", "the contract's number"),
        "help.option.contract.add.from": ("esimene kehtivuspäev", "first day valid"),
        "help.option.contract.add.to": ("viimane kehtivuspäev", "last day valid"),
        "help.option.contract.add.rate": ("tunnihind", "hourly rate"),
        "help.option.contract.add.cap": ("suurim summa, mille ulatuses lepingu alusel tellida võib", "the most that may be ordered under it"),
        "help.budget.set": ("määra süsteemi aastaeelarve (administraator)", "set a system's budget for a year (admins)"),
        "help.budget.list": ("näita eelarveid", "list budgets"),
        "help.option.budget.set.system": ("süsteem", "the system"),
        "help.option.budget.set.year": ("kalendriaasta", "the calendar year"),
        "help.option.budget.set.amount": ("summa, mida süsteem sel aastal kulutada võib", "what the system may spend that year"),
        "help.person.add": ("lisa isik; LOGIN on tema PostgreSQL-i roll (administraator)", "add a person; LOGIN is their PostgreSQL role (admins)"),
        "help.person.list": ("näita isikuid", "list people"),
        "help.option.person.add.name": ("täisnimi", "full name"),
        "help.option.person.add.email": ("kuhu saadetakse teated", "where notifications go"),
        "help.option.person.add.role": ("admin, product_owner, vendor või requester", "admin, product_owner, vendor or requester"),
        "help.option.person.add.system": ("süsteem, mille tooteomanik isik on", "a system this product owner owns"),
        "help.option.person.add.vendor": ("tarnija, kelle heaks kasutaja töötab", "the vendor this user works for"),
        "help.option.person.add.lang": ("isiku teadete keel (vaikimisi et)", "language of the person's messages (default et)"),

        "help.request.new": ("esita arendustellimus", "propose a change request"),
        "help.option.request.new.system": ("muudetav süsteem (kohustuslik, kui pole --warranty-of)", "the system to change (required unless --warranty-of)"),
        "help.option.request.new.title": ("mida muuta", "what to change"),
        "help.option.request.new.description": ("üksikasjad", "details"),
        "help.option.request.new.requester": ("kes soovis (kasutajanimi, e-post või nimi)", "who asked (a login, e-mail or name)"),
        "help.request.list": ("näita arendustellimusi", "list requests"),
        "help.option.request.list.state": ("ainult selles olekus (mitu olekut: andke valik mitu korda)", "only in this state (several: give it again)"),
        "help.option.request.list.system": ("ainult selle süsteemi omad", "only of this system"),
        "help.option.request.list.vendor": ("ainult need, kuhu see tarnija kutsuti", "only those this vendor was invited to"),
        "help.option.request.list.overdue": ("ainult need, mille tellimuse või hinnapakkumise tähtaeg on möödas",
                                             "only those whose order deadline or quote due date has passed"),
        "help.request.show": ("näita arendustellimust koos hinnapakkumiste ja tellimusega", "show a request with its quotes and order"),
        "help.request.history": ("näita arendustellimuse ajalugu, vanim enne", "show a request's history, oldest first"),
        "help.request.transitions": ("mida saate arendustellimusega praegu teha ja mida iga samm vajab",
                                     "what you may do with a request now, and what each step needs"),
        "help.request.move": ("vii arendustellimus järgmisse olekusse", "move a request through a transition"),
        "help.request.comment": ("kommenteeri arendustellimust", "comment on a request"),
        "help.request.import": ("laadi CSV-failist arendustellimuste nimekiri (päis: pealkiri, kirjeldus, taotleja või title, description, requester; eraldaja , või ; nagu tabelarvutus salvestab): kõik read või mitte ükski",
                                "load a CSV backlog (header: title, description, requester, or in Estonian pealkiri, kirjeldus, taotleja; separated by , or ; as spreadsheets save it): all rows or none"),
        "help.option.request.import.system": ("süsteem, mille nimekiri see on", "the system the backlog is for"),
        "help.option.priority": ("1 (kõrgeim) kuni 5, prioriseerimiseks", "1 (highest) to 5, for prioritise"),
        "help.option.vendor": ("kutsutav(ad) tarnija(d); hinnapakkumise esitaja, tellimuse saaja või üleandja",
                               "vendor(s) to invite; the vendor quoting, ordered from or delivering"),
        "help.option.due": ("hinnapakkumise tähtaeg (vaikimisi 5 tööpäeva pärast)", "quote due date (default: 5 business days from today)"),
        "help.option.hours": ("pakutud tunnid", "quoted hours"),
        "help.option.price": ("pakutud hind", "quoted price"),
        "help.option.delivery": ("lubatud üleandmise kuupäev", "promised delivery date"),
        "help.option.deadline": ("tellimuse tähtaeg (vaikimisi hinnapakkumise üleandmise kuupäev)", "order deadline (default: the quote's delivery date)"),
        "help.option.reason": ("põhjus (tagasilükkamine, tagasisaatmine, tühistamine)", "why (reject, return, cancel)"),
        "help.option.note": ("üleandmise märkus", "delivery note"),
        "help.option.version-name": ("paigaldatava versiooni nimi", "the release's version"),
        "help.option.expect-version": ("lõpeta koodiga 75, kui arendustellimus ei ole enam sellel versioonil",
                                       "fail with exit 75 unless the request is still at this version"),
        "help.option.dry-run": ("kontrolli kõike, ära salvesta midagi", "check everything and write nothing"),

        "help.report.vendor": ("tarnija arendustellimused, tema enda hinnapakkumised ja tellimused (mitte midagi teiste tarnijate kohta)",
                               "a vendor's requests, its own quotes and orders (nothing of other vendors)"),
        "help.report.status": ("arendustellimused süsteemi ja oleku kaupa, prioriseeritud järjekord, kõik hilinenu",
                               "requests per system and state, the prioritised backlog, everything overdue"),
        "help.report.budget": ("eelarved süsteemide kaupa (kohustused, kulutatud, alles) ja raamlepingute mahud",
                               "budgets per system (committed, spent, left) and contract caps"),
        "help.report.flow": ("aeg igas olekus, läbilaskevõime kuude kaupa, tagasisaatmised, tarnijate lubatud ja tegelik üleandmine",
                             "time in each state, throughput per month, returns, vendors' promised vs actual delivery"),
        "help.option.format": ("aruande vorming (vaikimisi --out laiendist, muidu csv; --json korral json)",
                               "the report's format (default: from --out's extension, else csv; json with --json)"),
        "help.option.out": ("kirjuta faili FILE (asendatakse tervikuna) standardväljundi asemel", "write to FILE (replaced atomically) instead of standard output"),
        "help.option.excel": ("CSV eesti lokaadiga tabelarvutusele: BOM, ; eraldaja, kümnendkoma",
                              "CSV for spreadsheets in Estonian locale: BOM, ; separators, decimal comma"),
        "help.option.report.budget.year": ("aasta (vaikimisi käesolev)", "the year (default: this year)"),
        "help.option.report.flow.since": ("ainult sellest kuupäevast alates", "only history from this date on"),

        "help.outbox.list": ("workflowd-le järjekorda pandud teated koos oleku ja viimase veaga", "messages queued for workflowd, with their state and last error"),
        "help.option.outbox.list.failed": ("ainult teated, mis kasutasid kõik katsed ära", "only messages that used all their attempts"),
        "help.option.outbox.list.pending": ("ainult saatmist ootavad teated", "only messages waiting to be sent"),
        "help.option.outbox.list.limit": ("kuni N teadet, uuemad enne (vaikimisi 50)", "at most N messages, newest first (default 50)"),
        "help.outbox.retry": ("saada ebaõnnestunud teade uuesti, kõik (--all-failed) või ühe arendustellimuse omad (--request) (administraator)",
                              "send a failed message again, all of them (--all-failed) or a request's (--request) (admins)"),
        "help.reminder.rules": ("näita meeldetuletuste reegleid või muuda ühte (administraator)", "list the reminder rules, or change one (admins)"),
        "help.option.reminder.rules.days": ("mitu tööpäeva reegel ootab", "business days the rule waits"),
        "help.option.reminder.rules.repeat": ("korda iga N tööpäeva järel", "repeat every N business days"),
        "help.option.reminder.rules.escalate": ("teavita administraatorit N tööpäeva järel", "tell an admin after N business days"),
        "help.option.reminder.rules.enable": ("lülita reegel sisse", "turn the rule on"),
        "help.option.reminder.rules.disable": ("lülita reegel välja", "turn the rule off"),

        "help.workflow.show": ("joonista töövoog: olekud, sammud, kes tohib, mida iga samm vajab", "draw the workflow: states, transitions, who may, what each needs"),
        "help.option.workflow.show.format": ("kuidas joonistada (vaikimisi text)", "how to draw it (default text)"),
        "help.calendar.holidays": ("aasta riigipühad Eestis", "Estonian public holidays of a year"),
        "help.calendar.feed": ("isiku või tarnija kalender (RFC 5545): tähtajad, vastuvõtmise ja paigaldamise ajad, lepingute lõpud, pühad",
                               "a person's or a vendor's calendar (RFC 5545): deadlines, acceptance and release windows, contract ends, holidays"),
        "help.option.calendar.feed.person": ("selle isiku kalender (oma kalender; administraator igaühe oma)", "this person's calendar (your own; an admin anyone's)"),
        "help.option.calendar.feed.vendor": ("selle tarnija kalender (oma tarnija oma; administraator igaühe oma)", "this vendor's calendar (your own vendor's; an admin any)"),
        "help.mail.receive": ("võta standardsisendist vastu üks e-kiri (MTA toru jaoks) ja rakenda see vastusena", "take one e-mail on standard input (for an MTA's pipe) and apply it as a reply"),
        "help.option.mail.receive.domain": ("võta vastu vaid selle domeeni vastamise aadresse (reply+…@DOMAIN)", "take reply addresses of this domain only (reply+…@DOMAIN)"),
        "help.option.calendar.holidays.year": ("aasta", "the year"),
        "help.calendar.add": ("kuupäev N tööpäeva pärast kuupäeva DATE (N võib olla negatiivne), lisapuhkepäevi arvestades",
                              "the date N business days after DATE (N may be negative), skipping closure days"),
        "help.calendar.closure": ("lisa lisapuhkepäev, mida tööpäevade arvutus vahele jätab, või võta see tagasi (administraator)",
                                  "add a closure day that business days skip, or remove one (admins)"),
        "help.calendar.list": ("näita lisapuhkepäevi", "list closure days"),
        "help.option.calendar.closure.note": ("miks asutus on suletud", "why the office is closed"),
    ]
}
