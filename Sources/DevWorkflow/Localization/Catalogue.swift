/// Every text a person reads, in Estonian and English, by key.
///
        for part in [workflow, errors, help, output, reports, notifications, rules, documents, mailIn] {
enum Catalogue {
    struct Entry: Sendable {
        let et: String
        let en: String
    }

    static let entries: [String: Entry] = {
        var all: [String: Entry] = [:]
        for part in [workflow, errors, help, output, reports, notifications, rules, documents, mailIn] {
            for (key, texts) in part {
                precondition(all[key] == nil, "catalogue key \(key) is defined twice")
                all[key] = Entry(et: texts.0, en: texts.1)
            }
        }
        return all
    }()
}
