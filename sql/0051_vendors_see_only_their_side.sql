-- A vendor reads a request as its side of it, everywhere ---------------------------------------
-- Two ways a vendor still learnt of the others (PRODUCT.md: "nothing of other vendors, not even
-- their quotes"):
-- - An invited vendor that had not quoted saw "quoted" as soon as a competitor quoted, with the
--   time it did (`request show`, `request list`, its report, `--state quoted`). It now reads
--   "quote requested", since its own invitation, until it quotes itself.
-- - A vendor whose request was ordered from another vendor was told the real state by a refused
--   move ("ANNATEADA-5 is delivered: deliver is not possible now; allowed now: accept, return,
--   cancel", by the CLI, psql and the answer to a mail reply), while `request transitions` said
--   "ordered elsewhere, final". A move is now refused as the reader sees the request: final.
-- state_as_read() stays the one rule of what a vendor sees.
CREATE OR REPLACE FUNCTION state_as_read(r request, p_vendor text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_vendor IS NULL THEN r.state
                WHEN EXISTS (SELECT 1 FROM workflow.purchase_order x WHERE x.request_id = r.id AND x.vendor <> p_vendor)
                THEN 'ordered_elsewhere'
                WHEN r.state = 'quoted' AND NOT EXISTS (SELECT 1 FROM workflow.quote q WHERE q.request_id = r.id AND q.vendor = p_vendor)
                THEN 'quote_requested'
                ELSE r.state END
$$;

-- Since when: the order's placing for a loser (0040), the vendor's own invitation while it reads
-- "quote requested" of a request others have quoted for.
CREATE OR REPLACE FUNCTION state_since_as_read(r request, p_vendor text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE workflow.state_as_read(r, p_vendor)
                WHEN r.state THEN r.state_since
                WHEN 'ordered_elsewhere' THEN (SELECT x.ordered_at FROM workflow.purchase_order x WHERE x.request_id = r.id)
                ELSE coalesce((SELECT min(i.invited_at) FROM workflow.invitation i WHERE i.request_id = r.id AND i.vendor = p_vendor),
                              r.state_since) END
$$;

-- `request transitions` lists the steps of the state the request is in for every reader but a
-- loser (a vendor reading "quote requested" may quote: the step is the same from quoted).
SELECT rewrite_function('transitions(text)',
    $old$AND state_as_read(r, reader_vendor(a)) = r.state), '[]'));$old$,
    $new$AND state_as_read(r, reader_vendor(a)) <> 'ordered_elsewhere'), '[]'));$new$);

-- `request list --state` finds a request by the state its reader sees.
SELECT rewrite_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    'AND (p_states IS NULL OR r.state = ANY (p_states))',
    'AND (p_states IS NULL OR state_as_read(r, v_mine) = ANY (p_states))');

-- A step from a final state is refused in one place: transition_now() and attach_begin() (0058)
-- say it alike.
CREATE FUNCTION refuse_final(p_request text, p_state text, p_transition text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refuse('DW422', 'error.not_possible_final', format('%s is %s: %s is not possible, the state is final', p_request, p_state, p_transition),
                   jsonb_build_object('request', p_request, 'state', 'state:' || p_state, 'transition', 'transition:' || p_transition));
END
$$;
REVOKE ALL ON FUNCTION refuse_final(text, text, text) FROM PUBLIC;
SELECT rewrite_function('transition_now(request, text)',
    $old$        PERFORM refuse('DW422', 'error.not_possible_final', format('%s is %s: %s is not possible, the state is final', r.id, r.state, p_transition),
                       jsonb_build_object('request', r.id, 'state', 'state:' || r.state, 'transition', 'transition:' || p_transition));$old$,
    $new$        PERFORM refuse_final(r.id, r.state, p_transition);$new$);

-- A move is refused as its reader sees the request. The step is looked up in the request's own
-- state first (a move that is possible costs what it did); a refusal is transition_now()'s, given
-- the state the reader sees: a loser's "ordered elsewhere" has no step, so it is final.
CREATE FUNCTION transition_now(r request, p_transition text, a person) RETURNS workflow_transition
LANGUAGE plpgsql AS $$
DECLARE
    t workflow_transition;
    v_own text := r.state;
BEGIN
    SELECT * INTO t FROM workflow_transition WHERE definition = r.definition AND name = p_transition AND from_state = r.state;
    IF FOUND THEN
        RETURN t;
    END IF;
    IF a.role = 'vendor' THEN
        r.state := state_as_read(r, a.vendor);
    END IF;
    t := transition_now(r, p_transition);
    -- Only a step possible from the state read but not from the request's own gets here (none of
    -- our roads has one): refused as from its own.
    r.state := v_own;
    RETURN transition_now(r, p_transition);
END
$$;
REVOKE ALL ON FUNCTION transition_now(request, text, person) FROM PUBLIC;

SELECT rewrite_function('move(text, text, integer, jsonb)', 't := transition_now(r, p_transition);', 't := transition_now(r, p_transition, a);');
