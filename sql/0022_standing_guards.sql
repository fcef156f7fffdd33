-- `request transitions` also says what the guards that read no input would refuse ----------------
-- 0006's transitions() answered only whether the person may take each step. A guard that looks at
-- the request alone refuses whatever inputs are given: `resume` on an order that is not on hold,
-- `hold` on one that is. transitions() listed both as possible, and only the move said no.
--
-- A step now says whether it reads the move's inputs. transitions() runs, after the permission,
-- the guards of each permitted step that do not, in the definition's order, and gives the first
-- refusal as that step's: the same DETAIL, so the same message key, that move() would raise.
-- Guards that read inputs (a vendor, a price) are left to the move and its --dry-run: without the
-- inputs there is nothing to decide. The guards run in a subtransaction that is rolled back, so a
-- step declared wrongly still writes nothing.
ALTER TABLE workflow_step ADD COLUMN reads_inputs boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN workflow_step.reads_inputs IS
    'false: a guard decided by the request, the person and the day alone, which request transitions runs too';
UPDATE workflow_step SET reads_inputs = false WHERE name IN ('not_held', 'on_hold');

-- The refusal a step's input-free guards give now (the DETAIL move() would raise), or NULL.
CREATE FUNCTION standing_refusal(r request, a person, t workflow_transition, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_step text;
    v_state text;
    v_detail text;
BEGIN
    FOR v_step IN
        SELECT s.name FROM unnest(t.guards) WITH ORDINALITY AS g(name, position)
        JOIN workflow.workflow_step s ON s.name = g.name AND NOT s.reads_inputs
        ORDER BY g.position
    LOOP
        BEGIN
            PERFORM workflow.run_step(v_step, r, a, '{}', d);
            -- Whatever the step did is undone: transitions() only asks.
            RAISE SQLSTATE 'DW000';
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL;
            IF v_state = 'DW000' THEN
                CONTINUE;
            ELSIF v_state LIKE 'DW%' THEN
                RETURN v_detail::jsonb;
            END IF;
            RAISE;
        END;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION transitions(p_request text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = workflow, pg_temp AS $$
DECLARE
    a person := actor();
    r request := visible_request(p_request, a, false);
    d date := (now() AT TIME ZONE 'Europe/Tallinn')::date;
BEGIN
    RETURN jsonb_build_object('request', r.id, 'state', r.state, 'version', r.version, 'definition', r.definition,
        'transitions', coalesce((SELECT jsonb_agg(jsonb_build_object('name', t.name, 'to', t.to_state,
                                                                    'refusal', coalesce(p.refusal, standing_refusal(r, a, t, d)),
                                                                    'required', t.required, 'optional', t.optional, 'guards', t.guards)
                                                  ORDER BY t.position)
                                 FROM workflow_transition t
                                 CROSS JOIN LATERAL (SELECT permission_refusal(r, a, t) AS refusal) p
                                 WHERE t.definition = r.definition AND t.from_state = r.state), '[]'));
END
$$;
