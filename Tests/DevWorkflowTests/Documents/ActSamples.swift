import Foundation
@testable import DevWorkflow

/// Acceptance acts for the tests: one like a real order, and one long enough for several pages.
enum ActSamples {
    static func day(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }

    /// Every Estonian letter in names, the description and a file name; VAT; one return.
    static let typical = AcceptanceAct(
        buyer: .init(name: "Tallinna Linnakantselei", registryCode: "75014920", address: "Vabaduse väljak 7, 15199 Tallinn"),
        vendor: .init(name: "Õüšžä Tarkvara OÜ", registryCode: "12345678", address: "Pärnu mnt 22, 10141 Tallinn"),
        contract: .init(number: "RL-2025/014", validFrom: day("2025-01-01"), validTo: day("2027-12-31")),
        order: .init(number: "ORD-2026-0042", date: day("2026-11-02"), deadline: day("2026-12-18")),
        request: .init(id: "VOLIS-7", title: "Istungi protokolli allkirjastamine õigusaktide registris",
                       summary: "Volikogu istungi protokoll allkirjastatakse digitaalselt ja avaldatakse „Riigi Teatajas“ – ilma käsitööta.\nŠokolaadi ja žürii näited: ÕÄÖÜŠŽ õäöüšž."),
        deliveryNote: "Allkirjastamise moodul versioon 2.3.1, paigaldusjuhend ja testiaruanne.",
        deliveries: [AcceptanceAct.Delivery(date: day("2026-12-01"), note: "Esimene versioon"), AcceptanceAct.Delivery(date: day("2026-12-15"))],
        returns: [.init(date: day("2026-12-04"), reason: "Allkirja kinnitus puudus protokolli PDF-is; vt testiaruande punkt 4.")],
        accepted: day("2026-12-20"),
        net: Money(cents: 1_500_00),
        vat: .init(ratePercent: 24, amount: Money(cents: 360_00)),
        files: [
            .init(name: "lähteülesanne.pdf", kind: "spec", size: 48_213, sha256: SHA256.hex("spec")),
            .init(name: "pakkumine-ÕÜŠŽ.pdf", kind: "quote", size: 1_204, sha256: SHA256.hex("quote")),
            .init(name: "testiaruanne_2026-12-15.xlsx", kind: "test_report", size: 1_572_864, sha256: SHA256.hex("test")),
        ])

    /// 60 files with long names, a description of many paragraphs, a return whose reason is
    /// longer than a page and a delivery note that is one long word.
    static let long: AcceptanceAct = {
        var act = typical
        act.returns.append(.init(date: day("2026-12-10"), reason: String(repeating: "Põhjus on pikk ja üksikasjalik. ", count: 300)))
        act.deliveryNote = String(repeating: "ühesõnalinemärkus", count: 60)
        act.request.summary = (1...30).map { "Lõik \($0): " + String(repeating: "Süsteem peab võimaldama protokolli allkirjastada ja ära saata. ", count: 4) }
            .joined(separator: "\n\n")
        act.files = (1...60).map { index in
            .init(name: "üleandmispakett-\(index)-" + String(repeating: "väga-pikk-failinimi-", count: index % 4 + 1) + "lõpp.zip",
                  kind: ["spec", "delivery", "test_report", "acceptance", "other"][index % 5], size: Int64(index) * 1_000_003,
                  sha256: SHA256.hex("file \(index)"))
        }
        return act
    }()

    /// The typical act with a vendor whose staff write in Cyrillic and a delivery in Greek and
    /// Estonian letters: what the standard fonts cannot draw.
    static let cyrillic: AcceptanceAct = {
        var act = typical
        act.vendorSignatory = .init(name: "Дмитрий Иванов", position: "Руководитель проекта")
        act.deliveryNote = "Модуль подписи, версия 2.3.1 – Ωmega õäöüšž ÕÄÖÜŠŽ € „jutumärgid“"
        act.deliveries[0].note = "Первая версия"
        return act
    }()

