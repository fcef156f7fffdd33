extension AcceptanceAct {
    /// What the act says in a language, in order: the one place that chooses its words and
    /// formats its values (`ReportFormatting`, as the reports do).
    func content(in language: Language) -> DocumentContent {
        typealias Column = DocumentContent.Column
        typealias Field = DocumentContent.Field
        let format = ReportFormatting.for(language)
        func text(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String { Message(key, arguments).text(language) }
        func dates(_ days: [LocalDate]) -> String { days.isEmpty ? format.labels.null : days.map(format.date).joined(separator: ", ") }
        let numberColumn = Column(text("act.column.number"), .number)

        let parties = DocumentContent.Table(
            // The label column as wide as the labels of the fields below (27 % of the width).
            columns: [Column("", weight: 0.74), Column(text("act.party.buyer")), Column(text("act.party.vendor"))],
            rows: [[text("act.label.name"), buyer.name, vendor.name],
                   [text("act.label.registry_code"), buyer.registryCode, vendor.registryCode]]
                + (buyer.address == nil && vendor.address == nil ? [] :
                    [[text("act.label.address"), buyer.address ?? format.labels.null, vendor.address ?? format.labels.null]]))

        var basis: [Field] = []
        if let contract {
            basis.append(Field(label: text("report.column.contract"), value: contract.number))
            basis.append(Field(label: text("act.contract.validity"),
                               value: text("act.period", ["from": "\(format.date(contract.validFrom))", "to": "\(format.date(contract.validTo))"])))
        }
        basis += [Field(label: text("report.column.order_number"), value: order.number),
                  Field(label: text("report.column.order_date"), value: format.date(order.date)),
                  Field(label: text("report.column.deadline"), value: format.date(order.deadline)),
                  Field(label: text("report.column.request"), value: request.id),
                  Field(label: text("report.column.title"), value: request.title)]
        var basisBlocks: [DocumentContent.Block] = [.fields(basis)]
        if let summary = request.summary, !summary.isEmpty { basisBlocks.append(.text(label: text("act.request.summary"), summary)) }

        var delivery: [DocumentContent.Block] = []
        if !deliveryNote.isEmpty { delivery.append(.text(label: text("act.delivered_work"), deliveryNote)) }
        var facts = [Field(label: text("report.column.delivered_on"), value: dates(deliveries.map(\.date)))]
        if let name = vendorSignatory.name { facts.append(Field(label: text("act.delivered_by"), value: name)) }
        facts += [Field(label: text("report.column.returns"), value: format.integer(returns.count)),
                  Field(label: text("report.column.accepted_on"), value: format.date(accepted))]
        if let name = buyerSignatory.name { facts.append(Field(label: text("act.accepted_by"), value: name)) }
        if let warranty {
            let arguments: [String: MessageArgument] = ["months": "\(warranty.months)", "until": "\(format.date(warranty.until))",
                                                        "fix_days": "\(warranty.fixDays ?? 0)"]
            facts.append(Field(label: text("act.warranty"), value: text(warranty.fixDays == nil ? "act.warranty.value" : "act.warranty.value_fix", arguments)))
        }
        delivery.append(.fields(facts))
        // Delivered more than once: each delivery with what the vendor said of it.
        if deliveries.count > 1 {
            delivery.append(.table(DocumentContent.Table(
                columns: [numberColumn, Column(text("report.column.delivered_on"), .date), Column(text("act.delivery.note"))],
                rows: deliveries.enumerated().map { [format.integer($0.offset + 1), format.date($0.element.date), $0.element.note] })))
        }
        if returns.isEmpty {
            delivery.append(.note(text("act.no_returns")))
        } else {
            delivery.append(.table(DocumentContent.Table(
                columns: [numberColumn, Column(text("act.return.date"), .date), Column(text("act.return.reason"))],
                rows: returns.enumerated().map { [format.integer($0.offset + 1), format.date($0.element.date), $0.element.reason] })))
        }
        // The times the buyer held the clock, which a late delivery's days leave out.
        if !holds.isEmpty {
            delivery.append(.table(DocumentContent.Table(
                columns: [numberColumn, Column(text("act.hold.from"), .date), Column(text("act.hold.to"), .date), Column(text("act.hold.reason"))],
                rows: holds.enumerated().map { [format.integer($0.offset + 1), format.date($0.element.from), format.date($0.element.to), $0.element.reason] })))
        }

        var amounts = [[text("act.price.net"), format.money(net)]]
        if let vat {
            amounts.append([text("act.price.vat", ["rate": "\(format.decimal("\(vat.ratePercent)"))"]), format.money(vat.amount)])
            amounts.append([text("act.price.gross"), format.money(gross)])
        }
        let price = DocumentContent.Table(columns: [Column(""), Column(text("act.price.amount"), .number)], rows: amounts,
                                          lastRowIsTotal: vat != nil)

        let files: DocumentContent.Block = self.files.isEmpty ? .note(text("act.no_files")) : .table(DocumentContent.Table(
            columns: [numberColumn, Column(text("act.file.name"), weight: 2), Column(text("act.file.kind")),
                      Column(text("act.file.size"), .number), Column(text("act.file.sha256"), .code)],
            rows: self.files.enumerated().map { offset, file in
                [format.integer(offset + 1), file.name, ReportFormatting.text("act.file_kind.\(file.kind)", in: language, fallback: file.kind),
                 format.integer(Int(file.size)), file.sha256]
            }))

        func signature(_ key: String, _ signatory: Signatory) -> DocumentContent.Signature {
            DocumentContent.Signature(title: text(key), fields: [Field(label: text("act.label.name"), value: signatory.name ?? ""),
                                                                 Field(label: text("act.label.position"), value: signatory.position ?? "")],
                                      mark: text("act.signature.mark"))
        }

        let sections: [(String, [DocumentContent.Block])] = [
            ("act.section.parties", [.table(parties)]),
            ("act.section.basis", basisBlocks),
            ("act.section.delivery", delivery),
            ("act.section.price", [.table(price)]),
            ("act.section.files", [files]),
            ("act.section.signatures", [.text(label: nil, text("act.statement", ["order": "\(order.number)"])),
                                        .signatures([signature("act.signature.buyer", buyerSignatory),
                                                     signature("act.signature.vendor", vendorSignatory)])]),
        ]
        return DocumentContent(
            language: language,
            title: text("act.title"),
            subtitle: text("act.number", ["order": "\(order.number)"]),
            lead: [Field(label: text("act.date"), value: format.date(accepted))],
            sections: sections.enumerated().map { DocumentContent.Section(title: "\($0.offset + 1). \(text($0.element.0))", blocks: $0.element.1) },
            name: text("act.name", ["order": "\(order.number)"]),
            pageNumber: { page, pages in Message("act.page", ["page": "\(page)", "pages": "\(pages)"]).text(language) })
    }
}
