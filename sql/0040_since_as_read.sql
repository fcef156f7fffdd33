-- What a losing vendor reads of "since" ---------------------------------------------------------
-- A vendor whose invitation another vendor's order ended reads the request as "ordered from
-- another vendor" (0035), yet `request show` and `request list --json` still gave the time of the
-- request's latest step: "ordered from another vendor since 05.12.2026 10:36" moved on each time
-- the winner delivered, was accepted or released. The time such a vendor reads is when the other
-- order was placed, which is when the state it reads began.

-- The start of the state a reader sees: state_as_read() decides which state that is (the rule
-- stays there); for "ordered from another vendor" it began when that order was placed.
CREATE FUNCTION state_since_as_read(r request, p_vendor text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN workflow.state_as_read(r, p_vendor) = 'ordered_elsewhere'
                THEN (SELECT x.ordered_at FROM workflow.purchase_order x WHERE x.request_id = r.id)
                ELSE r.state_since END
$$;
REVOKE ALL ON FUNCTION state_since_as_read(request, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION state_since_as_read(request, text) TO devworkflow_user, devworkflow_daemon;

SELECT rewrite_function('request_row(text)',
    'r.state_since, r.created_at, o.held_since', 'state_since_as_read(r, v_mine), r.created_at, o.held_since');
SELECT rewrite_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    'r.quote_due, r.state_since, r.created_at,', 'r.quote_due, state_since_as_read(r, v_mine) AS state_since, r.created_at,');
