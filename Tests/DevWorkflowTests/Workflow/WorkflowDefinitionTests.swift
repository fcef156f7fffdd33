import Testing
@testable import DevWorkflow

/// The definition has one source, the database; these read it back and check what the database
/// refuses as a definition.
@Suite struct WorkflowDefinitionTests {
    typealias D = WorkflowDefinition

    @Test func theBuiltInWorkflowIsPRODUCTsRoad() throws {
        let d = try Definitions.smallDevelopment
        #expect(d.start == "proposed")
        #expect(d.states.filter(\.isFinal).map(\.name) == ["released", "rejected", "cancelled"])
        let table: [(String, [String], String?)] = [
            ("prioritise", ["proposed"], "prioritised"), ("reject", ["prioritised", "proposed"], "rejected"),
            ("request_quote", ["prioritised"], "quote_requested"), ("invite", ["quote_requested", "quoted"], nil),
            ("quote", ["quote_requested", "quoted"], "quoted"),
            ("order", ["quoted"], "ordered"), ("deliver", ["ordered"], "delivered"), ("accept", ["delivered"], "accepted"),
            ("return", ["delivered"], "ordered"), ("release", ["accepted"], "released"),
            ("cancel", ["accepted", "delivered", "ordered", "prioritised", "proposed", "quote_requested", "quoted"], "cancelled"),
            // The buyer holds an order's clock and lets it run again (issue 19): it stays ordered.
            ("hold", ["ordered"], nil), ("resume", ["ordered"], nil),
        ]
        #expect(d.transitions.map(\.name) == table.map(\.0))
        for (name, from, to) in table {
            #expect(d.transition(name)?.from == from, "\(name)")
            #expect(d.transition(name)?.to == to, "\(name)")
        }
        #expect(d.transition("quote")?.actors.contains(.invitedVendor) == true)
        #expect(d.transition("deliver")?.actors.contains(.orderedVendor) == true)
        #expect(d.transition("order")?.actors.contains(.invitedVendor) == false)
        #expect(d.transition("order")?.guards == ["quoted", "contract_on_order_date", "cap_left", "order_vat", "budget_left", "deadline_default"])
        #expect(d.transition("invite")?.target(from: "quoted") == "quoted")
    }

    /// The database checks a definition when it is written: each problem is named.
    @Test func invalidDefinitionsAreRefusedWithWhatIsWrong() throws {
        let db = try TestDatabase.migrated()
        let c = try db.product()
        func refusal(_ script: String) throws -> String? {
            do {
                try c.transaction {
                    try c.executeScript("""
                        INSERT INTO workflow_definition (name, start_state) VALUES ('t', 'a');
                        INSERT INTO workflow_state (definition, name, is_final, position) VALUES ('t', 'a', false, 1), ('t', 'z', true, 2);
                        \(script)
                        SELECT check_definition('t');
                        """)
                    throw CancelTransaction()
                }
                return nil
            } catch is CancelTransaction {
                return nil
            } catch let error as PostgresError {
                return error.message
            }
        }
        let go = "INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, audience) VALUES ('t', 'go', 'a', 'z', 1, '{admin}', 'all');"
        #expect(try refusal(go) == nil)
        #expect(try refusal(go + "INSERT INTO workflow_state VALUES ('t', 'island', false, 3);")?.contains("state island cannot be reached") == true)
        #expect(try refusal(go + """
            INSERT INTO workflow_state VALUES ('t', 'b', false, 3);
            INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, audience) VALUES
                ('t', 'tob', 'a', 'b', 2, '{admin}', 'all'), ('t', 'loop', 'b', 'b', 3, '{admin}', 'all');
            """)?.contains("state b cannot reach a final state") == true)
        #expect(try refusal(go + "UPDATE workflow_definition SET start_state = 'z' WHERE name = 't';")?.contains("is final") == true)
        #expect(try refusal(go + "INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, audience) VALUES ('t', 'back', 'z', 'a', 2, '{admin}', 'all');")?
            .contains("leaves final state") == true)
        #expect(try refusal("INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, guards, audience) VALUES ('t', 'go', 'a', 'z', 1, '{admin}', '{no_such_guard}', 'all');")?
            .contains("names unknown step no_such_guard") == true)
        #expect(try refusal("INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, guards, audience) VALUES ('t', 'go', 'a', 'z', 1, '{admin}', '{place_order}', 'all');")?
            .contains("names step place_order as a effect") == true)
        #expect(try refusal("INSERT INTO workflow_transition (definition, name, from_state, to_state, position, actors, required, audience) VALUES ('t', 'go', 'a', 'z', 1, '{admin}', '{colour}', 'all');")?
            .contains("takes unknown input colour") == true)
    }

    @Test func drawingsNameEveryTransition() throws {
        let d = try Definitions.smallDevelopment
        let dot = d.draw(.dot), mermaid = d.draw(.mermaid), text = d.draw(.text)
        #expect(dot.hasPrefix("digraph small_development {"))
        #expect(dot.contains("\"delivered\" -> \"ordered\" [label=\"return\"];"))
        #expect(dot.contains("\"quoted\" -> \"quoted\" [label=\"invite\"];"))
        #expect(mermaid.hasPrefix("stateDiagram-v2"))
        #expect(mermaid.contains("quoted --> ordered: order"))
        #expect(mermaid.contains("released --> [*]"))
        for transition in d.transitions {
            #expect(text.contains("\(transition.name): "))
            #expect(mermaid.contains(": \(transition.name)"))
        }
        #expect(text.contains("guards: the vendor quoted, a contract valid on the order date"))
        #expect(d.draw(.text, language: .et).contains("sammud:"))
        #expect(d.draw(.text, language: .et).contains("tellimine (order): hinnapakkumine saadud (quoted) → tellitud (ordered)"))
    }
}

/// Thrown to roll a test's transaction back on purpose.
struct CancelTransaction: Error {}
