#if canImport(Glibc)
import Glibc
#endif

/// The process's environment variables, read from `environ`: the one way the library reads them.
///
/// A command reads a few variables once; `ProcessInfo.processInfo.environment` first sets up
/// ProcessInfo itself (0.3 ms of every workflowctl run, a tenth of what its start costs beyond
/// psql's). The first definition of a name wins, as with `getenv`.
@usableFromInline package enum ProcessEnvironment {
    /// Every variable (public functions take it as their `environment` default, hence usable
    /// from inlinable code).
    @usableFromInline package static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(text[..<equals])
                if variables[name] == nil { variables[name] = String(text[text.utf8.index(after: equals)...]) }
            }
            entry += 1
        }
        return variables
    }

    /// One variable, without reading the others.
    package static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
