-- `request list --mine`: what waits for you, not every step you may take -------------------------
-- --mine kept the requests where some transition was allowed to the person. A product owner may
-- cancel any open request and hold any order, so every open request of their systems was "theirs";
-- a vendor who had quoted was still shown the request to quote again.
--
-- The definition now says, per transition, whom a request in its from-state waits for:
-- `waits_for`, a subset of its actors (NULL: a side step that waits for nobody — cancel, hold,
-- invite), and `waits_when`, input-free guards that must hold too (resume waits only for an order
-- on hold; a quote only for an invited vendor that has not quoted yet). A person is waited for
-- when one such step is theirs now: the permission move() asks, with `waits_for` as the actors,
-- and the step's own input-free guards (standing_refusal(), what `request transitions` says) with
-- `waits_when` after them. One rule, awaits(), asked by the list.
ALTER TABLE workflow_transition ADD COLUMN waits_for text[], ADD COLUMN waits_when text[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN workflow_transition.waits_for IS
    'whom a request in from_state waits for at this step (a subset of actors); NULL: a side step (request list --mine)';
COMMENT ON COLUMN workflow_transition.waits_when IS
    'input-free guards that must hold as well for the request to wait for them';

-- A vendor that has quoted for a request is not waited for: the request waits for the order.
CREATE FUNCTION step_not_quoted(r request, a person, i jsonb, d date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM workflow.quote q WHERE q.request_id = r.id AND q.vendor = a.vendor) THEN
        PERFORM refuse('DW422', 'error.quoted_already', format('%s has quoted for %s', a.vendor, r.id),
                       jsonb_build_object('request', r.id, 'vendor', a.vendor));
    END IF;
    RETURN NULL;
END
$$;
INSERT INTO workflow_step (name, kind, refusals, reads_inputs) VALUES ('not_quoted', 'guard', ARRAY['error.quoted_already'], false);
SELECT rewrite_function('run_step(text, request, person, jsonb, date)',
    $old$WHEN 'on_hold' THEN$old$,
    $new$WHEN 'not_quoted' THEN RETURN step_not_quoted(r, a, i, d);
    WHEN 'on_hold' THEN$new$);

UPDATE workflow_transition SET waits_for = actors;
UPDATE workflow_transition SET waits_for = NULL WHERE name IN ('cancel', 'hold', 'invite');
-- Staff may record a vendor's quote or delivery for it; the request waits for the vendor.
UPDATE workflow_transition SET waits_for = ARRAY['invited_vendor'], waits_when = ARRAY['not_quoted'] WHERE name = 'quote';
UPDATE workflow_transition SET waits_for = ARRAY['ordered_vendor'] WHERE name = 'deliver';

-- Whether a request in its state waits for this person at this step.
CREATE FUNCTION awaits(r request, a person, t workflow_transition, d date) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF t.waits_for IS NULL THEN
        RETURN false;
    END IF;
    t.actors := t.waits_for;
    IF workflow.permission_refusal(r, a, t) IS NOT NULL THEN
        RETURN false;
    END IF;
    t.guards := t.guards || t.waits_when;
    RETURN workflow.standing_refusal(r, a, t, d) IS NULL;
END
$$;
REVOKE ALL ON FUNCTION awaits(request, person, workflow_transition, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION step_not_quoted(request, person, jsonb, date) FROM PUBLIC;

SELECT rewrite_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    'AND permission_refusal(r, a, t) IS NULL))',
    'AND awaits(r, a, t, (now() AT TIME ZONE ''Europe/Tallinn'')::date)))');

-- A definition's waits name its own actors and input-free guards.
SELECT rewrite_function('check_definition(text)',
    $old$        UNION ALL
        -- Every state reachable from the start, and able to reach a final state.$old$,
    $new$        UNION ALL
        SELECT format('transition %s waits for %s, who may not take it', t.name, w.actor)
        FROM workflow_transition t CROSS JOIN LATERAL unnest(t.waits_for) AS w(actor)
        WHERE t.definition = p_definition AND NOT w.actor = ANY (t.actors)
        UNION ALL
        SELECT format('transition %s waits when %s, which is not a guard that reads no input', t.name, w.step)
        FROM workflow_transition t CROSS JOIN LATERAL unnest(t.waits_when) AS w(step)
        WHERE t.definition = p_definition
          AND NOT EXISTS (SELECT 1 FROM workflow_step s WHERE s.name = w.step AND s.kind = 'guard' AND NOT s.reads_inputs)
        UNION ALL
        -- Every state reachable from the start, and able to reach a final state.$new$);

DO $$ BEGIN PERFORM check_definition('small_development'); PERFORM check_definition('warranty'); END $$;
