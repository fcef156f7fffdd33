import Testing
@testable import DevWorkflow

@Suite struct WorkflowDefinitionTests {
    typealias D = WorkflowDefinition

    @Test func theBuiltInWorkflowIsPRODUCTsRoad() {
        let d = D.smallDevelopment
        #expect(d.start == "proposed")
        #expect(d.states.filter(\.isFinal).map(\.name) == ["released", "rejected", "cancelled"])
        let table: [(String, [String], String)] = [
            ("prioritise", ["proposed"], "prioritised"), ("reject", ["proposed", "prioritised"], "rejected"),
            ("request_quote", ["prioritised"], "quote_requested"), ("quote", ["quote_requested", "quoted"], "quoted"),
            ("order", ["quoted"], "ordered"), ("deliver", ["ordered"], "delivered"), ("accept", ["delivered"], "accepted"),
            ("return", ["delivered"], "ordered"), ("release", ["accepted"], "released"),
            ("cancel", ["proposed", "prioritised", "quote_requested", "quoted", "ordered", "delivered", "accepted"], "cancelled"),
        ]
        #expect(d.transitions.map(\.name) == table.map(\.0))
        for (name, from, to) in table {
            #expect(d.transition(name)?.from == from, "\(name)")
            #expect(d.transition(name)?.to == to, "\(name)")
        }
        #expect(d.transition("quote")?.actors.contains(.invitedVendor) == true)
        #expect(d.transition("deliver")?.actors.contains(.orderedVendor) == true)
        #expect(d.transition("order")?.actors.contains(.invitedVendor) == false)
    }

    @Test func invalidDefinitionsAreRefusedWithWhatIsWrong() {
        func refusal(_ states: [D.State], _ transitions: [D.Transition], start: String = "a") -> String? {
            do {
                _ = try D(name: "t", start: start, states: states, transitions: transitions)
                return nil
            } catch let error as WorkflowError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        let go = D.Transition("go", from: ["a"], to: "z", actors: [.admin])
        #expect(refusal([D.State("a"), D.State("z", final: true)], [go]) == nil)
        #expect(refusal([D.State("a"), D.State("z", final: true), D.State("island")], [go])?.contains("'island' cannot be reached") == true)
        let loop = D.Transition("loop", from: ["b"], to: "b", actors: [.admin])
        let toB = D.Transition("tob", from: ["a"], to: "b", actors: [.admin])
        #expect(refusal([D.State("a"), D.State("b"), D.State("z", final: true)], [go, toB, loop])?.contains("'b' cannot reach a final state") == true)
        #expect(refusal([D.State("a"), D.State("a"), D.State("z", final: true)], [go])?.contains("state names are not unique") == true)
        #expect(refusal([D.State("a"), D.State("z", final: true)], [go, go])?.contains("transition names are not unique") == true)
        #expect(refusal([D.State("a"), D.State("z", final: true)], [D.Transition("x", from: ["a"], to: "nowhere", actors: [.admin]), go])?
            .contains("unknown state 'nowhere'") == true)
        #expect(refusal([D.State("a"), D.State("z", final: true)], [go], start: "z")?.contains("is final") == true)
        #expect(refusal([D.State("a"), D.State("z", final: true)], [D.Transition("go", from: ["a"], to: "z", actors: [.admin], effect: .order)])?
            .contains("must require vendor") == true)
        #expect(refusal([D.State("a"), D.State("z", final: true)], [go, D.Transition("back", from: ["z"], to: "a", actors: [.admin])])?
            .contains("leaves final state") == true)
    }

    @Test func drawingsNameEveryTransition() {
        let d = D.smallDevelopment
        let dot = d.draw(.dot), mermaid = d.draw(.mermaid), text = d.draw(.text)
        #expect(dot.hasPrefix("digraph small_development {"))
        #expect(dot.contains("\"delivered\" -> \"ordered\" [label=\"return\"];"))
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

    @Test func theDatabaseSeedMatchesTheBuiltInDefinition() throws {
        let db = try TestDatabase.migrated()
        let c = try db.product()
        let d = D.smallDevelopment
        var states: [String: Bool] = [:]
        for row in try c.query("SELECT name, is_final FROM workflow_state") { states[try row.decode(0)] = try row.decode(1) }
        #expect(states == Dictionary(uniqueKeysWithValues: d.states.map { ($0.name, $0.isFinal) }))
        var rows: Set<String> = []
        for row in try c.query("SELECT name, from_state, to_state, effect, array_to_string(actors, ','), array_to_string(notify, ',') FROM workflow_transition") {
            rows.insert([try row.decode(0), try row.decode(1), try row.decode(2), try row.decode(3), try row.decode(4), try row.decode(5)].joined(separator: "|"))
        }
        var expected: Set<String> = []
        for t in d.transitions {
            for from in t.from {
                expected.insert([t.name, from, t.to, t.effect.rawValue, t.actors.map(\.rawValue).joined(separator: ","),
                                 t.notify.map(\.rawValue).joined(separator: ",")].joined(separator: "|"))
            }
        }
        #expect(rows == expected)
    }
}
