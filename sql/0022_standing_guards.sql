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

-- A migration changes one rule by changing that rule's code only (issue 14): rewrite_function()
-- replaces one expression or statement in a function's stored definition, and refuses unless it
-- stands there exactly once, so no function is copied whole to change a line of it. The later
-- migrations that change a line of a long function call it too.
CREATE FUNCTION rewrite_function(p_function regprocedure, p_old text, p_new text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_definition text := pg_get_functiondef(p_function);
    v_count integer := (length(v_definition) - length(replace(v_definition, p_old, ''))) / length(p_old);
BEGIN
    IF v_count <> 1 THEN
        RAISE EXCEPTION '% holds % % times, not once', p_function, p_old, v_count;
    END IF;
    EXECUTE replace(v_definition, p_old, p_new);
END
$$;
REVOKE ALL ON FUNCTION rewrite_function(regprocedure, text, text) FROM PUBLIC;

-- 0006's transitions(): after the permission, the standing refusal.
SELECT rewrite_function('transitions(text)', $old$'refusal', permission_refusal(r, a, t),$old$,
    $new$'refusal', coalesce(permission_refusal(r, a, t), standing_refusal(r, a, t, (now() AT TIME ZONE 'Europe/Tallinn')::date)),$new$);
