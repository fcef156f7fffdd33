import Foundation

extension OptionSpec {
    static let attachKind = Option<String>("kind", "spec|quote|delivery|test_report|acceptance|other", help: "help.option.request.attach.kind")
    static let attachInternal = Flag("internal", help: "help.option.request.attach.internal")
    static let fileOut = Option<String>("out", "FILE", help: "help.option.request.file.out", complete: .files)
    static let actFormat = Option<String>("format", "pdf|html|md", help: "help.option.order.act.format")
    static let actOut = Option<String>("out", "FILE", help: "help.option.out", complete: .files)
}

extension Commands {
    /// `request attach|files|file`: documents kept with a request, in the database.
    static var files: [Command] {
        [
            Command("request", "attach", arguments: "ID FILE", positionals: 2...2,
                    options: [.attachKind, .attachInternal],
                    summary: "help.request.attach", complete: [.live(.requests), .files]) { call in
                // The kind as typed: the database knows the kinds and refuses another (64).
                let file = try call.store().attach(call.argument(0), path: call.argument(1), kind: try call[.attachKind] ?? "other",
                                                   isInternal: call[.attachInternal])
                call.emit(file.json, text: call.say("out.attached", ["request": "\(file.request)", "file": "\(file.number)", "name": "\(file.name)",
                                                                    "size": "\(file.size)", "sha256": "\(file.sha256)"]))
            },
            Command("request", "files", arguments: "ID", positionals: 1...1, summary: "help.request.files", complete: [.live(.requests)]) { call in
                let id = call.argument(0)
                let files = try call.store().files(id)
                let text = PeopleText(call.language)
                call.emit(.object([("request", .string(id)), ("files", .array(files.map(\.json)))]),
                          text: files.isEmpty ? call.say("out.files.none", ["request": "\(id)"]) : call.fitted(files.map(text.file)))
            },
            Command("request", "file", arguments: "ID N", positionals: 2...2, options: [.fileOut],
                    summary: "help.request.file", complete: [.live(.requests)]) { call in
                let id = call.argument(0)
                let number = try Invocation.integer(call.argument(1), option: "N")
                guard let given = try call[.fileOut] else {
                    // --json promises one JSON document on stdout: the bytes go to a file.
                    guard !call.json else { throw WorkflowError(.usage, Message("error.file_json")) }
                    try call.store().readFile(id, number) { call.out.write(bytes: $0) }
                    return
                }
                // --out names the file. A folder gets it under its cleaned name (never the name as
                // given: no slash, control character or leading dot), and a file already there is
                // not replaced by a name someone else chose.
                var out = given
                if Files.isDirectory(given) {
                    out = (given as NSString).appendingPathComponent(try call.store().file(id, number).storedName)
                    var existing = stat()
                    if lstat(out, &existing) == 0 { throw Files.cannotWrite(out, EEXIST) }
                }
                let sink = try AtomicFileSink(path: out)
                let file: StoredFile
                do {
                    file = try call.store().readFile(id, number) { try sink.write(bytes: $0) }
                    try sink.commit()
                } catch {
                    sink.discard()
                    throw error
                }
                call.emit(.object([("file", .string(out)), ("request", .string(id)), ("number", .int(number)), ("name", .string(file.name)),
                                   ("size", .number(String(file.size))), ("sha256", .string(file.sha256))]),
                          text: call.say("out.file.written", ["file": "\(out)", "size": "\(file.size)", "sha256": "\(file.sha256)"]))
            },
        ]
    }

    /// `order act`: the acceptance act of an accepted order.
    static var order: [Command] {
        [
            Command("order", "act", arguments: "ORD", positionals: 1...1,
                    options: [.actFormat, .actOut],
                    summary: "help.order.act", complete: [.live(.orders)]) { call in
                let out = try call[.actOut]
                let name = try call[.actFormat] ?? out.map { String($0.split(separator: ".").last ?? "") }.flatMap { AcceptanceAct.Format(rawValue: $0)?.rawValue } ?? "pdf"
                guard let format = AcceptanceAct.Format(rawValue: name) else {
                    throw WorkflowError(.usage, Message("error.unknown_format", ["format": "\(name)", "known": "pdf, html, md"]))
                }
                // The act's language is workflowctl's: --lang, else the locale's.
                let language = call.language
                guard out != nil || !call.json else { throw WorkflowError(.usage, Message("error.json_format", ["format": "\(format.rawValue)"])) }
                let act = try call.store().act(call.argument(0))
                let document: String
                if format == .pdf {
                    // A letter the PDF's fonts lack (an emoji; Cyrillic when the Liberation fonts
                    // are missing) shows as "?". Said, with why and the formats that show it.
                    let pdf = act.pdf(language: language)
                    document = String(decoding: pdf.bytes, as: UTF8.self)
                    if let warning = Self.unshownWarning(pdf) { call.warn(warning) }
                } else {
                    document = act.render(format, language: language)
                }
                guard let out else {
                    call.out.write(document)
                    return
                }
                let sink = try AtomicFileSink(path: out)
                do {
                    try sink.write(document)
                    try sink.commit()
                } catch {
                    sink.discard()
                    throw error
                }
                call.emit(.object([("file", .string(out)), ("order", .string(call.argument(0))), ("format", .string(format.rawValue)),
                                   ("lang", .string(language.rawValue)), ("bytes", .int(document.utf8.count)), ("sha256", .string(SHA256.hex(document)))]),
                          text: call.say("out.act.written", ["file": "\(out)", "order": "\(call.argument(0))", "sha256": "\(SHA256.hex(document))"]))
            },
        ]
    }

    /// What `order act` says of the characters a PDF draws as `?`: that the fonts lack them, or
    /// that the fonts which have them are missing (naming the Debian package) or unreadable.
    static func unshownWarning(_ pdf: DocumentPDFRenderer.Output) -> Message? {
        guard !pdf.unshown.isEmpty else { return nil }
        var arguments: [String: MessageArgument] = ["count": "\(pdf.unshown.count)",
                                                    "characters": "\(pdf.unshown.prefix(12).map { String($0) }.joined(separator: " "))"]
        guard let error = pdf.fontsUnavailable else { return Message("out.warning.act_unshown", arguments) }
        arguments["file"] = "\(error.file ?? PDFFontFiles.fileName(.regular))"
        if error.code == .missing {
            arguments["package"] = "\(PDFFontFiles.debianPackage)"
            arguments["variable"] = "\(PDFFontFiles.environmentVariable)"
            return Message("out.warning.act_unshown_no_fonts", arguments)
        }
        arguments["reason"] = "\(error.detail)"
        return Message("out.warning.act_unshown_bad_font", arguments)
    }

    /// `setting list|set`: what admins may change without a migration.
    static var setting: [Command] {
        [
            listing("setting", .settings) { row, _ in "\(row["key"]?.plain ?? "") = \(row["value"]?.plain ?? "")" },
            Command("setting", "set", arguments: "KEY VALUE", positionals: 2...2, summary: "help.setting.set") { call in
                let kept = try call.store().setSetting(call.argument(0), call.argument(1))
                call.emit(.object([("setting", .string(call.argument(0))), ("value", .string(kept))]),
                          text: call.say("out.setting_set", ["setting": "\(call.argument(0))", "value": "\(kept)"]))
            },
        ]
    }
}
