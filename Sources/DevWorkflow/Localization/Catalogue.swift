/// Every text a person reads, in Estonian and English, by key.
///
/// Split by area (`Catalogue+Errors`, `+Help`, `+Output`, `+Workflow`, `+Reports`, `+Notifications`,
/// `+Documents`) so each stays readable; `CatalogueTests` checks that every key has both languages
/// with the same placeholders, and that code shows people no text that bypasses the catalogue.
enum Catalogue {
    struct Entry: Sendable {
        let et: String
        let en: String
    }

    static let entries: [String: Entry] = {
        let parts = [workflow, errors, help, output, reports, notifications, rules, documents, mailIn, mailFiles, invoices, money, audit, files,
                     commandLine, warranty, penalties]
        // Built on every run that prints a text: sized once, and each key hashed once (a look-up
        // before each store, and the table growing, took half of it). The parts are
        // KeyValuePairs, kept in order and not hashed: as dictionaries each key was hashed twice.
        var all: [String: Entry] = [:]
        all.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts {
            for (key, texts) in part {
                let earlier = all.updateValue(Entry(et: texts.0, en: texts.1), forKey: key)
                precondition(earlier == nil, "catalogue key \(key) is defined twice")
            }
        }
        return all
    }()
}
