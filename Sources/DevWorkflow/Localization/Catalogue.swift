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
        var all: [String: Entry] = [:]
        for part in [workflow, errors, help, output, reports, notifications, rules, documents, mailIn, mailFiles, invoices, money, audit, files, commandLine, warranty, penalties] {
            for (key, texts) in part {
                precondition(all[key] == nil, "catalogue key \(key) is defined twice")
                all[key] = Entry(et: texts.0, en: texts.1)
            }
        }
        return all
    }()
}
