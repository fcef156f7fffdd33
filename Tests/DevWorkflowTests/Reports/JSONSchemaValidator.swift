import Foundation
@testable import DevWorkflow

/// Checks a JSON document against a JSON Schema (draft 2020-12), for the subset our schemas use:
/// `type` (a name or a list), `properties`, `required`, `additionalProperties` (false or a
/// schema), `items`, `enum`, `const`, `pattern` (NSRegularExpression, unanchored as the spec
/// says), `minimum`, and `$ref` to a local JSON pointer (`#/$defs/…`). Any other keyword is
/// reported as an error, so a schema cannot lean on something this validator ignores.
struct JSONSchemaValidator {
    let root: JSONValue

    init(schema: JSONValue) { root = schema }

    /// The schema file at `path`.
    init(contentsOf url: URL) throws {
        root = try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    private static let annotations: Set<String> = ["$schema", "$id", "$defs", "$comment", "title", "description", "examples"]

    /// Every violation as `path: what is wrong`; empty when the document is valid.
    func validate(_ instance: JSONValue) -> [String] {
        var errors: [String] = []
        check(instance, root, path: "$", errors: &errors)
        return errors
    }

    private func check(_ instance: JSONValue, _ schema: JSONValue, path: String, errors: inout [String]) {
        if case .bool(true) = schema { return }
        if case .bool(false) = schema { errors.append("\(path): not allowed"); return }
        guard case let .object(keywords) = schema else { errors.append("\(path): schema is not an object"); return }
        for (keyword, value) in keywords {
            switch keyword {
            case "$ref":
                guard case let .string(reference) = value, let target = resolve(reference) else {
                    errors.append("\(path): cannot resolve $ref \(value.text)"); continue
                }
                check(instance, target, path: path, errors: &errors)
            case "type":
                let names: [String]
                switch value {
                case let .string(name): names = [name]
                case let .array(list): names = list.compactMap { if case let .string(name) = $0 { name } else { nil } }
                case .null, .bool, .number, .object: names = []
                }
                if !names.contains(where: { JSONSchemaValidator.has(type: $0, instance) }) {
                    errors.append("\(path): expected \(names.joined(separator: " or ")), got \(JSONSchemaValidator.typeName(instance))")
                }
            case "properties":
                guard case let .object(properties) = value, case let .object(members) = instance else { continue }
                for (name, subschema) in properties {
                    if let member = members.first(where: { $0.0 == name }) {
                        check(member.1, subschema, path: path + "." + name, errors: &errors)
                    }
                }
            case "required":
                guard case let .array(names) = value, case let .object(members) = instance else { continue }
                for case let .string(name) in names where !members.contains(where: { $0.0 == name }) {
                    errors.append("\(path): missing required property \(name)")
                }
            case "additionalProperties":
                guard case let .object(members) = instance else { continue }
                var declared: Set<String> = []
                if case let .object(properties)? = schema["properties"] { declared = Set(properties.map(\.0)) }
                for (name, member) in members where !declared.contains(name) {
                    if case .bool(false) = value {
                        errors.append("\(path): property \(name) is not allowed")
                    } else {
                        check(member, value, path: path + "." + name, errors: &errors)
                    }
                }
            case "items":
                guard case let .array(elements) = instance else { continue }
                for (index, element) in elements.enumerated() {
                    check(element, value, path: "\(path)[\(index)]", errors: &errors)
                }
            case "enum":
                guard case let .array(allowed) = value else { errors.append("\(path): enum is not an array"); continue }
                if !allowed.contains(instance) { errors.append("\(path): \(instance.text) is not one of \(value.text)") }
            case "const":
                if instance != value { errors.append("\(path): \(instance.text) is not \(value.text)") }
            case "pattern":
                guard case let .string(pattern) = value, let regex = try? NSRegularExpression(pattern: pattern) else {
                    errors.append("\(path): bad pattern \(value.text)"); continue
                }
                guard case let .string(text) = instance else { continue }
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    errors.append("\(path): \(instance.text) does not match \(pattern)")
                }
            case "minimum":
                guard case let .number(limit) = value, let bound = Double(limit) else { errors.append("\(path): bad minimum"); continue }
                guard case let .number(text) = instance, let number = Double(text) else { continue }
                if number < bound { errors.append("\(path): \(text) is less than \(limit)") }
            case _ where JSONSchemaValidator.annotations.contains(keyword):
                continue
            default:
                errors.append("\(path): schema keyword \(keyword) is not supported by this validator")
            }
        }
    }

    /// A `#/…` JSON pointer into the root schema.
    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node = root
        for token in reference.dropFirst().split(separator: "/") {
            let name = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node[name] else { return nil }
            node = next
        }
        return node
    }

    private static func has(type name: String, _ value: JSONValue) -> Bool {
        switch (name, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object):
            return true
        case let ("integer", .number(text)):
            return Double(text).map { $0.isFinite && $0 == $0.rounded() } ?? false
        default:
            return false
        }
    }

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
