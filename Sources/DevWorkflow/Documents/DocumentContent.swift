/// A document for people, in words and formatted values of one language but in no format yet:
/// what the PDF, HTML and Markdown renderers draw, each in its own way.
///
/// A document (`AcceptanceAct`) decides once what it says and in which order; the renderers
/// decide only how it looks, so the three formats always hold the same facts.
struct DocumentContent: Sendable {
    /// A label and its value (`Registry code`, `10000001`).
    struct Field: Sendable, Equatable {
        let label: String
        let value: String
    }

    /// A column of a table.
    struct Column: Sendable {
        enum Kind: Sendable {
            /// Wrapped text, left-aligned.
            case text
            /// An amount or count: right-aligned, never wrapped.
            case number
            /// A date: never wrapped.
            case date
            /// A code to copy exactly (a digest): fixed width, broken only where it must.
            case code
        }

        let title: String
        let kind: Kind
        /// The column's share of the width the text columns divide among themselves.
        let weight: Double

        init(_ title: String, _ kind: Kind = .text, weight: Double = 1) {
            self.title = title
            self.kind = kind
            self.weight = weight
        }
    }

    /// A table: a heading row (shown when any column has a title) and rows of cells.
    struct Table: Sendable {
        let columns: [Column]
        let rows: [[String]]
        /// The last row is a total: set apart and in bold.
        var lastRowIsTotal = false
    }

    /// A signature box for a party's representative: the name and position filled in or left
    /// blank, and the mark a digital signature stands for.
    struct Signature: Sendable {
        let title: String
        let fields: [Field]
        let mark: String
    }

    enum Block: Sendable {
        /// Short facts, a label and a value a line.
        case fields([Field])
        /// Running text under a small label (or none); line breaks in it are kept.
        case text(label: String?, String)
        case table(Table)
        /// A remark in smaller, quieter type ("No returns").
        case note(String)
        /// Signature boxes side by side.
        case signatures([Signature])
    }

    struct Section: Sendable {
        /// The heading; a section without one continues the text before it.
        let title: String?
        let blocks: [Block]
    }

    /// The language of the text.
    let language: Language
    let title: String
    /// Under the title (`No. ORD-2026-0001`).
    let subtitle: String?
    /// Facts under the title (the date of the act).
    let lead: [Field]
    let sections: [Section]
    /// The document's name (`Acceptance act No. ORD-2026-0001`): the title of the file (the
    /// window's title) and the running footer of each printed page.
    let name: String
    /// The page number in the footer: page, pages.
    let pageNumber: @Sendable (Int, Int) -> String
}
