/// The error a user of DevWorkflow meets: what went wrong, in words for people, with a code.
///
/// The code decides the command line's exit status (one mapping, in workflowctl); the message is
/// one line that names what was wrong and, where it helps, what would be right.
public struct WorkflowError: Error, CustomStringConvertible, CustomDebugStringConvertible {
    /// An open set of error kinds; each maps to one exit code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The command line itself is wrong (unknown flag, missing argument).
        public static let usage = Code("usage")
        /// A value is malformed or a rule or guard refused it.
        public static let invalidData = Code("invalid_data")
        /// A named request, system, vendor, person or file does not exist.
        public static let notFound = Code("not_found")
        /// The database (or another service) cannot be reached.
        public static let unavailable = Code("unavailable")
        /// The request changed since the caller looked, or a lock could not be had in time: retry.
        public static let conflict = Code("conflict")
        /// This person may not do this.
        public static let notPermitted = Code("not_permitted")
        /// The database accepts reads only (a hot standby).
        public static let readOnly = Code("read_only")
        /// A file could not be written or read.
        public static let ioError = Code("io_error")
        /// Something that should not happen; the message says what.
        public static let internalError = Code("internal")
    }

    public var code: Code
    /// What went wrong, from the catalogue, shown in the reader's language.
    public var text: Message
    /// Further facts a program may want (allowed transitions, missing inputs …), for `--json`.
    public var context: [String: String]
    /// The underlying error, for debugging.
    public var underlying: (any Error)?

    public init(_ code: Code, _ text: Message, context: [String: String] = [:], underlying: (any Error)? = nil) {
        self.code = code
        self.text = text
        self.context = context
        self.underlying = underlying
    }

    /// The message in English (logs, `description`).
    public var message: String { text.text(.en) }

    /// The message in a language.
    public func message(in language: Language) -> String { text.text(language) }

    public var description: String { message }
    public var debugDescription: String {
        var text = "WorkflowError(\(code): \(message)"
        if !context.isEmpty { text += ", context: \(context)" }
        if let underlying { text += ", underlying: \(String(reflecting: underlying))" }
        return text + ")"
    }
}
