import Testing
@testable import DevWorkflow

@Suite struct SQLTests {
    @Test func interpolationBindsValuesAsParameters() {
        let name = "'); DROP TABLE x; --"
        let sql: SQL = "SELECT * FROM t WHERE a = \(name) AND b = \(42)"
        #expect(sql.text == "SELECT * FROM t WHERE a = $1 AND b = $2")
        #expect(sql.binds == [name, "42"])
        #expect(!sql.description.contains("DROP"))
    }

    @Test func fragmentsAreRenumbered() {
        let inner: SQL = "b = \(2) AND c = \(3)"
        let outer: SQL = "a = \(1) AND \(inner) AND d = '$1' AND e = \(4)"
        #expect(outer.text == "a = $1 AND b = $2 AND c = $3 AND d = '$1' AND e = $4")
        #expect(outer.binds == ["1", "2", "3", "4"])
        let joined = SQL.joined([inner, inner], separator: " OR ")
        #expect(joined.text == "b = $1 AND c = $2 OR b = $3 AND c = $4")
    }

    @Test func nilBindsNull() {
        let missing: String? = nil
        let sql: SQL = "SELECT \(missing)"
        #expect(sql.binds == [nil])
    }
}
