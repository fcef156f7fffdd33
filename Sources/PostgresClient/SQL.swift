/// A SQL statement whose interpolated values become `$n` parameters, never text in the query.
///
/// ```swift
/// let sql: SQL = "SELECT id FROM request WHERE system = \(key) AND state = \(state)"
/// ```
/// Another `SQL` interpolates as a fragment with its parameters renumbered. Text that must be part
/// of the statement itself (an identifier the caller validated) goes through `SQL(unsafe:)`,
/// whose name says what it is.
public struct SQL: Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The statement with `$1 … $n` placeholders.
    public private(set) var text: String
    /// The parameters in text format; nil is NULL.
    public private(set) var binds: [String?]
    /// Each parameter's type OID (0 lets the server infer it).
    public private(set) var types: [UInt32]

    /// Statement text that is not escaped; only for text the program itself wrote or validated.
    public init(unsafe text: String) {
        self.text = text
        self.binds = []
        self.types = []
    }

    public init(stringLiteral value: String) { self.init(unsafe: value) }

    public init(stringInterpolation: StringInterpolation) {
        self.text = stringInterpolation.text
        self.binds = stringInterpolation.binds
        self.types = stringInterpolation.types
    }

    /// Appends another statement fragment, renumbering its parameters.
    public mutating func append(_ other: SQL) {
        var interpolation = StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.text = text
        interpolation.binds = binds
        interpolation.types = types
        interpolation.appendInterpolation(other)
        self = SQL(stringInterpolation: interpolation)
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// Joins fragments with a separator (`", "`, `" AND "`).
    public static func joined(_ parts: [SQL], separator: String) -> SQL {
        var result = SQL(unsafe: "")
        for (index, part) in parts.enumerated() {
            if index > 0 { result.append(SQL(unsafe: separator)) }
            result.append(part)
        }
        return result
    }

    /// The statement only: parameters are never part of a description.
    public var description: String { text }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var text: String
        var binds: [String?]
        var types: [UInt32]

        public init(literalCapacity: Int, interpolationCount: Int) {
            text = ""
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            types = []
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// A value, bound as the next parameter.
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T) {
            binds.append(value.postgresText)
            types.append(T.postgresType)
            text += "$\(binds.count)"
        }

        /// An optional value; nil binds NULL.
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T?) {
            binds.append(value?.postgresText)
            types.append(T.postgresType)
            text += "$\(binds.count)"
        }

        /// A fragment, with its placeholders shifted past the ones already bound.
        public mutating func appendInterpolation(_ fragment: SQL) {
            let offset = binds.count
            if offset == 0 {
                text += fragment.text
            } else {
                text += SQL.renumber(fragment.text, by: offset)
            }
            binds += fragment.binds
            types += fragment.types
        }
    }

    /// Shifts `$n` placeholders by `offset`, leaving string literals, quoted identifiers and
    /// dollar-quoted bodies alone.
    package static func renumber(_ text: String, by offset: Int) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 8)
        var chars = Array(text.unicodeScalars)[...]
        var quote: Unicode.Scalar? = nil
        while let c = chars.first {
            chars = chars.dropFirst()
            if let q = quote {
                output.unicodeScalars.append(c)
                if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "\"" {
                quote = c
                output.unicodeScalars.append(c)
            } else if c == "$", let first = chars.first, first.properties.numericType != nil, first.isASCII {
                var digits = ""
                while let d = chars.first, d.isASCII, d.properties.numericType != nil {
                    digits.unicodeScalars.append(d)
                    chars = chars.dropFirst()
                }
                output += "$\(Int(digits)! + offset)"
            } else {
                output.unicodeScalars.append(c)
            }
        }
        return output
    }
}
