extension TrueTypeFont {
    /// Why a font file cannot be used: what is wrong with it, in words for people, with a code.
    ///
    /// A PDF that cannot have its fonts keeps the standard ones (`DocumentPDFRenderer`), and
    /// `order act` says why, naming the file: so the detail is written for whoever keeps the fonts.
    struct Error: Swift.Error, CustomStringConvertible, Sendable {
        /// An open set of kinds of trouble.
        struct Code: Hashable, Sendable, CustomStringConvertible {
            let rawValue: String
            init(_ rawValue: String) { self.rawValue = rawValue }
            var description: String { rawValue }

            /// There is no such file.
            static let missing = Code("missing")
            /// The file is there but cannot be read (permissions, a folder).
            static let unreadable = Code("unreadable")
            /// The file ends before something it says is there.
            static let truncated = Code("truncated")
            /// The file contradicts itself or the TrueType format.
            static let malformed = Code("malformed")
            /// A font of a kind not read here (CFF outlines, a collection, no Unicode map).
            static let unsupported = Code("unsupported")
        }

        var code: Code
        /// What is wrong, in English (`the table 'glyf' ends before byte 140000`).
        var detail: String
        /// The file's path, when the font was read from one.
        var file: String?

        init(_ code: Code, _ detail: String, file: String? = nil) {
            self.code = code
            self.detail = detail
            self.file = file
        }

        var description: String { file.map { "\($0): \(detail)" } ?? detail }
    }
}
