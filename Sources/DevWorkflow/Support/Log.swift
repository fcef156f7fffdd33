import Foundation

/// One line per event, `key=value` pairs (logfmt), for journald and grep.
///
/// Library code never prints; the daemon hands its log to the parts that report events.
public struct Log: Sendable {
    public enum Level: String, Sendable { case debug, info, warning, error }

    let program: String
    let write: @Sendable (String) -> Void

    /// A log writing whole lines to standard error.
    public init(program: String) {
        self.program = program
        self.write = { line in
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { raw in _ = Foundation.write(STDERR_FILENO, raw.baseAddress, raw.count) }
        }
    }

    /// A log handing lines to a closure (tests).
    public init(program: String, _ write: @escaping @Sendable (String) -> Void) {
        self.program = program
        self.write = write
    }

    public func info(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, event, fields) }
    public func warning(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.warning, event, fields) }
    public func error(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, event, fields) }

    public func log(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, String>) {
        var line = "\(program): level=\(level.rawValue) event=\(Log.quote(event))"
        for (key, value) in fields { line += " \(key)=\(Log.quote(value))" }
        write(line + "\n")
    }

    static func quote(_ value: String) -> String {
        // Printable ASCII only: a control character (ESC) must not reach the terminal or journal raw.
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) && $0 != "\"" && $0 != "=" && $0 != "\\" }
        if plain { return value }
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if TerminalText.needsShowing(scalar) {
                    text += JSONValue.unicodeEscape(scalar)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }
}
