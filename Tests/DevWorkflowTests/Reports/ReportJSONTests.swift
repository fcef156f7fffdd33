import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ReportJSONTests {
    static let schemaURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/report.schema.json")

    @Test func parsesAndMatchesTheSchema() throws {
        let document = try JSONValue.parse(try ReportFixture.rendered(.json).text)
        let validator = try JSONSchemaValidator(contentsOf: Self.schemaURL)
        #expect(validator.validate(document) == [])
    }

    @Test func holdsExactValues() throws {
        let document = try JSONValue.parse(try ReportFixture.rendered(.json).text)
        #expect(document["report"] == "vendor")
        #expect(document["as_of"] == "2026-11-25T09:18:01Z")
        #expect(document["parameters"] == ["vendor": "POHJALA", "year": "2026"])
        #expect(document["row_count"] == 8)
        let sections = try #require(document["sections"]?.arrayValue, "\(document.text)")
        try #require(sections.count == 2)
        let rows = try #require(sections[0]["rows"]?.arrayValue)
        try #require(rows.count == 4)
        #expect(sections[0]["id"] == "requests")
        #expect(sections[0]["row_count"] == 4)
        #expect(rows[0]["title"] == .string(ReportFixture.tricky))
        #expect(rows[0]["quote"] == .number("1250.50"))
        #expect(rows[0]["share"] == .number("0.25"))
        #expect(rows[0]["deadline"] == "2026-11-30")
        #expect(rows[0]["delivered_at"] == "2026-11-20T14:05:09Z")
        #expect(rows[0]["accepted"] == true)
        #expect(rows[1]["system"] == .null)
        #expect(rows[1]["quote"] == .number("-1234.50"))
        #expect(rows[2]["quote"] == .number("999999999999.99"))
        #expect(rows[3]["title"] == "")
        // Keys follow the columns, in order.
        let pairs = try #require(rows[0].objectPairs, "\(rows[0].text)")
        #expect(pairs.map(\.0) == ReportFixture.requestColumns.map(\.key))
        // The chart sits in the section it illustrates.
        let chart = try #require(sections[1]["charts"]?.arrayValue?.first, "no chart in the second section")
        #expect(chart["kind"] == "grouped_bars")
        #expect(chart["series"]?.arrayValue?.count == 2)
        let first = try #require(sections[0]["charts"]?.arrayValue?.first, "no chart in the first section")
        let values = try #require(first["series"]?.arrayValue?.first?["values"]?.arrayValue)
        #expect(values == [.number("3.0"), .number("-2.0"), .number("0.0"), .null])
    }

    @Test func schemaRejectsWhatIsWrong() throws {
        let validator = try JSONSchemaValidator(contentsOf: Self.schemaURL)
        let good = try JSONValue.parse(try ReportFixture.rendered(.json).text)
        var pairs = try #require(good.objectPairs)
        var extra = pairs
        extra.append(("surprise", 1))
        #expect(!validator.validate(.object(extra)).isEmpty)
        pairs.removeAll { $0.0 == "sha256" }
        #expect(validator.validate(.object(pairs)).contains("$: missing required property sha256"))
        #expect(validator.validate(["report": "Vendor!"]).contains { $0.hasPrefix("$.report: ") })
    }

    @Test func validatorKeywords() {
        let schema: JSONValue = [
            "type": "object", "required": ["n"], "additionalProperties": false,
            "properties": ["n": ["type": "integer", "minimum": 1], "k": ["enum": ["a", "b"]], "c": ["const": true],
                           "list": ["type": "array", "items": ["type": ["string", "null"], "pattern": "^x"]]],
        ]
        let validator = JSONSchemaValidator(schema: schema)
        #expect(validator.validate(["n": 2, "k": "a", "c": true, "list": ["xy", nil]]) == [])
        #expect(validator.validate(["n": .number("2.5")]).count == 1)
        #expect(validator.validate(["n": 0]).count == 1)
        #expect(validator.validate(["n": 1, "k": "z"]).count == 1)
        #expect(validator.validate(["n": 1, "c": false]).count == 1)
        #expect(validator.validate(["n": 1, "list": ["yx", 3]]).count == 2)
        #expect(validator.validate(["k": "a"]).count == 1)
        #expect(validator.validate(["n": 1, "other": 1]).count == 1)
        #expect(JSONSchemaValidator(schema: ["maxLength": 3]).validate("abcd").count == 1)
    }

    @Test func malformedDecimalThrows() throws {
        let renderer = JSONRenderer(sink: StringSink())
        try renderer.begin(ReportFixture.header)
        try renderer.beginSection(id: "numbers", title: "Numbers", columns: [ReportColumn("value", "Value", .decimal)])
        for text in ["NaN", "1e5", "007", "1.", ".5", "", "-", "1,5", "Infinity"] {
            #expect(throws: WorkflowError.self) { try renderer.row([.decimal(text)]) }
        }
        for text in ["0", "-0.5", "10", "1234567890.0001"] {
            #expect(throws: Never.self) { try renderer.row([.decimal(text)]) }
        }
        #expect(ReportValue.decimal(-0.0001, fractionDigits: 2) == .decimal("0.00"))
        #expect(ReportValue.decimal(.nan, fractionDigits: 2) == .null)
        #expect(ReportValue.decimal(2.5, fractionDigits: 0) == .decimal("2"))
    }
}
