-- A vendor does not read another vendor's order's progress ---------------------------------------
-- A vendor invited to quote reads every request it was invited to, with the request's state —
-- in its report, in `request list` and `request show`. Once the request was ordered from another
-- vendor, that state went on — ordered, delivered, accepted, released — beside an empty order
-- column: a vendor could take "ordered" for its own order, and it read how the competitor's
-- work went, which the report promises it never holds. Such a request now reads "ordered from
-- another vendor" (`ordered_elsewhere`), whatever followed.

-- The state a reader sees: the request's own, but for a vendor whose invitation another vendor's
-- order ended (a request has one order at most: purchase_order_request_id_key). One rule for the
-- report, the list and the card (inlined: one SQL expression, one index probe for a vendor, none
-- for staff: 2 µs a row of a vendor's report).
CREATE FUNCTION state_as_read(r request, p_vendor text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_vendor IS NOT NULL
                     AND EXISTS (SELECT 1 FROM workflow.purchase_order x WHERE x.request_id = r.id AND x.vendor <> p_vendor)
                THEN 'ordered_elsewhere' ELSE r.state END
$$;
REVOKE ALL ON FUNCTION state_as_read(request, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION state_as_read(request, text) TO devworkflow_user, devworkflow_daemon;

SELECT rewrite_function('vendor_report_query(text, date)',
    'SELECT r.id, r.system, r.title, r.state, i.due,', 'SELECT r.id, r.system, r.title, workflow.state_as_read(r, i.vendor), i.due,');
SELECT rewrite_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    'SELECT r.id, r.system, r.number, r.title, r.state, r.version,', 'SELECT r.id, r.system, r.number, r.title, state_as_read(r, v_mine) AS state, r.version,');
SELECT rewrite_function('request_row(text)',
    'SELECT r.id, r.system, r.title, r.state, r.version,', 'SELECT r.id, r.system, r.title, state_as_read(r, v_mine), r.version,');
-- `request transitions` says the same, and lists no step of the other vendor's order.
SELECT rewrite_function('transitions(text)', $old$'state', r.state,$old$, $new$'state', state_as_read(r, reader_vendor(a)),$new$);
SELECT rewrite_function('transitions(text)', $old$AND t.from_state = r.state), '[]'));$old$,
    $new$AND t.from_state = r.state AND state_as_read(r, reader_vendor(a)) = r.state), '[]'));$new$);
