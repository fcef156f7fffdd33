extension Catalogue {
    /// Report titles, sections, columns, charts and the fixed words of a report.
    ///
    /// Column titles are keyed by the column's key (`report.column.<key>`), which is also its JSON
    /// field name and CSV header: one key, one meaning, in every report.
    static let reports: KeyValuePairs<String, (String, String)> = [
        // Columns.
        "report.column.request": ("Arendustellimus", "Request"),
        "report.column.system": ("Süsteem", "System"),
        "report.column.title": ("Pealkiri", "Title"),
        "report.column.state": ("Olek", "State"),
        "report.column.quote_due": ("Pakkumise tähtaeg", "Quote due"),
        "report.column.quoted_hours": ("Pakutud tunnid", "Quoted hours"),
        "report.column.quoted_price": ("Pakutud hind", "Quoted price"),
        "report.column.promised_delivery": ("Lubatud üleandmine", "Promised delivery"),
        "report.column.order_number": ("Tellimus", "Order"),
        "report.column.order_date": ("Tellimuse kuupäev", "Ordered on"),
        "report.column.deadline": ("Tähtaeg", "Deadline"),
        "report.column.days_late": ("Hilinenud päevi", "Days late"),
        "report.column.on_hold_since": ("Peatatud alates", "On hold since"),
        "report.column.delivered_on": ("Üle antud", "Delivered on"),
        "report.column.accepted_on": ("Vastu võetud", "Accepted on"),
        "report.column.returns": ("Tagasi saadetud (korda)", "Times returned"),
        "report.column.requests": ("Arendustellimusi", "Requests"),
        "report.column.rank": ("Järjekoht", "Rank"),
        "report.column.priority": ("Prioriteet", "Priority"),
        "report.column.prioritised_on": ("Prioriseeritud", "Prioritised on"),
        "report.column.vendor": ("Tarnija", "Vendor"),
        "report.column.due": ("Tähtaeg", "Due"),
        "report.column.days_overdue": ("Üle tähtaja (päevi)", "Days overdue"),
        "report.column.year": ("Aasta", "Year"),
        "report.column.budget": ("Eelarve", "Budget"),
        "report.column.committed": ("Kohustused", "Committed"),
        "report.column.left": ("Jääk", "Left"),
        "report.column.contract": ("Raamleping", "Contract"),
        "report.column.valid_from": ("Kehtib alates", "Valid from"),
        "report.column.valid_to": ("Kehtib kuni", "Valid to"),
        "report.column.cap": ("Piirmäär", "Cap"),
        "report.column.used": ("Kasutatud (km‑ta)", "Used (net)"),
        "report.column.stays": ("Juhtumeid", "Stays"),
        "report.column.median_business_days": ("Mediaan (tööpäevi)", "Median (business days)"),
        "report.column.p85_business_days": ("85. protsentiil (tööpäevi)", "85th percentile (business days)"),
        "report.column.month": ("Kuu", "Month"),
        "report.column.proposed": ("Esitatud", "Proposed"),
        "report.column.ordered": ("Tellitud", "Ordered"),
        "report.column.released": ("Paigaldatud", "Released"),
        "report.column.closed_unreleased": ("Tagasi lükatud või tühistatud", "Rejected or cancelled"),
        "report.column.orders": ("Tellimusi", "Orders"),
        "report.column.delivered": ("Üle antud", "Delivered"),
        "report.column.on_time": ("Õigeaegselt", "On time"),
        "report.column.late": ("Hilinenud", "Late"),
        "report.column.average_days_late": ("Keskmine hilinemine (päevi)", "Average days late"),

        // The vendor's report.
        "report.vendor.title": ("Tarnija {vendor} arendustellimuste seis", "Status report for {vendor}"),
        "report.vendor.subtitle": ("Tarnija {vendor}", "Vendor {vendor}"),
        "report.vendor.requests": ("Arendustellimused", "Requests"),
        "report.vendor.action": ("Vajab teie tegevust", "Needs your action"),
        "report.column.action": ("Mida teha", "What to do"),
        "vendor_action.overdue": ("tähtaeg on möödas: andke töö üle", "past its deadline: deliver it"),
        "vendor_action.due_soon": ("tähtaeg on nädala jooksul", "due within a week"),
        "vendor_action.quote_overdue": ("pakkumise tähtaeg on möödas: esitage pakkumine", "quote overdue: send your quote"),
        "vendor_action.quote_requested": ("oodatakse teie hinnapakkumist", "send your quote"),
        "vendor_action.on_hold": ("tellija on töö peatanud: oodake jätkamist", "on hold by the buyer: wait until it resumes"),
        "report.group.quote": ("Hinnapakkumine", "Quote"),
        "report.group.delivery": ("Üleandmine", "Delivery"),

        // The status report.
        "report.status.title": ("Kõigi arendustellimuste seis", "Status of all requests"),
        "report.status.by_state": ("Arendustellimused süsteemide ja olekute kaupa", "Requests per system and state"),
        "report.status.backlog": ("Prioriseeritud ootejärjekord", "Prioritised backlog"),
        "report.status.overdue": ("Tähtaja ületanud", "Overdue"),

        // The budget report.
        "report.budget.title": ("Eelarved ja raamlepingud {year}", "Budgets and contracts {year}"),
        "report.budget.chart": ("Eelarve kasutus süsteemide kaupa, {year}", "Budget used per system, {year}"),
        "report.budget.systems": ("Süsteemid", "Systems"),
        "help.option.report.section": ("CSV-is vaid see tabel (nt requests), tavalise RFC 4180 failina", "in CSV only this table (e.g. requests), as a plain RFC 4180 file"),
        "error.section_csv": ("--section on CSV jaoks (üks tabel failis); vormingus {format} on aruande kõik tabelid", "--section is for CSV (one table to a file); {format} holds all of a report's tables"),
        "error.unknown_section": ("aruandes ei ole tabelit {section}: tabelid on {known}", "the report has no table {section}: its tables are {known}"),
        "report.budget.contracts": ("Raamlepingud", "Framework contracts"),

        // The flow report.
        "report.flow.title": ("Arendustellimuste liikumine", "Flow of requests"),
        "report.flow.since": ("Alates {date}", "Since {date}"),
        "report.flow.state_chart": ("Mediaan ja 85. protsentiil olekute kaupa", "Median and 85th percentile per state"),
        "report.flow.median": ("Mediaan", "Median"),
        "report.flow.p85": ("85. protsentiil", "85th percentile"),
        "report.flow.time_in_state": ("Aeg olekus", "Time in state"),
        "report.flow.released_chart": ("Tootmiskeskkonda paigaldatud kuude kaupa", "Released per month"),
        "report.flow.throughput": ("Läbivus kuude kaupa", "Throughput per month"),
        "report.flow.returns": ("Tagasisaatmised tellimuse kohta", "Returns per order"),
        "report.flow.vendor_delivery": ("Lubatud ja tegelik üleandmine tarnijate kaupa", "Promised and actual delivery per vendor"),

        // Units of chart axes.
        "report.unit.eur": ("eurodes", "EUR"),
        "report.unit.business_days": ("tööpäevades", "business days"),
        "report.unit.requests": ("arendustellimuste arv", "requests"),

        // The parameters a report was asked with.
        "report.parameter.vendor": ("Tarnija", "Vendor"),
        "report.parameter.year": ("Aasta", "Year"),
        "report.parameter.since": ("Alates", "Since"),

        // The fixed words of every report.
        "report.label.as_of": ("Seisuga", "As of"),
        "report.label.report": ("Aruanne", "Report"),
        "report.label.fingerprint": ("SHA-256", "SHA-256"),
        "report.label.row": ("rida", "row"),
        "report.label.rows": ("rida", "rows"),
        "report.label.no_rows": ("Ridu ei ole.", "No rows."),
        "report.label.no_data": ("Joonisel ei ole midagi näidata.", "No data to chart."),
        "report.label.yes": ("jah", "yes"),
        "report.label.no": ("ei", "no"),
        "report.label.sort_hint": ("Sorteeri selle veeru järgi", "Sort by this column"),
    ]
}
