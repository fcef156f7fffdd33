extension Catalogue {
    /// Documents a party signs: the acceptance act (üleandmise-vastuvõtmise akt). Facts that the
    /// reports name already (order date, deadline, delivered, accepted) keep their
    /// `report.column.*` names, so a fact reads the same in a report and in the act.
    static let documents: KeyValuePairs<String, (String, String)> = [
        "act.title": ("Üleandmise-vastuvõtmise akt", "Acceptance act"),
        "act.number": ("nr {order}", "No. {order}"),
        "act.date": ("Akti kuupäev", "Date of the act"),
        "act.name": ("Üleandmise-vastuvõtmise akt nr {order}", "Acceptance act No. {order}"),
        "act.page": ("Lk {page}/{pages}", "Page {page} of {pages}"),
        "act.period": ("{from}–{to}", "{from} – {to}"),
        "act.column.number": ("Nr", "No."),

        // The parties.
        "act.section.parties": ("Pooled", "Parties"),
        "act.party.buyer": ("Tellija", "Buyer"),
        "act.party.vendor": ("Tarnija", "Vendor"),
        "act.label.name": ("Nimi", "Name"),
        "act.label.registry_code": ("Registrikood", "Registry code"),
        "act.label.address": ("Aadress", "Address"),

        // What the work was ordered under.
        "act.section.basis": ("Alus", "Basis"),
        "act.contract.validity": ("Raamlepingu kehtivus", "Contract valid"),
        "act.request.summary": ("Kirjeldus", "Description"),

        // Delivery, returns and acceptance.
        "act.section.delivery": ("Üleandmine ja vastuvõtmine", "Delivery and acceptance"),
        "act.delivered_work": ("Üleantud töö", "Work delivered"),
        "act.returns": ("Tagasisaatmised", "Returns"),
        "act.return.date": ("Tagasi saadetud", "Returned on"),
        "act.return.reason": ("Põhjus", "Reason"),
        "act.delivered_by": ("Üle andis", "Delivered by"),
        "act.accepted_by": ("Vastu võttis", "Accepted by"),
        "act.delivery.note": ("Tarnija märkus", "Vendor's note"),
        "act.hold.from": ("Peatatud", "Held from"),
        "act.hold.to": ("Jätkatud", "Resumed on"),
        "act.hold.reason": ("Peatamise põhjus", "Why it was held"),
        "act.warranty": ("Garantii", "Warranty"),
        "act.warranty.value": ("{months} {months:plural:kuu|kuud}, kuni {until}", "{months} {months:plural:month|months}, until {until}"),
        "act.warranty.value_fix": ("{months} {months:plural:kuu|kuud}, kuni {until}; vead parandatakse {fix_days} {fix_days:plural:tööpäeva|tööpäeva} jooksul",
                                   "{months} {months:plural:month|months}, until {until}; defects are fixed within {fix_days} {fix_days:plural:business day|business days}"),
        "act.no_returns": ("Tööd ei saadetud parandamiseks tagasi.", "The work was not returned for correction."),

        // The price.
        "act.section.price": ("Maksumus", "Price"),
        "act.price.amount": ("Summa", "Amount"),
        "act.price.net": ("Summa käibemaksuta", "Net amount"),
        "act.price.vat": ("Käibemaks {rate} %", "VAT {rate} %"),
        "act.price.gross": ("Kokku koos käibemaksuga", "Total including VAT"),

        // The attached files.
        "act.section.files": ("Lisatud failid", "Attached files"),
        "act.file.name": ("Fail", "File"),
        "act.file.kind": ("Liik", "Kind"),
        "act.file.size": ("Suurus (baiti)", "Size (bytes)"),
        "act.file.sha256": ("SHA-256", "SHA-256"),
        "act.no_files": ("Faile ei ole lisatud.", "No files are attached."),
        "act.file_kind.spec": ("lähteülesanne", "specification"),
        "act.file_kind.quote": ("pakkumine", "quote"),
        "act.file_kind.delivery": ("üleandmispakett", "delivery package"),
        "act.file_kind.test_report": ("testiaruanne", "test report"),
        "act.file_kind.acceptance": ("vastuvõtmise dokument", "acceptance document"),
        "act.file_kind.other": ("muu", "other"),

        // The statement and the signatures.
        "act.statement": ("Tarnija annab üle ja tellija võtab vastu tellimuse {order} alusel tehtud töö. Akt allkirjastatakse digitaalselt.",
                          "The vendor hands over and the buyer accepts the work done under order {order}. The act is signed digitally."),
        "act.section.signatures": ("Allkirjad", "Signatures"),
        "act.signature.buyer": ("Tellija esindaja", "For the buyer"),
        "act.signature.vendor": ("Tarnija esindaja", "For the vendor"),
        "act.label.position": ("Ametikoht", "Position"),
        "act.signature.mark": ("/allkirjastatud digitaalselt/", "/signed digitally/"),
    ]
}
