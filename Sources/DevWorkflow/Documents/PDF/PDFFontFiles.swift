import Foundation

/// The TrueType fonts a PDF embeds when the standard fonts cannot draw its text: Liberation Sans
/// (regular, bold, italic) and Liberation Mono, from Debian's `fonts-liberation`.
///
/// They are metric-compatible with Helvetica and Courier, so an act in Latin letters would break
/// its lines in the same places; they add Cyrillic and Greek (Russian names of a vendor's staff).
/// The files are looked for in `$WORKFLOW_PDF_FONTS` when it is set (and only there: a folder
/// given on purpose is not quietly passed over), else in Debian's folders for `fonts-liberation`
/// and `fonts-liberation2`.
struct PDFFontFiles: Sendable {
    /// The environment variable naming a folder with the four files.
    static let environmentVariable = "WORKFLOW_PDF_FONTS"
    /// The Debian package that installs them.
    static let debianPackage = "fonts-liberation"
    /// Where Debian's packages put them, in the order looked at.
    static let systemFolders = ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2"]

    /// Each style's file name.
    static func fileName(_ style: PDFFont.Style) -> String {
        switch style {
        case .regular: return "LiberationSans-Regular.ttf"
        case .bold: return "LiberationSans-Bold.ttf"
        case .italic: return "LiberationSans-Italic.ttf"
        case .mono: return "LiberationMono-Regular.ttf"
        }
    }

    private let fonts: [TrueTypeFont]

    /// The font of a style.
    subscript(style: PDFFont.Style) -> TrueTypeFont { fonts[style.rawValue] }

    /// Reads the four files, each from the first of `folders` that has it.
    init(folders: [String]) throws(TrueTypeFont.Error) {
        var fonts: [TrueTypeFont] = []
        for style in PDFFont.Style.allCases {
            let paths = folders.map { ($0 as NSString).appendingPathComponent(Self.fileName(style)) }
            let path = paths.first { FileManager.default.fileExists(atPath: $0) } ?? paths.first ?? Self.fileName(style)
            fonts.append(try TrueTypeFont(contentsOf: path))
        }
        self.fonts = fonts
    }

    /// The folders to look in: the one `$WORKFLOW_PDF_FONTS` names (`override`), else Debian's.
    static func folders(override: String?) -> [String] {
        if let override, !override.isEmpty { return [override] }
        return systemFolders
    }

    /// The four files from `folders`, or why they cannot be had.
    static func load(folders: [String]) -> Result<PDFFontFiles, TrueTypeFont.Error> {
        do throws(TrueTypeFont.Error) {
            return .success(try PDFFontFiles(folders: folders))
        } catch {
            return .failure(error)
        }
    }

    /// This machine's fonts, read once per process, when a document first needs them.
    static let installed = load(folders: folders(override: ProcessEnvironment.value(environmentVariable)))
}
