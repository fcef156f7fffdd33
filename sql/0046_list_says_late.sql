-- `request list` and `request show` say which orders are late -----------------------------------
-- A late order looked like any other in `request list` (only `--overdue` found it): the list
-- marks it now, as it marks a held one. Whether a request is late is one rule, request_late():
-- ordered, and its order late by order_late() (the deadline passed, in Tallinn, and the clock not
-- held) — asked by --overdue, the list's mark and the card alike. A reader who does not see the
-- order (another vendor) reads false.
CREATE FUNCTION request_late(r request, o purchase_order, p_on date DEFAULT (now() AT TIME ZONE 'Europe/Tallinn')::date)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT r.state = 'ordered' AND coalesce(workflow.order_late(o, p_on), false)
$$;
REVOKE ALL ON FUNCTION request_late(request, purchase_order, date) FROM PUBLIC;

SELECT redefine_function('request_list(text[], text, text, date, boolean, text, text, integer, integer)',
    ARRAY['held_since timestamp with time zone, total bigint)',
          'x.state_since, x.created_at, x.held_since, count(*) OVER ()',
          'CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.held_since END AS held_since,',
          '(r.state = ''ordered'' AND order_late(o, p_overdue_on))'],
    ARRAY['held_since timestamp with time zone, late boolean, total bigint)',
          'x.state_since, x.created_at, x.held_since, x.late, count(*) OVER ()',
          $new$CASE WHEN v_mine IS NULL OR o.vendor = v_mine THEN o.held_since END AS held_since,
               (v_mine IS NULL OR o.vendor = v_mine) AND request_late(r, o) AS late,$new$,
          'request_late(r, o, p_overdue_on)']);

SELECT redefine_function('request_row(text)',
    ARRAY['held_since timestamp with time zone)', 'r.created_at, o.held_since'],
    ARRAY['held_since timestamp with time zone, late boolean)', 'r.created_at, o.held_since, request_late(r, o)']);
