/// The languages DevWorkflow speaks: Estonian (the default) and English.
///
/// JSON field names, keys of states and transitions, and exit codes never change with the
/// language; only what a person reads does.
public enum Language: String, Sendable, CaseIterable, Codable {
    case et, en

    /// The language a locale environment asks for: `LC_ALL`, then `LC_MESSAGES`, then `LANG`
    /// (the first one set, as POSIX orders them); `et…` is Estonian, `en…` English, anything
    /// else (C, POSIX, de_DE) the default.
    public static func fromEnvironment(_ environment: [String: String], default fallback: Language = .et) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            let code = value.prefix { $0.isLetter }.lowercased()
            return Language(rawValue: code) ?? fallback
        }
        return fallback
    }

    /// Parses `et` or `en` (as given to `--lang`).
    public init(parsing text: String) throws {
        guard let language = Language(rawValue: text.lowercased()) else {
            throw WorkflowError(.usage, Message("error.language", ["value": "\(text)"]))
        }
        self = language
    }
}