    /// Writes a rendered act to `name` in `folder()` and returns its path.
    @discardableResult
    static func save(_ text: String, as name: String) throws -> String {
        let url = try folder().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A folder the tests leave their files in, to look at after a run.
    static func folder() throws -> URL {
        let base = ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("acceptance-act")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// qpdf and poppler's tools, run as a user would. A missing tool fails the test (CI installs
/// them with scripts/install-deps): a check that skips itself checks nothing.
enum PDFTools {
    struct Missing: Error, CustomStringConvertible {
        let tool: String
        var description: String { "\(tool) is not installed: run scripts/install-deps (Debian: qpdf, poppler-utils)" }
    }

    struct Failed: Error, CustomStringConvertible {
        let tool: String
        let output: Subprocess.Output
        var description: String { "\(tool) exited with \(output.status): \(output.stderr)" }
    }

    static func path(_ tool: String) throws -> String {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(tool)") {
            return "\(folder)/\(tool)"
        }
        throw Missing(tool: tool)
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Subprocess.Output {
        try Subprocess.run(try path(tool), arguments)
    }

    /// Text with its no-break spaces as plain ones, as pdftotext writes every space.
    static func spaced(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
    }

    /// The fonts pdffonts lists: name, type, encoding, and embedded, subset and /ToUnicode as
    /// yes or no.
    static func fonts(of path: String) throws -> [(name: String, type: String, encoding: String, flags: String)] {
        let result = try run("pdffonts", [path])
        guard result.status == 0 else { throw Failed(tool: "pdffonts", output: result) }
        // After the heading and its rule; the type may be two words (CID TrueType).
        return result.stdout.split(separator: "\n").dropFirst(2).map { line in
            let words = line.split(separator: " ").map(String.init)
            return (words[0], words[1..<words.count - 6].joined(separator: " "), words[words.count - 6], words[words.count - 5..<words.count - 2].joined(separator: " "))
        }
    }

    /// A page rendered by pdftoppm in grey at `resolution` dots per inch: rows of 0 (black) to 255.
    static func render(_ path: String, page: Int = 1, resolution: Int = 60) throws -> [[UInt8]] {
        let prefix = path + ".render"
        let result = try run("pdftoppm", ["-gray", "-r", "\(resolution)", "-f", "\(page)", "-l", "\(page)", "-singlefile", path, prefix])
        guard result.status == 0 else { throw Failed(tool: "pdftoppm", output: result) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm")))
        // Binary PGM: "P5", width, height, maximum, each followed by white space, then the pixels.
        var fields: [Int] = [], index = 2, field = ""
        while fields.count < 3, index < bytes.count {
            let byte = bytes[index]
            index += 1
            if (48...57).contains(byte) { field.append(Character(UnicodeScalar(byte))) } else if !field.isEmpty { fields.append(Int(field)!); field = "" }
        }
        let (width, height) = (fields[0], fields[1])
        return (0..<height).map { row in Array(bytes[index + row * width..<index + (row + 1) * width]) }
    }

    /// The text pdftotext reads from a PDF, in reading order (`-raw`), as UTF-8.
    static func text(of path: String) throws -> String {
        let result = try run("pdftotext", ["-enc", "UTF-8", "-raw", path, "-"])
        guard result.status == 0 else { throw Failed(tool: "pdftotext", output: result) }
        return result.stdout
    }
}

/// The Liberation fonts as the tests read them: from Debian's folders, whatever
/// `$WORKFLOW_PDF_FONTS` says. Missing fonts fail the test (CI installs them with
/// scripts/install-deps): a check that skips itself checks nothing.
enum FontSamples {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "the Liberation fonts are not installed: run scripts/install-deps (Debian: fonts-liberation)" }
    }

    /// The folder with the four fonts the PDF embeds.
    static func folder() throws -> String {
        let folder = PDFFontFiles.systemFolders.first { folder in
            PDFFont.Style.allCases.allSatisfy { FileManager.default.fileExists(atPath: "\(folder)/\(PDFFontFiles.fileName($0))") }
        }
        guard let folder else { throw Missing() }
        return folder
    }

    static func path(_ style: PDFFont.Style) throws -> String { "\(try folder())/\(PDFFontFiles.fileName(style))" }

    /// The four fonts, read once.
    static func files() throws -> PDFFontFiles { try loaded.get() }

    /// The fonts as the renderer asks for them.
    static func available() -> Result<PDFFontFiles, TrueTypeFont.Error> {
        do { return .success(try files()) } catch { return .failure(TrueTypeFont.Error(.missing, "\(error)")) }
    }

    private static let loaded: Result<PDFFontFiles, any Error> = Result { try PDFFontFiles.load(folders: [try folder()]).get() }

    /// A font file's bytes.
    static func bytes(_ style: PDFFont.Style) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(style)))) }

    /// A folder of fonts like the installed one, each file passed through `change` (a broken
    /// font, one missing): for the paths that fall back to the standard fonts.
    static func folder(named name: String, _ change: (PDFFont.Style, [UInt8]) -> [UInt8]?) throws -> String {
        let url = try ActSamples.folder().appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for style in PDFFont.Style.allCases {
            if let bytes = change(style, try self.bytes(style)) {
                try Data(bytes).write(to: url.appendingPathComponent(PDFFontFiles.fileName(style)))
            }
        }
        return url.path
    }
}
